import { viewOf } from './dossier-history';
/**
 * Cancellation and disputes: apply the pure transition with the store's conditional write, then
 * align the workflow (stop the waiting execution; start a new generation when escalation resumes).
 */
import { randomUUID } from 'node:crypto';
import type { DossierView } from '../domain/dossier-view';
import { cancelDossier, openDispute, resolveDispute, ResolveInput } from '../domain/dossier-disputes';
import { clock } from '../adapters/clock';
import { dossierOf, updateOwnDossier } from './dossier-access';
import { sendFollowUp } from './follow-ups';
import { regenerate, stopWaiting } from './generations';
import { resumeDossier, ResumeInput } from '../domain/dossier-resume';
import { debtorKey, emailPausedReason } from '../domain/debtor-key';
import { conflict } from '../domain/errors';
import { deleteEmailSuppression, getEmailSuppression } from '../adapters/delivery-store';
import { parisDate } from '../domain/dates';
import { disputeAcknowledgment } from '../notices/templates/dispute-acknowledgment';
import { disputeRejection } from '../notices/templates/dispute-rejection';

export async function cancelInvoice(creditorId: string, dossierId: string, reason: string): Promise<DossierView> {
  const result = await updateOwnDossier(creditorId, dossierId, (d) => cancelDossier(d, reason, clock().now(), Date.now()));
  await stopWaiting(result.dossier, 'cancelled');
  return await viewOf(result.dossier, clock().now());
}

export interface DisputeOpened extends DossierView {
  dispute: { id: string; status: 'open' };
}

export async function openInvoiceDispute(
  creditorId: string,
  dossierId: string,
  input: { reason: string; disputedAmountCents?: number },
): Promise<DisputeOpened> {
  const id = `dsp_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const result = await updateOwnDossier(creditorId, dossierId, (d) => openDispute(d, { id, ...input }, clock().now(), Date.now()));
  await stopWaiting(result.dossier, 'dispute');
  const dossier = await sendFollowUp(result.dossier, {
    kind: 'dispute_acknowledgment',
    template: disputeAcknowledgment,
    ref: id,
    extra: { dispute: { id, reason: input.reason } },
    eventFields: { disputeId: id },
  });
  return { ...await viewOf(dossier, clock().now()), dispute: { id: result.dispute.id, status: 'open' } };
}

export interface DisputeResolved extends DossierView {
  dispute: { id: string; status: 'resolved'; outcome: 'rejected' | 'upheld' };
}

export async function resolveInvoiceDispute(
  creditorId: string,
  dossierId: string,
  disputeId: string,
  input: ResolveInput,
): Promise<DisputeResolved> {
  // A resumed dossier runs in a new execution generation (the paused one was stopped at opening).
  const result = await regenerate(creditorId, dossierId, 'dispute_resolved', (d, nameFor) =>
    resolveDispute(d, disputeId, input, nameFor, clock().now()),
  );
  let dossier = result.dossier;
  if (input.outcome === 'rejected') {
    // The debtor is told why, what remains due and when reminders resume; a consumer also gets the
    // consumer mediator's details (C. conso. L616-1).
    const d = result.dispute;
    dossier = await sendFollowUp(dossier, {
      kind: 'dispute_rejection',
      template: disputeRejection,
      ref: d.id,
      extra: {
        dispute: { id: d.id, reason: d.reason, openedOn: parisDate(new Date(d.openedAt)), reasons: d.reasons ?? input.reasons ?? '' },
        ...(dossier.nextAction ? { resumesOn: parisDate(new Date(dossier.nextAction.at)) } : {}),
      },
      eventFields: { disputeId: d.id },
    });
  }
  return {
    ...await viewOf(dossier, clock().now()),
    dispute: { id: result.dispute.id, status: 'resolved', outcome: input.outcome },
  };
}

/**
 * Takes a dossier out of needs_attention. When automatic e-mail to its debtor is paused (hard
 * bounce, complaint), a corrected `debtorEmail` is required and lifts the pause for that debtor.
 */
export async function resumeInvoice(creditorId: string, dossierId: string, input: ResumeInput): Promise<DossierView> {
  const current = await dossierOf(creditorId, dossierId);
  if (current.status !== 'needs_attention') {
    throw conflict(`Dossier is ${current.status}; only a dossier that needs attention can be resumed.`, [
      { path: 'status', message: current.status },
    ]);
  }
  const email = input.debtorEmail ?? current.debtor.email;
  const key = debtorKey({ ...current.debtor, email });
  const pause = await getEmailSuppression(current.creditorId, key);
  if (pause && pause.bouncedAddress.toLowerCase() === email.toLowerCase()) {
    throw conflict(`${emailPausedReason(pause)}; resume with a corrected debtorEmail.`, [
      { path: 'debtorEmail', message: `required and different from ${pause.bouncedAddress}` },
    ]);
  }
  const result = await regenerate(creditorId, dossierId, 'resumed', (d, nameFor) =>
    resumeDossier(d, { ...input, ...(pause ? { liftsPauseOf: pause.bouncedAddress } : {}) }, nameFor, clock().now(), Date.now()),
  );
  // After the dossier is stored: if this fails, the next send finds the pause and flags again.
  if (pause) await deleteEmailSuppression(current.creditorId, key);
  return await viewOf(result.dossier, clock().now());
}
