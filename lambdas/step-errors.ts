import { DomainError } from './domain/errors';

/** Failures no retry can fix: the state machine's Catch flags the dossier at once. */
const NOT_RETRYABLE = new Set(['NoticeNotSendableError', 'NoticeInputError', 'MimeInputError']);

/**
 * Renames an error for the state machine's Retry/Catch (lib/dunning-workflow.ts
 * NON_RETRYABLE_ERRORS): a rule violation becomes NoticeRejected, a missing dossier or creditor
 * DossierNotFound, and both are not retried; a lost send lease becomes LeaseLost, and that and
 * anything else (throttling, network, a busy dossier) are retried with backoff.
 */
export function asStepError(e: unknown): unknown {
  // The send lease passed to someone else while this attempt worked (it outlasted the lease, or a
  // payment came in after the lease ran out): a retry re-reads the dossier and takes the course it
  // now calls for (already sent, no longer active, or send again under a fresh lease, same
  // Message-ID). Flagging the dossier instead lost a hand-off under injected faults (faults.test.ts).
  if (e instanceof DomainError && e.code === 'lease_lost') {
    const err = new Error(e.message);
    err.name = 'LeaseLost';
    return err;
  }
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
