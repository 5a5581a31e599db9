import { describe, expect, it } from 'vitest';
import { balanceCents } from '../../lambdas/domain/dossier';
import { NOW, CIVIL, WAIVER, dossier, sent, afterNotice } from '../support/settlement-dossier';
import { accessoriesClaimedOn, allocationChoice, paymentOrder, recordPayment } from '../../lambdas/domain/settlement';
import { DomainError } from '../../lambdas/domain/errors';

/**
 * 1 250,00 due Friday 3 April 2026 (B2B); first reminder 7 April, formal reminder 20 April, mise en
 * demeure 4 May. Penalties 12.15% from 4 April: 32 days to 5 May = 13,32 ; indemnity 40,00.
 */

describe('settlement (C. civ. 1343-1 and the creditor\'s stated waiver)', () => {
  it('the choice is explicit: 1343-1 by default, principal first as a waiver, the legacy switch honoured', () => {
    expect(allocationChoice(undefined)).toBe('civil-code-1343-1');
    expect(allocationChoice({ paymentAllocation: 'principal-first' })).toBe('principal-first');
    expect(allocationChoice({ pursueAccessories: false })).toBe('principal-first');
    expect(allocationChoice({ pursueAccessories: true })).toBe('civil-code-1343-1');
  });

  it('accessories are claimed from the formal reminder (or an agency\'s first letter), not by the first reminder', () => {
    const d = sent(dossier(), 'first_reminder', '2026-04-07T07:00:00Z');
    expect(accessoriesClaimedOn(d, CIVIL)).toBeNull();
    expect(accessoriesClaimedOn(d, { ...CIVIL, agency: {} })).toBe('2026-04-07');
    expect(accessoriesClaimedOn(sent(d, 'formal_reminder', '2026-04-20T07:00:00Z'), CIVIL)).toBe('2026-04-20');
    expect(paymentOrder(afterNotice(), CIVIL, '2026-04-19')).toEqual({ order: 'principal-first', reason: 'not_claimed' });
    expect(paymentOrder(afterNotice(), CIVIL, '2026-05-05')).toEqual({ order: 'civil-code-1343-1', reason: 'civil_code' });
    expect(paymentOrder(afterNotice(), WAIVER, '2026-05-05')).toEqual({ order: 'principal-first', reason: 'creditor_waiver' });
  });

  it('a known reference is a replay only with the same content: another amount or date is a 409 naming the field', () => {
    const first = recordPayment(dossier(), { amountCents: 40_000, paidOn: '2026-05-04', reference: 'VIR-1' }, NOW, 0, CIVIL);
    if (first.kind !== 'recorded') throw new Error('expected a recorded payment');
    const replay = recordPayment(first.dossier, { amountCents: 40_000, paidOn: '2026-05-04', reference: 'VIR-1' }, NOW, 0, CIVIL);
    expect(replay).toEqual({ kind: 'duplicate', dossier: first.dossier });
    const refusal = (p: { amountCents: number; paidOn: string }) => {
      try {
        recordPayment(first.dossier, { ...p, reference: 'VIR-1' }, NOW, 0, CIVIL);
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('expected a refusal');
    };
    const amount = refusal({ amountCents: 40_001, paidOn: '2026-05-04' });
    expect(amount.status).toBe(409);
    expect(amount.details).toEqual([{ path: 'amount', message: 'payment VIR-1 was recorded with amount 400.00' }]);
    expect(refusal({ amountCents: 40_000, paidOn: '2026-05-01' }).details.map((x) => x.path)).toEqual(['paidOn']);
    expect(refusal({ amountCents: 1, paidOn: '2026-05-01' }).details.map((x) => x.path)).toEqual(['amount', 'paidOn']);
  });

  it('after the mise en demeure, the principal alone does not settle under 1343-1; the rest does', () => {
    const r = recordPayment(afterNotice(), { amountCents: 125_000, paidOn: '2026-05-05', reference: 'a' }, NOW, 0, CIVIL);
    if (r.kind !== 'recorded') throw new Error('expected a recorded payment');
    expect(r.settled).toBe(false);
    expect(r.settlement.allocation).toEqual({ order: 'civil-code-1343-1', reason: 'civil_code', interestCents: 1_332, indemnityCents: 4_000, principalCents: 119_668 });
    expect(r.settlement.remainingCents).toBe(5_332);
    expect(balanceCents(r.dossier)).toBe(5_332);
    expect(r.dossier.status).toBe('active');
    // Above the amount due: refused, naming it.
    const over = (() => {
      try {
        recordPayment(r.dossier, { amountCents: 5_333, paidOn: '2026-05-05', reference: 'b' }, NOW, 0, CIVIL);
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('expected a refusal');
    })();
    expect(over.message).toMatch(/exceeds the amount due 53\.32/);
    const rest = recordPayment(r.dossier, { amountCents: 5_332, paidOn: '2026-05-05', reference: 'b' }, NOW, 0, CIVIL);
    expect(rest.kind === 'recorded' && rest.settled).toBe(true);
    expect(rest.dossier.events.map((e) => e.type)).not.toContain('accessories_waived');
  });

  it('the stated waiver closes on the principal and records what was waived', () => {
    const r = recordPayment(afterNotice(), { amountCents: 125_000, paidOn: '2026-05-05', reference: 'a' }, NOW, 0, WAIVER);
    if (r.kind !== 'recorded') throw new Error('expected a recorded payment');
    expect(r.settled).toBe(true);
    expect(r.settlement.waived).toEqual({ interestCents: 1_332, indemnityCents: 4_000, reason: 'creditor_waiver' });
    expect(r.dossier.events.map((e) => e.type).slice(-3)).toEqual(['payment_recorded', 'accessories_waived', 'paid']);
  });

  it('before any claim, the principal closes the dossier and the waiver says they were never claimed', () => {
    const d = sent(dossier(), 'first_reminder', '2026-04-07T07:00:00Z');
    const r = recordPayment(d, { amountCents: 125_000, paidOn: '2026-04-08', reference: 'a' }, new Date('2026-04-08T10:00:00Z'), 0, CIVIL);
    expect(r.kind === 'recorded' && r.settlement.waived?.reason).toBe('not_claimed');
    expect(r.dossier.status).toBe('paid');
  });
});
