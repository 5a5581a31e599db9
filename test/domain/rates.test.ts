import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkRateTable,
  ECB_RATES,
  LEGAL_INTEREST_RATES,
  b2bDefaultRate,
  compareHalfYears,
  ecbRate,
  formatRatePercent,
  halfYearEnd,
  halfYearOf,
  halfYearStart,
  legalRate,
  nextHalfYear,
  parseRatePercent,
  INTERNAL_WORDING,
  type HalfYear,
} from '../../lambdas/domain/rates';
import { addDays, fromEpochDay, toEpochDay } from '../../lambdas/domain/epoch-days';

/**
 * Figures typed from /work/shared/reference/legal-fr.md (not from the implementation).
 */
const REFERENCE_B2B: Record<string, string> = {
  '2024-H1': '14.50',
  '2024-H2': '14.25',
  '2025-H1': '13.15',
  '2025-H2': '12.15',
  '2026-H1': '12.15',
  '2026-H2': '12.15',
};
const REFERENCE_LEGAL: Record<string, [individual: string, other: string]> = {
  '2024-H1': ['8.01', '5.07'],
  '2024-H2': ['8.16', '4.92'],
  '2025-H1': ['7.21', '3.71'],
  '2025-H2': ['6.65', '2.76'],
  '2026-H1': ['6.67', '2.62'],
  // "2026 H2: not in sources": the row carries the last known rates forward, marked provisional.
  '2026-H2': ['6.67', '2.62'],
};
/** Rows the reference marks "to confirm" or "not in sources". */
const PROVISIONAL_ROWS = new Set(['2026-H2']);

describe('half-years', () => {
  it('cuts on 30 June / 1 July and 31 December / 1 January', () => {
    expect(halfYearOf('2025-01-01')).toBe('2025-H1');
    expect(halfYearOf('2025-06-30')).toBe('2025-H1');
    expect(halfYearOf('2025-07-01')).toBe('2025-H2');
    expect(halfYearOf('2025-12-31')).toBe('2025-H2');
    expect(halfYearOf('2026-01-01')).toBe('2026-H1');
    expect(halfYearStart('2025-H2')).toBe('2025-07-01');
    expect(halfYearEnd('2025-H1')).toBe('2025-06-30');
    expect(halfYearEnd('2025-H2')).toBe('2025-12-31');
    expect(nextHalfYear('2025-H2')).toBe('2026-H1');
    expect(nextHalfYear('2026-H1')).toBe('2026-H2');
  });

  it('rejects malformed dates', () => {
    expect(() => halfYearOf('2025-02-30')).toThrow(RangeError);
    expect(() => halfYearOf('2025-7-01')).toThrow(RangeError);
  });

  it('property: every date lies between the start and the end of its half-year', () => {
    fc.assert(
      fc.property(fc.integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2100-12-31') }), (day) => {
        const date = fromEpochDay(day);
        const hy = halfYearOf(date);
        expect(toEpochDay(halfYearStart(hy))).toBeLessThanOrEqual(day);
        expect(toEpochDay(halfYearEnd(hy))).toBeGreaterThanOrEqual(day);
        expect(halfYearOf(addDays(halfYearEnd(hy), 1))).toBe(nextHalfYear(hy));
      }),
    );
  });
});

describe('rate strings', () => {
  it('parses to integer hundredths of a percent, never floats', () => {
    expect(parseRatePercent('12.15')).toBe(1215);
    expect(parseRatePercent('8')).toBe(800);
    expect(parseRatePercent('8.5')).toBe(850);
    expect(parseRatePercent('8.500')).toBe(850);
    expect(parseRatePercent('0.07')).toBe(7);
    expect(parseRatePercent('8.125')).toBeNull(); // finer than a hundredth
    expect(parseRatePercent('-1')).toBeNull();
    expect(parseRatePercent('8,5')).toBeNull();
    expect(parseRatePercent('abc')).toBeNull();
    expect(formatRatePercent(1215)).toBe('12.15');
    expect(formatRatePercent(7)).toBe('0.07');
  });

  it('property: format then parse is the identity', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999 }), (h) => {
      expect(parseRatePercent(formatRatePercent(h))).toBe(h);
    }));
  });
});

describe('rate tables', () => {
  it('has one row per half-year, contiguous, each with a source', () => {
    for (const table of [ECB_RATES, LEGAL_INTEREST_RATES]) {
      for (let i = 1; i < table.length; i++) expect(nextHalfYear(table[i - 1]!.halfYear)).toBe(table[i]!.halfYear);
      for (const row of table) expect(row.source.length).toBeGreaterThan(20);
    }
    expect(ECB_RATES.map((r) => r.halfYear)).toEqual(Object.keys(REFERENCE_B2B));
    expect(LEGAL_INTEREST_RATES.map((r) => r.halfYear)).toEqual(Object.keys(REFERENCE_LEGAL));
  });

  it('B2B default rate = ECB + 10 points, matching the reference table (C. com. L441-10 II)', () => {
    for (const [hy, expected] of Object.entries(REFERENCE_B2B)) {
      const q = b2bDefaultRate(hy as HalfYear);
      expect(q.ratePercent, hy).toBe(expected);
      expect(q.hundredths).toBe(ecbRate(hy as HalfYear).hundredths + 1000);
      expect(q.provisional).toBe(PROVISIONAL_ROWS.has(hy));
      expect(q.source).toContain('L441-10');
    }
    expect(ecbRate('2025-H1').ratePercent).toBe('3.15');
    expect(ecbRate('2025-H2').ratePercent).toBe('2.15');
  });

  it('2026 H2 is in the table but awaiting confirmation: provisional, with an action for the logs only', () => {
    const q = b2bDefaultRate('2026-H2');
    expect(q.provisional).toBe(true);
    expect(q.toConfirm).toBe(true);
    expect(q.source).toMatch(/provisional until the rate in force on 1 Jul 2026 is confirmed/);
    expect(q.operatorAction).toMatch(/npm run rates:add -- ecb 2026-H2/);
    expect(b2bDefaultRate('2026-H1')).toMatchObject({ toConfirm: false, provisional: false });
    expect(b2bDefaultRate('2026-H1').operatorAction).toBeUndefined();
  });

  it('no source names a file or an operator step (sources may be printed in a letter)', () => {
    for (const row of [...ECB_RATES, ...LEGAL_INTEREST_RATES]) expect(row.source).not.toMatch(INTERNAL_WORDING);
    for (const hy of ['2026-H2', '2027-H1', '2020-H1'] as HalfYear[]) {
      expect(b2bDefaultRate(hy).source).not.toMatch(INTERNAL_WORDING);
      expect(legalRate(hy, 'business').source).not.toMatch(INTERNAL_WORDING);
    }
  });

  it('legal interest rate, both columns (C. mon. fin. L313-2)', () => {
    for (const [hy, [individual, other]] of Object.entries(REFERENCE_LEGAL)) {
      expect(legalRate(hy as HalfYear, 'individual').ratePercent, hy).toBe(individual);
      expect(legalRate(hy as HalfYear, 'business').ratePercent, hy).toBe(other);
      expect(legalRate(hy as HalfYear, 'business').provisional).toBe(PROVISIONAL_ROWS.has(hy));
    }
    expect(legalRate('2025-H2', 'business').source).toContain('all other cases');
    expect(legalRate('2025-H2', 'individual').source).toContain('private individual');
  });
});

describe('missing half-year: last known rate, provisional, never throws', () => {
  it('(e) 2027 H1 B2B uses the 2026 H2 rate, provisional, and says so', () => {
    const q = b2bDefaultRate('2027-H1');
    expect(q.ratePercent).toBe('12.15');
    expect(q.provisional).toBe(true);
    expect(q.tableHalfYear).toBe('2026-H2');
    expect(q.source).toMatch(/^Provisional: /);
    expect(q.source).toContain('2027-H1');
    expect(q.operatorAction).toMatch(/has no row for 2027-H1: add it/);
  });

  it('legal rate 2026 H2 (arrêté not yet known) carries 2026 H1 forward, provisional', () => {
    const business = legalRate('2026-H2', 'business');
    expect(business.ratePercent).toBe('2.62');
    expect(business.provisional).toBe(true);
    expect(business.source).toMatch(/2026 H1 rates are applied provisionally/);
    expect(legalRate('2026-H2', 'individual').ratePercent).toBe('6.67');
    expect(legalRate('2027-H1', 'business')).toMatchObject({ provisional: true, tableHalfYear: '2026-H2' });
  });

  it('far future and far past half-years do not throw', () => {
    expect(b2bDefaultRate('2040-H2').provisional).toBe(true);
    expect(b2bDefaultRate('2040-H2').ratePercent).toBe('12.15');
    const past = b2bDefaultRate('2020-H1');
    expect(past.provisional).toBe(true);
    expect(past.ratePercent).toBe('14.50');
    expect(past.source).toMatch(/earliest known/);
    expect(() => legalRate('garbage' as HalfYear, 'business')).not.toThrow();
    expect(legalRate('garbage' as HalfYear, 'business').provisional).toBe(true);
  });

  it('property: any half-year resolves; provisional exactly when outside the table', () => {
    const known = new Set(ECB_RATES.map((r) => r.halfYear));
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2200 }), fc.constantFrom<1 | 2>(1, 2), (year, half) => {
        const hy = `${year}-H${half}` as HalfYear;
        const q = b2bDefaultRate(hy);
        expect(q.provisional).toBe(!known.has(hy) || PROVISIONAL_ROWS.has(hy));
        expect(q.hundredths).toBeGreaterThanOrEqual(1000);
        if (!known.has(hy)) {
          const last = ECB_RATES[ECB_RATES.length - 1]!.halfYear;
          expect(q.tableHalfYear).toBe(compareHalfYears(hy, last) > 0 ? last : ECB_RATES[0]!.halfYear);
        }
      }),
    );
  });
});

describe('the rate tables as shipped', () => {
  it('pass their check: ordered, contiguous, parseable, sources fit to print (rates.ts checkRateTable)', () => {
    expect(checkRateTable(ECB_RATES, (r) => [r.ecbPercent])).toEqual([]);
    expect(checkRateTable(LEGAL_INTEREST_RATES, (r) => [r.individualPercent, r.otherPercent])).toEqual([]);
    // The check itself refuses a gap, a bad rate and a source naming a file.
    const [a, b] = ECB_RATES;
    expect(checkRateTable([a!, { ...b!, halfYear: '1999-H1' as never }], (r) => [r.ecbPercent]).length).toBeGreaterThan(0);
    expect(checkRateTable([{ ...a!, ecbPercent: 'x' }], (r) => [r.ecbPercent]).length).toBeGreaterThan(0);
    expect(checkRateTable([{ ...a!, source: 'see lambdas/domain/rate-tables.json for this rate' }], (r) => [r.ecbPercent]).length).toBeGreaterThan(0);
  });
});
