import { dispatchNotice, SendOutcome, SendRequest } from './services/notice-dispatch';
import { asStepError } from './step-errors';

/** Step Functions task: send the notice of one stage (errors named for Retry/Catch). */
export async function handler(event: SendRequest): Promise<SendOutcome> {
  try {
    return await dispatchNotice(event);
  } catch (e) {
    throw asStepError(e);
  }
}
