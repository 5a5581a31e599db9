/**
 * Sends one escalation notice for a dossier: claim the dossier, render, keep the exact bytes as
 * evidence, send through SES, record. The claim (a lease on the dossier item, taken with a
 * conditional write) is what makes a payment and a send take turns: a payment arriving now waits
 * until the notice is recorded, and a send never starts on a dossier that is no longer active.
 */
import { claimSend, ClaimResult, completeSend, Dossier, policyOf, releaseSend, sendSlot, statedDeadline } from '../domain/dossier';
import type { CreditorProfile, NextAction, Stage } from '../domain/model';
import { clock } from '../adapters/clock';
import { claimDueStage, updateDossier } from '../adapters/dossier-store';
import { getCreditorCached } from '../adapters/creditor-store';
import { handOff, holdForApproval, publishHandedOff } from './litigation';
import { sendUnderLease } from './leased-send';
import { channelFor } from '../domain/registered';
import { dispatchRegistered } from './registered-mail';
import type { NoticeExtras } from './outbound-mail';
import { mailTemplate } from '../notices/templates';
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

function outcomeOf(d: Dossier, outcome: SendOutcome['outcome']): SendOutcome {
  return outcome === 'not_active' ? ended(outcome) : nextWaitOf(d, outcome);
}

export async function dispatchNotice(req: SendRequest): Promise<SendOutcome> {
  const now = clock().now();
  const token = `${req.executionName}:${req.stage}`;
  const claim = await claimStage(req.dossierId, req.stage, token);
  // A stage re-opened by a broken payment plan goes out again as a distinct message ("-2").
  const slot = sendSlot(claim.dossier, req.stage);
  if (claim.kind === 'not_active') return outcomeOf(claim.dossier, 'not_active');
  if (claim.kind === 'already_sent') {
    // A retried step goes on; an execution of a dossier paused since (another generation runs) ends.
    if (claim.dossier.status === 'active') return outcomeOf(claim.dossier, 'sent');
    if (claim.dossier.status !== 'handed_off') return outcomeOf(claim.dossier, 'not_active');
    // A retried hand-off whose event could not be published publishes it now.
    return outcomeOf(await publishHandedOff(claim.dossier), 'handed_off');
  }
  if (req.stage === 'litigation_handoff') {
    const creditor = await getCreditorCached(claim.dossier.creditorId);
    if (creditor?.handoff === 'approval') return outcomeOf(await holdForApproval(claim.dossier, token, now), 'awaiting_approval');
    return outcomeOf(await handOff(claim.dossier, token, now, slot), 'handed_off');
  }
  // A mise en demeure by registered post or registered e-mail (domain/registered.ts).
  if (req.stage === 'formal_notice' && channelFor(claim.dossier).channel !== 'email') {
    const out = await dispatchRegistered(claim.dossier, token, slot, now);
    return outcomeOf(out.dossier, out.sent ? 'sent' : 'not_active');
  }
  const out = await sendUnderLease(
    claim.dossier,
    token,
    now,
    (creditor) => ({ kind: req.stage, slot, template: mailTemplate(req.stage), extra: extrasFor(claim.dossier, req.stage, creditor, now) }),
    (d, info) => completeSend(d, req.stage, token, now, info),
  );
  if (!out.sent) return outcomeOf(out.dossier, 'not_active');
  return outcomeOf(out.dossier, 'sent');
}

/**
 * Takes the stage's send lease. The token is deterministic per execution and stage (a retried
 * attempt recognises its own lease). The due case is one conditional write without a read
 * (claimDueStage); the dossier it returns is checked against the domain's claimSend all the same,
 * and a lease its rules would not have given is handed back. Any other case (not the next
 * action, not active, a live lease, already sent) goes through claimSend on the dossier the failed
 * write returned (read again only when the store returned none), exactly as before.
 */
async function claimStage(dossierId: string, stage: Stage, token: string): Promise<ClaimResult> {
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

/** The deadline a stage states and the grace period it names: both from the dossier's policy. */
function extrasFor(d: Dossier, stage: Stage, _creditor: CreditorProfile, now: Date): NoticeExtras {
  const deadline = statedDeadline(d, stage, now) ?? d.deadline ?? undefined;
  return { deadline, graceDays: policyOf(d).graceDays };
}
