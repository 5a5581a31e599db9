import { dispatchNotice, SendOutcome, SendRequest } from './services/notice-dispatch';
import { DomainError } from './domain/errors';

/**
 * Step Functions task: send the notice of one stage. Errors named NoticeRejected (a mise en demeure
 * missing a mandatory mention, for instance) are not retried by the state machine.
 */
export async function handler(event: SendRequest): Promise<SendOutcome> {
  try {
    return await dispatchNotice(event);
  } catch (e) {
    if (e instanceof DomainError && e.status !== 503) {
      const err = new Error(`${e.code}: ${e.message}`);
      err.name = e.code === 'DossierNotFound' || e.status === 404 ? 'DossierNotFound' : 'NoticeRejected';
      throw err;
    }
    if (e instanceof Error && /mandatory|missing/i.test(e.message) && e.name === 'Error') e.name = 'NoticeRejected';
    throw e;
  }
}
