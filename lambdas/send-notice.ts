import { dispatchNotice, SendOutcome, SendRequest } from './services/notice-dispatch';
import { DomainError } from './domain/errors';

/** Failures no retry can fix: the state machine's Catch flags the dossier at once. */
const NOT_RETRYABLE = new Set(['NoticeNotSendableError', 'NoticeInputError', 'MimeInputError']);

/**
 * Step Functions task: send the notice of one stage. Errors are renamed so the state machine can
 * tell them apart: NoticeRejected (an incomplete mise en demeure, invalid data) and DossierNotFound
 * are not retried; anything else (throttling, network) is retried with backoff.
 */
export async function handler(event: SendRequest): Promise<SendOutcome> {
  try {
    return await dispatchNotice(event);
  } catch (e) {
    if (e instanceof DomainError && e.status !== 503) {
      const err = new Error(`${e.code}: ${e.message}`);
      err.name = e.status === 404 ? 'DossierNotFound' : 'NoticeRejected';
      throw err;
    }
    if (e instanceof Error && NOT_RETRYABLE.has(e.name)) {
      const err = new Error(e.message);
      err.name = 'NoticeRejected';
      throw err;
    }
    throw e;
  }
}
