import { dossierView, DossierView, recordPayment, PaymentInput } from '../domain/dossier';
import { clock } from '../adapters/clock';
import { stopWaiting } from './generations';
import { updateOwnDossier } from './dossier-access';
import { sendFollowUp } from './follow-ups';
import { reportPaymentToCounsel } from './litigation';

export interface PaymentOutcome {
  created: boolean;
  view: DossierView;
}

/**
 * Records a payment; when it settles the debt, the waiting execution is stopped at once (cause
 * "paid") rather than left to notice at its next wake-up.
 */
export async function applyPayment(creditorId: string, dossierId: string, payment: PaymentInput): Promise<PaymentOutcome> {
  const result = await updateOwnDossier(creditorId, dossierId, (d) => recordPayment(d, payment, clock().now(), Date.now()));
  let dossier = result.dossier;
  if (result.kind === 'recorded' && result.settled) {
    await stopWaiting(dossier, 'paid');
    // The one letter that follows a settled debt: the receipt (the dossier is closed already).
    dossier = await sendFollowUp(dossier, {
      kind: 'payment_receipt',
      ref: payment.reference,
      extra: { payment: { ...payment, balanceCents: 0 } },
      eventFields: { reference: payment.reference },
    });
  }
  // In counsel's hands already: counsel hears of every payment (a settling one stops the procedure).
  if (result.kind === 'recorded') dossier = await reportPaymentToCounsel(dossier, payment, result.settled);
  return { created: result.kind === 'recorded', view: dossierView(dossier, clock().now()) };
}
