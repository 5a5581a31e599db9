/**
 * The accountants' report (GET /reports/summary, and the digest e-mail, which is a rendering of
 * it), as a pure function of what the adapters read: the summaries of the open dossiers (listing
 * index), the dossiers active since the start of the period read in full, the creditor's open
 * tasks and its own receivables figures. No AWS import.
 *
 * The period is the half-open interval (since, until] of instants; the report is "as at" `until`
 * (an entry recorded at `until` itself belongs to this period, one at `since` to the previous one).
 * - Portfolio figures (portfolio.ts) are the ledger as it stood at `until`: a dossier counts when
 *   it was created by then and not paid or cancelled by then; its balance is the invoice amount
 *   less the credit notes and the payments *recorded* by then. A dossier with no activity since
 *   the period began is taken from its summary (its state has not changed since); the others are
 *   replayed from their history (ledgerAt), so a report asked for a past date is exact too.
 *   Open = every status but paid and cancelled: handed-off dossiers are still owed (metrics.md:
 *   "not paid, cancelled or written off") and are shown apart as well.
 * - Collected: payments with a payment date (paidOn) in the complete days of the period, from the
 *   day `since` falls on to the day before `until` (the day of `until` itself when `until` is
 *   midnight), by payment date, not by recording time. Consecutive digests therefore cover
 *   consecutive days exactly once; a payment recorded later with an earlier date shows in the next
 *   digest's list of payments received (by recording time) but not in a collected figure already sent.
 * - What happened: the history entries with `at` in (since, until].
 * - What comes next, what needs a human: the dossiers as read when the report is built.
 */
import { addDays } from './epoch-days';
import { balanceCents, Dossier, RUNNING } from './dossier';
import type { DossierSummary } from './dossier-summary';
import { lastActivityAt } from './dossier-summary';
import { sha256Hex } from './identity';
import type { DossierStatus, DossierEvent, IsoDate, IsoInstant, NextAction, Stage } from './model';
import { STAGES } from './model';
import { parseEuros, toDecimalString } from './money';
import { AGING_BUCKETS, daysPastDue, DossierFigures, dsoCountback, MonthlySales, portfolioFigures, type AgingBucket } from './portfolio';
import { TASKLESS_STATUSES, type Task } from './dossier-tasks';

/** How many items each list of the report carries at most; its count is always the full count. */
export const LIST_LIMIT = 100;

/** Statuses whose balance is still owed (open): every status but paid and cancelled. */
export const OPEN_STATUSES: readonly DossierStatus[] = [
  'active',
  'paused_dispute',
  'promised',
  'on_payment_plan',
  'needs_attention',
  'awaiting_handoff_approval',
  'handed_off',
  // Still owed: the claim is frozen at the judgment and declared to the mandataire (domain/insolvency.ts).
  'insolvency_proceedings',
];

/** A dossier's summary as the listing index carries it (amount: since the digest; absent on older items). */
export type IndexedSummary = DossierSummary & { amount?: string };

/** One dossier as the report sees it now (from its summary or from the full item). */
export interface ReportRow {
  id: string;
  invoiceNumber: string;
  debtorName: string;
  status: DossierStatus;
  stage: Stage | null;
  amountCents: number | null;
  balanceCents: number;
  dueDate: IsoDate;
  nextAction: NextAction | null;
}

export function rowFromSummary(s: IndexedSummary): ReportRow {
  const amount = typeof s.amount === 'string' ? parseEuros(s.amount) : null;
  return {
    id: s.id,
    invoiceNumber: s.invoiceNumber,
    debtorName: s.debtorName,
    status: s.status,
    stage: s.stage,
    amountCents: amount,
    balanceCents: parseEuros(s.balance) ?? 0,
    dueDate: s.dueDate,
    nextAction: s.nextAction,
  };
}

export function rowFromDossier(d: Dossier): ReportRow {
  return {
    id: d.id,
    invoiceNumber: d.invoice.invoiceNumber,
    debtorName: d.debtor.name,
    status: d.status,
    stage: d.stage,
    amountCents: d.invoice.amountCents,
    balanceCents: balanceCents(d),
    dueDate: d.invoice.dueDate,
    nextAction: d.nextAction,
  };
}

/** What the ledger said about one dossier at an instant. */
export interface LedgerState {
  exists: boolean;
  open: boolean;
  balanceCents: number;
  /** Last stage sent by then (null before the first). */
  stage: Stage | null;
  payments: { amountCents: number; paidOn: IsoDate }[];
}

/**
 * The dossier as it stood at `at` (inclusive), replayed from its history: payments recorded by
 * then, credit notes issued by then, the last notice sent by then, closed if paid or cancelled by
 * then. For an instant after its last change this is exactly its current state.
 */
export function ledgerAt(d: Dossier, at: IsoInstant): LedgerState {
  const t = Date.parse(at);
  const by = (instant: string | undefined) => typeof instant === 'string' && Date.parse(instant) <= t;
  if (!by(d.createdAt)) return { exists: false, open: false, balanceCents: 0, stage: null, payments: [] };
  const payments = d.payments.filter((p) => by(p.recordedAt));
  const credited = (d.creditNotes ?? []).filter((c) => by(c.at));
  const net = Math.max(0, d.invoice.amountCents - credited.reduce((s, c) => s + c.amountCents, 0));
  const paid = payments.reduce((s, p) => s + p.amountCents, 0);
  let stage: Stage | null = null;
  let closed = false;
  for (const e of d.events) {
    if (!by(e.at)) continue;
    if (e.type === 'notice_sent' && e.stage) stage = e.stage;
    if (e.type === 'paid' || e.type === 'cancelled') closed = true;
  }
  return {
    exists: true,
    open: !closed,
    balanceCents: Math.max(0, net - paid),
    stage,
    payments: payments.map((p) => ({ amountCents: p.amountCents, paidOn: p.paidOn })),
  };
}

// ---------------------------------------------------------------------------------------------

export interface ReceivablesMonth {
  /** YYYY-MM */
  month: string;
  creditSalesCents: number;
  /** Total accounts receivable at the end of the month (all unpaid invoices, not only those in collection). */
  totalReceivablesCents?: number;
}

export interface DeferredAlert {
  dossierId: string;
  kind: string;
  at: IsoInstant;
}

export interface ReportSources {
  creditorId: string;
  asOf: IsoDate;
  since: IsoInstant;
  until: IsoInstant;
  /** When the report is built (the lists of what comes next and what needs a human are as of then). */
  builtAt: IsoInstant;
  /** The end of "what comes next": the end of the next business day after asOf (exclusive). */
  nextUntil: IsoInstant;
  /** Summaries of the dossiers in an open status (current). */
  openSummaries: IndexedSummary[];
  /** Dossiers read in full: every dossier active since `readFrom`, plus those that need a human. */
  full: Dossier[];
  /** The instant from which every active dossier was read in full (<= since, start of its day). */
  readFrom: IsoInstant;
  /** The creditor's open tasks. */
  tasks: Task[];
  receivables: ReceivablesMonth[];
  deferredAlerts: DeferredAlert[];
}

export interface Amounts {
  count: number;
  balance: string;
}

export interface ListOf<T> {
  count: number;
  items: T[];
}

export interface HappenedItem {
  dossierId: string;
  invoiceNumber: string;
  debtorName: string;
  at: IsoInstant;
  stage?: string;
  amount?: string;
  paidOn?: IsoDate;
  reference?: string;
  reason?: string;
  outcome?: string;
  recipient?: string;
  date?: IsoDate;
  id?: string;
}

export interface NextItem {
  dossierId: string;
  invoiceNumber: string;
  debtorName: string;
  stage: string;
  at: IsoInstant;
  balance: string;
}

export interface AttentionItem {
  dossierId: string;
  invoiceNumber: string;
  debtorName: string;
  balance: string;
  since: IsoInstant | null;
  reason: string;
}

export interface TaskItem {
  taskId: string;
  dossierId: string;
  invoiceNumber: string;
  debtorName: string;
  task: string;
  dueAt: IsoInstant;
}

export interface Dso {
  days: string | null;
  method: 'countback';
  /** The month whose end the DSO is computed at (the latest month with total receivables given). */
  atEndOf: string | null;
  reason?: string;
  /** When the credit sales given do not exhaust the receivables: the month whose sales are needed next. */
  missingMonth?: string;
}

export interface Report {
  creditorId: string;
  asOf: IsoDate;
  period: { since: IsoInstant; until: IsoInstant };
  builtAt: IsoInstant;
  currency: 'EUR';
  portfolio: {
    basis: string;
    open: Amounts;
    handedOff: Amounts;
    aging: ({ bucket: AgingBucket } & Amounts)[];
    /** Last stage sent, for open dossiers: "none" before the first notice. */
    byStage: ({ stage: Stage | 'none' } & Amounts)[];
    weightedDaysPastDue: string | null;
    collected: { from: IsoDate; to: IsoDate; count: number; amount: string; basis: string };
    atRiskPercent: string | null;
    dso: Dso;
  };
  happened: {
    empty: boolean;
    newDossiers: ListOf<HappenedItem>;
    cancelled: ListOf<HappenedItem>;
    noticesSent: ListOf<HappenedItem> & { byStage: Record<string, number> };
    paymentsReceived: ListOf<HappenedItem> & { total: string };
    disputesOpened: ListOf<HappenedItem>;
    disputesResolved: ListOf<HappenedItem>;
    promisesAgreed: ListOf<HappenedItem>;
    promisesKept: ListOf<HappenedItem>;
    promisesBroken: ListOf<HappenedItem>;
    plansAgreed: ListOf<HappenedItem>;
    plansCompleted: ListOf<HappenedItem>;
    plansBroken: ListOf<HappenedItem>;
    bounces: ListOf<HappenedItem>;
    complaints: ListOf<HappenedItem>;
    handOffs: ListOf<HappenedItem>;
  };
  next: { from: IsoInstant; until: IsoInstant; byStage: Record<string, number> } & ListOf<NextItem>;
  attention: {
    needsAttention: ListOf<AttentionItem>;
    openDisputes: ListOf<AttentionItem>;
    dueCallTasks: ListOf<TaskItem>;
    /** Immediate alerts not sent because the hourly limit was reached (rolled into this report). */
    deferredAlerts: ListOf<DeferredAlert>;
  };
  evidence: {
    /** SHA-256 over the sorted "dossierId:headHash\n" lines of the dossiers whose history grew in the period. */
    root: string;
    dossiers: number;
    basis: string;
  };
}

/** The rows behind the report that the CSV needs (every open dossier, not capped). */
export interface ReportDetail {
  report: Report;
  /** Every dossier open at `until`, with its balance then and its status and next action as read. */
  openRows: ReportRow[];
  /** The "dossierId:headHash" lines the evidence root is computed over, sorted. */
  evidenceLines: string[];
}

const COLLECTED_BASIS =
  'Payments with a payment date (paidOn) in the complete days of the period, from the day of "since" to the day before "until": by payment date, not by recording time.';
const PORTFOLIO_BASIS =
  'Dossiers in collection in Amiable only (the invoices the creditor pushed in), as the ledger stood at "until": every dossier not paid or cancelled (handed-off dossiers included, also shown apart); balance = invoice amount less credit notes and payments recorded by then; aging by days past due as of asOf (due date + 1 = 1 day).';
const EVIDENCE_BASIS =
  'SHA-256 (hex) of the UTF-8 lines "<dossierId>:<evidence head hash>\\n", sorted by dossier id, over the dossiers whose history (hence evidence log) grew in the period, with each log head as read when the report was built.';

function capped<T>(items: T[]): ListOf<T> {
  return { count: items.length, items: items.slice(0, LIST_LIMIT) };
}

export interface ReportClock {
  /** The Paris date of an instant. */
  dateOf(at: IsoInstant): IsoDate;
}

export function buildReport(src: ReportSources, clock: ReportClock): ReportDetail {
  const sinceMs = Date.parse(src.since);
  const untilMs = Date.parse(src.until);
  const readFromMs = Date.parse(src.readFrom);
  const fullById = new Map(src.full.map((d) => [d.id, d]));
  // Dossiers active since readFrom were read in full: their summaries may be newer than `until`.
  const changed = src.full.filter((d) => Date.parse(lastActivityAt(d)) >= readFromMs);
  const changedIds = new Set(changed.map((d) => d.id));

  // --- Portfolio: the ledger at `until`.
  const figures: DossierFigures[] = [];
  const openRows: ReportRow[] = [];
  const stageAt = new Map<string, Stage | null>();
  for (const s of src.openSummaries) {
    if (changedIds.has(s.id)) continue;
    const row = fullById.has(s.id) ? rowFromDossier(fullById.get(s.id)!) : rowFromSummary(s);
    figures.push({ open: true, dueDate: row.dueDate, balanceCents: row.balanceCents, payments: [] });
    if (row.balanceCents > 0) openRows.push(row);
    stageAt.set(row.id, row.stage);
  }
  for (const d of changed) {
    const l = ledgerAt(d, src.until);
    if (!l.exists) continue;
    figures.push({ open: l.open, dueDate: d.invoice.dueDate, balanceCents: l.balanceCents, payments: l.payments });
    if (l.open && l.balanceCents > 0) {
      openRows.push({ ...rowFromDossier(d), balanceCents: l.balanceCents, stage: l.stage });
      stageAt.set(d.id, l.stage);
    }
  }
  openRows.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceNumber.localeCompare(b.invoiceNumber) || a.id.localeCompare(b.id));
  const untilDate = clock.dateOf(src.until);
  const midnight = clock.dateOf(new Date(untilMs - 1).toISOString()) !== untilDate;
  const period = { from: clock.dateOf(src.since), to: midnight ? untilDate : addDays(untilDate, -1) };
  const p = portfolioFigures(figures, src.asOf, period);
  const amounts = (count: number, cents: number): Amounts => ({ count, balance: toDecimalString(cents) });
  const handedOff = openRows.filter((r) => r.status === 'handed_off');
  const byStage = (['none', ...STAGES] as const).map((stage) => {
    const rows = openRows.filter((r) => (stageAt.get(r.id) ?? 'none') === stage);
    return { stage, ...amounts(rows.length, rows.reduce((s, r) => s + r.balanceCents, 0)) };
  });

  // --- What happened: history entries in (since, until].
  const happened = happenedIn(changed, sinceMs, untilMs);

  // --- What comes next and what needs a human: as read now.
  const current = new Map<string, ReportRow>();
  for (const s of src.openSummaries) current.set(s.id, rowFromSummary(s));
  for (const d of src.full) current.set(d.id, rowFromDossier(d));
  const nextFrom = Date.parse(src.builtAt) > untilMs ? src.builtAt : src.until;
  const nextItems: NextItem[] = [];
  for (const r of current.values()) {
    if (!RUNNING.has(r.status) || !r.nextAction) continue;
    // Everything scheduled before the end of the window (an action already due is still to come).
    if (Date.parse(r.nextAction.at) >= Date.parse(src.nextUntil)) continue;
    nextItems.push({ dossierId: r.id, invoiceNumber: r.invoiceNumber, debtorName: r.debtorName, stage: r.nextAction.stage, at: r.nextAction.at, balance: toDecimalString(r.balanceCents) });
  }
  nextItems.sort((a, b) => a.at.localeCompare(b.at) || a.invoiceNumber.localeCompare(b.invoiceNumber));
  const nextByStage: Record<string, number> = {};
  for (const n of nextItems) nextByStage[n.stage] = (nextByStage[n.stage] ?? 0) + 1;

  const needs: AttentionItem[] = [];
  const disputes: AttentionItem[] = [];
  for (const d of src.full) {
    if (d.status === 'needs_attention') {
      const e = lastOf(d.events, 'needs_attention');
      needs.push({ ...who(d), since: e?.at ?? null, reason: typeof e?.reason === 'string' ? e.reason : '' });
    } else if (d.status === 'paused_dispute') {
      const open = (d.disputes ?? []).filter((x) => x.status === 'open').pop();
      disputes.push({ ...who(d), since: open?.openedAt ?? null, reason: open?.reason ?? '' });
    }
  }
  const bySince = (a: AttentionItem, b: AttentionItem) => (a.since ?? '').localeCompare(b.since ?? '') || a.invoiceNumber.localeCompare(b.invoiceNumber);
  needs.sort(bySince);
  disputes.sort(bySince);

  const tasks: TaskItem[] = src.tasks
    .filter((t) => t.status === 'open' && Date.parse(t.dueAt) <= Date.parse(src.builtAt))
    .filter((t) => {
      const r = current.get(t.dossierId);
      return r !== undefined && !TASKLESS_STATUSES.has(r.status);
    })
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id))
    .map((t) => ({ taskId: t.id, dossierId: t.dossierId, invoiceNumber: t.invoiceNumber, debtorName: current.get(t.dossierId)!.debtorName, task: t.task, dueAt: t.dueAt }));

  // --- Evidence: the heads of the logs that grew in the period.
  const evidenceLines = changed
    .filter((d) => d.evidenceHead && Date.parse(lastActivityAt(d)) >= sinceMs && d.events.some((e) => inPeriod(e.at, sinceMs, untilMs)))
    .map((d) => `${d.id}:${d.evidenceHead!.hash}`)
    .sort();

  const report: Report = {
    creditorId: src.creditorId,
    asOf: src.asOf,
    period: { since: src.since, until: src.until },
    builtAt: src.builtAt,
    currency: 'EUR',
    portfolio: {
      basis: PORTFOLIO_BASIS,
      open: amounts(p.open.count, p.open.balanceCents),
      handedOff: amounts(handedOff.length, handedOff.reduce((s, r) => s + r.balanceCents, 0)),
      aging: AGING_BUCKETS.map((bucket) => ({ bucket, ...amounts(p.aging[bucket].count, p.aging[bucket].balanceCents) })),
      byStage,
      weightedDaysPastDue: p.weightedDaysPastDue,
      collected: { from: period.from, to: period.to, count: p.collected.count, amount: toDecimalString(p.collected.amountCents), basis: COLLECTED_BASIS },
      atRiskPercent: p.atRiskPercent,
      dso: dsoOf(src.receivables, src.asOf),
    },
    happened,
    next: { from: nextFrom, until: src.nextUntil, byStage: nextByStage, ...capped(nextItems) },
    attention: {
      needsAttention: capped(needs),
      openDisputes: capped(disputes),
      dueCallTasks: capped(tasks),
      deferredAlerts: capped([...src.deferredAlerts].sort((a, b) => a.at.localeCompare(b.at))),
    },
    evidence: { root: evidenceRoot(evidenceLines), dossiers: evidenceLines.length, basis: EVIDENCE_BASIS },
  };
  return { report, openRows, evidenceLines };
}

/** SHA-256 over the sorted lines, each ended by "\n" (the empty set hashes the empty string). */
export function evidenceRoot(lines: readonly string[]): string {
  return sha256Hex([...lines].sort().map((l) => `${l}\n`).join(''));
}

function inPeriod(at: unknown, sinceMs: number, untilMs: number): boolean {
  if (typeof at !== 'string') return false;
  const t = Date.parse(at);
  return t > sinceMs && t <= untilMs;
}

function who(d: Dossier) {
  return { dossierId: d.id, invoiceNumber: d.invoice.invoiceNumber, debtorName: d.debtor.name, balance: toDecimalString(balanceCents(d)) };
}

function lastOf(events: DossierEvent[], type: string): DossierEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i].type === type) return events[i];
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function happenedIn(dossiers: Dossier[], sinceMs: number, untilMs: number): Report['happened'] {
  const lists: Record<string, HappenedItem[]> = {};
  const push = (name: string, item: HappenedItem) => (lists[name] ??= []).push(item);
  for (const d of dossiers) {
    const base = { dossierId: d.id, invoiceNumber: d.invoice.invoiceNumber, debtorName: d.debtor.name };
    for (const e of d.events) {
      if (!inPeriod(e.at, sinceMs, untilMs)) continue;
      const item: HappenedItem = { ...base, at: e.at };
      switch (e.type) {
        case 'created':
          push('newDossiers', { ...item, amount: toDecimalString(d.invoice.amountCents), date: d.invoice.dueDate });
          break;
        case 'cancelled':
          push('cancelled', { ...item, reason: str(e.reason) });
          break;
        case 'notice_sent':
          push('noticesSent', { ...item, stage: e.stage });
          break;
        case 'payment_recorded':
          push('paymentsReceived', { ...item, amount: str(e.amount), paidOn: str(e.paidOn), reference: str(e.reference) });
          break;
        case 'dispute_opened':
          push('disputesOpened', { ...item, id: str(e.disputeId), reason: str(e.reason), amount: str(e.disputedAmount) });
          break;
        case 'dispute_rejected':
        case 'dispute_upheld':
          push('disputesResolved', { ...item, id: str(e.disputeId), outcome: e.type === 'dispute_rejected' ? 'rejected' : 'upheld', amount: str(e.creditNoteAmount) });
          break;
        case 'promise_recorded':
          push('promisesAgreed', { ...item, id: str(e.promiseId), date: str(e.date), amount: str(e.amount) });
          break;
        case 'promise_kept':
          push('promisesKept', { ...item, id: str(e.promiseId), amount: str(e.promised) });
          break;
        case 'promise_broken':
          push('promisesBroken', { ...item, id: str(e.promiseId), amount: str(e.promised) });
          break;
        case 'payment_plan_agreed':
          push('plansAgreed', { ...item, id: str(e.planId), amount: str(e.total) });
          break;
        case 'payment_plan_completed':
          push('plansCompleted', { ...item, id: str(e.planId) });
          break;
        case 'payment_plan_broken':
          push('plansBroken', { ...item, id: str(e.planId), date: str(e.dueDate) });
          break;
        case 'email_bounced':
          if (e.bounceType === 'Permanent') push('bounces', { ...item, recipient: str(e.recipient), reason: [str(e.bounceSubType), str(e.diagnostic)].filter(Boolean).join(', ') || undefined });
          break;
        case 'email_complained':
          push('complaints', { ...item, recipient: str(e.recipient) });
          break;
        case 'handed_off':
          push('handOffs', item);
          break;
      }
    }
  }
  const list = (name: string) => capped((lists[name] ?? []).sort((a, b) => a.at.localeCompare(b.at) || a.invoiceNumber.localeCompare(b.invoiceNumber)));
  const notices = list('noticesSent');
  const byStage: Record<string, number> = {};
  for (const n of lists.noticesSent ?? []) byStage[n.stage ?? ''] = (byStage[n.stage ?? ''] ?? 0) + 1;
  const payments = list('paymentsReceived');
  const total = (lists.paymentsReceived ?? []).reduce((s, x) => s + (parseEuros(x.amount ?? '0') ?? 0), 0);
  const out = {
    empty: Object.values(lists).every((l) => l.length === 0),
    newDossiers: list('newDossiers'),
    cancelled: list('cancelled'),
    noticesSent: { ...notices, byStage },
    paymentsReceived: { ...payments, total: toDecimalString(total) },
    disputesOpened: list('disputesOpened'),
    disputesResolved: list('disputesResolved'),
    promisesAgreed: list('promisesAgreed'),
    promisesKept: list('promisesKept'),
    promisesBroken: list('promisesBroken'),
    plansAgreed: list('plansAgreed'),
    plansCompleted: list('plansCompleted'),
    plansBroken: list('plansBroken'),
    bounces: list('bounces'),
    complaints: list('complaints'),
    handOffs: list('handOffs'),
  };
  return out;
}

/**
 * DSO by the countback method (portfolio.ts) at the end of the latest month, ending on or before
 * asOf, for which the creditor gave its total receivables; the credit sales of that month and the
 * months before are needed until they exhaust the receivables.
 */
export function dsoOf(months: readonly ReceivablesMonth[], asOf: IsoDate): Dso {
  const complete = months.filter((m) => monthEnd(m.month) <= asOf);
  const end = [...complete].filter((m) => m.totalReceivablesCents !== undefined).sort((a, b) => b.month.localeCompare(a.month))[0];
  if (!end) {
    return {
      days: null,
      method: 'countback',
      atEndOf: null,
      reason:
        'DSO needs the creditor\'s total receivables at a month end and its monthly credit sales, which Amiable does not receive with overdue invoices: give them with PUT /reports/receivables/{month}.',
    };
  }
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const sales: MonthlySales[] = [];
  for (let m = end.month; byMonth.has(m); m = previousMonth(m)) sales.push({ month: m, creditSalesCents: byMonth.get(m)!.creditSalesCents });
  const days = dsoCountback(end.totalReceivablesCents!, sales);
  if (days === null) {
    const oldest = sales[sales.length - 1]?.month ?? end.month;
    return {
      days: null,
      method: 'countback',
      atEndOf: end.month,
      missingMonth: previousMonth(oldest),
      reason: `The credit sales given (${sales.length} month(s), back to ${oldest}) do not exhaust the receivables at the end of ${end.month}: give the credit sales of ${previousMonth(oldest)} (PUT /reports/receivables/${previousMonth(oldest)}).`,
    };
  }
  return { days, method: 'countback', atEndOf: end.month };
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function monthEnd(month: string): IsoDate {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/** Days past due of a row as of a date (negative or zero: not yet due). */
export function rowDaysPastDue(row: Pick<ReportRow, 'dueDate'>, asOf: IsoDate): number {
  return daysPastDue(row.dueDate, asOf);
}
