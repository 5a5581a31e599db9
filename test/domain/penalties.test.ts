import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  divideHalfUp,
  interestCents,
  interestLines,
  periodLines,
  rateForHalfYear,
  sumLines,
  validateContractualRate,
} from '../../lambdas/domain/penalties';
import { addDays, fromEpochDay, toEpochDay } from '../../lambdas/domain/epoch-days';
import type { PenaltyLine } from '../../lambdas/domain/model';

const B2B = { kind: 'b2b' } as const;

/** Rates typed from /work/shared/reference/legal-fr.md, in hundredths of a percent. */
const REF_B2B: Record<string, number> = {
  '2024-H1': 1450, '2024-H2': 1425, '2025-H1': 1315, '2025-H2': 1215, '2026-H1': 1215, '2026-H2': 1215,
};

/** Half-year of a date, written independently of the implementation. */
function refHalfYear(date: string): string {
  return `${date.slice(0, 4)}-H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}`;
}

function shape(lines: PenaltyLine[]) {
  return lines.map((l) => ({ from: l.from, to: l.to, days: l.days, rate: l.ratePercent, basis: l.basisCents, amount: l.amountCents }));
}

describe('exact line amounts', () => {
  it('rounds half-up to the cent, in integer arithmetic', () => {
    expect(divideHalfUp(5n, 10n)).toBe(1n); // 0.5 -> 1
    expect(divideHalfUp(4n, 10n)).toBe(0n); // 0.4 -> 0
    expect(divideHalfUp(15n, 10n)).toBe(2n); // 1.5 -> 2
    // 100.00 EUR at 36.50% for 1 day: 10000 x 0.365 / 365 = 10 cents exactly.
    expect(interestCents(10_000, 3650, 1)).toBe(10);
    // 1 cent at 18.25% for 1000 days: 1 x 0.1825 x 1000 / 365 = 0.5 cent -> rounds up to 1.
    expect(interestCents(1, 1825, 1000)).toBe(1);
    // 1 cent at 18.24% for 1000 days = 0.49972... -> 0.
    expect(interestCents(1, 1824, 1000)).toBe(0);
    // Huge basis stays exact (no float drift): 90,000,000,000.00 EUR at 12.15% for 365 days
    // = 9e12 cents x 0.1215 = 1,093,500,000,000 cents exactly.
    expect(interestCents(9_000_000_000_000, 1215, 365)).toBe(1_093_500_000_000);
  });
});

describe('(a) B2B 10,000.00 EUR due 2025-05-15, unpaid, as of 2025-08-14', () => {
  /*
   * Delay runs from 2025-05-16 (day after the due date) to 2025-08-14 inclusive = 91 days.
   * Line 1, 2025 H1, ECB 3.15% + 10 = 13.15%: 2025-05-16..2025-06-30 = 16 (May) + 30 (June) = 46 days
   *   1,000,000 cents x 1315/10000 x 46 / 365 = 1315 x 46 x 100 / 365 = 6,049,000 / 365
   *   = 16,572.6027... -> 16,573 cents = 165.73 EUR
   * Line 2, 2025 H2, ECB 2.15% + 10 = 12.15%: 2025-07-01..2025-08-14 = 31 + 14 = 45 days
   *   1215 x 45 x 100 / 365 = 5,467,500 / 365 = 14,979.4520... -> 14,979 cents = 149.79 EUR
   * Total 165.73 + 149.79 = 315.52 EUR.
   */
  const lines = interestLines({ regime: B2B, principalCents: 1_000_000, firstDay: '2025-05-16', lastDay: '2025-08-14', principalPayments: [] });

  it('splits at the 1 July boundary with the rate of each half-year', () => {
    expect(shape(lines)).toEqual([
      { from: '2025-05-16', to: '2025-06-30', days: 46, rate: '13.15', basis: 1_000_000, amount: 16_573 },
      { from: '2025-07-01', to: '2025-08-14', days: 45, rate: '12.15', basis: 1_000_000, amount: 14_979 },
    ]);
    expect(sumLines(lines)).toBe(31_552);
    expect(lines.every((l) => !l.provisional)).toBe(true);
    expect(lines[0]!.source).toContain('3.15%');
    expect(lines[1]!.source).toContain('2.15%');
  });
});

describe('(b) partial payment mid-period', () => {
  /*
   * Same invoice; 4,000.00 EUR paid on 2025-07-10; as of 2025-08-14.
   * The payment day still bears interest on 10,000; the basis is 6,000 from 2025-07-11.
   * L1 2025-05-16..06-30, 46 d, 13.15%, 10,000: 165.73 (as in (a))
   * L2 2025-07-01..07-10, 10 d, 12.15%, 10,000: 1215 x 10 x 100 / 365 = 1,215,000 / 365 = 3,328.767 -> 33.29
   * L3 2025-07-11..08-14, 21 + 14 = 35 d, 12.15%, 6,000: 600,000 x 1215 x 35 / 3,650,000
   *    = 25,515,000,000 / 3,650,000 = 6,990.41 -> 69.90
   * Total 165.73 + 33.29 + 69.90 = 268.92 EUR.
   */
  it('reduces the basis from the day after the payment and splits there', () => {
    const lines = interestLines({
      regime: B2B,
      principalCents: 1_000_000,
      firstDay: '2025-05-16',
      lastDay: '2025-08-14',
      principalPayments: [{ amountCents: 400_000, paidOn: '2025-07-10' }],
    });
    expect(shape(lines)).toEqual([
      { from: '2025-05-16', to: '2025-06-30', days: 46, rate: '13.15', basis: 1_000_000, amount: 16_573 },
      { from: '2025-07-01', to: '2025-07-10', days: 10, rate: '12.15', basis: 1_000_000, amount: 3_329 },
      { from: '2025-07-11', to: '2025-08-14', days: 35, rate: '12.15', basis: 600_000, amount: 6_990 },
    ]);
    expect(sumLines(lines)).toBe(26_892);
  });

  it('a payment before the first day of delay only lowers the starting basis; full payment stops interest', () => {
    const lines = interestLines({
      regime: B2B,
      principalCents: 1_000_000,
      firstDay: '2025-05-16',
      lastDay: '2025-08-14',
      principalPayments: [
        { amountCents: 500_000, paidOn: '2025-05-10' },
        { amountCents: 500_000, paidOn: '2025-05-20' },
      ],
    });
    // 5,000 x 13.15% x 5 days (16..20 May) / 365 = 500,000 x 1315 x 5 / 3,650,000 = 900.68 -> 9.01 EUR
    expect(shape(lines)).toEqual([{ from: '2025-05-16', to: '2025-05-20', days: 5, rate: '13.15', basis: 500_000, amount: 901 }]);
  });
});

describe('(c) contractual rate and the 3x legal floor (C. com. L441-10 II)', () => {
  it('refuses 8.00% in 2025 H2: floor 3 x 2.76% = 8.28%', () => {
    const v = validateContractualRate('8.00', '2025-07-01');
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.error.code).toBe('below_legal_floor');
    expect(v.error.floorPercent).toBe('8.28');
    expect(v.error.legalRatePercent).toBe('2.76');
    expect(v.error.halfYear).toBe('2025-H2');
    expect(v.error.message).toMatch(/refused/);
  });

  it('floor of 2025 H1 is 3 x 3.71% = 11.13%; equal to the floor is accepted, one hundredth below is not', () => {
    expect(validateContractualRate('11.13', '2025-03-01').ok).toBe(true);
    const below = validateContractualRate('11.12', '2025-03-01');
    expect(below.ok).toBe(false);
  });

  it('2026 H1 floor 3 x 2.62% = 7.86%: 8.00% accepted; 2026 H2 floor is provisional', () => {
    const ok = validateContractualRate('8.00', '2026-02-01');
    expect(ok).toMatchObject({ ok: true, ratePercent: '8.00', hundredths: 800, floorPercent: '7.86', provisional: false });
    const h2 = validateContractualRate('8.00', '2026-09-01');
    expect(h2).toMatchObject({ ok: true, floorPercent: '7.86', provisional: true });
  });

  it('malformed rate gives an invalid_rate error, not an exception', () => {
    const v = validateContractualRate('quinze', '2025-07-01');
    expect(v).toMatchObject({ ok: false, error: { code: 'invalid_rate' } });
    expect(validateContractualRate('8.125', '2025-07-01')).toMatchObject({ ok: false, error: { code: 'invalid_rate' } });
  });

  it('a refused contractual rate falls back to the default rate for the lines', () => {
    // Same as (a): 8.00% < 11.13% (H1) and < 8.28% (H2), so 13.15% then 12.15%: 315.52 EUR.
    const lines = interestLines({
      regime: { kind: 'b2b', contractualRatePercent: '8.00', contractualRateOrigin: 'invoice' },
      principalCents: 1_000_000,
      firstDay: '2025-05-16',
      lastDay: '2025-08-14',
      principalPayments: [],
    });
    expect(lines.map((l) => l.ratePercent)).toEqual(['13.15', '12.15']);
    expect(sumLines(lines)).toBe(31_552);
    expect(lines[0]!.source).toMatch(/refused/);
    expect(rateForHalfYear({ kind: 'b2b', contractualRatePercent: '8.00' }, '2025-H2').refused?.code).toBe('below_legal_floor');
  });

  it('an accepted contractual rate of 15.00% replaces the default', () => {
    /*
     * 10,000 EUR, 2025-05-16..06-30 (46 d): 1500 x 46 x 100 / 365 = 6,900,000 / 365 = 18,904.11 -> 189.04
     *             2025-07-01..08-14 (45 d): 1500 x 45 x 100 / 365 = 6,750,000 / 365 = 18,493.15 -> 184.93
     * Total 373.97 EUR.
     */
    const lines = interestLines({
      regime: { kind: 'b2b', contractualRatePercent: '15.00' },
      principalCents: 1_000_000,
      firstDay: '2025-05-16',
      lastDay: '2025-08-14',
      principalPayments: [],
    });
    expect(lines.map((l) => [l.ratePercent, l.amountCents])).toEqual([
      ['15.00', 18_904],
      ['15.00', 18_493],
    ]);
    expect(lines[0]!.source).toMatch(/Contractual rate 15\.00%/);
  });

  it('the floor is checked per half-year: 8.00% refused in 2025 H2, accepted in 2026 H1', () => {
    /*
     * 10,000 EUR due 2025-12-15, as of 2026-01-31.
     * 2025-12-16..12-31: 16 d at the default 12.15%: 1215 x 16 x 100 / 365 = 1,944,000/365 = 5,326.03 -> 53.26
     * 2026-01-01..01-31: 31 d at the contractual 8.00%: 800 x 31 x 100 / 365 = 2,480,000/365 = 6,794.52 -> 67.95
     */
    const lines = interestLines({
      regime: { kind: 'b2b', contractualRatePercent: '8.00' },
      principalCents: 1_000_000,
      firstDay: '2025-12-16',
      lastDay: '2026-01-31',
      principalPayments: [],
    });
    expect(lines.map((l) => [l.from, l.ratePercent, l.amountCents])).toEqual([
      ['2025-12-16', '12.15', 5_326],
      ['2026-01-01', '8.00', 6_795],
    ]);
  });
});

describe('B2C legal interest lines', () => {
  it('use the creditor-category column and the half-year of each day', () => {
    /*
     * 1,500.00 EUR from 2025-06-11 to 2025-07-20.
     * business creditor: 20 d at 3.71%: 150,000 x 371 x 20 / 3,650,000 = 304.93 -> 3.05
     *                    20 d at 2.76%: 150,000 x 276 x 20 / 3,650,000 = 226.85 -> 2.27
     */
    const lines = periodLines('2025-06-11', '2025-07-20', 150_000, { kind: 'b2c', creditorCategory: 'business' });
    expect(lines.map((l) => [l.days, l.ratePercent, l.amountCents])).toEqual([
      [20, '3.71', 305],
      [20, '2.76', 227],
    ]);
    expect(lines[0]!.source).toMatch(/1231-6/);
  });
});

describe('(e) provisional half-year', () => {
  it('2027 H1 uses the last known rate and the line is provisional', () => {
    // 1,000.00 EUR, 2027-01-01..01-30 = 30 d at 12.15% (2026 H2 row): 100,000 x 1215 x 30 / 3,650,000
    // = 3,645,000,000 / 3,650,000 = 998.63 -> 9.99 EUR
    const lines = periodLines('2027-01-01', '2027-01-30', 100_000, B2B);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ ratePercent: '12.15', amountCents: 999, provisional: true, days: 30 });
    expect(lines[0]!.source).toMatch(/^Provisional: the ECB rate for 2027-H1 is not yet known; the last known rate \(2026-H2\) is applied/);
  });
});

describe('properties', () => {
  const dayIn = (from: string, to: string) => fc.integer({ min: toEpochDay(from), max: toEpochDay(to) });

  it('lines tile the period, never cross a half-year, and match a day-by-day oracle within rounding', () => {
    fc.assert(
      fc.property(
        dayIn('2024-01-01', '2026-12-31'),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 1, max: 100_000_000_00 }),
        fc.array(fc.record({ offset: fc.integer({ min: -30, max: 900 }), amount: fc.integer({ min: 0, max: 50_000_000_00 }) }), { maxLength: 5 }),
        (start, length, principal, raw) => {
          const firstDay = fromEpochDay(start);
          const lastDay = fromEpochDay(Math.min(start + length, toEpochDay('2026-12-31')));
          const payments = raw.map((p) => ({ amountCents: p.amount, paidOn: fromEpochDay(start + p.offset) }));
          const lines = interestLines({ regime: B2B, principalCents: principal, firstDay, lastDay, principalPayments: payments });

          // Oracle: exact day-by-day sum with rates typed from the reference; basis on day X =
          // principal - payments made strictly before X (floored at 0).
          let exactNumerator = 0n;
          let positiveDays = 0;
          for (let d = toEpochDay(firstDay); d <= toEpochDay(lastDay); d++) {
            const paidBefore = payments.filter((p) => toEpochDay(p.paidOn) < d).reduce((s, p) => s + p.amountCents, 0);
            const basis = Math.max(0, principal - paidBefore);
            if (basis > 0) positiveDays++;
            exactNumerator += BigInt(basis) * BigInt(REF_B2B[refHalfYear(fromEpochDay(d))]!);
          }
          const denominator = 3_650_000n;
          const total = BigInt(sumLines(lines));
          const diff = total * denominator - exactNumerator;
          const tolerance = (BigInt(lines.length) * denominator) / 2n;
          expect(diff <= tolerance && -diff <= tolerance).toBe(true);

          // Structure: contiguous, inside one half-year, days consistent, non-negative.
          expect(lines.reduce((s, l) => s + l.days, 0)).toBe(positiveDays);
          for (const l of lines) {
            expect(refHalfYear(l.from)).toBe(refHalfYear(l.to));
            expect(toEpochDay(l.to) - toEpochDay(l.from) + 1).toBe(l.days);
            expect(l.amountCents).toBeGreaterThanOrEqual(0);
            expect(l.basisCents).toBeGreaterThan(0);
          }
          for (let i = 1; i < lines.length; i++) expect(lines[i]!.from).toBe(addDays(lines[i - 1]!.to, 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('interest is monotone non-decreasing in the last day for a fixed unpaid principal', () => {
    fc.assert(
      fc.property(
        dayIn('2024-01-01', '2027-12-31'),
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 10_000_000_00 }),
        fc.option(fc.constantFrom('8.00', '12.00', '15.00', '40.00'), { nil: undefined }),
        (start, a, extra, principal, contractual) => {
          const regime = { kind: 'b2b', contractualRatePercent: contractual } as const;
          const first = fromEpochDay(start);
          const at = (n: number) =>
            sumLines(interestLines({ regime, principalCents: principal, firstDay: first, lastDay: fromEpochDay(start + n), principalPayments: [] }));
          expect(at(a + extra)).toBeGreaterThanOrEqual(at(a));
        },
      ),
      { numRuns: 200 },
    );
  });
});
