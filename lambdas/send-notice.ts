import { dispatchNotice } from './services/notice-dispatch';
import type { SendOutcome, SendRequest } from './services/stage-claim';
import { continueOnChain, continueUnderCurrentDefinition, endChainEarly, NextStep, TaskContext } from './services/execution-continuation';
import { STAGES } from './domain/model';
import { asStepError } from './step-errors';

/**
 * Step Functions task: send the letter of one stage (errors named for Retry/Catch), or pass on
 * what the send before it in the chain of stages ended with. A next stage beyond what this
 * execution may wait for, or other than the following one, continues in a new execution (outcome
 * "continued"; services/execution-continuation.ts continueOnChain). A send that ends the course
 * (continued, a bounce pause, a stale execution) stops its own execution rather than pass the
 * ending through the stages left (endChainEarly). The
 * hand-off is lambdas/handoff.ts; an execution started under the definition before it asks here,
 * and continues in a new execution that asks the hand-off Lambda.
 */
export async function handler(event: SendRequest & TaskContext): Promise<SendOutcome | NextStep> {
  try {
    if (event.stage === 'litigation_handoff') return await continueUnderCurrentDefinition(event);
    const { out, dossier } = await dispatchNotice(event);
    const following = STAGES[STAGES.indexOf(event.stage) + 1];
    // The stages after this one are Wait/send pairs of the chain (the hand-off the last).
    const pairsAfter = STAGES.length - 1 - STAGES.indexOf(event.stage);
    return await endChainEarly(event, await continueOnChain(event, out), { pairsAfter, runsNext: (stage) => stage === following, dossier });
  } catch (e) {
    throw asStepError(e);
  }
}
