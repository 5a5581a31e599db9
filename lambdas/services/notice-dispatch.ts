/**
 * Sends one escalation letter for a dossier: claim the dossier (stage-claim.ts), render, keep the
 * exact bytes as evidence, send through SES, record. The hand-off to litigation is a step of its
 * own (services/handoff-dispatch.ts, lambdas/handoff.ts): this Lambda never carries it.
 */
import { completeSend, Dossier, policyOf, statedDeadline } from '../domain/dossier';
import type { CreditorProfile, Stage } from '../domain/model';
import { clock } from '../adapters/clock';
import { sendUnderLease } from './leased-send';
import { channelFor } from '../domain/registered';
import { dispatchRegistered } from './registered-mail';
import type { NoticeExtras } from './outbound-mail';
import { stageTemplate } from '../notices/templates';
import { claimStage, outcomeOf, SendOutcome, SendRequest } from './stage-claim';
import { passedThrough, type StepOutcome } from './step-outcome';

/**
 * The send's answer (`out`), with the dossier as the send left it (null when it passed the send
 * before's answer through without reading it): send-notice decides from it whether the execution
 * may stop itself (services/execution-continuation.ts endChainEarly). The dossier stays in the
 * Lambda: only `out` is answered.
 */
export async function dispatchNotice(req: SendRequest): Promise<{ out: SendOutcome | StepOutcome; dossier: Dossier | null }> {
  if (req.stage === 'litigation_handoff') throw new Error('the hand-off is its own step (lambdas/handoff.ts), not a letter of send-notice');
  const now = clock().now();
  // The send before this one in the chain of stages ended the course: passed on, dossier untouched.
  const passed = passedThrough(req.next, (stage) => stage === req.stage, now);
  if (passed) return { out: passed, dossier: null };
  const { claim, slot, token } = await claimStage(req);
  const answer = (d: Dossier, outcome: SendOutcome['outcome']) => ({ out: outcomeOf(d, outcome), dossier: d });
  if (claim.kind === 'not_active') return answer(claim.dossier, 'not_active');
  if (claim.kind === 'already_sent') {
    // A retried step goes on; an execution of a dossier paused since (another generation runs) ends.
    return answer(claim.dossier, claim.dossier.status === 'active' ? 'sent' : 'not_active');
  }
  // A mise en demeure by registered post or registered e-mail (domain/registered.ts).
  if (req.stage === 'formal_notice' && channelFor(claim.dossier).channel !== 'email') {
    const out = await dispatchRegistered(claim.dossier, token, slot, now);
    return answer(out.dossier, out.sent ? 'sent' : 'not_active');
  }
  const out = await sendUnderLease(
    claim.dossier,
    token,
    now,
    (creditor) => ({ kind: req.stage, slot, template: stageTemplate(req.stage), extra: extrasFor(claim.dossier, req.stage, creditor, now) }),
    (d, info) => completeSend(d, req.stage, token, now, info),
  );
  return answer(out.dossier, out.sent ? 'sent' : 'not_active');
}

/** The deadline a stage states and the grace period it names: both from the dossier's policy. */
function extrasFor(d: Dossier, stage: Stage, _creditor: CreditorProfile, now: Date): NoticeExtras {
  const deadline = statedDeadline(d, stage, now) ?? d.deadline ?? undefined;
  return { deadline, graceDays: policyOf(d).graceDays };
}
