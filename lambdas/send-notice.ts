import { dispatchNotice } from './services/notice-dispatch';
import type { SendOutcome, SendRequest } from './services/stage-claim';
import { continueBeyondHorizon, continueUnderCurrentDefinition, NextStep, TaskContext } from './services/execution-continuation';
import { asStepError } from './step-errors';

/**
 * Step Functions task: send the letter of one stage (errors named for Retry/Catch). A next stage
 * beyond what this execution may wait for continues in a new execution (outcome "continued"). The
 * hand-off is lambdas/handoff.ts; an execution started under the definition before it asks here,
 * and continues in a new execution that asks the hand-off Lambda.
 */
export async function handler(event: SendRequest & TaskContext): Promise<SendOutcome | NextStep> {
  try {
    if (event.stage === 'litigation_handoff') return await continueUnderCurrentDefinition(event);
    const out = await dispatchNotice(event);
    return await continueBeyondHorizon(event, out, out.outcome === 'sent');
  } catch (e) {
    throw asStepError(e);
  }
}
