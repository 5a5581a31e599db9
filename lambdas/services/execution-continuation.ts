/**
 * A dossier whose next step lies beyond what its execution can wait for continues in a new
 * execution (lambdas/domain/execution-horizon.ts): decided in the tasks that compute the next
 * wait (send-notice, review-commitment), so the state machine only needs to end the current one.
 */
import type { Dossier } from '../domain/dossier';
import { beyondHorizon, EXECUTION_RELAY, executionStart, handOver } from '../domain/execution-horizon';
import { executionInput } from '../domain/execution-input';
import { endIsExpected } from '../domain/execution-status';
import { executionNameFor } from '../domain/identity';
import { clock } from '../adapters/clock';
import { updateDossier } from '../adapters/dossier-store';
import { startExecution, stopExecution } from '../adapters/workflow';
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

type HandOverWhy = 'horizon' | 'relay' | 'definition' | 'off_chain' | 'early_end';

async function handOverNow(req: TaskContext, why: HandOverWhy): Promise<NextStep> {
  return (await handOverWith(req, why)).step;
}

/** handOverNow, with the dossier as the hand-over left it. */
async function handOverWith(req: TaskContext, why: HandOverWhy): Promise<{ step: NextStep; dossier: Dossier }> {
  const now = clock().now();
  const moved = await updateDossier(req.dossierId, (d) =>
    handOver(d, req.executionName, (generation) => executionNameFor(d.creditorId, d.invoice.invoiceNumber, generation)),
  );
  const start = moved.successor ? executionInput(moved.dossier, now) : null;
  // Nothing to continue (the dossier moved on meanwhile): this execution ends. With an instant all
  // the same: a review in the middle of a run is followed by a Wait, which fails on a null one.
  if (!moved.successor || !start) return { step: { outcome: 'not_active', nextStage: null, nextAt: now.toISOString() }, dossier: moved.dossier };
  // Failing here throws: the task is retried (handOver finds the successor already recorded), then
  // the Catch flags the dossier, whose resume starts an execution again.
  await startExecution(moved.successor, start, req.stateMachineArn);
  log.info('execution continued', { dossierId: req.dossierId, from: req.executionName, to: moved.successor, why, nextStage: start.next.stage, nextAt: start.next.at });
  metric('ExecutionsContinued', 1);
  // This execution ends at once: after a review that is not the last of its run, the state machine
  // waits on `nextAt` before the next one (lib/dunning-workflow.ts), so it must not be the successor's instant.
  return { step: { outcome: CONTINUED, nextStage: null, nextAt: now.toISOString() }, dossier: moved.dossier };
}

/**
 * The causes a task gives StopExecution when it ends its own execution (endChainEarly). The
 * execution-status rule judges a stop by the dossier, never by its cause (domain/execution-status.ts):
 * these only say why in the console and the logs.
 */
export const OWN_STOP_CAUSES = {
  /** The dossier goes on in a new execution (the next generation): the stop of a new generation. */
  handedOver: 'new_generation',
  /** The dossier is no longer this execution's, or no longer waits (paused, flagged, ended). */
  ended: 'not_active',
} as const;

export interface ChainPosition {
  /**
   * Wait/task pairs that follow this task in its chain before the route or the end (the state
   * machine says it for the reviews; the stages' position follows from the stage). 0 or absent:
   * nothing to save, the answer goes to the state machine as it is (an execution of an older
   * definition, the last pair of a chain).
   */
  pairsAfter?: number;
  /** Whether the chain's next task runs this next stage (a checkpoint; the following stage). */
  runsNext: (stage: string) => boolean;
  /**
   * The dossier as this task left it; null when the task passed the step before's answer
   * through without reading it (that task already chose to stop or not: a pass-through touches nothing).
   */
  dossier: Dossier | null;
}

/**
 * A task of a chain (the stages, the commitment checkpoints: lib/dunning-workflow.ts) whose answer
 * ends its execution's course before the chain's end would otherwise be followed by every pair left,
 * each Wait let through at once and each task passing the ending on (step-outcome.ts passedThrough):
 * 2 transitions and one invocation per pair. Instead:
 * - going on to what the chain does not run next (a broken plan resumes a stage): the dossier is
 *   handed to a new execution (the next generation, whose route starts where the dossier is), then
 *   this execution stops itself;
 * - an ending (the dossier handed over already, no longer this execution's, no longer waiting): this
 *   execution stops itself, starting nothing.
 * The stop comes only once the dossier says the end is the product's own (endIsExpected: it points at
 * another execution, or waits for none), so the execution-status rule neither flags the dossier nor
 * counts ExecutionsEndedUnexpectedly. A stale execution hands nothing over: at most it starts the successor
 * the dossier already records (startRecordedSuccessor).
 * The answer is returned all the same: once stopped, Step Functions discards it. Should the stop
 * fail, the execution goes on as before this rule: the answer (continued, not_active) passes through
 * the rest of the chain. Should the Lambda die between the hand-over and the stop (or between the
 * hand-over's write and its StartExecution), the task's retry finds its execution stale (the dossier
 * already points at the successor): it answers not_active, makes sure that successor runs
 * (startRecordedSuccessor; one already running is never started twice) and stops its execution,
 * or passes the ending through if that stop fails too (test/local/checkpoint-chain.test.ts).
 */
export async function endChainEarly(req: TaskContext, out: NextStep, at: ChainPosition): Promise<NextStep> {
  if (out.outcome === 'not_active' && at.dossier) await startRecordedSuccessor(req, at.dossier);
  if (!at.pairsAfter || at.pairsAfter <= 0 || !at.dossier || !req.stateMachineArn) return out;
  const goesOn = GOES_ON.has(out.outcome) && out.nextStage !== null;
  if (goesOn && at.runsNext(out.nextStage!)) return out;
  let step = out;
  let dossier = at.dossier;
  if (goesOn) ({ step, dossier } = await handOverWith(req, 'early_end'));
  const handedOver = step.outcome === CONTINUED;
  // A "continued" answer: the dossier points at its successor (handOverNow wrote it before starting it).
  if (!handedOver && !endIsExpected(dossier, req.executionName)) return step;
  const cause = handedOver ? OWN_STOP_CAUSES.handedOver : OWN_STOP_CAUSES.ended;
  try {
    await stopExecution(req.executionName, cause, req.stateMachineArn);
    log.info('execution stopped by its own task', { dossierId: req.dossierId, execution: req.executionName, cause, pairsSaved: at.pairsAfter });
  } catch (e) {
    log.warn('execution not stopped; its answer passes through the rest of the chain', { dossierId: req.dossierId, execution: req.executionName, cause, error: e instanceof Error ? e.name : 'Error' });
  }
  return step;
}

/**
 * The stale path of a task (its answer `not_active`: the dossier names another execution). A
 * hand-over writes the successor's name on the dossier BEFORE it calls StartExecution (handOverWith;
 * services/generations.ts regenerate likewise): a Lambda that dies between the two leaves the dossier
 * pointing at an execution that never started, and its retry lands here, as it does when a review
 * that advanced the dossier finds it stale on the retry. Nothing else would ever start it and no
 * rule flags it (the dossier waits on a name; the execution-status rule only hears of executions
 * that ran), so this task makes sure the successor the dossier records runs. Only that one:
 * handOver names it only when it is this execution's immediate successor (generation + 1, the
 * name is deterministic) and the dossier still waits (running status, a next action), so a paid,
 * cancelled, paused or flagged dossier, or one two generations on, starts nothing. StartExecution
 * with that exact name can never create a second execution: one running (same input: the
 * idempotent answer; another input, or one that ended) answers ExecutionAlreadyExists, which
 * startExecution reports as false. The input is the one the hand-over gives (executionInput, at
 * this instant). Cheap: one pure check on the dossier the task already holds, and a StartExecution
 * request only on this path, never on a task's usual course. A failure throws: the task is retried,
 * then the Catch flags the dossier (mark-needs-attention), so nothing stalls silently.
 * The execution-status rule does the same for an execution that ended superseded (services/
 * execution-status.ts): a regenerate (services/generations.ts) that died between its stop and its start.
 */
export async function startRecordedSuccessor(req: TaskContext, d: Dossier, by = 'a stale task'): Promise<void> {
  // An execution of a definition older than hand-overs passes no state machine ARN: it never hands over.
  if (!req.stateMachineArn || d.execution?.name === req.executionName) return;
  const { successor } = handOver(d, req.executionName, (generation) => executionNameFor(d.creditorId, d.invoice.invoiceNumber, generation));
  const start = successor ? executionInput(d, clock().now()) : null;
  if (!successor || !start) return;
  // true also when it was already running with this very input: so a log line, no metric.
  const started = await startExecution(successor, start, req.stateMachineArn);
  if (started) log.info(`recorded successor ensured by ${by}`, { dossierId: req.dossierId, from: req.executionName, to: successor, nextStage: start.next.stage, nextAt: start.next.at });
}
