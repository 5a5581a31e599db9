/**
 * The debtor's commitments as pure dossier transitions: a promise to pay and a payment plan
 * (échéancier). Both pause the escalation; the dossier's execution then waits for commitment
 * checkpoints (NextAction "promise_check", "instalment_reminder", "instalment_check") instead of
 * stages, and a broken commitment resumes the escalation where it stood, in the same execution.
 * Orchestration (stopping and starting executions, sending the letters) is in
 * services/commitments.ts.
 */
import {
  addBusinessDays,
  addCalendarDays,
  debtorSendWindow,
  DEFAULT_SEND_WINDOW,
  localDate,
  localTimeToInstant,
  nextSendInstant,
} from './calendar';
import {
  assertNoLiveSend,
  balanceCents,
  Dossier,
  firstUnsent,
  iso,
  paidCents,
  prescriptionInput,
  scheduleFor,
  SentInfo,
  sentStages,
  takeLease,
} from './dossier';
import { conflict, DomainError, invalid } from './errors';
import type { CommitmentTerms, DossierEvent, IsoDate, IsoInstant, NextAction } from './model';
import type { EvidenceRef } from './evidence-chain';
import type { Acknowledgment, PaymentPlan, PlanInstalment, PromiseToPay } from './commitment-records';
import { toDecimalString } from './money';
import { prescriptionDetail } from './prescription';

/**
 * Default terms: 2 business days of tolerance after a promised date or an instalment's due date
 * (bank transfer delays), reminders 3 calendar days before each instalment. A creditor may set
 * its own (CreditorProfile.commitmentTerms); each promise and plan keeps the terms it was agreed
 * under, so changing the profile never moves a running commitment.
 */
export const DEFAULT_TERMS: Readonly<Required<CommitmentTerms>> = Object.freeze({
  promiseToleranceBusinessDays: 2,
  instalmentToleranceBusinessDays: 2,
  instalmentReminderDaysBefore: 3,
});
/** Bounds a creditor's terms must respect (validated where profiles are loaded). */
export const TERM_BOUNDS: Readonly<Record<keyof CommitmentTerms, [number, number]>> = Object.freeze({
  promiseToleranceBusinessDays: [0, 10],
  instalmentToleranceBusinessDays: [0, 10],
  instalmentReminderDaysBefore: [0, 15],
});

export function termsFor(profile: { commitmentTerms?: CommitmentTerms } | null | undefined): Required<CommitmentTerms> {
  return { ...DEFAULT_TERMS, ...(profile?.commitmentTerms ?? {}) };
}
/** A promise further away than this is a payment plan in disguise: ask for one. */
export const MAX_PROMISE_DAYS = 90;
export const MAX_INSTALMENTS = 36;
/** A plan longer than this exceeds what a court would grant anyway (C. civ. 1343-5: 2 years). */
export const MAX_PLAN_DAYS = 730;

/** A dossier waiting for its hand-off to be approved can still take a promise or a plan instead. */
const ACCEPTS_COMMITMENT = new Set(['active', 'promised', 'awaiting_handoff_approval']);

function today(now: Date): IsoDate {
  return localDate(iso(now), DEFAULT_SEND_WINDOW.timeZone);
}

/** Opening of the debtor's send window on `date` + n business days: when a commitment is checked. */
function checkInstant(date: IsoDate, businessDays: number, region: string): IsoInstant {
  const day = addBusinessDays(date, businessDays, region);
  const w = debtorSendWindow(region);
  return nextSendInstant(localTimeToInstant(day, w.open, w.timeZone), w, region);
}

function reminderInstant(dueDate: IsoDate, daysBefore: number, region: string): IsoInstant {
  const day = addCalendarDays(dueDate, -daysBefore);
  const w = debtorSendWindow(region);
  return nextSendInstant(localTimeToInstant(day, w.open, w.timeZone), w, region);
}

export function promisesOf(d: Dossier): PromiseToPay[] {
  return d.promises ?? [];
}

export function plansOf(d: Dossier): PaymentPlan[] {
  return d.plans ?? [];
}

export function pendingPromise(d: Dossier): PromiseToPay | undefined {
  return promisesOf(d).find((p) => p.status === 'pending');
}

export function runningPlan(d: Dossier): PaymentPlan | undefined {
  return plansOf(d).find((p) => p.status === 'running');
}

/** Ends a pending promise with `status`; other promises are kept as they are. */
function closePromise(d: Dossier, status: PromiseToPay['status'], at: IsoInstant): PromiseToPay[] {
  return promisesOf(d).map((p) => (p.status === 'pending' ? { ...p, status, resolvedAt: at } : p));
}

function nextGeneration(d: Dossier, executionName: (generation: number) => string) {
  const generation = (d.execution?.generation ?? 1) + 1;
  return { name: executionName(generation), generation };
}

function requireOpenToCommitments(d: Dossier, what: string): void {
  if (!ACCEPTS_COMMITMENT.has(d.status)) {
    throw conflict(`Dossier is ${d.status}; a ${what} can only be recorded on an active dossier.`, [
      { path: 'status', message: d.status },
    ]);
  }
}

export interface PromiseInput {
  id: string;
  date: IsoDate;
  amountCents: number;
  /** Defaults to DEFAULT_TERMS.promiseToleranceBusinessDays. */
  toleranceBusinessDays?: number;
}

/**
 * Records a promise to pay `amountCents` by `date`: the escalation pauses until the date plus
 * the tolerance. A new promise replaces a pending one. The caller stops the old execution and
 * starts the new generation, which waits for the "promise_check".
 */
export function makePromise(
  d: Dossier,
  input: PromiseInput,
  executionName: (generation: number) => string,
  now: Date,
  realNowMs: number,
): { dossier: Dossier; promise: PromiseToPay; duplicate?: true } {
  // The same promise again (a retried request) changes nothing.
  const same = pendingPromise(d);
  if (d.status === 'promised' && same && same.date === input.date && same.amountCents === input.amountCents) {
    return { dossier: d, promise: same, duplicate: true };
  }
  requireOpenToCommitments(d, 'promise to pay');
  const t = today(now);
  if (input.date < t) throw invalid([{ path: 'date', message: `must not be in the past (today is ${t})` }], 'Invalid promise');
  if (input.date > addCalendarDays(t, MAX_PROMISE_DAYS)) {
    throw invalid(
      [{ path: 'date', message: `must be within ${MAX_PROMISE_DAYS} days (by ${addCalendarDays(t, MAX_PROMISE_DAYS)}); agree a payment plan for longer terms` }],
      'Invalid promise',
    );
  }
  const balance = balanceCents(d);
  if (input.amountCents > balance) {
    throw conflict(`Promised ${toDecimalString(input.amountCents)} exceeds the balance ${toDecimalString(balance)}.`, [
      { path: 'amount', message: `must not exceed the balance ${toDecimalString(balance)}` },
    ]);
  }
  assertNoLiveSend(d, realNowMs);
  const at = iso(now);
  const promise: PromiseToPay = {
    id: input.id,
    date: input.date,
    amountCents: input.amountCents,
    madeAt: at,
    checkAt: checkInstant(input.date, input.toleranceBusinessDays ?? DEFAULT_TERMS.promiseToleranceBusinessDays, d.region),
    paidBeforeCents: paidCents(d),
    status: 'pending',
  };
  const execution = nextGeneration(d, executionName);
  const events: DossierEvent[] = [...d.events];
  const replaced = pendingPromise(d);
  if (replaced) events.push({ type: 'promise_superseded', at, promiseId: replaced.id });
  events.push({
    type: 'promise_recorded',
    at,
    promiseId: promise.id,
    date: promise.date,
    amount: toDecimalString(promise.amountCents),
    checkAt: promise.checkAt,
    execution: execution.name,
  });
  return {
    promise,
    dossier: {
      ...d,
      status: 'promised',
      promises: [...closePromise(d, 'superseded', at), promise],
      nextAction: { stage: 'promise_check', at: promise.checkAt },
      sending: null,
      execution,
      events,
    },
  };
}

export interface PlanInput {
  id: string;
  instalments: { dueDate: IsoDate; amountCents: number }[];
  /** Defaults to DEFAULT_TERMS. */
  terms?: { toleranceBusinessDays: number; reminderDaysBefore: number };
}

/** Validates the instalments against the dossier: dates ahead and increasing, amounts = balance. */
export function checkInstalments(d: Dossier, instalments: PlanInput['instalments'], now: Date): void {
  const t = today(now);
  const errors: { path: string; message: string }[] = [];
  if (instalments.length === 0) errors.push({ path: 'instalments', message: 'must list at least one instalment' });
  if (instalments.length > MAX_INSTALMENTS) errors.push({ path: 'instalments', message: `must list at most ${MAX_INSTALMENTS} instalments` });
  instalments.forEach((i, k) => {
    if (i.dueDate < t) errors.push({ path: `instalments.${k}.dueDate`, message: `must not be in the past (today is ${t})` });
    if (k > 0 && i.dueDate <= instalments[k - 1].dueDate) {
      errors.push({ path: `instalments.${k}.dueDate`, message: `must be after the previous instalment (${instalments[k - 1].dueDate})` });
    }
    if (i.dueDate > addCalendarDays(t, MAX_PLAN_DAYS)) {
      errors.push({ path: `instalments.${k}.dueDate`, message: `must be within ${MAX_PLAN_DAYS} days (C. civ. 1343-5 caps court-granted terms at 2 years)` });
    }
  });
  const total = instalments.reduce((s, i) => s + i.amountCents, 0);
  const balance = balanceCents(d);
  if (instalments.length > 0 && total !== balance) {
    errors.push({
      path: 'instalments',
      message: `amounts add up to ${toDecimalString(total)} but the balance is ${toDecimalString(balance)}; they must be equal`,
    });
  }
  if (errors.length > 0) throw invalid(errors, 'Invalid payment plan');
}

/**
 * Records an agreed payment plan. It pauses the escalation and replaces a pending promise. It is
 * NOT yet the debtor's acknowledgment of the debt (C. civ. 2240): the creditor's request is no proof
 * of the debtor's act. That comes with acceptPlan (the debtor's written acceptance, stored as
 * evidence) or with the first instalment paid (settlement.ts), and restarts prescription then.
 */
export function makePlan(
  d: Dossier,
  input: PlanInput,
  executionName: (generation: number) => string,
  now: Date,
  realNowMs: number,
): { dossier: Dossier; plan: PaymentPlan; duplicate?: true } {
  // The same plan again (a retried request) changes nothing.
  const running = runningPlan(d);
  if (d.status === 'on_payment_plan' && running && sameInstalments(running.instalments, input.instalments)) {
    return { dossier: d, plan: running, duplicate: true };
  }
  requireOpenToCommitments(d, 'payment plan');
  checkInstalments(d, input.instalments, now);
  assertNoLiveSend(d, realNowMs);
  const at = iso(now);
  const plan: PaymentPlan = {
    id: input.id,
    instalments: input.instalments.map((i) => ({ dueDate: i.dueDate, amountCents: i.amountCents })),
    agreedAt: at,
    paidBeforeCents: paidCents(d),
    status: 'running',
    ...(input.terms ? { terms: input.terms } : {}),
  };
  const execution = nextGeneration(d, executionName);
  const events: DossierEvent[] = [...d.events];
  const replaced = pendingPromise(d);
  if (replaced) events.push({ type: 'promise_superseded', at, promiseId: replaced.id });
  events.push({
    type: 'payment_plan_agreed',
    at,
    planId: plan.id,
    instalments: plan.instalments.map((i) => ({ dueDate: i.dueDate, amount: toDecimalString(i.amountCents) })),
    total: toDecimalString(input.instalments.reduce((s, i) => s + i.amountCents, 0)),
    execution: execution.name,
  });
  const next: Dossier = {
    ...d,
    status: 'on_payment_plan',
    promises: closePromise(d, 'superseded', at),
    plans: [...plansOf(d), plan],
    sending: null,
    execution,
    events,
  };
  return { plan, dossier: { ...next, nextAction: planNextAction(next, plan, now) } };
}

function sameInstalments(a: PlanInstalment[], b: PlanInput['instalments']): boolean {
  return a.length === b.length && a.every((x, k) => x.dueDate === b[k].dueDate && x.amountCents === b[k].amountCents);
}

/** The debtor's acknowledgment of a plan already on file, if any. */
export function planAcknowledgment(d: Pick<Dossier, 'acknowledgments'>, planId: string): Acknowledgment | undefined {
  return (d.acknowledgments ?? []).find((a) => a.ref === planId);
}

/** Adds an acknowledgment and its `debt_acknowledged` event (with the prescription it restarts). */
export function acknowledge(d: Dossier, ack: Acknowledgment, at: string, fields: Record<string, unknown>): Pick<Dossier, 'acknowledgments'> & { event: DossierEvent } {
  const acknowledgments = [...(d.acknowledgments ?? []), ack];
  const prescription = prescriptionDetail(prescriptionInput({ ...d, acknowledgments }));
  return {
    acknowledgments,
    event: { type: 'debt_acknowledged', at, source: ack.source, planId: ack.ref, acknowledgedOn: ack.on, article: 'C. civ. 2240', prescribesOn: prescription.prescribesOn, ...fields },
  };
}

export interface AcceptanceInput {
  /** The day the debtor accepted (the date of the e-mail or of the signature). */
  acceptedOn: IsoDate;
  kind: 'email' | 'signed_plan';
  /** Where the debtor's document is kept in the evidence vault. */
  evidence: EvidenceRef;
}

/**
 * Records the debtor's written acceptance of the latest payment plan (an e-mail or the signed plan,
 * already stored as evidence): the acknowledgment of the debt (C. civ. 2240), which restarts
 * prescription (C. civ. 2231). Idempotent: a plan is acknowledged once.
 */
export function acceptPlan(d: Dossier, input: AcceptanceInput, now: Date): { dossier: Dossier; duplicate?: true } {
  const plan = plansOf(d).at(-1);
  if (!plan) throw conflict('No payment plan to accept.', [{ path: 'paymentPlan', message: 'none' }]);
  if (planAcknowledgment(d, plan.id)) return { dossier: d, duplicate: true };
  const t = today(now);
  const agreed = localDate(plan.agreedAt, DEFAULT_SEND_WINDOW.timeZone);
  if (input.acceptedOn > t || input.acceptedOn < agreed) {
    throw invalid([{ path: 'acceptedOn', message: `must be between the plan's date (${agreed}) and today (${t})` }], 'Invalid acceptance');
  }
  const at = iso(now);
  const { acknowledgments, event } = acknowledge(
    d,
    { on: input.acceptedOn, source: 'written_acceptance', ref: plan.id, evidenceKey: input.evidence.evidenceKey },
    at,
    { kind: input.kind, ...input.evidence },
  );
  return { dossier: { ...d, acknowledgments, events: [...d.events, event] } };
}

/** Index of the first instalment the payments since the plan do not cover, or -1 if all are. */
export function firstUncovered(d: Dossier, plan: PaymentPlan): number {
  const paidSince = paidCents(d) - plan.paidBeforeCents;
  let cumulative = 0;
  for (let k = 0; k < plan.instalments.length; k++) {
    cumulative += plan.instalments[k].amountCents;
    if (paidSince < cumulative) return k;
  }
  return -1;
}

/**
 * The plan's next checkpoint: the reminder of the first uncovered instalment while it lies ahead
 * (a reminder whose time has already passed is skipped: the confirmation listed the date), else
 * the check after its due date and tolerance.
 */
export function planNextAction(d: Dossier, plan: PaymentPlan, now: Date): NextAction | null {
  const k = firstUncovered(d, plan);
  if (k < 0) return null;
  const instalment = plan.instalments[k];
  const terms = plan.terms ?? { toleranceBusinessDays: DEFAULT_TERMS.instalmentToleranceBusinessDays, reminderDaysBefore: DEFAULT_TERMS.instalmentReminderDaysBefore };
  const remindAt = reminderInstant(instalment.dueDate, terms.reminderDaysBefore, d.region);
  if (terms.reminderDaysBefore > 0 && !instalment.remindedAt && Date.parse(remindAt) > now.getTime()) {
    return { stage: 'instalment_reminder', at: remindAt };
  }
  return { stage: 'instalment_check', at: checkInstant(instalment.dueDate, terms.toleranceBusinessDays, d.region) };
}

/**
 * How many commitment checkpoints the dossier's next action opens, up to `until` (the execution's
 * horizon; null: no bound), as planned: the promise's check; or the plan's checkpoints from the
 * next one on, as planNextAction would give them if every instalment were paid on time (each
 * check followed by the next instalment's reminder when that still lies ahead, then its check).
 * 0 when the next action is no checkpoint. The state machine enters its chain of checkpoints so
 * that the chain ends with the last of them (lib/dunning-workflow.ts): a count too high only makes
 * an early end pass through more reviews, one too low costs a route, never a checkpoint.
 */
export function plannedCheckpoints(d: Dossier, until: Date | null): number {
  const next = d.nextAction;
  const within = (at: string) => until === null || Date.parse(at) <= until.getTime();
  if (!next || !within(next.at)) return 0;
  if (next.stage === 'promise_check') return 1;
  const plan = runningPlan(d);
  if (!plan || (next.stage !== 'instalment_reminder' && next.stage !== 'instalment_check')) return 0;
  const k = firstUncovered(d, plan);
  if (k < 0) return 1;
  const terms = plan.terms ?? { toleranceBusinessDays: DEFAULT_TERMS.instalmentToleranceBusinessDays, reminderDaysBefore: DEFAULT_TERMS.instalmentReminderDaysBefore };
  let count = 1;
  let check = next.stage === 'instalment_check' ? next.at : checkInstant(plan.instalments[k].dueDate, terms.toleranceBusinessDays, d.region);
  if (next.stage === 'instalment_reminder') {
    if (!within(check)) return count;
    count++;
  }
  for (const instalment of plan.instalments.slice(k + 1)) {
    const remindAt = reminderInstant(instalment.dueDate, terms.reminderDaysBefore, d.region);
    if (terms.reminderDaysBefore > 0 && Date.parse(remindAt) > Date.parse(check)) {
      if (!within(remindAt)) return count;
      count++;
    }
    check = checkInstant(instalment.dueDate, terms.toleranceBusinessDays, d.region);
    if (!within(check)) return count;
    count++;
  }
  return count;
}

/** Escalation resumes where it stood: the next unsent stage, no sooner than now. */
function resume(d: Dossier, now: Date, events: DossierEvent[], why: string): Dossier {
  const at = iso(now);
  const withEvents = { ...d, events };
  const computed = scheduleFor(withEvents, now, now);
  const nextAction = firstUnsent(computed.stages, sentStages(withEvents));
  if (nextAction) events.push({ type: 'escalation_resumed', at, reason: why, nextStage: nextAction.stage, scheduledAt: nextAction.at });
  return { ...withEvents, status: 'active', schedule: computed.stages, deadline: computed.deadline, nextAction };
}

export type CheckpointResult =
  | { kind: 'stale'; dossier: Dossier }
  | { kind: 'remind'; dossier: Dossier; plan: PaymentPlan; index: number }
  | { kind: 'advanced'; dossier: Dossier };

/**
 * What a commitment checkpoint does when its time comes. `stale` when the dossier has moved on
 * (another execution, a payment settled it, the plan was replaced): the execution just ends.
 * `remind` asks the caller to send the instalment reminder (claimReminder/completeReminder).
 */
export function runCheckpoint(d: Dossier, action: NextAction['stage'], executionName: string, now: Date): CheckpointResult {
  if (d.execution?.name !== executionName || d.nextAction?.stage !== action) return { kind: 'stale', dossier: d };
  const at = iso(now);
  if (action === 'promise_check') {
    const promise = pendingPromise(d);
    if (d.status !== 'promised' || !promise) return { kind: 'stale', dossier: d };
    const paidSince = paidCents(d) - promise.paidBeforeCents;
    const kept = paidSince >= promise.amountCents;
    const events: DossierEvent[] = [
      ...d.events,
      {
        type: kept ? 'promise_kept' : 'promise_broken',
        at,
        promiseId: promise.id,
        promised: toDecimalString(promise.amountCents),
        paid: toDecimalString(Math.max(0, paidSince)),
      },
    ];
    const next = { ...d, promises: closePromise(d, kept ? 'kept' : 'broken', at) };
    return { kind: 'advanced', dossier: resume(next, now, events, kept ? 'promise kept; balance remains' : 'promise broken') };
  }
  const plan = runningPlan(d);
  if (d.status !== 'on_payment_plan' || !plan) return { kind: 'stale', dossier: d };
  const k = firstUncovered(d, plan);
  if (k < 0) return { kind: 'stale', dossier: d };
  if (action === 'instalment_reminder') return { kind: 'remind', dossier: d, plan, index: k };

  // instalment_check: the tolerance is over.
  const recomputed = planNextAction(d, plan, now);
  if (recomputed && Date.parse(recomputed.at) > now.getTime()) {
    // Paid meanwhile: on to the next instalment.
    return { kind: 'advanced', dossier: { ...d, nextAction: recomputed } };
  }
  const instalment = plan.instalments[k];
  const expected = plan.instalments.slice(0, k + 1).reduce((s, i) => s + i.amountCents, 0);
  const events: DossierEvent[] = [
    ...d.events,
    {
      type: 'payment_plan_broken',
      at,
      planId: plan.id,
      instalment: k + 1,
      dueDate: instalment.dueDate,
      expected: toDecimalString(expected),
      paid: toDecimalString(Math.max(0, paidCents(d) - plan.paidBeforeCents)),
    },
  ];
  // A mise en demeure already sent is sent again with a new deadline: the debtor was told the
  // plan replaced it, so its old deadline cannot be enforced.
  if (sentStages(d).some((s) => s.stage === 'formal_notice')) {
    events.push({ type: 'stage_reopened', at, stage: 'formal_notice', reason: 'payment plan broken: a new mise en demeure with a new deadline' });
  }
  const plans = plansOf(d).map((p) => (p.id === plan.id ? { ...p, status: 'broken' as const, endedAt: at } : p));
  return { kind: 'advanced', dossier: resume({ ...d, plans }, now, events, 'payment plan broken') };
}

/** Takes the send lease for an instalment reminder (a settling payment then waits for it). */
export function claimReminder(d: Dossier, planId: string, index: number, token: string, realNowMs: number, leaseMs: number):
  | { kind: 'claimed'; dossier: Dossier }
  | { kind: 'not_due'; dossier: Dossier } {
  const plan = runningPlan(d);
  if (d.status !== 'on_payment_plan' || !plan || plan.id !== planId || plan.instalments[index]?.remindedAt) {
    return { kind: 'not_due', dossier: d };
  }
  return { kind: 'claimed', dossier: takeLease(d, 'instalment_reminder', token, realNowMs, leaseMs) };
}

/** Records the reminder, releases the lease and moves on to the instalment's check. */
export function completeReminder(d: Dossier, planId: string, index: number, token: string, now: Date, info: SentInfo): Dossier {
  if (!d.sending || d.sending.token !== token) throw new DomainError(409, 'lease_lost', 'send lease for the instalment reminder was lost');
  const at = iso(now);
  const plans = plansOf(d).map((p) =>
    p.id === planId ? { ...p, instalments: p.instalments.map((i, k) => (k === index ? { ...i, remindedAt: at } : i)) } : p,
  );
  const next: Dossier = {
    ...d,
    plans,
    sending: null,
    events: [...d.events, { type: 'message_sent', at, kind: 'instalment_reminder', planId, instalment: index + 1, ...info }],
  };
  const plan = plans.find((p) => p.id === planId)!;
  return { ...next, nextAction: planNextAction(next, plan, now) };
}

/** When a payment settles the debt, a pending promise is kept and a running plan completed. */
export function settleCommitments(d: Dossier, at: IsoInstant): Pick<Dossier, 'promises' | 'plans'> & { events: DossierEvent[] } {
  const events: DossierEvent[] = [];
  const promise = pendingPromise(d);
  if (promise) events.push({ type: 'promise_kept', at, promiseId: promise.id, promised: toDecimalString(promise.amountCents) });
  const plan = runningPlan(d);
  if (plan) events.push({ type: 'payment_plan_completed', at, planId: plan.id });
  return {
    promises: promise ? closePromise(d, 'settled', at) : d.promises,
    plans: plan ? plansOf(d).map((p) => (p.id === plan.id ? { ...p, status: 'completed' as const, endedAt: at } : p)) : d.plans,
    events,
  };
}

/** Cancellation or an upheld dispute ends whatever commitment was running. */
export function endCommitments(d: Dossier, at: IsoInstant): Pick<Dossier, 'promises' | 'plans'> {
  return {
    promises: pendingPromise(d) ? closePromise(d, 'ended', at) : d.promises,
    plans: runningPlan(d) ? plansOf(d).map((p) => (p.status === 'running' ? { ...p, status: 'ended' as const, endedAt: at } : p)) : d.plans,
  };
}

export interface CommitmentView {
  promises: { id: string; date: IsoDate; amount: string; checkAt: IsoInstant; status: PromiseToPay['status'] }[];
  paymentPlan: {
    id: string;
    status: PaymentPlan['status'];
    agreedAt: IsoInstant;
    instalments: { dueDate: IsoDate; amount: string; status: 'paid' | 'due' | 'upcoming' | 'missed' }[];
  } | null;
}

/** Promises and the latest plan as the HTTP view shows them, each instalment with its status. */
export function commitmentView(d: Dossier, now: Date): CommitmentView {
  const plan = plansOf(d).at(-1);
  let paymentPlan: CommitmentView['paymentPlan'] = null;
  if (plan) {
    const paidSince = paidCents(d) - plan.paidBeforeCents;
    let cumulative = 0;
    const t = today(now);
    paymentPlan = {
      id: plan.id,
      status: plan.status,
      agreedAt: plan.agreedAt,
      instalments: plan.instalments.map((i) => {
        cumulative += i.amountCents;
        const status = paidSince >= cumulative ? 'paid' : plan.status === 'broken' && i.dueDate < t ? 'missed' : i.dueDate <= t ? 'due' : 'upcoming';
        return { dueDate: i.dueDate, amount: toDecimalString(i.amountCents), status };
      }),
    };
  }
  return {
    promises: promisesOf(d).map((p) => ({ id: p.id, date: p.date, amount: toDecimalString(p.amountCents), checkAt: p.checkAt, status: p.status })),
    paymentPlan,
  };
}
