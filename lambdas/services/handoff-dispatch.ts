/**
 * The SendLitigationHandoff step (lambdas/handoff.ts): when the grace period of the mise en demeure
 * ends with a balance due, claim the dossier like any stage (stage-claim.ts), then either hold it
 * for the creditor's approval or hand it off to counsel (services/litigation.ts). Its own Lambda:
 * the litigation dossier, court route, PDF, evidence bundle and EventBridge publication are loaded
 * by this step only, not by every letter's cold start (issue 15).
 */
import { clock } from '../adapters/clock';
import { getCreditorCached } from '../adapters/creditor-store';
import { withWholeHistory } from './dossier-history';
import { handOff, holdForApproval, keepOrphansApart, publishHandedOff } from './litigation';
import { claimStage, outcomeOf, SendOutcome, SendRequest } from './stage-claim';
import { passedThrough, type StepOutcome } from './step-outcome';

export async function dispatchHandoff(req: SendRequest): Promise<SendOutcome | StepOutcome> {
  if (req.stage !== 'litigation_handoff') throw new Error(`the hand-off step runs litigation_handoff, not ${req.stage}`);
  const now = clock().now();
  // The mise en demeure's send ended the course (not_active, continued): the execution ends with it.
  const passed = passedThrough(req.next, (stage) => stage === req.stage, now);
  // Going on elsewhere never reaches here (the send before hands any other next step to a new
  // execution); should it, a flagged dossier beats an execution that ends while the dossier waits.
  if (passed?.nextStage) throw new Error(`the hand-off step was handed ${passed.nextStage} as next: not its stage`);
  if (passed) return passed;
  const { claim, slot, token } = await claimStage(req);
  if (claim.kind === 'not_active') {
    // A retry after an attempt that died mid-way (a timeout) finds the dossier gone elsewhere (paid...):
    // the PDF that attempt recorded for its message is kept apart now (services/litigation.ts).
    if (claim.dossier.events.some((e) => e.attachedTo !== undefined)) await keepOrphansApart(await withWholeHistory(claim.dossier), now);
    return outcomeOf(claim.dossier, 'not_active');
  }
  if (claim.kind === 'already_sent') {
    if (claim.dossier.status === 'active') return outcomeOf(claim.dossier, 'sent');
    if (claim.dossier.status !== 'handed_off') return outcomeOf(claim.dossier, 'not_active');
    // A retried hand-off whose event could not be published publishes it now.
    return outcomeOf(await publishHandedOff(claim.dossier), 'handed_off');
  }
  const creditor = await getCreditorCached(claim.dossier.creditorId);
  // The profile read here (this container's short-lived copy, as every workflow step reads it) is
  // the one the hand-off uses throughout: read once per invocation, not once per part of it.
  if (creditor?.handoff === 'approval') return outcomeOf(await holdForApproval(claim.dossier, token, now, creditor), 'awaiting_approval');
  return outcomeOf(await handOff(claim.dossier, token, now, slot, { creditor: creditor ?? undefined }), 'handed_off');
}
