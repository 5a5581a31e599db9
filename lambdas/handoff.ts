import { dispatchHandoff } from './services/handoff-dispatch';
import type { SendOutcome, SendRequest } from './services/stage-claim';
import { asStepError } from './step-errors';

/**
 * Step Functions task SendLitigationHandoff: the grace period of the mise en demeure ended; hold
 * the dossier for approval or hand it off to counsel (errors named for Retry/Catch). Nothing
 * follows a hand-off in the escalation, so no next stage can lie beyond the execution's horizon:
 * unlike send-notice, this Lambda never starts an execution.
 */
export async function handler(event: SendRequest): Promise<SendOutcome> {
  try {
    return await dispatchHandoff(event);
  } catch (e) {
    throw asStepError(e);
  }
}
