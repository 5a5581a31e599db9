/**
 * Events out: which history entries of a dossier become an event for the creditor's systems
 * (EventBridge `source: "amiable"` and webhooks, docs/events.md), and the event's `detail`.
 *
 * Pure: one history entry appended (at its position `seq` in the append-only history) maps to at
 * most one event, whose id `<dossierId>:<seq>` is the same however often the entry is seen (a
 * stream record redelivered, a retried Lambda), so subscribers dedupe on it. The mapping does not
 * care where the entry was read from (the dossier item's history today, or history items of their
 * own): the adapter hands it the entries and the dossier's identity.
 */
import { entryAt, historyLength, type HistoryWindow } from './history-window';
import type { DossierEvent } from './model';

/**
 * The `source` of Amiable's own events (docs/events.md), defined once: the bus publisher
 * (adapters/events.ts) and the webhook body (services/events-out.ts) set it, and the IAM grant to
 * publish is conditioned on it (lib/mailer.ts).
 */
export const EVENT_SOURCE = 'amiable';

/** History entry type -> detail-type (the names are part of the contract, docs/events.md). */
export const DETAIL_TYPE_OF: Readonly<Record<string, string>> = {
  created: 'DossierCreated',
  notice_sent: 'NoticeSent',
  payment_recorded: 'PaymentRecorded',
  promise_recorded: 'PromiseAgreed',
  promise_kept: 'PromiseKept',
  promise_broken: 'PromiseBroken',
  payment_plan_agreed: 'PaymentPlanAgreed',
  payment_plan_completed: 'PaymentPlanKept',
  payment_plan_broken: 'PaymentPlanBroken',
  dispute_opened: 'DisputeOpened',
  dispute_rejected: 'DisputeResolved',
  dispute_upheld: 'DisputeResolved',
  needs_attention: 'DossierNeedsAttention',
  handed_off: 'DossierHandedOff',
  paid: 'DossierClosed',
  cancelled: 'DossierClosed',
};

/** Every detail-type, in the order docs/events.md lists them (webhook subscriptions name these). */
export const DETAIL_TYPES = [...new Set(Object.values(DETAIL_TYPE_OF))] as readonly string[];

/**
 * DossierHandedOff is already put on the bus by the hand-off itself, with the litigation dossier's
 * figures (services/litigation.ts): the stream adds it for webhooks only, so a bus rule never
 * sees two.
 */
export const BUS_PUBLISHED_ELSEWHERE: ReadonlySet<string> = new Set(['DossierHandedOff']);

/** The fields of each entry type carried in `detail.data` (allow-listed: nothing internal leaks). */
const DATA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  created: ['invoiceNumber'],
  notice_sent: ['stage', 'messageId', 'deadline'],
  payment_recorded: ['amount', 'paidOn', 'reference'],
  promise_recorded: ['promiseId', 'date', 'amount'],
  promise_kept: ['promiseId', 'promised', 'paid'],
  promise_broken: ['promiseId', 'promised', 'paid'],
  payment_plan_agreed: ['planId', 'total', 'instalments'],
  payment_plan_completed: ['planId'],
  payment_plan_broken: ['planId', 'instalment', 'dueDate'],
  dispute_opened: ['disputeId', 'reason', 'disputedAmount'],
  dispute_rejected: ['disputeId', 'reasons'],
  dispute_upheld: ['disputeId', 'creditNoteAmount'],
  needs_attention: ['reason'],
  handed_off: [],
  paid: [],
  cancelled: ['reason'],
};

/** What the mapping needs of the dossier (after the change that appended the entries). */
export interface DossierIdentity {
  id: string;
  creditorId: string;
  invoiceNumber: string;
  status: string;
}

export interface EntryAt {
  /** 0-based position in the dossier's history (evidence record seq - 1). */
  seq: number;
  entry: DossierEvent;
}

export interface DossierEventDetail {
  /** Schema version of `detail` (1): a field added keeps 1, a change of meaning bumps it. */
  version: 1;
  /** `<dossierId>:<seq>`: the same for every delivery of this fact. */
  eventId: string;
  dossierId: string;
  creditorId: string;
  invoiceNumber: string;
  /** The history entry's type (e.g. dispute_upheld under DisputeResolved, paid under DossierClosed). */
  type: string;
  seq: number;
  /** When it happened (UTC). */
  at: string;
  /** The dossier's status after the change that recorded it. */
  status: string;
  data: Record<string, unknown>;
}

export interface OutgoingEvent {
  detailType: string;
  detail: DossierEventDetail;
}

/** The events the given history entries call for, in history order. */
export function eventsFor(d: DossierIdentity, entries: readonly EntryAt[]): OutgoingEvent[] {
  const out: OutgoingEvent[] = [];
  for (const { seq, entry } of entries) {
    const detailType = DETAIL_TYPE_OF[entry.type];
    if (!detailType) continue;
    const data: Record<string, unknown> = {};
    for (const field of DATA_FIELDS[entry.type] ?? []) if (entry[field] !== undefined) data[field] = entry[field];
    if (entry.type === 'dispute_rejected' || entry.type === 'dispute_upheld') data.outcome = entry.type === 'dispute_rejected' ? 'rejected' : 'upheld';
    if (entry.type === 'paid' || entry.type === 'cancelled') data.outcome = entry.type;
    out.push({
      detailType,
      detail: {
        version: 1,
        eventId: `${d.id}:${seq}`,
        dossierId: d.id,
        creditorId: d.creditorId,
        invoiceNumber: d.invoiceNumber,
        type: entry.type,
        seq,
        at: entry.at,
        status: d.status,
        data,
      },
    });
  }
  return out;
}

/**
 * The entries appended between two versions of a history (append-only: the new ones are the
 * tail). A version is the whole history, or a dossier item holding a window of it
 * (history-window.ts): entries above the older version's length are always held by the newer item.
 * `seq` is the entry's 0-based position in the whole history.
 */
export function appendedEntries(before: readonly DossierEvent[] | HistoryWindow | undefined, after: readonly DossierEvent[] | HistoryWindow): EntryAt[] {
  const asWindow = (h: readonly DossierEvent[] | HistoryWindow): HistoryWindow => (Array.isArray(h) ? { events: [...h] } : (h as HistoryWindow));
  const from = before ? historyLength(asWindow(before)) : 0;
  const next = asWindow(after);
  const out: EntryAt[] = [];
  for (let seq = from + 1; seq <= historyLength(next); seq++) {
    const entry = entryAt(next, seq);
    if (entry) out.push({ seq: seq - 1, entry });
  }
  return out;
}
