/**
 * Cancellation and disputes: apply the pure transition with the store's conditional write, then
 * align the workflow (stop the waiting execution; start a new generation when escalation resumes).
 */
import { randomUUID } from 'node:crypto';
import { dossierView, DossierView, workflowInput } from '../domain/dossier';
import { cancelDossier, openDispute, resolveDispute, ResolveInput } from '../domain/dossier-disputes';
import { executionNameFor } from '../domain/identity';
import { clock } from '../adapters/clock';
import { updateDossier } from '../adapters/dossier-store';
import { startExecution, stopExecution } from '../adapters/workflow';
import { dossierOf } from './dossier-access';
import { sendFollowUp } from './follow-ups';

export async function cancelInvoice(creditorId: string, dossierId: string, reason: string): Promise<DossierView> {
  await dossierOf(creditorId, dossierId);
  const result = await updateDossier(dossierId, (d) => cancelDossier(d, reason, clock().now(), Date.now()));
  if (result.dossier.execution) await stopExecution(result.dossier.execution.name, 'cancelled');
  return dossierView(result.dossier, clock().now());
}

export interface DisputeOpened extends DossierView {
  dispute: { id: string; status: 'open' };
}

export async function openInvoiceDispute(
  creditorId: string,
  dossierId: string,
  input: { reason: string; disputedAmountCents?: number },
): Promise<DisputeOpened> {
  await dossierOf(creditorId, dossierId);
  const id = `dsp_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const result = await updateDossier(dossierId, (d) => openDispute(d, { id, ...input }, clock().now(), Date.now()));
  if (result.dossier.execution) await stopExecution(result.dossier.execution.name, 'dispute');
  const dossier = await sendFollowUp(result.dossier, 'dispute_acknowledgment', `dispute_acknowledgment-${id}`, {
    dispute: { id, reason: input.reason },
  }, { disputeId: id });
  return { ...dossierView(dossier, clock().now()), dispute: { id: result.dispute.id, status: 'open' } };
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
  const current = await dossierOf(creditorId, dossierId);
  const nameFor = (generation: number) => executionNameFor(current.creditorId, current.invoice.invoiceNumber, generation);
  const result = await updateDossier(dossierId, (d) => resolveDispute(d, disputeId, input, nameFor, clock().now()));
  if (result.kind === 'resumed') {
    const start = workflowInput(result.dossier);
    if (start && result.dossier.execution) await startExecution(result.dossier.execution.name, start);
  }
  return {
    ...dossierView(result.dossier, clock().now()),
    dispute: { id: result.dispute.id, status: 'resolved', outcome: input.outcome },
  };
}
