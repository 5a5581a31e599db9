/**
 * An execution of the dunning state machine ended FAILED, TIMED_OUT or ABORTED: flag its dossier
 * unless the product ended it itself (lambdas/domain/execution-status.ts says how that is told).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { DomainError } from '../domain/errors';
import { dossierIdOf, EndVerdict, ExecutionStatusDetail, isWatched, judgeExecutionEnd } from '../domain/execution-status';
import { clock } from '../adapters/clock';
import { updateDossier } from '../adapters/dossier-store';
import { log, metric } from '../adapters/telemetry';
import type { Dossier } from '../domain/dossier';
import { startRecordedSuccessor } from './execution-continuation';

export type ExecutionStatusEvent = EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusDetail>;

export interface ExecutionEndOutcome {
  outcome: EndVerdict | 'ignored' | 'unknown_dossier';
  dossierId?: string;
}

export async function handleExecutionEnd(event: ExecutionStatusEvent): Promise<ExecutionEndOutcome> {
  const detail = event.detail;
  if (!detail || !isWatched(detail.status)) return { outcome: 'ignored' };
  const dossierId = dossierIdOf(detail);
  const fields = { execution: detail.name, status: detail.status, error: detail.error ?? undefined };
  if (!dossierId) {
    log.warn('execution ended without a dossier in its input', fields);
    return { outcome: 'unknown_dossier' };
  }
  let verdict: EndVerdict;
  let dossier: Dossier;
  try {
    ({ verdict, dossier } = await updateDossier(dossierId, (d) => judgeExecutionEnd(d, detail, clock().now())));
  } catch (e) {
    if (e instanceof DomainError && e.status === 404) {
      log.warn('execution ended for a dossier that does not exist', { ...fields, dossierId });
      return { outcome: 'unknown_dossier', dossierId };
    }
    throw e; // retried by Lambda's asynchronous invocation, then the rule's dead-letter queue
  }
  // A successor recorded but never started (see ensureSuccessor) is started now; failing, this
  // throws: retried, then the dead-letter queue, whose alarm says it (lib/operations-alarms.ts).
  if (verdict === 'superseded') await ensureSuccessor(detail, dossier);
  // A failure or a time-out is always counted; a stop only when nobody in the product asked for it.
  if (detail.status !== 'ABORTED' || verdict === 'flagged') metric('ExecutionsEndedUnexpectedly', 1, { Status: detail.status });
  (verdict === 'flagged' ? log.error.bind(log) : log.info.bind(log))('execution ended', { ...fields, dossierId, verdict });
  return { outcome: verdict, dossierId };
}

/**
 * A new generation (services/generations.ts regenerate: a promise, a payment plan, a resume) writes
 * the successor's name on the dossier, stops the waiting execution, then starts the successor. A
 * Lambda that dies between the stop and the start leaves the dossier waiting on an execution that
 * never started, and the stop looks like the product's own (superseded): nothing would ever start
 * it, nothing would flag it. So a superseded end makes sure the successor the dossier records runs,
 * as a stale task does (execution-continuation.ts startRecordedSuccessor): only the ended
 * execution's immediate successor (generation + 1) of a dossier that still waits (running status, a
 * next action), started under that exact name with the input the hand-over gives. StartExecution
 * of a name that exists never creates a second execution (ExecutionAlreadyExists, or the idempotent
 * answer for the same input while it runs): the usual case, where the successor was started a moment
 * after the stop, costs one StartExecution request and starts nothing.
 * The state machine is the event's own (the rule matches this state machine only, lib/execution-watch.ts).
 */
async function ensureSuccessor(detail: ExecutionStatusDetail, d: Dossier): Promise<void> {
  await startRecordedSuccessor({ dossierId: d.id, executionName: detail.name, stateMachineArn: detail.stateMachineArn }, d, 'the execution-status rule');
}
