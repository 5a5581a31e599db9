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
  try {
    verdict = (await updateDossier(dossierId, (d) => judgeExecutionEnd(d, detail, clock().now()))).verdict;
  } catch (e) {
    if (e instanceof DomainError && e.status === 404) {
      log.warn('execution ended for a dossier that does not exist', { ...fields, dossierId });
      return { outcome: 'unknown_dossier', dossierId };
    }
    throw e; // retried by Lambda's asynchronous invocation, then the rule's dead-letter queue
  }
  // A failure or a time-out is always counted; a stop only when nobody in the product asked for it.
  if (detail.status !== 'ABORTED' || verdict === 'flagged') metric('ExecutionsEndedUnexpectedly', 1, { Status: detail.status });
  (verdict === 'flagged' ? log.error.bind(log) : log.info.bind(log))('execution ended', { ...fields, dossierId, verdict });
  return { outcome: verdict, dossierId };
}
