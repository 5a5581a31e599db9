/**
 * A dossier's whole history, read in pages: the entries the evidence log holds (E#<seq> records,
 * each `fact` the entry verbatim), then those the dossier item still holds above the log's last
 * record (history-window.ts). The hot paths (sends, payments, SES events) read the dossier item
 * alone; the view, the reports and the litigation dossier come here.
 */
import { encodeCursor, decodeCursor } from '../adapters/cursor';
import { listRecords, recordsAfter, shownHead } from '../adapters/evidence-log';
import type { EvidenceRecord } from '../domain/evidence-chain';
import { Dossier } from '../domain/dossier';
import { dossierView, type DossierView } from '../domain/dossier-view';
import { entryAt, historyLength, isWholeHistory } from '../domain/history-window';
import type { DossierEvent } from '../domain/model';

/**
 * Entries in GET /invoices/{id} (`events`, the first page); GET /invoices/{id}/history pages on.
 * A history entry is ~0.3-1 KB of JSON, so a page stays far below Lambda's 6 MB response limit
 * (aws-facts.md); a dossier with fewer entries shows them all, as it always did.
 */
export const VIEW_HISTORY_ENTRIES = 500;
export const MAX_HISTORY_PAGE = 1000;

export interface HistoryPage {
  /** Entries after `after`, in recording order. */
  entries: DossierEvent[];
  /** Seq of the first entry of the page (after + 1). */
  firstSeq: number;
  /** Entries in the whole history. */
  historyLength: number;
  /** The seq to continue after, or null when the page reaches the end. */
  nextAfter: number | null;
}

/** Up to `limit` entries after seq `after` (0: from the start). */
export async function historyPage(d: Dossier, after: number, limit: number): Promise<HistoryPage> {
  const total = historyLength(d);
  const entries: DossierEvent[] = [];
  if (isWholeHistory(d)) {
    entries.push(...d.events.slice(after, after + limit));
  } else {
    let seq = after;
    const wanted = Math.min(limit, Math.max(0, total - after));
    // Held entries first when the page lies in what the item holds whole (the usual last page).
    if (wanted > 0 && !held(d, after + 1, after + wanted)) {
      for (const r of await loggedPage(d.id, after, wanted)) {
        if (r.seq !== seq + 1 || r.seq > total) break;
        entries.push(r.fact);
        seq = r.seq;
      }
    }
    while (entries.length < wanted) {
      const e = entryAt(d, seq + 1);
      if (!e) throw new Error(`dossier ${d.id}: history entry ${seq + 1} is neither logged nor held by the item`);
      entries.push(e);
      seq += 1;
    }
  }
  const end = after + entries.length;
  return { entries, firstSeq: after + 1, historyLength: total, nextAfter: end < total ? end : null };
}

/**
 * Pages of the evidence log already read whole, by dossier and range. A record never changes once
 * written (record n is history entry n forever: evidence-log.ts), so a page read once is served
 * again without a query: the view of a long-lived dossier shows the same first 500 entries after
 * each of its payments, and reading them from the table every time cost more than the payment.
 * A few pages per process (a page is at most MAX_HISTORY_PAGE entries of ~0.3-1 KB).
 */
const CACHED_PAGES = 4;
const pages = new Map<string, EvidenceRecord[]>();

async function loggedPage(dossierId: string, after: number, wanted: number): Promise<EvidenceRecord[]> {
  const key = `${dossierId}/${after}/${wanted}`;
  const known = pages.get(key);
  if (known) {
    pages.delete(key);
    pages.set(key, known); // most recently used last
    return known;
  }
  const records = await recordsAfter(dossierId, after, wanted);
  if (records.length === wanted && records.every((r, i) => r.seq === after + i + 1)) {
    pages.set(key, records);
    if (pages.size > CACHED_PAGES) pages.delete(pages.keys().next().value!);
  }
  return records;
}

function held(d: Dossier, from: number, to: number): boolean {
  for (let s = from; s <= to; s++) if (!entryAt(d, s)) return false;
  return true;
}

/** The dossier with `events` = the whole history (reports, litigation dossier, demo). */
export async function withWholeHistory(d: Dossier): Promise<Dossier> {
  return isWholeHistory(d) ? d : wholeHistoryFrom(d, await listRecords(d.id));
}

/**
 * withWholeHistory from the dossier's records as the caller has just listed them (the hand-off
 * lists them anyway for the litigation dossier): not listed a second time.
 */
export function wholeHistoryFrom(d: Dossier, listed: readonly EvidenceRecord[]): Dossier {
  if (isWholeHistory(d)) return d;
  const total = historyLength(d);
  const events: DossierEvent[] = [];
  for (const r of listed) {
    if (r.seq !== events.length + 1 || r.seq > total) break;
    events.push(r.fact);
  }
  for (let seq = events.length + 1; seq <= total; seq++) {
    const e = entryAt(d, seq);
    if (!e) throw new Error(`dossier ${d.id}: history entry ${seq} is neither logged nor held by the item`);
    events.push(e);
  }
  const { eventSeqs: _s, historyLength: _l, ...rest } = d;
  return { ...rest, events };
}

/** Cursors of GET /invoices/{id}/history (and `historyNext` of the view): the key of the last entry given. */
export function historyCursor(dossierId: string, nextAfter: number | null): string | null {
  if (nextAfter === null) return null;
  return encodeCursor({ pk: `D#${dossierId}`, sk: `E#${String(nextAfter).padStart(10, '0')}` });
}

/** The seq a cursor continues after (400 on `cursor` if it is not one of this dossier's). */
export function afterOfCursor(dossierId: string, cursor: string | undefined): number {
  const key = decodeCursor(cursor, { pk: `D#${dossierId}`, sk: /^E#\d{10}$/ });
  return key ? Number(key.sk!.slice(2)) : 0;
}

/** The dossier as the HTTP contract shows it, `events` its first page of history. */
export async function viewOf(d: Dossier, now: Date): Promise<DossierView> {
  // The dossier's head is the one its last change found (at most that change's records behind):
  // the view shows the log's head itself (one GetItem when they differ).
  const view = { ...dossierView(d, now), evidenceHead: await shownHead(d) };
  if (isWholeHistory(d) && d.events.length <= VIEW_HISTORY_ENTRIES) return view;
  const page = await historyPage(d, 0, VIEW_HISTORY_ENTRIES);
  return { ...view, events: page.entries, historyLength: page.historyLength, historyNext: historyCursor(d.id, page.nextAfter) };
}
