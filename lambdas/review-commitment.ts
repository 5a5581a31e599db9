import { CheckpointOutcome, CheckpointRequest, reviewCheckpoint } from './services/commitments';
import { DomainError } from './domain/errors';

/**
 * Step Functions task: a commitment checkpoint fell due (promise check, instalment reminder,
 * instalment check). Returns where the execution goes next. Rule violations are not retried
 * (NoticeRejected / DossierNotFound, like send-notice); anything else is.
 */
export async function handler(event: CheckpointRequest): Promise<CheckpointOutcome> {
  try {
    return await reviewCheckpoint(event);
  } catch (e) {
    if (e instanceof DomainError && e.status !== 503) {
      const err = new Error(`${e.code}: ${e.message}`);
      err.name = e.status === 404 ? 'DossierNotFound' : 'NoticeRejected';
      throw err;
    }
    throw e;
  }
}
