import type { Context } from 'aws-lambda';
import { sweepStalledDossiers, type SweepTally } from './services/stall-sweep';

/** The schedule's input (lib/stall-sweep.ts). */
export interface StallSweepRun {
  source: 'amiable.stall-sweep';
}

/**
 * EventBridge Scheduler, every 6 hours: starts the recorded execution of a dossier that waits on one
 * that never started, flags one that waits on an execution that ended (services/stall-sweep.ts).
 * Bounded by the invocation's time left; a failure throws (Lambda's retries, then the dead-letter queue).
 */
export async function handler(_event: StallSweepRun, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SweepTally> {
  return sweepStalledDossiers(() => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY);
}
