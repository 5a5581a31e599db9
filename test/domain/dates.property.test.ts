/**
 * lambdas/domain/dates.ts against luxon (the library it replaced in the Lambdas, kept as a
 * devDependency oracle): zone offsets, the wall clock of an instant, wall clock to instant (DST
 * gaps and overlaps included), ISO parsing, zone names and month arithmetic, over seeded random
 * instants, the DST transitions of Paris and of zones with unusual rules, and the overseas zones of
 * the debtor send window. Seed printed; replay with AMIABLE_SEED=<n>.
 */
import fc from 'fast-check';
import { DateTime, IANAZone, Settings } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { HOLIDAY_REGIONS, timeZoneFor } from '../../lambdas/domain/calendar';
import { dateInZone, isKnownZone, isoMillis, MS_PER_DAY, parisDateOf, wallClockToMs, zonedTime, zoneOffsetMs } from '../../lambdas/domain/dates';
import { addMonths, fromEpochDay } from '../../lambdas/domain/epoch-days';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`dates.property.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);
const runs = { seed, numRuns: 1000 };

/** The send window's zones (every holiday region's) and zones whose rules test the edge cases. */
const OVERSEAS = [...new Set(HOLIDAY_REGIONS.map(timeZoneFor))];
const ZONES = [
  ...OVERSEAS,
  'UTC',
  'America/New_York',
  'America/Sao_Paulo', // DST began at local midnight: 00:00 itself was skipped
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Apia', // skipped 30 December 2011 entirely
  'Europe/London',
];

const YEAR_MS = 365.2425 * MS_PER_DAY;
const from1970 = 0;
const to2100 = Math.round(130 * YEAR_MS);
/** Instants near Paris's DST changes (last Sundays of March and October, 01:00 UTC), ±3 h. */
function parisTransitions(): number[] {
  const out: number[] = [];
  for (let y = 1980; y <= 2090; y++) {
    for (const month of [3, 10]) {
      const last = new Date(Date.UTC(y, month, 0));
      const sunday = last.getUTCDate() - last.getUTCDay();
      out.push(Date.UTC(y, month - 1, sunday, 1));
    }
  }
  return out;
}
const instant = fc.oneof(
  fc.integer({ min: from1970, max: to2100 }),
  fc.tuple(fc.constantFrom(...parisTransitions()), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 })).map(([t, d]) => t + d),
);
const zone = fc.constantFrom(...ZONES);

const luxonOffsetMs = (ms: number, z: string) => DateTime.fromMillis(ms, { zone: z }).offset * 60_000;

describe('dates against luxon', () => {
  afterAll(() => {
    Settings.now = () => Date.now();
  });

  it('the offset of a zone at an instant', () => {
    fc.assert(
      fc.property(instant, zone, (ms, z) => {
        expect(zoneOffsetMs(ms, z)).toBe(luxonOffsetMs(ms, z));
      }),
      runs,
    );
  });

  it('the wall clock and the date of an instant in a zone (Paris and the overseas zones)', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...OVERSEAS, ...ZONES), (ms, z) => {
        const t = zonedTime(ms, z);
        const l = DateTime.fromMillis(ms, { zone: z });
        expect([t.date, t.hour, t.minute, t.second, t.millisecond]).toEqual([l.toISODate(), l.hour, l.minute, l.second, l.millisecond]);
        expect(dateInZone(ms, z)).toBe(l.toISODate());
      }),
      runs,
    );
  });

  /**
   * luxon resolves a wall time that occurs twice from the offset in force *now* (Settings.now), so
   * it is asked twice, from a winter and a summer "now": where both agree the time is unambiguous
   * and must match; where they differ, ours is the earlier of the two (documented choice).
   */
  function luxonWallClock(date: string, msOfDay: number, z: string): { a: number; b: number } {
    const [year, month, day] = date.split('-').map(Number);
    const fields = { year, month, day, hour: Math.floor(msOfDay / 3_600_000), minute: Math.floor(msOfDay / 60_000) % 60, second: Math.floor(msOfDay / 1000) % 60, millisecond: msOfDay % 1000 };
    Settings.now = () => Date.UTC(2026, 0, 15);
    const a = DateTime.fromObject(fields, { zone: z }).toMillis();
    Settings.now = () => Date.UTC(2026, 6, 15);
    const b = DateTime.fromObject(fields, { zone: z }).toMillis();
    Settings.now = () => Date.now();
    return { a, b };
  }

  it('the instant of a wall-clock time, random days and the days clocks change', () => {
    const anyDay = fc.integer({ min: 0, max: 130 * 365 }).map(fromEpochDay);
    // Around the changes: Paris and London (March, October), New York (March, November),
    // São Paulo (October to February, at midnight), Lord Howe (April, October).
    const changeDay = fc
      .tuple(fc.integer({ min: 1975, max: 2090 }), fc.constantFrom(1, 2, 3, 4, 10, 11, 12), fc.integer({ min: 1, max: 28 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const nightTime = fc.integer({ min: 0, max: 4 * 60 - 1 }).map((min) => min * 60_000);
    const anyTime = fc.integer({ min: 0, max: MS_PER_DAY - 1 });
    const wall = fc.oneof(fc.tuple(anyDay, anyTime), fc.tuple(changeDay, nightTime), fc.tuple(changeDay, fc.integer({ min: 22 * 60, max: 24 * 60 - 1 }).map((m) => m * 60_000)));
    fc.assert(
      fc.property(wall, zone, ([date, msOfDay], z) => {
        const { a, b } = luxonWallClock(date, msOfDay, z);
        expect(wallClockToMs(date, msOfDay, z)).toBe(Math.min(a, b));
      }),
      runs,
    );
  });

  it('the DST changes of Paris, minute by minute', () => {
    for (const date of ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31']) {
      for (let min = 0; min < 5 * 60; min++) {
        const { a, b } = luxonWallClock(date, min * 60_000, 'Europe/Paris');
        expect(wallClockToMs(date, min * 60_000, 'Europe/Paris')).toBe(Math.min(a, b));
      }
    }
    // 02:30 on the spring change does not exist: it is 03:30 summer time (01:30 UTC).
    expect(new Date(wallClockToMs('2026-03-29', 150 * 60_000, 'Europe/Paris')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 on the autumn change happens twice: the first (summer time, 00:30 UTC).
    expect(new Date(wallClockToMs('2026-10-25', 150 * 60_000, 'Europe/Paris')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  const digits = (n: number, lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((v) => String(v).padStart(n, '0'));
  /** ISO texts in the accepted shape, fields sometimes out of range (month 13, 30 February, 24:00...). */
  const isoText = fc
    .record({
      y: digits(4, 0, 9999),
      mo: digits(2, 0, 13),
      d: digits(2, 0, 32),
      time: fc.option(
        fc.record({
          h: digits(2, 0, 25),
          mi: digits(2, 0, 60),
          s: fc.option(fc.record({ s: digits(2, 0, 60), frac: fc.option(fc.integer({ min: 1, max: 9 }).chain((n) => digits(n, 0, 10 ** n - 1))) })),
          off: fc.option(fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), digits(2, 0, 14), fc.constantFrom('00', '30', '45')).map((p) => p.join('')).map((o) => `${o.slice(0, 3)}:${o.slice(3)}`))),
        }),
      ),
    })
    .map(({ y, mo, d, time }) => {
      const date = `${y}-${mo}-${d}`;
      if (!time) return date;
      const sec = time.s ? `:${time.s.s}${time.s.frac !== null ? `.${time.s.frac}` : ''}` : '';
      return `${date}T${time.h}:${time.mi}${sec}${time.off ?? ''}`;
    });

  it('ISO text to an instant: the same texts valid, the same instant', () => {
    fc.assert(
      fc.property(isoText, fc.constantFrom('UTC', 'Europe/Paris', 'America/Martinique', 'Indian/Reunion'), (text, z) => {
        // luxon rolls 24:00 back to 00:00 of the SAME day in years 0-99 (its two-digit-year
        // handling; 2024-03-05T24:00 is the next day, 0099-01-01T24:00 is not): the oracle is wrong
        // there, so those texts are pinned by the example test below instead (seed -25610892 found it).
        fc.pre(!(/T24:/.test(text) && Number(text.slice(0, 4)) < 100));
        const ours = isoMillis(text, z);
        const l = DateTime.fromISO(text, { zone: z });
        if (!l.isValid) {
          expect(ours).toBeNaN();
          return;
        }
        const withOffset = /(Z|[+-]\d{2}:\d{2})$/.test(text);
        const { a, b } = withOffset ? { a: l.toMillis(), b: l.toMillis() } : luxonIso(text, z);
        expect(ours).toBe(Math.min(a, b));
        // Without a zone for offset-less text, only texts with an offset are instants.
        expect(isoMillis(text)).toBe(withOffset ? ours : NaN);
      }),
      runs,
    );
  });

  it('24:00 is the end of its day, the next day at 00:00, in every year (ISO 8601)', () => {
    for (const [text, next] of [['0000-01-01T24:00', '0000-01-02T00:00'], ['0099-12-31T24:00', '0100-01-01T00:00'], ['2024-02-28T24:00', '2024-02-29T00:00']]) {
      expect(isoMillis(text, 'UTC'), text).toBe(isoMillis(next, 'UTC'));
    }
    expect(isoMillis('2024-02-28T24:00', 'UTC')).toBe(Date.UTC(2024, 1, 29));
  });

  function luxonIso(text: string, z: string): { a: number; b: number } {
    Settings.now = () => Date.UTC(2026, 0, 15);
    const a = DateTime.fromISO(text, { zone: z }).toMillis();
    Settings.now = () => Date.UTC(2026, 6, 15);
    const b = DateTime.fromISO(text, { zone: z }).toMillis();
    Settings.now = () => Date.now();
    return { a, b };
  }

  it('the date in Paris of an ISO date or instant (the prescription and litigation dates)', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom('Z', '+02:00', '-04:00', '+04:00'), (ms, off) => {
        const l = DateTime.fromMillis(ms, { zone: off === 'Z' ? 'UTC' : `UTC${off}` });
        const text = l.toISO({ includeOffset: true, suppressMilliseconds: false })!.replace('+00:00', 'Z');
        expect(parisDateOf(text)).toBe(DateTime.fromISO(text, { setZone: true }).setZone('Europe/Paris').toISODate());
        expect(parisDateOf(l.toISODate()!)).toBe(l.toISODate());
      }),
      runs,
    );
    expect(() => parisDateOf('2026-02-30')).toThrow(RangeError);
    expect(() => parisDateOf('yesterday')).toThrow(RangeError);
  });

  it('zone names: known exactly when luxon knows them', () => {
    for (const z of [...ZONES, 'Europe/Pariss', 'Mars/Olympus', '', 'utc', 'Etc/GMT+4', 'EST5EDT', 'Europe/paris', 'America/Argentina/Buenos_Aires']) {
      expect(isKnownZone(z), z).toBe(IANAZone.isValidZone(z));
    }
  });

  it('months later, clamped to the end of a shorter month', () => {
    const anyDay = fc.integer({ min: -100 * 365, max: 200 * 365 }).map(fromEpochDay);
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -40, max: 40 }), (date, n) => {
        expect(addMonths(date, n)).toBe(DateTime.fromISO(date, { zone: 'utc' }).plus({ months: n }).toISODate());
      }),
      runs,
    );
  });
});
