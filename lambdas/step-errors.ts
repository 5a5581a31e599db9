import { DomainError } from './domain/errors';

/** Failures no retry can fix: the state machine's Catch flags the dossier at once. */
const NOT_RETRYABLE = new Set(['NoticeNotSendableError', 'NoticeInputError', 'MimeInputError']);

/**
 * Renames an error for the state machine's Retry/Catch (lib/dunning-workflow.ts
 * NON_RETRYABLE_ERRORS): a rule violation becomes NoticeRejected, a missing dossier or creditor
 * DossierNotFound, and both are not retried; anything else (throttling, network, a busy dossier)
 * is thrown as is and retried with backoff.
 */
export function asStepError(e: unknown): unknown {
  if (e instanceof DomainError && e.status !== 503) {
    const err = new Error(`${e.code}: ${e.message}`);
    err.name = e.status === 404 ? 'DossierNotFound' : 'NoticeRejected';
    return err;
  }
  if (e instanceof Error && NOT_RETRYABLE.has(e.name)) {
    const err = new Error(e.message);
    err.name = 'NoticeRejected';
    return err;
  }
  return e;
}
