/**
 * The claim every stage step starts with (send-notice for the letters, handoff for the hand-off):
 * a lease on the dossier item, taken with a conditional write. It is what makes a payment and a
 * send take turns: a payment arriving now waits until the notice is recorded, and a send never
 * starts on a dossier that is no longer active.
 */
import { claimSend, ClaimResult, Dossier, releaseSend, sendSlot } from '../domain/dossier';
import type { NextAction, Stage } from '../domain/model';
import { claimDueStage, updateDossier } from '../adapters/dossier-store';
import { ended, nextWaitOf, type PriorStep } from './step-outcome';

/** Real-time lease: longer than the send Lambda's timeout, so a live send is never overtaken. */
export const SEND_LEASE_MS = 90_000;

export interface SendRequest {
  dossierId: string;
  stage: Stage;
  executionName: string;
  /**
   * What the execution holds as next ($.next, lib/dunning-workflow.ts): the previous send's answer
   * in the chain of stages, passed through when it ended the course (step-outcome.ts
   * passedThrough); a new execution's input (no outcome) when the route jumped here. Absent from
   * executions of the definition before the chain.
   */
  next?: PriorStep | null;
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
  /** The lease token: the execution and the stage, so a retried step finds its own lease. */
  token: string;
}

/**
 * Takes the stage's send lease. The token is deterministic per execution and stage (a retried
 * attempt recognises its own lease). The due case is one conditional write without a read
 * (claimDueStage); the dossier it returns is checked against the domain's claimSend all the same,
 * and a lease its rules would not have given is handed back. Any other case (not the next
 * action, not active, a live lease, already sent) goes through claimSend on the dossier the failed
 * write returned (read again only when the store returned none), exactly as before.
 */
export async function claimStage(req: SendRequest): Promise<StageClaim> {
  const token = `${req.executionName}:${req.stage}`;
  const claim = await claimLease(req.dossierId, req.stage, token);
  return { claim, slot: sendSlot(claim.dossier, req.stage), token };
}

async function claimLease(dossierId: string, stage: Stage, token: string): Promise<ClaimResult> {
  const fast = await claimDueStage(dossierId, stage, { stage, token, leaseUntil: Date.now() + SEND_LEASE_MS }, Date.now());
  if (fast.claimed) {
    const check = claimSend(fast.claimed, stage, token, Date.now(), SEND_LEASE_MS);
    if (check.kind === 'claimed') return { kind: 'claimed', dossier: fast.claimed };
    const released = await updateDossier(dossierId, (d) => ({ dossier: releaseSend(d, token) }), { known: fast.claimed });
    return { kind: check.kind, dossier: released.dossier };
  }
  const known = fast.current ?? undefined;
  return updateDossier(dossierId, (d) => claimSend(d, stage, token, Date.now(), SEND_LEASE_MS), { known });
}
