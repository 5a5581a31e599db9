/**
 * Which history entries a dossier item holds. The whole history is the evidence log (one record
 * per entry, `E#<seq>` items beside the dossier, evidence-log.ts: record n = entry n, its `fact`
 * the entry verbatim); the dossier item keeps a bounded window of it, so the item never nears
 * DynamoDB's 400 KB item limit however many payments and SES events a dossier records
 * (aws-facts.md: "Item size: 400 KB max, attribute names included").
 *
 * The window keeps:
 *   - every entry the log does not hold yet (seq above the evidence head): the item is the only
 *     copy until the log catches up, so nothing is ever dropped before it is logged;
 *   - every entry of a type the rules read on the send path (notice_sent, stage_reopened,
 *     handed_off, call_logged, insolvency_opened...): those are few by nature (stages, tasks,
 *     human decisions), so they stay in full;
 *   - the last RECENT_ENTRIES entries, whatever their type (delivery de-duplication of a retried
 *     SES event, alerts of the last change, the hand-off's latest bundle).
 * Entries of the high-volume types (COMPACTABLE: payments, follow-up messages, SES facts, alerts,
 * bundles) older than that are left to the log. A dossier whose window is the whole history is
 * stored exactly as before (no `eventSeqs`, no `historyLength`).
 *
 * In memory a windowed dossier carries `historyLength` (entries in the whole history when it was
 * read) and `eventSeqs` (the position of each held entry); pure transitions keep appending to
 * `events` as always, and the helpers below count the appended entries after `historyLength`.
 */
import type { DossierEvent } from './model';

/** How many of the latest entries the item always holds. */
export const RECENT_ENTRIES = 40;

/**
 * Entry types that recur without bound (one per payment, per message, per SES event) and that no
 * rule reads beyond the recent window: the reports, the litigation dossier and the view read them
 * from the whole history (lambdas/services/dossier-history.ts).
 */
export const COMPACTABLE_TYPES: ReadonlySet<string> = new Set([
  'payment_recorded',
  'message_sent',
  'message_failed',
  'email_delivered',
  'email_delayed',
  'email_bounced',
  'email_complained',
  'email_rejected',
  'accountant_alert',
  'evidence_bundle_issued',
]);

export interface HistoryWindow {
  events: DossierEvent[];
  /** Absent when `events` is the whole history. */
  eventSeqs?: number[];
  historyLength?: number;
}

/** True when `events` holds every entry (seq = index + 1). */
export function isWholeHistory(d: HistoryWindow): boolean {
  return !d.eventSeqs;
}

/** Entries in the whole history, counting those appended in memory since the read. */
export function historyLength(d: HistoryWindow): number {
  if (!d.eventSeqs) return d.events.length;
  return (d.historyLength ?? d.eventSeqs.length) + (d.events.length - d.eventSeqs.length);
}

/** Position (1-based, = evidence record seq) of `d.events[i]`. */
export function seqOf(d: HistoryWindow, i: number): number {
  const known = d.eventSeqs;
  if (!known) return i + 1;
  if (i < known.length) return known[i]!;
  return (d.historyLength ?? known.length) + (i - known.length) + 1;
}

/** The entry at `seq`, if the window holds it. */
export function entryAt(d: HistoryWindow, seq: number): DossierEvent | undefined {
  const known = d.eventSeqs;
  if (!known) return d.events[seq - 1];
  const held = d.historyLength ?? known.length;
  if (seq > held) return d.events[known.length + (seq - held - 1)];
  let lo = 0;
  let hi = known.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = known[mid]!;
    if (s === seq) return d.events[mid];
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The held entries with their positions, in order. */
export function heldEntries(d: HistoryWindow): { seq: number; entry: DossierEvent }[] {
  return d.events.map((entry, i) => ({ seq: seqOf(d, i), entry }));
}

/**
 * The window to store after a change. `loggedSeq`: the evidence head read with the dossier (every
 * entry up to it is a record of the log; entries above it are never dropped).
 */
export function windowFor(d: HistoryWindow, loggedSeq: number, recent = RECENT_ENTRIES): HistoryWindow {
  const total = historyLength(d);
  const recentFrom = total - recent;
  const events: DossierEvent[] = [];
  const eventSeqs: number[] = [];
  d.events.forEach((e, i) => {
    const seq = seqOf(d, i);
    if (seq > loggedSeq || seq > recentFrom || !COMPACTABLE_TYPES.has(e.type)) {
      events.push(e);
      eventSeqs.push(seq);
    }
  });
  // The very array when nothing leaves it (the store reuses what it packed for an array it read).
  if (events.length === total) return { events: events.length === d.events.length ? d.events : events, eventSeqs: undefined, historyLength: undefined };
  return { events, eventSeqs, historyLength: total };
}
