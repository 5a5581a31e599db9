/**
 * The life of a dossier as pure functions: each takes the current dossier and returns the next one.
 * The store applies them with a conditional write on the dossier's version, so concurrent
 * requests (a payment racing a send) take turns and nothing is half-written.
 */
import { computeBreakdown, type BreakdownInput } from './breakdown';
import { parisDateOf } from './dates';
import { holidayRegionFor } from './calendar';
import { DomainError } from './errors';
import type {
  AmountBreakdown,
  CreditorProfile,
  Debtor,
  DossierEvent,
  DossierStatus,
  Invoice,
  IsoDate,
  NextAction,
  Payment,
  ScheduledStage,
  Stage,
} from './model';
import type { Acknowledgment, PaymentPlan, PromiseToPay } from './commitment-records';
import { builtinPolicy, type Policy } from './policy';
import { addCalendarDays, isBusinessDay, localDate } from './calendar';
import type { ChainHead, EvidenceRef } from './evidence-chain';
import { currentRegistered, registeredDeadline, type FormalNoticeChannel, type RegisteredLetter } from './registered';
import { computeSchedule, noticeDeadline } from './schedule';

export interface SendLock {
  /** The stage, or the follow-up (e.g. "instalment_reminder") being sent. */
  stage: string;
  /** Deterministic per execution and stage, so a retried attempt recognises its own claim. */
  token: string;
  /** Real (wall-clock) epoch ms: the lock protects real concurrent work, not simulated time. */
  leaseUntil: number;
}

export interface Dossier {
  id: string;
  creditorId: string;
  invoice: Invoice;
  debtor: Debtor;
  status: DossierStatus;
  /** Last stage sent, null before the first. */
  stage: Stage | null;
  payments: Payment[];
  schedule: ScheduledStage[];
  /** Firm payment deadline of the mise en demeure, once known. */
  deadline: IsoDate | null;
  nextAction: NextAction | null;
  events: DossierEvent[];
  /** Holiday calendar key chosen from the debtor's address. */
  region: string;
  execution: { name: string; generation: number } | null;
  sending: SendLock | null;
  version: number;
  createdAt: string;
  /** Disputes opened by the debtor (absent on dossiers stored before disputes existed). */
  disputes?: Dispute[];
  /** Credit notes reducing the invoice amount (absent on older dossiers). */
  creditNotes?: CreditNote[];
  /** Promises to pay, oldest first (dossier-commitments.ts). */
  promises?: PromiseToPay[];
  /** Payment plans (échéanciers), oldest first; at most one running. */
  plans?: PaymentPlan[];
  /** The debtor's acknowledgments of the debt (C. civ. 2240), which restart prescription. */
  acknowledgments?: Acknowledgment[];
  /** Built-in policy chosen at intake from the creditor profile (absent on older dossiers: the default). */
  policyName?: string;
  /** How the mise en demeure is sent, fixed at intake from the creditor profile (absent: e-mail). */
  formalNoticeChannel?: FormalNoticeChannel;
  /** The registered letters of the mise en demeure (one per sending), registered.ts. */
  registered?: RegisteredLetter[];
  /**
   * Head of the dossier's evidence log (records live in their own items, evidence-log.ts). Written
   * only by the log with a conditional update, never by the dossier's own writes.
   */
  evidenceHead?: ChainHead;
  /**
   * Set while the dossier's first execution waits in the bulk-intake queue (POST /invoices/batch):
   * the dossier is stored, its workflow not yet started. The starter (lambdas/start-workflows.ts)
   * starts it and removes the marker; a dossier that keeps it is visible (GET /invoices/{id}) and
   * re-queued when its invoice is sent again.
   */
  pendingStart?: { queuedAt: string };
  /**
   * Present only when `events` holds part of the history (history-window.ts): how many entries the
   * whole history had when the dossier was read, and the position (seq) of each held entry.
   */
  historyLength?: number;
  eventSeqs?: number[];
}

export interface Dispute {
  id: string;
  reason: string;
  disputedAmountCents?: number;
  openedAt: string;
  status: 'open' | 'resolved';
  outcome?: 'rejected' | 'upheld';
  resolvedAt?: string;
  /** Why it was rejected (sent to the debtor). */
  reasons?: string;
}

export interface CreditNote {
  amountCents: number;
  at: string;
  disputeId?: string;
}

/** Statuses under which an execution is waiting for the dossier's next action. */
export const RUNNING: ReadonlySet<DossierStatus> = new Set(['active', 'promised', 'on_payment_plan']);

export function iso(d: Date): string {
  return d.toISOString();
}

/**
 * Stages that count as sent, with their actual times, replayed from the history. A
 * `stage_reopened` event (a broken payment plan re-opens the mise en demeure) takes a stage back
 * out, so it is scheduled and sent again.
 */
export function sentStages(d: Pick<Dossier, 'events'>): { stage: Stage; at: string }[] {
  let sent: { stage: Stage; at: string }[] = [];
  for (const e of d.events) {
    if (e.type === 'notice_sent' && e.stage) sent.push({ stage: e.stage, at: e.at });
    else if (e.type === 'stage_reopened') sent = sent.filter((s) => s.stage !== e.stage);
  }
  return sent;
}

/** Names a stage's message: "formal_notice", then "formal_notice-2" if it is ever sent again. */
export function sendSlot(d: Pick<Dossier, 'events'>, stage: Stage): string {
  const times = d.events.filter((e) => e.type === 'notice_sent' && e.stage === stage).length;
  return times === 0 ? stage : `${stage}-${times + 1}`;
}

export function paidCents(d: Dossier): number {
  return d.payments.reduce((sum, p) => sum + p.amountCents, 0);
}

export function creditedCents(d: Pick<Dossier, 'creditNotes'>): number {
  return (d.creditNotes ?? []).reduce((sum, c) => sum + c.amountCents, 0);
}

/** Invoice amount after credit notes: what the debtor actually owes as principal. */
export function netAmountCents(d: Pick<Dossier, 'invoice' | 'creditNotes'>): number {
  return Math.max(0, d.invoice.amountCents - creditedCents(d));
}

/**
 * Principal still owed: the invoice after credit notes, less the part of each payment allocated to
 * the principal when it was recorded (all of it for older payments, and for payments allocated
 * principal first; settlement.ts). What plans and promises cover.
 */
export function balanceCents(d: Pick<Dossier, 'invoice' | 'creditNotes' | 'payments'>): number {
  const principalPaid = d.payments.reduce((sum, p) => sum + (p.allocation ? p.allocation.principalCents : p.amountCents), 0);
  return Math.max(0, netAmountCents(d) - principalPaid);
}

export function scheduleFor(d: Pick<Dossier, 'invoice' | 'region' | 'events' | 'policyName' | 'registered'>, now: Date, notBefore?: Date) {
  // A registered mise en demeure: the grace period runs from its first presentation.
  const letter = currentRegistered(d);
  const noticeSlot = letter && sentStages(d as Dossier).some((s) => s.stage === 'formal_notice') ? letter : undefined;
  return computeSchedule({
    ...(noticeSlot ? { deadlineOverride: registeredDeadline(noticeSlot, builtinPolicy(d.policyName).graceDays, d.region) } : {}),
    dueDate: d.invoice.dueDate,
    policy: builtinPolicy(d.policyName),
    region: d.region,
    now: iso(now),
    sent: sentStages(d as Dossier),
    notBefore: notBefore ? iso(notBefore) : undefined,
    amountCents: d.invoice.amountCents,
  });
}

/** What prescription depends on, for this dossier (prescription.ts). */
export function prescriptionInput(d: Pick<Dossier, 'invoice' | 'debtor' | 'acknowledgments' | 'events'>) {
  const publicSector = isPublicSector(d.debtor);
  return {
    ...prescriptionStart(d.invoice),
    debtorKind: d.debtor.kind,
    acknowledgedOn: (d.acknowledgments ?? []).map((a) => a.on),
    ...(publicSector ? { publicSector, writtenClaimsOn: sentStages(d).filter((s) => s.stage !== 'litigation_handoff').map((s) => parisDateOf(s.at)) } : {}),
  };
}

/** A public-sector buyer (debtor segment "public-sector", a business-kind debtor). */
export function isPublicSector(debtor: Pick<Debtor, 'kind' | 'segment'>): boolean {
  return debtor.kind === 'business' && debtor.segment === PUBLIC_SECTOR;
}
export const PUBLIC_SECTOR = 'public-sector';

/** Where prescription starts: the performance date when the invoice gives one, else its issue date. */
export function prescriptionStart(invoice: Pick<Invoice, 'performanceDate' | 'issueDate'>): { performanceDate?: IsoDate; issueDate: IsoDate } {
  return invoice.performanceDate !== undefined ? { performanceDate: invoice.performanceDate, issueDate: invoice.issueDate } : { issueDate: invoice.issueDate };
}

/** The built-in policy the dossier runs under (fixed at intake). */
export function policyOf(d: Pick<Dossier, 'policyName'>): Policy {
  return builtinPolicy(d.policyName);
}

/**
 * The payment date a stage's letter states when it is sent at `now`:
 * - the mise en demeure: the end of the policy's grace period (noticeDeadline, the same function
 *   the schedule uses, so the date printed is the dossier's deadline);
 * - the formal reminder: the same period, but never on or after the day the mise en demeure is
 *   scheduled (the reminder announces it as the next step): at the latest the business day before.
 */
export function statedDeadline(d: Pick<Dossier, 'policyName' | 'region' | 'schedule'>, stage: Stage, now: Date): IsoDate | undefined {
  if (stage !== 'formal_notice' && stage !== 'formal_reminder') return undefined;
  const policy = policyOf(d);
  const deadline = noticeDeadline(iso(now), policy, d.region);
  if (stage === 'formal_notice') return deadline;
  const notice = d.schedule.find((s) => s.stage === 'formal_notice');
  if (!notice) return deadline;
  let before = addCalendarDays(localDate(notice.at), -1);
  while (!isBusinessDay(before, d.region)) before = addCalendarDays(before, -1);
  return before < deadline && before > localDate(iso(now)) ? before : deadline;
}

export function firstUnsent(schedule: ScheduledStage[], sent: { stage: Stage }[]): ScheduledStage | null {
  const done = new Set(sent.map((s) => s.stage));
  return schedule.find((s) => !done.has(s.stage)) ?? null;
}

export interface NewDossierInput {
  id: string;
  creditorId: string;
  invoice: Invoice;
  debtor: Debtor;
  executionName: string;
  now: Date;
  /** A name from BUILTIN_POLICIES (validated by the caller); absent means the default policy. */
  policyName?: string;
  /** The creditor's channel for the mise en demeure (absent: e-mail). */
  formalNoticeChannel?: FormalNoticeChannel;
  /**
   * Where the invoice as received is kept (the evidence log's first record points at it); for an
   * imported e-invoice also its media type and syntax, recorded on the `created` entry.
   */
  received?: EvidenceRef & { contentType?: string; einvoiceFormat?: string };
}

export function newDossier(input: NewDossierInput): Dossier {
  const region = holidayRegionFor({ postalCode: input.debtor.address.postalCode, country: input.debtor.address.country });
  const base = { invoice: input.invoice, region, events: [] as DossierEvent[], policyName: input.policyName };
  const computed = scheduleFor(base, input.now);
  const nextAction = firstUnsent(computed.stages, []);
  return {
    id: input.id,
    creditorId: input.creditorId,
    invoice: input.invoice,
    debtor: input.debtor,
    status: 'active',
    stage: null,
    payments: [],
    schedule: computed.stages,
    deadline: computed.deadline,
    nextAction,
    events: [{ type: 'created', at: iso(input.now), invoiceNumber: input.invoice.invoiceNumber, ...input.received }],
    region,
    execution: { name: input.executionName, generation: 1 },
    sending: null,
    version: 0,
    createdAt: iso(input.now),
    ...(input.policyName !== undefined ? { policyName: input.policyName } : {}),
    ...(input.formalNoticeChannel && input.formalNoticeChannel !== 'email' ? { formalNoticeChannel: input.formalNoticeChannel } : {}),
  };
}

/** Execution input for the workflow: where to resume and when. Deterministic for a given dossier. */
export function workflowInput(d: Dossier): { dossierId: string; next: NextAction } | null {
  if (!RUNNING.has(d.status) || !d.nextAction) return null;
  return { dossierId: d.id, next: d.nextAction };
}

/**
 * Whether the dossier still needs its first execution started: it runs, is on generation 1 and
 * has sent nothing yet (a later generation was started by the change that created it).
 */
export function needsFirstStart(d: Dossier): boolean {
  return workflowInput(d) !== null && d.execution?.generation === 1 && d.stage === null;
}

/** Same invoice after parsing ("1250.0" = "1250.00"); used to make intake idempotent. */
export function sameSubmission(a: { invoice: Invoice; debtor: Debtor }, b: { invoice: Invoice; debtor: Debtor }): boolean {
  return canonical({ invoice: a.invoice, debtor: a.debtor }) === canonical({ invoice: b.invoice, debtor: b.debtor });
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([, x]) => x !== undefined).sort(([x], [y]) => x.localeCompare(y)))
      : value,
  );
}

/** Thrown while a send holds the dossier: the store retries shortly after. */
export class DossierBusy extends DomainError {
  constructor() {
    super(503, 'busy', 'A notice is being sent for this dossier; retry shortly.');
  }
}

/**
 * Every change that must not interleave with a send (payments, disputes, commitments...) waits
 * here while another send's lease is live. `token` lets a retried send re-claim its own lease.
 */
export function assertNoLiveSend(d: Pick<Dossier, 'sending'>, realNowMs: number, token?: string): void {
  if (d.sending && d.sending.token !== token && d.sending.leaseUntil > realNowMs) throw new DossierBusy();
}

/** Takes the send lease (stage, reminder or follow-up): a settling payment then waits for it. */
export function takeLease(d: Dossier, what: string, token: string, realNowMs: number, leaseMs: number): Dossier {
  assertNoLiveSend(d, realNowMs, token);
  return { ...d, sending: { stage: what, token, leaseUntil: realNowMs + leaseMs } };
}

/**
 * Extends the lease `token` still holds (a long send takes it afresh right before its message
 * leaves); lease_lost when it passed to someone else or was cleared (a payment after it ran out).
 */
export function renewLease(d: Dossier, token: string, realNowMs: number, leaseMs: number): Dossier {
  if (!d.sending || d.sending.token !== token) throw new DomainError(409, 'lease_lost', `send lease ${token} was lost`);
  return { ...d, sending: { ...d.sending, leaseUntil: realNowMs + leaseMs } };
}

export type ClaimResult =
  | { kind: 'claimed'; dossier: Dossier }
  | { kind: 'already_sent'; dossier: Dossier }
  | { kind: 'not_active'; dossier: Dossier };

/** Takes the send lease for a stage, or says why not. A retry with the same token re-claims. */
export function claimSend(d: Dossier, stage: Stage, token: string, realNowMs: number, leaseMs: number): ClaimResult {
  if (sentStages(d).some((s) => s.stage === stage)) return { kind: 'already_sent', dossier: d };
  if (d.status !== 'active') return { kind: 'not_active', dossier: d };
  return { kind: 'claimed', dossier: takeLease(d, stage, token, realNowMs, leaseMs) };
}

/** A message that left: its SES id, the recipient, and where its exact bytes are kept. */
export interface SentInfo extends EvidenceRef {
  messageId: string;
  to: string;
}

/**
 * The schedule after `stage` went out at `at`, when that is exactly its scheduled instant (what a
 * timestamp wait yields): every later stage was computed from that very instant, so the stored
 * schedule stands and is advanced rather than recomputed (computing it again is the costliest part
 * of a send's domain work). Any other instant: null, recompute.
 */
function advancedSchedule(d: Dossier, stage: Stage, at: string): { stages: Dossier['schedule']; deadline: Dossier['deadline'] } | null {
  const entry = d.schedule?.find((s) => s.stage === stage);
  return entry && entry.at === at ? { stages: d.schedule, deadline: d.deadline } : null;
}

/** Records the notice as sent, releases the lease and moves the schedule on. */
export function completeSend(d: Dossier, stage: Stage, token: string, now: Date, info: SentInfo): Dossier {
  if (!d.sending || d.sending.token !== token) {
    throw new DomainError(409, 'lease_lost', `send lease for ${stage} was lost`);
  }
  const at = iso(now);
  const events: DossierEvent[] = [...d.events, { type: 'notice_sent', at, stage, ...info }];
  const withEvent = { ...d, events };
  const handedOff = stage === 'litigation_handoff';
  // The hand-off is that message: its entry points at the message kept in the vault (no fact document of its own).
  if (handedOff) {
    const { evidenceKey, sha256, evidenceVersionId, retainUntil } = info;
    events.push({ type: 'handed_off', at, evidenceKey, sha256, ...(evidenceVersionId ? { evidenceVersionId } : {}), ...(retainUntil ? { retainUntil } : {}) });
  }
  // A registered mise en demeure moves the deadline to its first presentation: recompute then.
  const registered = stage === 'formal_notice' && currentRegistered(withEvent) !== undefined;
  const computed = (registered ? null : advancedSchedule(d, stage, at)) ?? scheduleFor(withEvent, now);
  return {
    ...withEvent,
    stage,
    status: handedOff ? 'handed_off' : d.status,
    sending: null,
    schedule: computed.stages,
    deadline: computed.deadline,
    nextAction: handedOff ? null : firstUnsent(computed.stages, sentStages(withEvent)),
  };
}

/**
 * Takes the send lease for a follow-up letter. Nothing but the receipt is ever sent once the debt
 * is settled or the dossier cancelled: a confirmation racing a settling payment is either recorded
 * before the payment (which waits for the lease) or not sent at all.
 */
export function claimFollowUp(d: Dossier, kind: string, token: string, realNowMs: number, leaseMs: number): { kind: 'claimed' | 'closed'; dossier: Dossier } {
  if (kind !== 'payment_receipt' && (d.status === 'paid' || d.status === 'cancelled')) return { kind: 'closed', dossier: d };
  // Insolvency proceedings (C. com. L622-7, L622-21): nothing more is written to the debtor.
  if (d.status === 'insolvency_proceedings' || d.events.some((e) => e.type === 'insolvency_opened')) return { kind: 'closed', dossier: d };
  return { kind: 'claimed', dossier: takeLease(d, kind, token, realNowMs, leaseMs) };
}

const release = (d: Dossier, token: string): SendLock | null => (d.sending?.token === token ? null : d.sending);

/** A follow-up letter (receipt, confirmation) went out: the history keeps it with its evidence. */
export function recordMessage(d: Dossier, kind: string, token: string, info: SentInfo, now: Date, extra: Record<string, unknown> = {}): Dossier {
  return { ...d, sending: release(d, token), events: [...d.events, { type: 'message_sent', at: iso(now), kind, ...extra, ...info }] };
}

/** A follow-up letter could not go out; the state change it followed stands. */
export function recordMessageFailure(d: Dossier, kind: string, token: string, reason: string, now: Date, extra: Record<string, unknown> = {}): Dossier {
  return { ...d, sending: release(d, token), events: [...d.events, { type: 'message_failed', at: iso(now), kind, ...extra, reason }] };
}

/** Releases a lease without sending (rendering failed, dossier changed...). */
export function releaseSend(d: Dossier, token: string): Dossier {
  return d.sending?.token === token ? { ...d, sending: null } : d;
}

export function markNeedsAttention(d: Dossier, reason: string, now: Date): Dossier {
  if (d.status === 'paid' || d.status === 'cancelled' || d.status === 'handed_off' || d.status === 'insolvency_proceedings') return d;
  return {
    ...d,
    status: 'needs_attention',
    sending: null,
    nextAction: null,
    events: [...d.events, { type: 'needs_attention', at: iso(now), reason }],
  };
}

type BreakdownCreditor = Pick<CreditorProfile, 'category' | 'contractualPenaltyRate' | 'pursueAccessories'>;

export function breakdownFor(d: Dossier, creditor: BreakdownCreditor, asOf: IsoDate): AmountBreakdown {
  return computeBreakdown(breakdownInputFor(d, creditor, asOf));
}

/** What the breakdown of a dossier is computed from (breakdownFor; the litigation dossier explains it). */
export function breakdownInputFor(d: Dossier, creditor: BreakdownCreditor, asOf: IsoDate): BreakdownInput {
  const formalNotice = sentStages(d).find((s) => s.stage === 'formal_notice');
  return {
    invoice: {
      amountCents: netAmountCents(d),
      dueDate: d.invoice.dueDate,
      contractualPenaltyRate: d.invoice.contractualPenaltyRate,
    },
    debtorKind: d.debtor.kind,
    creditor: {
      category: creditor.category,
      contractualPenaltyRate: creditor.contractualPenaltyRate,
      // Payments recorded before their allocation was stored follow the legacy switch.
      pursueAccessories: creditor.pursueAccessories,
    },
    payments: d.payments.map((p) => ({
      amountCents: p.amountCents,
      paidOn: p.paidOn,
      ref: p.reference,
      ...(p.allocation ? { order: p.allocation.order } : {}),
    })),
    asOf,
    formalNoticeSentOn: formalNotice ? parisDateOf(formalNotice.at) : undefined,
    publicSector: isPublicSector(d.debtor),
  };
}
