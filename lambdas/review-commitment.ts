import { ChainAnswer, CheckpointRequest, reviewCheckpoint } from './services/commitments';
import { continueBeyondHorizon, NextStep, relay, TaskContext } from './services/execution-continuation';
import { EXECUTION_RELAY } from './domain/execution-horizon';
import { asStepError } from './step-errors';

/**
 * Step Functions task: a commitment checkpoint fell due (promise check, instalment reminder,
 * instalment check), or the execution reached its horizon (execution_relay). Returns where the
 * execution goes next (errors named for Retry/Catch); a next checkpoint beyond what this execution
 * may wait for continues in a new execution (outcome "continued"). Every answer says how many
 * checkpoints are left as planned (`left`, 0 after an ending or a hand-over): the state machine
 * selects it (lib/dunning-workflow.ts), and a field it selects must be there.
 */
export async function handler(event: (CheckpointRequest | Omit<CheckpointRequest, 'action'> & { action: typeof EXECUTION_RELAY }) & TaskContext): Promise<ChainAnswer<NextStep>> {
  try {
    if (event.action === EXECUTION_RELAY) return { ...(await relay(event)), left: 0 };
    const out = await reviewCheckpoint(event as CheckpointRequest);
    const next = await continueBeyondHorizon(event, out, out.outcome === 'continue');
    return next === out ? out : { ...next, left: 0 };
  } catch (e) {
    throw asStepError(e);
  }
}
