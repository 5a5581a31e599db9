import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  provisionalRateActions,
  RECOVERY_INDEMNITY_CENTS,
  allocatePayments,
  checkPaymentAmount,
  computeBreakdown,
  explainBreakdown,
  explainNextPayment,
  isSettled,
  maxPayableCents,
  type BreakdownInput,
} from '../../lambdas/domain/breakdown';
import { fromEpochDay, toEpochDay } from '../../lambdas/domain/epoch-days';

const base = (over: Partial<BreakdownInput> = {}): BreakdownInput => ({
  invoice: { amountCents: 1_000_000, dueDate: '2025-05-15' },
  debtorKind: 'business',
  creditor: { category: 'business' },
  payments: [],
  asOf: '2025-08-14',
  ...over,
});

describe('(a) B2B 10,000.00 EUR due 2025-05-15, unpaid, as of 2025-08-14', () => {
  /*
   * Interest (see penalties.test.ts for the line arithmetic):
   *   46 d at 13.15% = 165.73 ; 45 d at 12.15% = 149.79 ; total 315.52
   * Indemnity 40.00 (D441-5), once.
   * Total due = 10,000.00 + 315.52 + 40.00 - 0 = 10,355.52
   */
  const b = computeBreakdown(base());

  it('prints principal, two lines, the indemnity and the total', () => {
    expect(b.regime).toBe('b2b');
    expect(b.interest.basis).toBe('l441-10');
    expect(b.interest.lines.map((l) => [l.from, l.to, l.days, l.ratePercent, l.amountCents])).toEqual([
      ['2025-05-16', '2025-06-30', 46, '13.15', 16_573],
      ['2025-07-01', '2025-08-14', 45, '12.15', 14_979],
    ]);
    expect(b.interest.totalCents).toBe(31_552);
    expect(b.indemnityCents).toBe(4_000);
    expect(b.paidCents).toBe(0);
    expect(b.totalDueCents).toBe(1_035_552);
    expect(b.principalDueCents).toBe(1_000_000);
    expect(b.provisional).toBe(false);
  });

  it('states its conventions in the notes', () => {
    const notes = b.notes.join('\n');
    expect(notes).toMatch(/actual\/365/);
    expect(notes).toMatch(/L441-10/);
    expect(notes).toMatch(/D441-5/);
    expect(notes).toMatch(/half-up/);
    expect(notes).toMatch(/2025-05-16/);
  });

  it('nothing is due before the due date is over', () => {
    const onDue = computeBreakdown(base({ asOf: '2025-05-15' }));
    expect(onDue.interest.lines).toEqual([]);
    expect(onDue.indemnityCents).toBe(0);
    expect(onDue.totalDueCents).toBe(1_000_000);
    // One day late: 10,000 x 13.15% x 1 / 365 = 1,315,000 / 365 / 100... = 360.27 cents -> 3.60 EUR, + 40
    const dayAfter = computeBreakdown(base({ asOf: '2025-05-16' }));
    expect(dayAfter.interest.totalCents).toBe(360);
    expect(dayAfter.indemnityCents).toBe(4_000);
  });
});

describe('(b) partial payment mid-period', () => {
  /*
   * 4,000.00 paid on 2025-07-10, principal first.
   * Lines 165.73 + 33.29 (10,000 from 07-01 to 07-10) + 69.90 (6,000 from 07-11 to 08-14) = 268.92
   * Total due = 10,000.00 + 268.92 + 40.00 - 4,000.00 = 6,308.92 ; principal due 6,000.00
   */
  it('moves the basis from the day after the payment', () => {
    const x = explainBreakdown(base({ payments: [{ amountCents: 400_000, paidOn: '2025-07-10' }] }));
    const b = x.breakdown;
    expect(b.interest.lines.map((l) => [l.from, l.to, l.basisCents, l.amountCents])).toEqual([
      ['2025-05-16', '2025-06-30', 1_000_000, 16_573],
      ['2025-07-01', '2025-07-10', 1_000_000, 3_329],
      ['2025-07-11', '2025-08-14', 600_000, 6_990],
    ]);
    expect(b.interest.totalCents).toBe(26_892);
    expect(b.paidCents).toBe(400_000);
    expect(b.totalDueCents).toBe(630_892);
    expect(b.principalDueCents).toBe(600_000);
    expect(x.allocation).toEqual({ principalCents: 400_000, interestCents: 0, indemnityCents: 0, unallocatedCents: 0 });
    expect(isSettled(b)).toBe(false);
  });

  it('the 40 EUR indemnity is due once even when paid late in several instalments', () => {
    const b = computeBreakdown(
      base({
        payments: [
          { amountCents: 300_000, paidOn: '2025-06-01' },
          { amountCents: 300_000, paidOn: '2025-07-01' },
          { amountCents: 400_000, paidOn: '2025-08-01' },
        ],
      }),
    );
    expect(b.indemnityCents).toBe(4_000);
    expect(b.principalDueCents).toBe(0);
    expect(isSettled(b)).toBe(true);
    expect(b.totalDueCents).toBe(b.interest.totalCents + 4_000);
  });

  it('paid in full on the due date: no interest, no indemnity, nothing due', () => {
    const b = computeBreakdown(base({ payments: [{ amountCents: 1_000_000, paidOn: '2025-05-15' }] }));
    expect(b.interest.totalCents).toBe(0);
    expect(b.indemnityCents).toBe(0);
    expect(b.totalDueCents).toBe(0);
    expect(isSettled(b, true)).toBe(true);
  });

  it('paid in full one day late: one day of interest (3.60) and the indemnity', () => {
    const b = computeBreakdown(base({ payments: [{ amountCents: 1_000_000, paidOn: '2025-05-16' }] }));
    expect(b.interest.lines.map((l) => [l.from, l.to, l.amountCents])).toEqual([['2025-05-16', '2025-05-16', 360]]);
    expect(b.indemnityCents).toBe(4_000);
    expect(b.totalDueCents).toBe(4_360);
    expect(isSettled(b)).toBe(true);
    expect(isSettled(b, true)).toBe(false);
  });

  it('payments after asOf are not counted', () => {
    const x = explainBreakdown(base({ payments: [{ amountCents: 1_000_000, paidOn: '2025-09-01' }] }));
    expect(x.breakdown.paidCents).toBe(0);
    expect(x.breakdown.totalDueCents).toBe(1_035_552);
    expect(x.ignoredPayments).toHaveLength(1);
  });
});

describe('(c) contractual rate below the 3x legal floor is refused', () => {
  it('8.00% on the invoice: refused (floors 11.13% in 2025 H1, 8.28% in 2025 H2), default applies', () => {
    const b = computeBreakdown(base({ invoice: { amountCents: 1_000_000, dueDate: '2025-05-15', contractualPenaltyRate: '8.00' } }));
    expect(b.interest.basis).toBe('l441-10');
    expect(b.interest.totalCents).toBe(31_552); // identical to (a)
    expect(b.notes.join('\n')).toMatch(/8\.00% refused for 2025-H1.*11\.13%/);
    expect(b.notes.join('\n')).toMatch(/8\.00% refused for 2025-H2.*8\.28%/);
  });

  it("the invoice's rate wins over the creditor's terms; the creditor's 15.00% applies when the invoice has none", () => {
    const invoiceWins = computeBreakdown(
      base({
        invoice: { amountCents: 1_000_000, dueDate: '2025-05-15', contractualPenaltyRate: '8.00' },
        creditor: { category: 'business', contractualPenaltyRate: '15.00' },
      }),
    );
    expect(invoiceWins.interest.totalCents).toBe(31_552);
    // 189.04 + 184.93 = 373.97 (arithmetic in penalties.test.ts)
    const creditorTerms = computeBreakdown(base({ creditor: { category: 'business', contractualPenaltyRate: '15.00' } }));
    expect(creditorTerms.interest.basis).toBe('contractual');
    expect(creditorTerms.interest.totalCents).toBe(37_397);
    expect(creditorTerms.totalDueCents).toBe(1_000_000 + 37_397 + 4_000);
  });
});

describe('(d) B2C: legal interest from the mise en demeure, no penalties, no indemnity', () => {
  /*
   * 1,500.00 EUR due 2025-03-31; mise en demeure sent 2025-06-10; as of 2025-07-20.
   * Interest runs from 2025-06-11: 20 days in 2025 H1 (06-11..06-30), 20 days in 2025 H2 (07-01..07-20).
   * Business creditor ("all other cases"): 3.71% then 2.76%
   *   150,000 x 371 x 20 / 3,650,000 = 1,113,000,000 / 3,650,000 = 304.93 -> 3.05
   *   150,000 x 276 x 20 / 3,650,000 =   828,000,000 / 3,650,000 = 226.85 -> 2.27   total 5.32
   * Individual creditor: 7.21% then 6.65%
   *   150,000 x 721 x 20 / 3,650,000 = 2,163,000,000 / 3,650,000 = 592.60 -> 5.93
   *   150,000 x 665 x 20 / 3,650,000 = 1,995,000,000 / 3,650,000 = 546.58 -> 5.47   total 11.40
   */
  const consumer = (category: 'business' | 'individual', formalNoticeSentOn?: string): BreakdownInput => ({
    invoice: { amountCents: 150_000, dueDate: '2025-03-31', contractualPenaltyRate: '15.00' },
    debtorKind: 'consumer',
    creditor: { category },
    payments: [],
    asOf: '2025-07-20',
    ...(formalNoticeSentOn ? { formalNoticeSentOn } : {}),
  });

  it('business creditor: 5.32 of interest, no indemnity', () => {
    const b = computeBreakdown(consumer('business', '2025-06-10'));
    expect(b.regime).toBe('b2c');
    expect(b.interest.basis).toBe('legal');
    expect(b.interest.lines.map((l) => [l.from, l.to, l.ratePercent, l.amountCents])).toEqual([
      ['2025-06-11', '2025-06-30', '3.71', 305],
      ['2025-07-01', '2025-07-20', '2.76', 227],
    ]);
    expect(b.indemnityCents).toBe(0);
    expect(b.totalDueCents).toBe(150_532);
    expect(b.notes.join('\n')).toMatch(/contractual penalty rate is not applied/);
  });

  it('individual creditor: 11.40 of interest', () => {
    const b = computeBreakdown(consumer('individual', '2025-06-10'));
    expect(b.interest.lines.map((l) => [l.ratePercent, l.amountCents])).toEqual([
      ['7.21', 593],
      ['6.65', 547],
    ]);
    expect(b.totalDueCents).toBe(151_140);
  });

  it('no mise en demeure yet: no interest at all', () => {
    const b = computeBreakdown(consumer('business'));
    expect(b.interest.lines).toEqual([]);
    expect(b.interest.totalCents).toBe(0);
    expect(b.totalDueCents).toBe(150_000);
    expect(b.notes.join('\n')).toMatch(/No mise en demeure/);
  });
});

describe('(e) provisional half-year', () => {
  it('2027 H1 is computed with the last known rate and the whole breakdown is provisional', () => {
    // 1,000.00 due 2026-12-31, as of 2027-01-30: 30 d x 12.15% -> 9.99 (see penalties.test.ts) + 40.00
    const b = computeBreakdown(base({ invoice: { amountCents: 100_000, dueDate: '2026-12-31' }, asOf: '2027-01-30' }));
    expect(b.interest.totalCents).toBe(999);
    expect(b.totalDueCents).toBe(100_000 + 999 + 4_000);
    expect(b.provisional).toBe(true);
    expect(b.interest.lines[0]!.provisional).toBe(true);
    expect(b.notes.join('\n')).toMatch(/Provisional: the ECB rate for 2027-H1 is not yet known/);
  });

  it('2026 H2 B2B lines (a row awaiting confirmation) are provisional, and no note names a file or an operator step', () => {
    const b = computeBreakdown(base({ invoice: { amountCents: 100_000, dueDate: '2026-07-31' }, asOf: '2026-08-31' }));
    expect(b.provisional).toBe(true);
    expect(b.interest.lines.every((l) => l.provisional)).toBe(true);
    expect(b.notes.join('\n')).toMatch(/provisional until the rate in force on 1 Jul 2026 is confirmed/);
    for (const note of b.notes) expect(note).not.toMatch(/lambdas\/|\.ts\b|operator|npm run|TO CONFIRM/i);
    expect(provisionalRateActions(b)).toEqual([expect.stringMatching(/^rate table "ecb" row 2026-H2 is provisional: confirm it with npm run rates:add/)]);
  });
});

describe('(f) allocation with pursueAccessories (C. civ. 1343-1)', () => {
  /*
   * 10,000.00 due 2025-05-15; 1,000.00 paid on 2025-06-30; as of 2025-07-31.
   * Interest accrued to 06-30 (payment day included): 46 d x 13.15% on 10,000 = 165.73.
   * The payment goes: interest 165.73, indemnity 40.00, principal 1,000.00 - 205.73 = 794.27.
   * Principal left 9,205.73 from 2025-07-01:
   *   920,573 x 1215 x 31 / 3,650,000 = 34,673,382,045 / 3,650,000 = 9,499.56 -> 95.00
   * Interest 165.73 + 95.00 = 260.73 ; total due = 10,000 + 260.73 + 40 - 1,000 = 9,300.73
   *
   * Default order (principal first) for comparison: principal 9,000 from 07-01:
   *   900,000 x 1215 x 31 / 3,650,000 = 9,287.26 -> 92.87 ; interest 258.60 ;
   *   total due = 10,000 + 258.60 + 40 - 1,000 = 9,298.60 ; principal due 9,000.00
   */
  const input = (pursueAccessories: boolean) =>
    base({ creditor: { category: 'business', pursueAccessories }, payments: [{ amountCents: 100_000, paidOn: '2025-06-30' }], asOf: '2025-07-31' });

  it('interest, then indemnity, then principal', () => {
    const x = explainBreakdown(input(true));
    expect(x.order).toBe('civil-code-1343-1');
    expect(x.payments).toEqual([
      { paidOn: '2025-06-30', amountCents: 100_000, interestCents: 16_573, indemnityCents: 4_000, principalCents: 79_427, unallocatedCents: 0 },
    ]);
    expect(x.breakdown.interest.lines.map((l) => [l.from, l.to, l.basisCents, l.amountCents])).toEqual([
      ['2025-05-16', '2025-06-30', 1_000_000, 16_573],
      ['2025-07-01', '2025-07-31', 920_573, 9_500],
    ]);
    expect(x.breakdown.principalDueCents).toBe(920_573);
    expect(x.breakdown.totalDueCents).toBe(930_073);
    expect(x.remaining).toEqual({ principalCents: 920_573, interestCents: 9_500, indemnityCents: 0 });
    expect(x.breakdown.notes.join('\n')).toMatch(/1343-1/);
  });

  it('principal first by default', () => {
    const x = explainBreakdown(input(false));
    expect(x.breakdown.interest.lines.map((l) => [l.basisCents, l.amountCents])).toEqual([
      [1_000_000, 16_573],
      [900_000, 9_287],
    ]);
    expect(x.breakdown.totalDueCents).toBe(929_860);
    expect(x.breakdown.principalDueCents).toBe(900_000);
  });

  it('a full principal payment settles by default but not when pursuing accessories', () => {
    /*
     * 10,000.00 paid on 2025-06-30, as of 2025-07-31.
     * Default: principal 0 from 07-01, due 165.73 + 40.00 = 205.73; settled.
     * 1343-1: 165.73 interest + 40.00 indemnity + 9,794.27 principal; 205.73 principal left, bearing
     *   20,573 x 1215 x 31 / 3,650,000 = 774,882,045 / 3,650,000 = 212.30 -> 2.12 in July;
     *   total due 205.73 + 2.12 = 207.85; not settled. Paying 207.85 on 07-31 settles it.
     */
    const payments = [{ amountCents: 1_000_000, paidOn: '2025-06-30' }];
    const byDefault = computeBreakdown(base({ payments, asOf: '2025-07-31' }));
    expect(byDefault.totalDueCents).toBe(20_573);
    expect(isSettled(byDefault, false)).toBe(true);

    const pursue = computeBreakdown(base({ creditor: { category: 'business', pursueAccessories: true }, payments, asOf: '2025-07-31' }));
    expect(pursue.principalDueCents).toBe(20_573);
    expect(pursue.interest.totalCents).toBe(16_573 + 212);
    expect(pursue.totalDueCents).toBe(20_785);
    expect(isSettled(pursue, true)).toBe(false);

    const cleared = computeBreakdown(
      base({
        creditor: { category: 'business', pursueAccessories: true },
        payments: [...payments, { amountCents: 20_785, paidOn: '2025-07-31' }],
        asOf: '2025-07-31',
      }),
    );
    expect(cleared.totalDueCents).toBe(0);
    expect(cleared.principalDueCents).toBe(0);
    expect(isSettled(cleared, true)).toBe(true);
  });

  it('allocatePayments in isolation', () => {
    const outstanding = { principalCents: 1_000, interestCents: 300, indemnityCents: 4_000 };
    expect(allocatePayments([500], outstanding, 'civil-code-1343-1').total).toEqual({
      interestCents: 300, indemnityCents: 200, principalCents: 0, unallocatedCents: 0,
    });
    expect(allocatePayments([500], outstanding, 'principal-first').total).toEqual({
      principalCents: 500, interestCents: 0, indemnityCents: 0, unallocatedCents: 0,
    });
    // Owed 1,000 + 300 + 4,000 = 5,300. First 3,000: principal 1,000, interest 300, indemnity 1,700.
    // Second 3,000: indemnity 4,000 - 1,700 = 2,300, surplus 700.
    const over = allocatePayments([3_000, 3_000], outstanding, 'principal-first');
    expect(over.allocations[0]).toEqual({ principalCents: 1_000, interestCents: 300, indemnityCents: 1_700, unallocatedCents: 0 });
    expect(over.allocations[1]).toEqual({ principalCents: 0, interestCents: 0, indemnityCents: 2_300, unallocatedCents: 700 });
    expect(over.remaining).toEqual({ principalCents: 0, interestCents: 0, indemnityCents: 0 });
  });
});

describe('indemnity and insolvency, overpayment', () => {
  it('no indemnity against a debtor in insolvency proceedings (L441-10 II)', () => {
    const b = computeBreakdown(base({ insolvency: true }));
    expect(b.indemnityCents).toBe(0);
    expect(b.totalDueCents).toBe(1_031_552);
    expect(b.notes.join('\n')).toMatch(/insolvency/);
  });

  it('overpayment is floored at zero due and refused by checkPaymentAmount', () => {
    const b = computeBreakdown(base({ payments: [{ amountCents: 2_000_000, paidOn: '2025-08-14' }] }));
    expect(b.totalDueCents).toBe(0);
    expect(b.paidCents).toBe(2_000_000);
    expect(maxPayableCents(b)).toBe(0);

    const open = computeBreakdown(base());
    expect(maxPayableCents(open)).toBe(1_035_552);
    expect(checkPaymentAmount(open, 1_035_552)).toEqual({ ok: true });
    expect(checkPaymentAmount(open, 1_035_553)).toMatchObject({ ok: false, error: { code: 'overpayment', maxPayableCents: 1_035_552 } });
    expect(checkPaymentAmount(open, 0)).toMatchObject({ ok: false, error: { code: 'invalid_amount' } });
    expect(checkPaymentAmount(open, 10.5)).toMatchObject({ ok: false, error: { code: 'invalid_amount' } });
  });

  it('rejects malformed input loudly', () => {
    expect(() => computeBreakdown(base({ asOf: '2025-02-30' }))).toThrow(RangeError);
    expect(() => computeBreakdown(base({ payments: [{ amountCents: -1, paidOn: '2025-06-01' }] }))).toThrow(RangeError);
    expect(() => computeBreakdown(base({ invoice: { amountCents: 10.5, dueDate: '2025-05-15' } }))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const DAY0 = toEpochDay('2024-01-01');
const DAY1 = toEpochDay('2027-12-31');

const inputArb = fc
  .record({
    amount: fc.integer({ min: 0, max: 5_000_000_00 }),
    due: fc.integer({ min: DAY0, max: DAY1 }),
    asOfOffset: fc.integer({ min: -60, max: 800 }),
    business: fc.boolean(),
    individual: fc.boolean(),
    pursue: fc.boolean(),
    insolvency: fc.boolean(),
    noticeOffset: fc.option(fc.integer({ min: -30, max: 400 }), { nil: undefined }),
    contractual: fc.option(fc.constantFrom('5.00', '8.00', '9.50', '15.00', '40.00', 'bad'), { nil: undefined }),
    payments: fc.array(fc.record({ offset: fc.integer({ min: -40, max: 900 }), share: fc.integer({ min: 0, max: 1_300 }) }), { maxLength: 6 }),
  })
  .map((r): BreakdownInput => ({
    invoice: { amountCents: r.amount, dueDate: fromEpochDay(r.due), ...(r.contractual ? { contractualPenaltyRate: r.contractual } : {}) },
    debtorKind: r.business ? 'business' : 'consumer',
    creditor: { category: r.individual ? 'individual' : 'business', pursueAccessories: r.pursue },
    // share is in thousandths of the principal (up to 130%), plus a few odd cents.
    payments: r.payments.map((p) => ({ amountCents: Math.floor((r.amount * p.share) / 1000) + (p.share % 7), paidOn: fromEpochDay(r.due + p.offset) })),
    asOf: fromEpochDay(r.due + r.asOfOffset),
    ...(r.noticeOffset !== undefined ? { formalNoticeSentOn: fromEpochDay(r.due + r.noticeOffset) } : {}),
    insolvency: r.insolvency,
  }));

describe('properties', () => {
  it('nothing negative; totals equal the sum of their lines; totalDue formula', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const b = computeBreakdown(input);
        for (const v of [b.principalCents, b.interest.totalCents, b.indemnityCents, b.paidCents, b.totalDueCents, b.principalDueCents]) {
          expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        }
        for (const l of b.interest.lines) {
          expect(l.amountCents).toBeGreaterThanOrEqual(0);
          expect(l.basisCents).toBeGreaterThan(0);
          expect(l.days).toBeGreaterThan(0);
        }
        expect(b.interest.totalCents).toBe(b.interest.lines.reduce((s, l) => s + l.amountCents, 0));
        expect(b.totalDueCents).toBe(Math.max(0, b.principalCents + b.interest.totalCents + b.indemnityCents - b.paidCents));
        expect(b.principalDueCents).toBeLessThanOrEqual(b.principalCents);
        expect(b.provisional).toBe(b.interest.lines.some((l) => l.provisional));
        const counted = input.payments.filter((p) => p.paidOn <= input.asOf).reduce((s, p) => s + p.amountCents, 0);
        expect(b.paidCents).toBe(counted);
        if (b.regime === 'b2c') expect(b.interest.basis).toBe('legal');
      }),
      { numRuns: 300 },
    );
  });

  it('allocation conserves cents exactly and matches what remains due', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const x = explainBreakdown(input);
        const b = x.breakdown;
        for (const p of x.payments) {
          expect(p.principalCents + p.interestCents + p.indemnityCents + p.unallocatedCents).toBe(p.amountCents);
          for (const v of [p.principalCents, p.interestCents, p.indemnityCents, p.unallocatedCents]) expect(v).toBeGreaterThanOrEqual(0);
        }
        const a = x.allocation;
        expect(a.principalCents + a.interestCents + a.indemnityCents + a.unallocatedCents).toBe(b.paidCents);
        expect(b.principalDueCents).toBe(b.principalCents - a.principalCents);
        expect(x.remaining.interestCents).toBe(b.interest.totalCents - a.interestCents);
        expect(x.remaining.indemnityCents).toBe(b.indemnityCents - a.indemnityCents);
        for (const v of Object.values(x.remaining)) expect(v).toBeGreaterThanOrEqual(0);
        const remaining = x.remaining.principalCents + x.remaining.interestCents + x.remaining.indemnityCents;
        expect(remaining).toBe(b.totalDueCents);
        if (a.unallocatedCents > 0) expect(b.totalDueCents).toBe(0);
        // Principal first: the principal due is simply what payments have not covered.
        if (!input.creditor.pursueAccessories) {
          expect(b.principalDueCents).toBe(Math.max(0, b.principalCents - b.paidCents));
          expect(isSettled(b)).toBe(b.paidCents >= b.principalCents);
        }
        expect(maxPayableCents(b)).toBe(b.totalDueCents);
      }),
      { numRuns: 300 },
    );
  });

  it('allocatePayments conserves cents for any outstanding amounts and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 10_000_000 }), { maxLength: 8 }),
        fc.record({ principalCents: fc.nat({ max: 10_000_000 }), interestCents: fc.nat({ max: 1_000_000 }), indemnityCents: fc.constantFrom(0, 4_000) }),
        fc.constantFrom('principal-first' as const, 'civil-code-1343-1' as const),
        (amounts, outstanding, order) => {
          const r = allocatePayments(amounts, outstanding, order);
          amounts.forEach((amount, i) => {
            const a = r.allocations[i]!;
            expect(a.principalCents + a.interestCents + a.indemnityCents + a.unallocatedCents).toBe(amount);
          });
          for (const k of ['principalCents', 'interestCents', 'indemnityCents'] as const) {
            expect(r.total[k] + r.remaining[k]).toBe(outstanding[k]);
            expect(r.remaining[k]).toBeGreaterThanOrEqual(0);
          }
          const sum = amounts.reduce((s, v) => s + v, 0);
          const owed = outstanding.principalCents + outstanding.interestCents + outstanding.indemnityCents;
          expect(r.total.unallocatedCents).toBe(Math.max(0, sum - owed));
        },
      ),
    );
  });

  it('the indemnity is 0 or 40 EUR, never more, only B2B, never in insolvency', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const x = explainBreakdown(input);
        const b = x.breakdown;
        expect([0, RECOVERY_INDEMNITY_CENTS]).toContain(b.indemnityCents);
        expect(x.allocation.indemnityCents).toBeLessThanOrEqual(b.indemnityCents);
        if (input.debtorKind === 'consumer' || input.insolvency) expect(b.indemnityCents).toBe(0);
        // Due exactly when some principal was still unpaid at the end of the due date.
        const paidByDue = input.payments.filter((p) => p.paidOn <= input.invoice.dueDate && p.paidOn <= input.asOf).reduce((s, p) => s + p.amountCents, 0);
        const late = input.asOf > input.invoice.dueDate && paidByDue < input.invoice.amountCents;
        expect(b.indemnityCents > 0).toBe(input.debtorKind === 'business' && !input.insolvency && late);
        // Recomputing later never adds a second indemnity.
        const later = computeBreakdown({ ...input, asOf: fromEpochDay(toEpochDay(input.asOf) + 400) });
        expect(later.indemnityCents).toBeLessThanOrEqual(RECOVERY_INDEMNITY_CENTS);
      }),
      { numRuns: 300 },
    );
  });

  it('interest is monotone non-decreasing in asOf for a fixed unpaid principal', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 500 }), (input, extra) => {
        const unpaid = { ...input, payments: [] };
        const before = computeBreakdown(unpaid);
        const after = computeBreakdown({ ...unpaid, asOf: fromEpochDay(toEpochDay(input.asOf) + extra) });
        expect(after.interest.totalCents).toBeGreaterThanOrEqual(before.interest.totalCents);
        expect(after.totalDueCents).toBeGreaterThanOrEqual(before.totalDueCents);
      }),
      { numRuns: 300 },
    );
  });
});

describe('one more payment (explainNextPayment, what recordPayment computes)', () => {
  const orderArb = fc.constantFrom('principal-first' as const, 'civil-code-1343-1' as const, undefined);
  // A history (each payment with its own stored order, as recorded), then one more payment: most
  // often dated on or after the others (the one-pass path), sometimes back-dated, on the due date,
  // of 0 cents or after asOf (the full computations).
  const caseArb = fc
    .record({
      input: inputArb,
      publicSector: fc.boolean(),
      orders: fc.array(orderArb, { minLength: 6, maxLength: 6 }),
      next: fc.record({
        after: fc.boolean(),
        offset: fc.integer({ min: -40, max: 120 }),
        share: fc.integer({ min: 0, max: 1_300 }),
        order: fc.constantFrom('principal-first' as const, 'civil-code-1343-1' as const),
      }),
    })
    .map(({ input, publicSector, orders, next }) => {
      const payments = input.payments.map((p, i) => ({ ...p, ref: `P${i}`, ...(orders[i] ? { order: orders[i] } : {}) }));
      const latest = payments.reduce((m, p) => (p.paidOn > m ? p.paidOn : m), input.invoice.dueDate);
      const from = next.after ? latest : input.invoice.dueDate;
      const paidOn = fromEpochDay(toEpochDay(from) + (next.after ? Math.abs(next.offset) % 30 : next.offset));
      const amountCents = Math.floor((input.invoice.amountCents * next.share) / 1000) + (next.share % 7);
      return { input: { ...input, payments, ...(publicSector ? { publicSector } : {}) }, next: { amountCents, paidOn, order: next.order, ref: 'NEXT' } };
    });

  it('equals the full computations before and after it, to the cent', () => {
    let onePass = 0;
    fc.assert(
      fc.property(caseArb, ({ input, next }) => {
        const got = explainNextPayment(input, next);
        const before = computeBreakdown(input);
        const after = explainBreakdown({ ...input, payments: [...input.payments, next] });
        expect(got.dueBeforeCents).toBe(before.totalDueCents);
        expect(got.remaining).toEqual(after.remaining);
        expect(got.allocation).toEqual(after.payments.find((x) => x.ref === 'NEXT'));
        if (next.paidOn <= input.asOf && input.payments.every((p) => p.paidOn <= next.paidOn)) onePass++;
      }),
      { numRuns: 1_000 },
    );
    // The one-pass path is the one under test: a good share of the cases (about a fifth) take it.
    expect(onePass).toBeGreaterThan(100);
  });
});

describe('public-sector buyer (CCP L2192-13, R2192-31)', () => {
  it('one rate for the whole delay: the ECB rate of the half-year interest started in + 8 points; the 40 EUR indemnity', () => {
    // 1,000.00 due 2026-06-03: interest from 06-04 (2026 H1: ECB 2.15% + 8 = 10.15%), to 07-31.
    // H1: 27 d x 10.15% on 1,000 = 7.51 ; H2 (same rate, not the provisional H2 ECB row): 31 d = 8.62.
    const b = computeBreakdown(base({ invoice: { amountCents: 100_000, dueDate: '2026-06-03' }, asOf: '2026-07-31', publicSector: true }));
    expect(b.interest.basis).toBe('ccp-l2192-13');
    expect(b.interest.lines.map((l) => [l.from, l.to, l.ratePercent, l.amountCents, l.provisional])).toEqual([
      ['2026-06-04', '2026-06-30', '10.15', 751, false],
      ['2026-07-01', '2026-07-31', '10.15', 862, false],
    ]);
    expect(b.indemnityCents).toBe(4_000);
    expect(b.notes.join('\n')).toMatch(/R2192-31/);
  });
});
