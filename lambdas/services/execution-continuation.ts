/**
 * A dossier whose next step lies beyond what its execution can wait for continues in a new
 * execution (lambdas/domain/execution-horizon.ts): decided in the tasks that compute the next
 * wait (send-notice, review-commitment), so the state machine only needs to end the current one.
 */
import { beyondHorizon, EXECUTION_RELAY, executionStart, handOver } from '../domain/execution-horizon';
import { executionInput } from '../domain/execution-input';
import { executionNameFor } from '../domain/identity';
import { clock } from '../adapters/clock';
import { updateDossier } from '../adapters/dossier-store';
import { startExecution } from '../adapters/workflow';
import { log, metric } from '../adapters/telemetry';
import { STAGES, type Stage } from '../domain/model';
import { GOES_ON, withWaitableInstant } from './step-outcome';

/** What every task of the state machine receives besides its own fields (lib/dunning-workflow.ts). */
export interface TaskContext {
  dossierId: string;
  executionName: string;
  /** $$.Execution.StartTime (absent from executions started by an older definition). */
  executionStartTime?: string;
  /** $$.StateMachine.Id: where the next generation is started. */
  stateMachineArn?: string;
}

export interface NextStep {
  outcome: string;
  nextStage: string | null;
  nextAt: string | null;
}

/** The outcome that ends the current execution because a new one carries the dossier on. */
export const CONTINUED = 'continued';

/**
 * `out` as computed, unless the execution would wait past its horizon: then the dossier moves to
 * its next generation, which is started now, and the outcome is `continued` (the state machine's
 * choices end the current execution on any outcome they do not know).
 */
export async function continueBeyondHorizon<T extends NextStep>(req: TaskContext, out: T, waits: boolean): Promise<T | NextStep> {
  if (!waits || !req.stateMachineArn || !beyondHorizon(executionStart(req.executionStartTime), out.nextAt)) return out;
  return handOverNow(req, 'horizon');
}

/** The `execution_relay` checkpoint fell due: hand over to the next generation. */
export async function relay(req: TaskContext & { action: string }): Promise<NextStep> {
  if (req.action !== EXECUTION_RELAY) throw new Error(`not a relay: ${req.action}`);
  return handOverNow(req, 'relay');
}

/**
 * An execution started before the hand-off became a step of its own invokes send-notice for it
 * (a Standard execution keeps the definition it started with, for up to 300 days here): the
 * dossier moves on to a new execution now, whose definition invokes the hand-off Lambda.
 */
export async function continueUnderCurrentDefinition(req: TaskContext): Promise<NextStep> {
  return handOverNow(req, 'definition');
}

/**
 * What a stage's send answers in the chain of stages (lib/dunning-workflow.ts), where the Wait of
 * the FOLLOWING stage comes next with no Choice in between: a send that goes on to anything else
 * (the stage after the following one, nothing at all: a retried send of a stale execution finds
 * the dossier as another left it; the schedule itself never skips a stage, domain/schedule.ts)
 * moves the dossier to a new execution, whose route starts where the dossier really is (or ends
 * this one when it is no longer this execution's); otherwise as continueBeyondHorizon. Always
 * with an instant: the next Wait fails on a null one, and an ending must reach the chain's end at once.
 * Executions of the definition before the chain (a route after every send) read the same answer.
 */
export async function continueOnChain(req: TaskContext & { stage: Stage }, out: NextStep): Promise<NextStep> {
  const goesOn = GOES_ON.has(out.outcome);
  const following = STAGES[STAGES.indexOf(req.stage) + 1];
  if (goesOn && out.nextStage !== following) return handOverNow(req, 'off_chain');
  return withWaitableInstant(await continueBeyondHorizon(req, out, goesOn), clock().now());
}

async function handOverNow(req: TaskContext, why: 'horizon' | 'relay' | 'definition' | 'off_chain'): Promise<NextStep> {
  const now = clock().now();
  const moved = await updateDossier(req.dossierId, (d) =>
    handOver(d, req.executionName, (generation) => executionNameFor(d.creditorId, d.invoice.invoiceNumber, generation)),
  );
  const start = moved.successor ? executionInput(moved.dossier, now) : null;
  // Nothing to continue (the dossier moved on meanwhile): this execution ends. With an instant all
  // the same: a review in the middle of a run is followed by a Wait, which fails on a null one.
  if (!moved.successor || !start) return { outcome: 'not_active', nextStage: null, nextAt: now.toISOString() };
  // Failing here throws: the task is retried (handOver finds the successor already recorded), then
  // the Catch flags the dossier, whose resume starts an execution again.
  await startExecution(moved.successor, start, req.stateMachineArn);
  log.info('execution continued', { dossierId: req.dossierId, from: req.executionName, to: moved.successor, why, nextStage: start.next.stage, nextAt: start.next.at });
  metric('ExecutionsContinued', 1);
  // This execution ends at once: after a review that is not the last of its run, the state machine
  // waits on `nextAt` before the next one (lib/dunning-workflow.ts), so it must not be the successor's instant.
  return { outcome: CONTINUED, nextStage: null, nextAt: now.toISOString() };
}
