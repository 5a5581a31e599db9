import { ChainAnswer, CheckpointRequest, reviewCheckpoint } from './services/commitments';
import { continueBeyondHorizon, endChainEarly, NextStep, relay, TaskContext } from './services/execution-continuation';
import { EXECUTION_RELAY } from './domain/execution-horizon';
import { CHECKPOINTS } from './domain/model';
import { asStepError } from './step-errors';

/** What the next review of the chain runs: any checkpoint, or the relay. */
const CHAIN_ACTIONS = new Set<string>([...CHECKPOINTS, EXECUTION_RELAY]);

/**
 * Step Functions task: a commitment checkpoint fell due (promise check, instalment reminder,
 * instalment check), or the execution reached its horizon (execution_relay). Returns where the
 * execution goes next (errors named for Retry/Catch); a next checkpoint beyond what this execution
 * may wait for continues in a new execution (outcome "continued"). A review whose course leaves the
 * chain before its last pair (a broken plan resumes a stage; a stale execution; a hand-over) stops
 * its own execution, after handing the dossier to a new one when it goes on
 * (services/execution-continuation.ts endChainEarly). Every answer says how many
 * checkpoints are left as planned (`left`, 0 after an ending or a hand-over): the state machine
 * selects it (lib/dunning-workflow.ts), and a field it selects must be there.
 */
export async function handler(event: (CheckpointRequest | Omit<CheckpointRequest, 'action'> & { action: typeof EXECUTION_RELAY }) & TaskContext): Promise<ChainAnswer<NextStep>> {
  try {
    if (event.action === EXECUTION_RELAY) return { ...(await relay(event)), left: 0 };
    const { answer, dossier } = await reviewCheckpoint(event as CheckpointRequest);
    const next = await continueBeyondHorizon(event, answer, answer.outcome === 'continue');
    const ends = await endChainEarly(event, next, { pairsAfter: event.pairsAfter, runsNext: (stage) => CHAIN_ACTIONS.has(stage), dossier });
    return ends === answer ? answer : { ...ends, left: 0 };
  } catch (e) {
    throw asStepError(e);
  }
}
