import { viewOf } from './dossier-history';
import { DossierView } from '../domain/dossier';
import { recordPayment, type PaymentInput, type PaymentSettlement } from '../domain/settlement';
import { clock } from '../adapters/clock';
import { getCreditor } from '../adapters/dossier-store';
import { stopWaiting } from './generations';
import { paymentRecorded } from '../adapters/telemetry';
import { updateOwnDossier } from './dossier-access';
import { sendFollowUp } from './follow-ups';
import { reportPaymentToCounsel } from './litigation';
import { paymentReceipt } from '../notices/templates/payment-receipt';

export interface PaymentOutcome {
  created: boolean;
  view: DossierView;
}

/**
 * Records a payment under the creditor's settlement rule (domain/settlement.ts); when it settles
 * the debt, the waiting execution is stopped at once (cause "paid") rather than left to notice at
 * its next wake-up. A receipt follows the settling payment, and every payment once the accessories
 * are claimed (the debtor learns what remains) or when a collection agency writes (CPCE R124-5).
 */
export async function applyPayment(creditorId: string, dossierId: string, payment: PaymentInput): Promise<PaymentOutcome> {
  const creditor = await getCreditor(creditorId);
  const result = await updateOwnDossier(creditorId, dossierId, (d) => recordPayment(d, payment, clock().now(), Date.now(), creditor));
  let dossier = result.dossier;
  if (result.kind === 'recorded') {
    paymentRecorded({ dossierId, reference: payment.reference, settled: result.settled, status: dossier.status });
    if (result.settled) await stopWaiting(dossier, 'paid');
    if (receiptDue(result.settlement, creditor?.agency !== undefined)) {
      // After a settling payment the receipt is the one letter that follows (the dossier is closed).
      dossier = await sendFollowUp(dossier, {
        kind: 'payment_receipt',
        template: paymentReceipt,
        ref: payment.reference,
        extra: { payment: receiptOf(payment, result.settlement) },
        eventFields: { reference: payment.reference },
        ...(creditor ? { creditor } : {}),
      });
    }
  }
  // In counsel's hands already: counsel hears of every payment (a settling one stops the procedure).
  if (result.kind === 'recorded') dossier = await reportPaymentToCounsel(dossier, payment, result.settled);
  return { created: result.kind === 'recorded', view: await viewOf(dossier, clock().now()) };
}

function receiptDue(s: PaymentSettlement, agency: boolean): boolean {
  return s.settled || s.accessoriesClaimed || agency;
}

function receiptOf(p: PaymentInput, s: PaymentSettlement) {
  return {
    ...p,
    balanceCents: s.remainingCents,
    allocation: s.allocation,
    remaining: s.settled ? { principalCents: 0, interestCents: 0, indemnityCents: 0 } : s.remaining,
    ...(s.waived ? { waived: s.waived } : {}),
  };
}
