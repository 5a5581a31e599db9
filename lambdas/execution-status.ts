import { ExecutionEndOutcome, ExecutionStatusEvent, handleExecutionEnd } from './services/execution-status';

/**
 * EventBridge target: an execution of the dunning state machine ended FAILED, TIMED_OUT or
 * ABORTED (lib/execution-watch.ts). A failure throws, so EventBridge and Lambda retry, then the
 * dead-letter queue keeps the event (an alarm watches it).
 */
export async function handler(event: ExecutionStatusEvent): Promise<ExecutionEndOutcome> {
  return handleExecutionEnd(event);
}
