import { dossierView, DossierView, recordPayment, PaymentInput } from '../domain/dossier';
import { clock } from '../adapters/clock';
import { updateDossier } from '../adapters/dossier-store';
import { stopExecution } from '../adapters/workflow';
import { dossierOf } from './dossier-access';

export interface PaymentOutcome {
  created: boolean;
  view: DossierView;
}

/**
 * Records a payment; when it settles the debt, the waiting execution is stopped at once (cause
 * "paid") rather than left to notice at its next wake-up.
 */
export async function applyPayment(creditorId: string, dossierId: string, payment: PaymentInput): Promise<PaymentOutcome> {
  await dossierOf(creditorId, dossierId);
  const result = await updateDossier(dossierId, (d) => recordPayment(d, payment, clock().now(), Date.now()));
  if (result.kind === 'recorded' && result.settled && result.dossier.execution) {
    await stopExecution(result.dossier.execution.name, 'paid');
  }
  return { created: result.kind === 'recorded', view: dossierView(result.dossier) };
}
