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
 * Every review of a run of checkpoints but the last, and every send of the chain of stages but the
 * hand-off, is followed by a Wait state, which needs an instant even when the execution is about
 * to end: "now", so the next step runs at once and passes the outcome through.
 */
export function withWaitableInstant<T extends { nextAt: string | null }>(out: T, now: Date): T {
  return out.nextAt ? out : { ...out, nextAt: now.toISOString() };
}

/** Outcomes after which an execution goes on (the state machine's continuing outcomes). */
export const GOES_ON: ReadonlySet<string> = new Set(['sent', 'continue']);

/** What the step before answered ($.next), as a step that follows another receives it. */
export interface PriorStep {
  outcome?: string | null;
  stage?: string | null;
  at?: string | null;
}

/**
 * A step that follows another with no Choice between them (a run of commitment checkpoints, the
 * chain of stages: lib/dunning-workflow.ts) first looks at what that one answered. It acts (null)
 * when entered from the route (no outcome yet: a new execution's input names where to start) or
 * when the step before goes on to what this step runs (`runsHere`). Otherwise it answers at once,
 * without touching the dossier:
 * - an ending (not_active, continued...) or a step before with nothing scheduled: that ending again,
 *   with "now" as its instant, so each following Wait lets the execution through to its end;
 * - going on to something else (a stage resumed by a commitment's checkpoint): passed on as it is,
 *   for the route after the run (the stages' chain has none: its sends never answer that, see
 *   services/execution-continuation.ts continueOnChain).
 */
export function passedThrough(prior: PriorStep | null | undefined, runsHere: (stage: string) => boolean, now: Date): StepOutcome | null {
  if (!prior || prior.outcome === undefined) return null;
  const goesOn = GOES_ON.has(prior.outcome ?? '');
  if (!goesOn || !prior.stage) return withWaitableInstant(ended(goesOn ? 'not_active' : (prior.outcome ?? 'not_active')), now);
  if (runsHere(prior.stage)) return null;
  return { outcome: 'continue', nextStage: prior.stage as NextAction['stage'], nextAt: prior.at ?? now.toISOString() };
}
