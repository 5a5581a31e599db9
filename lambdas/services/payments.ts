import { viewOf, withWholeHistory } from './dossier-history';
import type { Dossier } from '../domain/dossier';
import type { DossierView } from '../domain/dossier-view';
import type { CreditorProfile } from '../domain/model';
import { receiptOf, recordedPayment } from '../domain/payment-replay';
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
  if (result.kind === 'duplicate') dossier = await finishReplayed(dossier, payment, creditor);
  return { created: result.kind === 'recorded', view: await viewOf(dossier, clock().now()) };
}

/**
 * The same payment again (a client replaying a request whose answer was lost): what the first
 * request owed and did not record as sent goes out now, the receipt and counsel's report, each as
 * the very message the first request would have sent (same slot, same Message-ID), and a settled
 * dossier's waiting execution is stopped again (best effort, idempotent). Nothing is sent twice: a
 * message recorded as sent after the payment is not sent again.
 */
async function finishReplayed(d: Dossier, payment: PaymentInput, creditor: CreditorProfile | null): Promise<Dossier> {
  // The payment's entry and all that followed it: in the item's window when recent, else in the log.
  const replayed = recordedPayment(d, payment.reference, creditor) ?? recordedPayment(await withWholeHistory(d), payment.reference, creditor);
  if (!replayed) return d;
  let dossier = d;
  if (replayed.settled) await stopWaiting(dossier, 'paid');
  if (replayed.receipt && !replayed.sent('payment_receipt')) {
    dossier = await sendFollowUp(dossier, {
      kind: 'payment_receipt',
      template: paymentReceipt,
      ref: payment.reference,
      extra: { payment: replayed.receipt },
      eventFields: { reference: payment.reference },
      ...(creditor ? { creditor } : {}),
    });
  }
  if (replayed.handedOffBefore && !replayed.sent('litigation_payment_update')) dossier = await reportPaymentToCounsel(dossier, payment, replayed.settled);
  return dossier;
}

function receiptDue(s: PaymentSettlement, agency: boolean): boolean {
  return s.settled || s.accessoriesClaimed || agency;
}

