import { CheckpointOutcome, CheckpointRequest, reviewCheckpoint } from './services/commitments';
import { asStepError } from './step-errors';

/**
 * Step Functions task: a commitment checkpoint fell due (promise check, instalment reminder,
 * instalment check). Returns where the execution goes next (errors named for Retry/Catch).
 */
export async function handler(event: CheckpointRequest): Promise<CheckpointOutcome> {
  try {
    return await reviewCheckpoint(event);
  } catch (e) {
    throw asStepError(e);
  }
}
