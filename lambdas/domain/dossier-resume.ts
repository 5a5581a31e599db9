/**
 * Taking a dossier out of `needs_attention` once a person has fixed the cause (a corrected e-mail
 * address after a hard bounce, a creditor profile completed after a failed step). Whatever was
 * running resumes: a payment plan at its next checkpoint, a pending promise at its check, else the
 * escalation at the next unsent stage, no sooner than now. It runs in a new execution generation.
 */
import { assertNoLiveSend, balanceCents, Dossier, firstUnsent, iso, scheduleFor, sentStages } from './dossier';
import { pendingPromise, planNextAction, runningPlan } from './dossier-commitments';
import { conflict } from './errors';
import type { DossierEvent, DossierStatus, NextAction } from './model';

export interface ResumeInput {
  /** A corrected debtor e-mail address (lower-cased comparisons are the caller's concern). */
  debtorEmail?: string;
  note?: string;
  /** The e-mail pause this resume lifts (the address that had bounced), recorded in the history. */
  liftsPauseOf?: string;
}

export function resumeDossier(
  d: Dossier,
  input: ResumeInput,
  executionName: (generation: number) => string,
  now: Date,
  realNowMs: number,
): { dossier: Dossier } {
  if (d.status !== 'needs_attention') {
    throw conflict(`Dossier is ${d.status}; only a dossier that needs attention can be resumed.`, [
      { path: 'status', message: d.status },
    ]);
  }
  assertNoLiveSend(d, realNowMs);
  const at = iso(now);
  const events: DossierEvent[] = [...d.events];
  let debtor = d.debtor;
  if (input.debtorEmail !== undefined && input.debtorEmail !== d.debtor.email) {
    events.push({ type: 'debtor_email_changed', at, from: d.debtor.email, to: input.debtorEmail });
    debtor = { ...d.debtor, email: input.debtorEmail };
  }
  if (input.liftsPauseOf) events.push({ type: 'email_pause_lifted', at, bouncedAddress: input.liftsPauseOf, newAddress: debtor.email });
  const generation = (d.execution?.generation ?? 1) + 1;
  const execution = { name: executionName(generation), generation };
  const base: Dossier = { ...d, debtor, events, sending: null, execution };

  let status: DossierStatus = 'active';
  let nextAction: NextAction | null;
  let schedule = d.schedule;
  let deadline = d.deadline;
  const plan = runningPlan(d);
  const promise = pendingPromise(d);
  if (plan) {
    status = 'on_payment_plan';
    nextAction = planNextAction(base, plan, now);
  } else if (promise) {
    status = 'promised';
    nextAction = { stage: 'promise_check', at: Date.parse(promise.checkAt) > now.getTime() ? promise.checkAt : at };
  } else {
    const computed = scheduleFor(base, now, now);
    schedule = computed.stages;
    deadline = computed.deadline;
    nextAction = firstUnsent(computed.stages, sentStages(base));
  }
  if (balanceCents(d) === 0 || !nextAction) {
    throw conflict('Nothing is left to resume on this dossier.', [{ path: 'status', message: d.status }]);
  }
  events.push({
    type: 'escalation_resumed',
    at,
    reason: 'resumed after attention',
    ...(input.note ? { note: input.note } : {}),
    nextStage: nextAction.stage,
    scheduledAt: nextAction.at,
    execution: execution.name,
  });
  return { dossier: { ...base, status, nextAction, schedule, deadline } };
}
