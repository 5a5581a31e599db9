/**
 * What a workflow step answers the state machine (lib/dunning-workflow.ts): its outcome and the
 * next wait, { outcome, nextStage, nextAt } -> $.next. The next wait is computed here and only
 * here, for the stages (send-notice) and the commitment checkpoints (review-commitment), so a rule
 * about where an execution goes next (e.g. continuing in a new execution before the one-year
 * execution limit) has one place to live.
 */
import type { Dossier } from '../domain/dossier';
import type { NextAction } from '../domain/model';

export interface StepOutcome<O extends string = string> {
  outcome: O;
  nextStage: NextAction['stage'] | null;
  nextAt: string | null;
}

/** The dossier's next action as the next wait (null when nothing is scheduled). */
export function nextWaitOf<O extends string>(d: Dossier, outcome: O): StepOutcome<O> {
  return { outcome, nextStage: d.nextAction?.stage ?? null, nextAt: d.nextAction?.at ?? null };
}

/** The execution ends here: nothing more to wait for. */
export function ended<O extends string>(outcome: O): StepOutcome<O> {
  return { outcome, nextStage: null, nextAt: null };
}

/**
 * Every review of a run of checkpoints but the last is followed by a Wait state, which needs an instant even when
 * the execution is about to end: "now", so the next review of the run runs at once and passes the
 * outcome through.
 */
export function withWaitableInstant<O extends string>(out: StepOutcome<O>, now: Date): StepOutcome<O> {
  return out.nextAt ? out : { ...out, nextAt: now.toISOString() };
}
