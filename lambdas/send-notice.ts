import { dispatchNotice } from './services/notice-dispatch';
import type { SendOutcome, SendRequest } from './services/stage-claim';
import { continueOnChain, continueUnderCurrentDefinition, NextStep, TaskContext } from './services/execution-continuation';
import { asStepError } from './step-errors';

/**
 * Step Functions task: send the letter of one stage (errors named for Retry/Catch), or pass on
 * what the send before it in the chain of stages ended with. A next stage beyond what this
 * execution may wait for, or other than the following one, continues in a new execution (outcome
 * "continued"; services/execution-continuation.ts continueOnChain). The
 * hand-off is lambdas/handoff.ts; an execution started under the definition before it asks here,
 * and continues in a new execution that asks the hand-off Lambda.
 */
export async function handler(event: SendRequest & TaskContext): Promise<SendOutcome | NextStep> {
  try {
    if (event.stage === 'litigation_handoff') return await continueUnderCurrentDefinition(event);
    return await continueOnChain(event, await dispatchNotice(event));
  } catch (e) {
    throw asStepError(e);
  }
}
