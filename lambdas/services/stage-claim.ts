/**
 * The claim every stage step starts with (send-notice for the letters, handoff for the hand-off):
 * a lease on the dossier item, taken with a conditional write. It is what makes a payment and a
 * send take turns: a payment arriving now waits until the notice is recorded, and a send never
 * starts on a dossier that is no longer active.
 */
import { claimSend, ClaimResult, Dossier, sendSlot } from '../domain/dossier';
import type { NextAction, Stage } from '../domain/model';
import { updateDossier } from '../adapters/dossier-store';
import { ended, nextWaitOf } from './step-outcome';

/** Real-time lease: longer than the send Lambda's timeout, so a live send is never overtaken. */
export const SEND_LEASE_MS = 90_000;

export interface SendRequest {
  dossierId: string;
  stage: Stage;
  executionName: string;
}

export interface SendOutcome {
  /** awaiting_approval: the grace period ended unpaid and the creditor approves hand-offs itself. */
  outcome: 'sent' | 'handed_off' | 'awaiting_approval' | 'not_active';
  nextStage: NextAction['stage'] | null;
  nextAt: string | null;
}

export function outcomeOf(d: Dossier, outcome: SendOutcome['outcome']): SendOutcome {
  return outcome === 'not_active' ? ended(outcome) : nextWaitOf(d, outcome);
}

export interface StageClaim {
  claim: ClaimResult;
  /** The message's slot: a stage re-opened by a broken payment plan goes out again as "-2". */
  slot: string;
  /** The lease token: the execution and the slot, so a retried step finds its own lease. */
  token: string;
}

export async function claimStage(req: SendRequest): Promise<StageClaim> {
  let slot = '';
  let token = '';
  const claim = await updateDossier(req.dossierId, (d) => {
    slot = sendSlot(d, req.stage);
    token = `${req.executionName}:${slot}`;
    return claimSend(d, req.stage, token, Date.now(), SEND_LEASE_MS);
  });
  return { claim, slot, token };
}
