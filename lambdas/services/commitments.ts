import { viewOf } from './dossier-history';
/**
 * Promises to pay and payment plans: store the commitment, move the workflow to a new execution
 * that waits for its checkpoints, confirm it to the debtor; then, when a checkpoint falls due
 * (review-commitment task), keep or break the commitment and send instalment reminders.
 */
import { randomUUID } from 'node:crypto';
import { Dossier } from '../domain/dossier';
import type { DossierView } from '../domain/dossier-view';
import {
  acceptPlan,
  claimReminder,
  completeReminder,
  makePlan,
  makePromise,
  PlanInput,
  plannedCheckpoints,
  plansOf,
  PromiseInput,
  runCheckpoint,
  termsFor,
} from '../domain/dossier-commitments';
import { CHECKPOINTS, type NextAction } from '../domain/model';
import { executionStart, horizonOf } from '../domain/execution-horizon';
import { clock } from '../adapters/clock';
import { getCreditor, updateDossier } from '../adapters/dossier-store';
import { regenerate } from './generations';
import { sendFollowUp } from './follow-ups';
import { SEND_LEASE_MS } from './stage-claim';
import { sendUnderLease } from './leased-send';
import { instalmentReminder } from '../notices/templates/instalment-reminder';
import { paymentPlanConfirmation } from '../notices/templates/payment-plan-confirmation';
import { promiseConfirmation } from '../notices/templates/promise-confirmation';
import type { AcceptanceRequest } from '../http/validation';
import { conflict } from '../domain/errors';
import { sha256Hex } from '../domain/identity';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { dossierOf, updateOwnDossier } from './dossier-access';
import { ended, nextWaitOf, passedThrough, type StepOutcome, withWaitableInstant } from './step-outcome';

function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

export interface PromiseRecorded extends DossierView {
  promise: { id: string; date: string; amount: string; checkAt: string; status: 'pending' };
}

export async function recordPromise(
  creditorId: string,
  dossierId: string,
  input: Omit<PromiseInput, 'id'>,
): Promise<{ created: boolean; view: PromiseRecorded }> {
  const id = newId('prm');
  const creditor = (await getCreditor(creditorId)) ?? undefined;
  const terms = termsFor(creditor);
  const result = await regenerate(creditorId, dossierId, 'promise', (d, nameFor) =>
    makePromise(d, { id, ...input, toleranceBusinessDays: terms.promiseToleranceBusinessDays }, nameFor, clock().now(), Date.now()),
  );
  const p = result.promise;
  if (result.duplicate) return { created: false, view: await promiseView(result.dossier, p.id) };
  const dossier = await sendFollowUp(result.dossier, {
    kind: 'promise_confirmation',
    template: promiseConfirmation,
    ref: id,
    extra: { promise: { date: p.date, amountCents: p.amountCents } },
    eventFields: { promiseId: id },
    creditor,
  });
  return { created: true, view: await promiseView(dossier, id) };
}

async function promiseView(d: Dossier, id: string): Promise<PromiseRecorded> {
  const view = await viewOf(d, clock().now());
  return { ...view, promise: view.promises.find((x) => x.id === id) as PromiseRecorded['promise'] };
}

export async function recordPlan(
  creditorId: string,
  dossierId: string,
  input: Omit<PlanInput, 'id'>,
): Promise<{ created: boolean; view: DossierView }> {
  const id = newId('pln');
  const creditor = (await getCreditor(creditorId)) ?? undefined;
  const terms = termsFor(creditor);
  const planTerms = { toleranceBusinessDays: terms.instalmentToleranceBusinessDays, reminderDaysBefore: terms.instalmentReminderDaysBefore };
  const result = await regenerate(creditorId, dossierId, 'payment_plan', (d, nameFor) =>
    makePlan(d, { id, ...input, terms: planTerms }, nameFor, clock().now(), Date.now()),
  );
  if (result.duplicate) return { created: false, view: await viewOf(result.dossier, clock().now()) };
  const dossier = await sendFollowUp(result.dossier, {
    kind: 'payment_plan_confirmation',
    template: paymentPlanConfirmation,
    ref: id,
    extra: {
      plan: {
        instalments: result.plan.instalments.map((i) => ({ dueDate: i.dueDate, amountCents: i.amountCents })),
        toleranceBusinessDays: planTerms.toleranceBusinessDays,
      },
    },
    eventFields: { planId: id },
    creditor,
  });
  return { created: true, view: await viewOf(dossier, clock().now()) };
}

/**
 * The debtor's written acceptance of the latest payment plan: the document (their e-mail, or the
 * plan they signed) is kept byte for byte in the evidence vault first, then the acknowledgment of
 * the debt (C. civ. 2240) is recorded pointing at it. A retry stores the same bytes under the same
 * key and changes nothing.
 */
export async function recordPlanAcceptance(creditorId: string, dossierId: string, input: AcceptanceRequest): Promise<{ created: boolean; view: DossierView }> {
  const current = await dossierOf(creditorId, dossierId);
  const plan = plansOf(current).at(-1);
  if (!plan) throw conflict('No payment plan to accept.', [{ path: 'paymentPlan', message: 'none' }]);
  const now = clock().now();
  const ext = (input.document.filename.match(/\.[A-Za-z0-9]{1,8}$/)?.[0] ?? '.bin').toLowerCase();
  const key = `dossiers/${current.id}/acknowledgments/${plan.id}-${sha256Hex(input.document.bytes).slice(0, 16)}${ext}`;
  const stored = await putEvidence(key, input.document.bytes, input.document.contentType, now);
  const result = await updateOwnDossier(creditorId, dossierId, (d) =>
    acceptPlan(d, { acceptedOn: input.acceptedOn, kind: input.kind, evidence: evidenceRef(stored) }, now),
  );
  return { created: !result.duplicate, view: await viewOf(result.dossier, clock().now()) };
}

export interface CheckpointRequest {
  dossierId: string;
  /** The checkpoint due; for a review that follows another, whatever that one answered (a stage, or null). */
  action: NextAction['stage'] | null;
  executionName: string;
  /** ReviewFollowingCheckpoint (the pair's second review): the previous review's outcome and next instant. */
  prior?: string | null;
  at?: string | null;
  /**
   * A review that may follow another in a run of checkpoints (lib/dunning-workflow.ts): what the
   * execution holds as next ($.next). With an outcome (another review answered it), that outcome
   * and instant are passed through unless a checkpoint is due; without one (a new execution's
   * input), the due checkpoint runs.
   */
  next?: { outcome?: string | null; stage?: string | null; at?: string | null } | null;
  /** $$.Execution.StartTime: the checkpoints counted in `left` are those before its horizon. */
  executionStartTime?: string;
  /**
   * Wait/Review pairs after this review in the chain of checkpoints (set by the state machine for
   * each review: review-commitment stops an execution whose course ends here rather than pass the
   * ending through them, services/execution-continuation.ts endChainEarly). Absent from executions
   * of the definition before.
   */
  pairsAfter?: number;
}

export interface CheckpointOutcome {
  /** "continue": the execution goes on to `nextStage` at `nextAt`; "not_active": it ends. */
  outcome: 'continue' | 'not_active';
  nextStage: NextAction['stage'] | null;
  nextAt: string | null;
}

/**
 * A review's answer in the chain of checkpoints: `left`, how many checkpoints the execution will
 * run from `nextStage` on as planned (0 when that is no checkpoint), tells the route after the
 * chain where to enter it again (lib/dunning-workflow.ts). Every answer carries it: the state
 * machine selects it from the result.
 */
export type ChainAnswer<T extends { outcome: string; nextStage: string | null; nextAt: string | null } = CheckpointOutcome | StepOutcome> = T & { left: number };

function outcomeOf(d: Dossier, executionName: string, until: Date | null): ChainAnswer<CheckpointOutcome> {
  const mine = d.execution?.name === executionName && d.nextAction !== null;
  return mine ? { ...nextWaitOf(d, 'continue'), left: plannedCheckpoints(d, until) } : { ...ended('not_active'), left: 0 };
}

const CHECKPOINT_SET = new Set<string>(CHECKPOINTS);

/**
 * Step Functions task: a commitment checkpoint fell due. The answer always names an instant
 * (a Wait state follows every review of the chain of checkpoints but the last); a review that follows another passes
 * through what that one decided when it was not another checkpoint (the commitment ended, or
 * escalation resumes): step-outcome.ts passedThrough, shared with the chain of stages.
 */
export async function reviewCheckpoint(req: CheckpointRequest): Promise<{ answer: ChainAnswer; dossier: Dossier | null }> {
  const now = clock().now();
  // `prior`/`at`: ReviewFollowingCheckpoint of the definition before the chain of checkpoints;
  // `next`: every review of the chain (lib/dunning-workflow.ts).
  const prior = req.prior !== undefined ? { outcome: req.prior, stage: req.action, at: req.at } : req.next;
  const passed = passedThrough(prior, (action) => CHECKPOINT_SET.has(action), now);
  // Passed through: the dossier not read (null), the review that ended the course chose to stop or not.
  if (passed) return { answer: { ...passed, left: 0 }, dossier: null };
  const started = executionStart(req.executionStartTime);
  const { answer, dossier } = await runDueCheckpoint({ ...req, action: req.action as NextAction['stage'] }, now, started && horizonOf(started));
  return { answer: withWaitableInstant(answer, now), dossier };
}

/** The review's answer, with the dossier as the review left it. */
async function runDueCheckpoint(
  req: CheckpointRequest & { action: NextAction['stage'] },
  now: Date,
  until: Date | null,
): Promise<{ answer: ChainAnswer<CheckpointOutcome>; dossier: Dossier }> {
  const answer = (d: Dossier) => ({ answer: outcomeOf(d, req.executionName, until), dossier: d });
  const result = await updateDossier(req.dossierId, (d) => runCheckpoint(d, req.action, req.executionName, now));
  if (result.kind === 'stale') return { answer: { ...ended('not_active'), left: 0 }, dossier: result.dossier };
  if (result.kind === 'advanced') return answer(result.dossier);

  // An instalment reminder: the same lease as the stages, so a settling payment waits for it.
  const { plan, index } = result;
  const instalment = plan.instalments[index];
  const slot = `instalment_reminder-${plan.id}-${index + 1}`;
  const token = `${req.executionName}:${slot}`;
  const claim = await updateDossier(req.dossierId, (d) => claimReminder(d, plan.id, index, token, Date.now(), SEND_LEASE_MS), { known: result.dossier });
  if (claim.kind === 'not_due') return answer(claim.dossier);
  const out = await sendUnderLease(
    claim.dossier,
    token,
    now,
    () => ({ kind: 'instalment_reminder', slot, template: instalmentReminder, extra: { instalment: { dueDate: instalment.dueDate, amountCents: instalment.amountCents } } }),
    (d, info) => completeReminder(d, plan.id, index, token, now, info),
  );
  return answer(out.dossier);
}
