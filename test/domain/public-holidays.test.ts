import Holidays from 'date-holidays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOLIDAY_REGIONS, isBusinessDay, isPublicHoliday, publicHolidays } from '../../lambdas/domain/calendar';
import { easterSunday } from '../../lambdas/domain/public-holidays';
import { easterSunday as oracleEaster, ORACLE_REGIONS, oracleHolidays, oracleIsBusinessDay } from './holiday-oracle';

/** fast-check seed: printed, and replayed with FC_SEED=<n>. */
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`public-holidays.test.ts: fast-check seed ${seed} (replay with FC_SEED=${seed})`);

const sorted = (days: Iterable<string>) => [...days].sort();

describe('French public holidays without a data package (lambdas/domain/public-holidays.ts)', () => {
  it('computes Easter Sunday on known dates, the earliest and latest possible included', () => {
    expect(easterSunday(2024)).toEqual([3, 31]);
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(1818)).toEqual([3, 22]); // earliest possible date
    expect(easterSunday(2285)).toEqual([3, 22]);
    expect(easterSunday(1943)).toEqual([4, 25]); // latest possible date
    expect(easterSunday(2038)).toEqual([4, 25]);
    expect(easterSunday(1954)).toEqual([4, 18]); // epact 25 with golden number > 11
    expect(easterSunday(1981)).toEqual([4, 19]); // epact 24
  });

  it('agrees with the oracle’s independent Easter formula for every Gregorian year up to 9999', () => {
    for (let year = 1583; year <= 9999; year++) expect(easterSunday(year), String(year)).toEqual(oracleEaster(year));
  });

  // date-holidays is slow (moment-timezone): every year of this century, one in ten around it.
  const comparedYears = Array.from({ length: 301 }, (_, k) => 1900 + k).filter((y) => (y >= 2000 && y <= 2080) || y % 10 === 0);

  it('gives, day for day, what date-holidays gave for every region, 1900-2200 (the calendar it replaces)', () => {
    for (const region of HOLIDAY_REGIONS) {
      const source = region === 'FR' ? new Holidays('FR') : new Holidays('FR', region.slice(3));
      for (const year of comparedYears) {
        const expected = source.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10));
        expect(sorted(publicHolidays(year, region)), `${region} ${year}`).toEqual(sorted(new Set(expected)));
      }
    }
  });

  it('matches the law-based oracle for every region it knows, 1900-2200', () => {
    for (const region of ORACLE_REGIONS) {
      for (let year = 1900; year <= 2200; year++) {
        expect(sorted(publicHolidays(year, region)), `${region} ${year}`).toEqual(sorted(oracleHolidays(year, region)));
      }
    }
  });

  it('adds Good Friday in Guadeloupe and Martinique, the abolition day in Saint-Barthélemy and Saint-Martin', () => {
    expect(isPublicHoliday('2026-04-03', 'FR-GP')).toBe(true);
    expect(isPublicHoliday('2026-04-03', 'FR-MQ')).toBe(true);
    expect(isPublicHoliday('2026-04-03', 'FR-RE')).toBe(false);
    expect(isPublicHoliday('2026-10-09', 'FR-BL')).toBe(true);
    expect(isPublicHoliday('2026-05-27', 'FR-MF')).toBe(true);
    expect(isPublicHoliday('2026-05-27', 'FR-BL')).toBe(false);
  });

  it('property: any day 1900-2200 is a business day exactly when the oracle says so', () => {
    const day = fc.integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2200, 11, 31) / 86_400_000 }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.constantFrom(...ORACLE_REGIONS), (date, region) => {
        expect(isBusinessDay(date, region)).toBe(oracleIsBusinessDay(date, region));
      }),
      { seed, numRuns: 2000 },
    );
  });
});
