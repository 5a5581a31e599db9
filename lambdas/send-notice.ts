import { dispatchNotice, SendOutcome, SendRequest } from './services/notice-dispatch';
import { continueBeyondHorizon, NextStep, TaskContext } from './services/execution-continuation';
import { asStepError } from './step-errors';

/**
 * Step Functions task: send the notice of one stage (errors named for Retry/Catch). A next stage
 * beyond what this execution may wait for continues in a new execution (outcome "continued").
 */
export async function handler(event: SendRequest & TaskContext): Promise<SendOutcome | NextStep> {
  try {
    const out = await dispatchNotice(event);
    return await continueBeyondHorizon(event, out, out.outcome === 'sent');
  } catch (e) {
    throw asStepError(e);
  }
}
