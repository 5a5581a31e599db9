import { describe, expect, it } from 'vitest';
import { Dossier, recordMessage, recordMessageFailure } from '../../lambdas/domain/dossier';
import { INFO, NOW, CIVIL, WAIVER, dossier, afterNotice } from '../support/settlement-dossier';
import { receiptOf, recordedPayment } from '../../lambdas/domain/payment-replay';
import { recordPayment, type PaymentInput } from '../../lambdas/domain/settlement';

/**
 * A replayed payment re-sends the receipt the first request owed: what recordedPayment reads back
 * from the history must be the very receipt recordPayment's settlement gave (services/payments.ts
 * receiptOf), and the receipt is due on the same rule (settling, accessories claimed, agency).
 * Same dossier as settlement.test.ts: 1 250,00 due 3 April 2026 (B2B).
 */

function record(d: Dossier, p: PaymentInput, creditor: Parameters<typeof recordPayment>[4]) {
  const r = recordPayment(d, p, NOW, Date.now(), creditor);
  if (r.kind !== 'recorded') throw new Error('not recorded');
  return r;
}

describe('a replayed payment: the receipt the first request owed, read back from the history', () => {
  it('a partial payment once the accessories are claimed: the same receipt, what remains per component', () => {
    const p = { amountCents: 50_000, paidOn: '2026-05-05', reference: 'VIR-1' };
    const r = record(afterNotice(), p, CIVIL);
    expect(r.settled).toBe(false);
    const back = recordedPayment(r.dossier, 'VIR-1', CIVIL)!;
    expect(back.settled).toBe(false);
    expect(back.receipt).toEqual(receiptOf(p, r.settlement));
    // Interest and indemnity first (C. civ. 1343-1), then the principal, which remains in part.
    expect(back.receipt!.allocation!.interestCents).toBeGreaterThan(0);
    expect(back.receipt!.remaining!.principalCents).toBeGreaterThan(0);
  });

  it('the settling payment: balance 0, and a waiver of the accessories stated as the first receipt stated it', () => {
    const d = afterNotice();
    const p = { amountCents: 125_000, paidOn: '2026-05-05', reference: 'VIR-2' };
    const r = record(d, p, WAIVER);
    expect(r.settled).toBe(true);
    expect(r.settlement.waived).toBeDefined();
    const back = recordedPayment(r.dossier, 'VIR-2', WAIVER)!;
    expect(back.settled).toBe(true);
    expect(back.receipt).toEqual(receiptOf(p, r.settlement));
  });

  it('no receipt is due for a partial payment before any letter claimed the accessories, unless an agency writes (CPCE R124-5)', () => {
    const p = { amountCents: 10_000, paidOn: '2026-04-05', reference: 'VIR-3' };
    const r = record(dossier(), p, CIVIL);
    expect(recordedPayment(r.dossier, 'VIR-3', CIVIL)!.receipt).toBeNull();
    const agency = { ...CIVIL, agency: { name: 'Agence' } };
    const ra = record(dossier(), p, agency);
    expect(recordedPayment(ra.dossier, 'VIR-3', agency)!.receipt).toEqual(receiptOf(p, ra.settlement));
  });

  it('says whether the receipt was recorded as sent after it: a failure or another payment\'s receipt does not count', () => {
    const p = { amountCents: 125_000, paidOn: '2026-05-05', reference: 'VIR-4' };
    const r = record(afterNotice(), p, CIVIL);
    const failed = recordMessageFailure(r.dossier, 'payment_receipt', 'tok', 'SES down', NOW, { reference: 'VIR-4' });
    expect(recordedPayment(failed, 'VIR-4', CIVIL)!.sent('payment_receipt')).toBe(false);
    const other = recordMessage(failed, 'payment_receipt', 'tok', INFO, NOW, { reference: 'VIR-0' });
    expect(recordedPayment(other, 'VIR-4', CIVIL)!.sent('payment_receipt')).toBe(false);
    const done = recordMessage(other, 'payment_receipt', 'tok', INFO, NOW, { reference: 'VIR-4' });
    expect(recordedPayment(done, 'VIR-4', CIVIL)!.sent('payment_receipt')).toBe(true);
    expect(recordedPayment(done, 'VIR-4', CIVIL)!.handedOffBefore).toBe(false);
  });

  it('null when the history given does not hold the payment (the caller then reads the whole history)', () => {
    expect(recordedPayment(afterNotice(), 'VIR-9', CIVIL)).toBeNull();
  });
});
