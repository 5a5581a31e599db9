import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessDays,
  addCalendarDays,
  DEFAULT_SEND_WINDOW,
  formalNoticeDeadline,
  holidayRegionFor,
  HOLIDAY_REGIONS,
  isBusinessDay,
  isInSendWindow,
  isoWeekday,
  isPublicHoliday,
  localDate,
  localTimeToInstant,
  nextBusinessDayAfter,
  nextBusinessDayOnOrAfter,
  nextSendInstant,
  publicHolidays,
  timeZoneFor,
  validateSendWindow,
  type SendWindow,
} from '../../lambdas/domain/calendar';
import {
  ORACLE_REGIONS,
  oracleAddDays,
  oracleHolidays,
  oracleIsBusinessDay,
  oracleIsHoliday,
  oracleWeekday,
} from './holiday-oracle';

const fr = (postalCode: string, country = 'FR') => holidayRegionFor({ postalCode, country });

describe('holidayRegionFor', () => {
  it('uses the national calendar for metropolitan France, Corsica and foreign addresses', () => {
    expect(fr('75011')).toBe('FR');
    expect(fr('69003')).toBe('FR');
    expect(fr('20000')).toBe('FR'); // Ajaccio: no local holidays
    expect(fr('6700', 'BE')).toBe('FR'); // a Belgian 67xx is not Bas-Rhin
    expect(fr('57000', 'DE')).toBe('FR');
    expect(fr('98000', 'MC')).toBe('FR');
    expect(fr('not a code')).toBe('FR');
  });

  it('maps Alsace-Moselle departments by postal code prefix', () => {
    expect(fr('57000')).toBe('FR-57');
    expect(fr('57 070')).toBe('FR-57');
    expect(fr('67000')).toBe('FR-67');
    expect(fr('68100')).toBe('FR-68');
    expect(fr('58000')).toBe('FR'); // Nièvre, next door numerically only
  });

  it('maps overseas departments by postal code and by country code', () => {
    expect(fr('97110')).toBe('FR-GP');
    expect(fr('97200')).toBe('FR-MQ');
    expect(fr('97300')).toBe('FR-GF');
    expect(fr('97400')).toBe('FR-RE');
    expect(fr('97600')).toBe('FR-YT');
    expect(fr('97400', 're')).toBe('FR-RE');
    expect(fr('', 'GP')).toBe('FR-GP');
    expect(fr('97133')).toBe('FR-BL'); // Saint-Barthélemy shares the 971 prefix
    expect(fr('97150')).toBe('FR-MF'); // Saint-Martin too
  });
});

describe('timeZoneFor', () => {
  it('gives each region its own zone', () => {
    expect(timeZoneFor('FR')).toBe('Europe/Paris');
    expect(timeZoneFor('FR-57')).toBe('Europe/Paris');
    expect(timeZoneFor('FR-GP')).toBe('America/Guadeloupe');
    expect(timeZoneFor('FR-MQ')).toBe('America/Martinique');
    expect(timeZoneFor('FR-GF')).toBe('America/Cayenne');
    expect(timeZoneFor('FR-RE')).toBe('Indian/Reunion');
    expect(timeZoneFor('FR-YT')).toBe('Indian/Mayotte');
  });

  it('rejects unknown regions instead of guessing', () => {
    expect(() => timeZoneFor('FR-99')).toThrow(/unknown holiday region "FR-99"/);
    expect(() => isPublicHoliday('2026-01-01', 'XX')).toThrow(/unknown holiday region/);
    expect(() => timeZoneFor('constructor')).toThrow(/unknown holiday region/);
    expect(fr('75001', 'constructor')).toBe('FR');
  });
});

describe('public holidays (Code du travail L3133-1)', () => {
  it('lists exactly the 11 national days in 2026', () => {
    expect([...publicHolidays(2026, 'FR')].sort()).toEqual([
      '2026-01-01',
      '2026-04-06', // Easter Monday (Easter Sunday 5 April)
      '2026-05-01',
      '2026-05-08',
      '2026-05-14', // Ascension = Easter + 39
      '2026-05-25', // Whit Monday = Easter + 50
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('ignores observances (Easter Sunday, Pentecost Sunday, Mother’s Day)', () => {
    expect(isPublicHoliday('2026-04-05', 'FR')).toBe(false);
    expect(isPublicHoliday('2026-05-24', 'FR')).toBe(false);
    expect(isPublicHoliday('2026-05-31', 'FR')).toBe(false);
  });

  it('adds Good Friday and 26 December in Alsace-Moselle only', () => {
    for (const region of ['FR-57', 'FR-67', 'FR-68']) {
      expect(isPublicHoliday('2026-04-03', region)).toBe(true);
      expect(isPublicHoliday('2026-12-26', region)).toBe(true);
    }
    expect(isPublicHoliday('2026-04-03', 'FR')).toBe(false);
    expect(isPublicHoliday('2026-12-26', 'FR')).toBe(false);
  });

  it('adds the abolition-of-slavery day overseas', () => {
    expect(isPublicHoliday('2026-05-27', 'FR-GP')).toBe(true);
    expect(isPublicHoliday('2026-05-22', 'FR-MQ')).toBe(true);
    expect(isPublicHoliday('2026-06-10', 'FR-GF')).toBe(true);
    expect(isPublicHoliday('2026-12-20', 'FR-RE')).toBe(true);
    expect(isPublicHoliday('2026-04-27', 'FR-YT')).toBe(true);
    expect(isPublicHoliday('2026-12-20', 'FR')).toBe(false);
  });

  it('matches the independent oracle every year 2020-2040 for every known region', () => {
    for (const region of ORACLE_REGIONS) {
      for (let year = 2020; year <= 2040; year++) {
        expect([...publicHolidays(year, region)].sort(), `${region} ${year}`).toEqual([...oracleHolidays(year, region)].sort());
      }
    }
  });

  it('every configured region loads and contains the national days', () => {
    for (const region of HOLIDAY_REGIONS) {
      for (const day of oracleHolidays(2027, 'FR')) expect(isPublicHoliday(day, region), `${region} ${day}`).toBe(true);
    }
  });
});

describe('business days and date arithmetic', () => {
  it('knows weekdays', () => {
    expect(isoWeekday('2026-04-03')).toBe(5); // Friday
    expect(isoWeekday('2026-04-05')).toBe(7);
    expect(isoWeekday('1970-01-01')).toBe(4);
    expect(isoWeekday('1969-12-29')).toBe(1);
  });

  it('excludes weekends and public holidays', () => {
    expect(isBusinessDay('2026-04-03')).toBe(true);
    expect(isBusinessDay('2026-04-04')).toBe(false);
    expect(isBusinessDay('2026-04-06')).toBe(false); // Easter Monday
    expect(isBusinessDay('2026-04-03', 'FR-57')).toBe(false); // Good Friday in Moselle
  });

  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(addCalendarDays('2026-04-03', 3)).toBe('2026-04-06');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addCalendarDays('2026-03-29', 1)).toBe('2026-03-30'); // DST night is irrelevant to dates
  });

  it('rejects malformed dates', () => {
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(/not an ISO calendar date/);
    expect(() => isBusinessDay('03/04/2026')).toThrow(/not an ISO calendar date/);
    expect(() => addCalendarDays('2026-04-03', 1.5)).toThrow(/integer/);
  });

  it('finds the next business day', () => {
    // Sat 4 -> Sun 5 -> Easter Monday 6 -> Tue 7 April 2026.
    expect(nextBusinessDayOnOrAfter('2026-04-04')).toBe('2026-04-07');
    expect(nextBusinessDayOnOrAfter('2026-04-07')).toBe('2026-04-07');
    expect(nextBusinessDayAfter('2026-04-07')).toBe('2026-04-08');
    expect(nextBusinessDayAfter('2026-04-02', 'FR')).toBe('2026-04-03');
    expect(nextBusinessDayAfter('2026-04-02', 'FR-57')).toBe('2026-04-07');
  });

  it('adds business days', () => {
    // From Friday 3 April 2026: Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5).
    expect(addBusinessDays('2026-04-03', 5)).toBe('2026-04-13');
    // From Saturday, the first business day after is Tuesday (Easter Monday skipped).
    expect(addBusinessDays('2026-04-04', 1)).toBe('2026-04-07');
    expect(addBusinessDays('2026-04-04', 0)).toBe('2026-04-07');
    expect(addBusinessDays('2026-04-08', 0)).toBe('2026-04-08');
    expect(() => addBusinessDays('2026-04-08', -1)).toThrow(RangeError);
  });

  it('agrees with the oracle on random dates', () => {
    const region = fc.constantFrom(...ORACLE_REGIONS);
    const date = fc.integer({ min: 0, max: 2556 }).map((n) => oracleAddDays('2024-01-01', n));
    fc.assert(
      fc.property(date, region, fc.integer({ min: 0, max: 15 }), (d, r, n) => {
        expect(isBusinessDay(d, r)).toBe(oracleIsBusinessDay(d, r));
        const next = nextBusinessDayAfter(d, r);
        expect(oracleIsBusinessDay(next, r)).toBe(true);
        for (let x = oracleAddDays(d, 1); x < next; x = oracleAddDays(x, 1)) expect(oracleIsBusinessDay(x, r)).toBe(false);
        // n business days later: exactly n business days in (d, result].
        const later = addBusinessDays(d, n, r);
        let count = 0;
        for (let x = oracleAddDays(d, 1); x <= later; x = oracleAddDays(x, 1)) if (oracleIsBusinessDay(x, r)) count++;
        if (n > 0) {
          expect(count).toBe(n);
          expect(oracleIsBusinessDay(later, r)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('instants', () => {
  it('converts a Paris wall-clock time on both sides of DST', () => {
    expect(localTimeToInstant('2026-03-27', '09:00')).toBe('2026-03-27T08:00:00.000Z'); // CET, UTC+1
    expect(localTimeToInstant('2026-03-30', '09:00')).toBe('2026-03-30T07:00:00.000Z'); // CEST, UTC+2
    expect(localTimeToInstant('2026-04-07', '09:00', 'Indian/Reunion')).toBe('2026-04-07T05:00:00.000Z');
  });

  it('takes the local date of an instant', () => {
    expect(localDate('2026-05-05T22:30:00Z')).toBe('2026-05-06'); // 00:30 in Paris
    expect(localDate('2026-05-05T22:30:00Z', 'America/Martinique')).toBe('2026-05-05');
  });
});

describe('send window', () => {
  const w = DEFAULT_SEND_WINDOW;

  it('keeps an instant inside the window (open inclusive) and normalises it to UTC', () => {
    expect(nextSendInstant('2026-04-08T09:00:00+02:00', w, 'FR')).toBe('2026-04-08T07:00:00.000Z');
    expect(nextSendInstant('2026-04-08T12:34:56.789Z', w, 'FR')).toBe('2026-04-08T12:34:56.789Z');
    expect(nextSendInstant('2026-04-08T15:59:59.999Z', w, 'FR')).toBe('2026-04-08T15:59:59.999Z'); // 17:59:59.999
  });

  it('moves to the opening: before hours, at closing time (exclusive), weekends, holidays', () => {
    expect(nextSendInstant('2026-04-08T05:00:00Z', w, 'FR')).toBe('2026-04-08T07:00:00.000Z'); // 07:00 Paris
    expect(nextSendInstant('2026-04-08T16:00:00Z', w, 'FR')).toBe('2026-04-09T07:00:00.000Z'); // 18:00 sharp
    // Friday 10 April 19:00 -> Monday 13 April 09:00.
    expect(nextSendInstant('2026-04-10T17:00:00Z', w, 'FR')).toBe('2026-04-13T07:00:00.000Z');
    // Saturday 4 April -> Sunday -> Easter Monday -> Tuesday 7 April 09:00.
    expect(nextSendInstant('2026-04-04T10:00:00Z', w, 'FR')).toBe('2026-04-07T07:00:00.000Z');
  });

  it('uses the debtor region’s holidays', () => {
    // Thursday 2 April 2026, 18:30 Paris: Friday for Paris, but Good Friday + Easter Monday in Moselle.
    expect(nextSendInstant('2026-04-02T16:30:00Z', w, 'FR')).toBe('2026-04-03T07:00:00.000Z');
    expect(nextSendInstant('2026-04-02T16:30:00Z', w, 'FR-57')).toBe('2026-04-07T07:00:00.000Z');
  });

  it('follows the DST change: 09:00 Paris is 08:00Z in winter and 07:00Z in summer', () => {
    // Friday 27 March 2026 19:00 CET -> Monday 30 March 09:00 CEST.
    expect(nextSendInstant('2026-03-27T18:00:00Z', w, 'FR')).toBe('2026-03-30T07:00:00.000Z');
    // Friday 23 October 2026 19:00 CEST -> Monday 26 October 09:00 CET.
    expect(nextSendInstant('2026-10-23T17:00:00Z', w, 'FR')).toBe('2026-10-26T08:00:00.000Z');
  });

  it('supports other windows and zones', () => {
    const weekendMornings: SendWindow = { timeZone: 'Indian/Reunion', days: [6, 7], open: '08:30', close: '12:00' };
    // Monday 6 April 2026 -> Saturday 11 April 08:30 Réunion (UTC+4) = 04:30Z.
    expect(nextSendInstant('2026-04-06T10:00:00Z', weekendMornings, 'FR-RE')).toBe('2026-04-11T04:30:00.000Z');
    expect(isInSendWindow('2026-12-19T05:00:00Z', weekendMornings, 'FR-RE')).toBe(true); // Sat 09:00 local
    // Saturday 19 December 2026, 13:00 local: closed. Sunday 20 December is the Réunion abolition
    // day, so the next opening is Saturday 26; with the national calendar it would be Sunday 20.
    expect(nextSendInstant('2026-12-19T09:00:00Z', weekendMornings, 'FR-RE')).toBe('2026-12-26T04:30:00.000Z');
    expect(nextSendInstant('2026-12-19T09:00:00Z', weekendMornings, 'FR')).toBe('2026-12-20T04:30:00.000Z');
  });

  it('skips an opening swallowed by the DST gap', () => {
    // 02:00-03:00 does not exist in Paris on Sunday 29 March 2026: that day has no window at all.
    const night: SendWindow = { timeZone: 'Europe/Paris', days: [7], open: '02:00', close: '03:00' };
    expect(nextSendInstant('2026-03-28T12:00:00Z', night, 'FR')).toBe('2026-04-05T00:00:00.000Z');
  });

  it('validates windows with clear errors', () => {
    expect(validateSendWindow(DEFAULT_SEND_WINDOW)).toEqual([]);
    expect(validateSendWindow({ timeZone: 'Europe/Paris', days: [1], open: '18:00', close: '09:00' })).toEqual([
      { path: 'close', message: expect.stringMatching(/closes \(09:00\) before or when it opens \(18:00\)/) },
    ]);
    const errors = validateSendWindow({ timeZone: 'Europe/Lutece', days: [], open: '9h', close: '25:00' });
    expect(errors.map((e) => e.path).sort()).toEqual(['close', 'days', 'open', 'timeZone']);
    expect(validateSendWindow({ timeZone: 'UTC', days: [1, 8, 1], open: '09:00', close: '10:00' }).map((e) => e.path)).toEqual([
      'days.1',
      'days.2',
    ]);
    expect(() => nextSendInstant('2026-04-08T10:00:00Z', { ...w, days: [] }, 'FR')).toThrow(/invalid send window: days/);
    expect(() => nextSendInstant('2026-04-08T10:00:00Z', { ...w, open: '10:00', close: '10:00' }, 'FR')).toThrow(
      /invalid send window: close/,
    );
  });

  it('rejects instants without an offset', () => {
    expect(() => nextSendInstant('2026-04-08T10:00:00', w, 'FR')).toThrow(/not an ISO instant with offset/);
    expect(() => nextSendInstant('yesterday', w, 'FR')).toThrow(/not an ISO instant/);
  });

  // Random windows: weekday subsets, quarter-hour bounds, several zones (some with DST).
  const windowArb = fc
    .record({
      timeZone: fc.constantFrom('Europe/Paris', 'Indian/Reunion', 'America/Cayenne', 'America/New_York', 'UTC'),
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      a: fc.integer({ min: 0, max: 95 }),
      b: fc.integer({ min: 0, max: 95 }),
    })
    .filter(({ a, b }) => a !== b)
    .map(({ timeZone, days, a, b }): SendWindow => {
      const hhmm = (q: number) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
      return { timeZone, days, open: hhmm(Math.min(a, b)), close: hhmm(Math.max(a, b)) };
    });
  const instantArb = fc
    .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 11, 31, 23, 59) })
    .map((ms) => new Date(ms).toISOString());

  /** Independent check: weekday, wall-clock time and oracle holidays. */
  function insideOracle(at: string, win: SendWindow, region: string): boolean {
    const t = DateTime.fromISO(at).setZone(win.timeZone);
    const date = t.toISODate() as string;
    const hhmm = t.toFormat('HH:mm');
    return win.days.includes(oracleWeekday(date)) && !oracleIsHoliday(date, region) && hhmm >= win.open && hhmm < win.close;
  }

  it('property: never earlier than its input, inside the window, idempotent and the first opening', () => {
    fc.assert(
      fc.property(instantArb, windowArb, fc.constantFrom(...ORACLE_REGIONS), (at, win, region) => {
        const out = nextSendInstant(at, win, region);
        expect(out).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(Date.parse(out)).toBeGreaterThanOrEqual(Date.parse(at));
        expect(insideOracle(out, win, region)).toBe(true);
        expect(nextSendInstant(out, win, region)).toBe(out);
        if (insideOracle(at, win, region)) {
          expect(out).toBe(new Date(at).toISOString());
        } else {
          // Not a moment later than needed: the result is an opening, and no day between the
          // input's and the result's local dates has an opening time inside the window.
          const local = DateTime.fromISO(out).setZone(win.timeZone);
          const start = DateTime.fromISO(at).setZone(win.timeZone).toISODate() as string;
          const end = local.toISODate() as string;
          for (let d = oracleAddDays(start, 1); d < end; d = oracleAddDays(d, 1)) {
            const opening = DateTime.fromISO(`${d}T${win.open}`, { zone: win.timeZone });
            expect(insideOracle(opening.toUTC().toISO() as string, win, region)).toBe(false);
          }
          // An opening shifted by a DST gap is later than `open`; otherwise it is exactly `open`.
          expect(local.toFormat('HH:mm') >= win.open).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('formalNoticeDeadline (CPC 641/642 style)', () => {
  it('counts from the day after sending: sent Mon 4 May 2026 + 8 = Tue 12 May', () => {
    expect(formalNoticeDeadline('2026-05-04T07:00:00Z', 8, 'FR')).toBe('2026-05-12');
  });

  it('moves a deadline on 25 December to the next business day, one more in Moselle', () => {
    // Sent Wed 17 Dec 2025 + 8 = Thu 25 Dec (Christmas) -> Fri 26 Dec in Paris.
    expect(formalNoticeDeadline('2025-12-17T08:00:00Z', 8, 'FR')).toBe('2025-12-26');
    // In Moselle 26 Dec is a holiday too: Fri 26 -> Sat 27 -> Sun 28 -> Mon 29 Dec.
    expect(formalNoticeDeadline('2025-12-17T08:00:00Z', 8, 'FR-57')).toBe('2025-12-29');
  });

  it('moves a deadline on 1 May', () => {
    // Sent Thu 23 Apr 2026 + 8 = Fri 1 May -> Sat 2 -> Sun 3 -> Mon 4 May.
    expect(formalNoticeDeadline('2026-04-23T07:00:00Z', 8, 'FR')).toBe('2026-05-04');
  });

  it('moves a deadline on Whit Monday 2026-05-25', () => {
    // Sent Sun 17 May 2026 (e.g. an LRE sent by hand) + 8 = Mon 25 May (Whit Monday) -> Tue 26 May.
    expect(formalNoticeDeadline('2026-05-17T10:00:00Z', 8, 'FR')).toBe('2026-05-26');
    // Whit Monday is NOT skipped as an "observance": Pentecost Sunday is, and is a Sunday anyway.
    expect(formalNoticeDeadline('2026-05-16T10:00:00Z', 8, 'FR')).toBe('2026-05-26'); // Sun 24 -> Mon 25 -> Tue 26
  });

  it('moves a deadline on Good Friday for a Moselle debtor, not for Paris', () => {
    // Sent Thu 26 Mar 2026 + 8 = Fri 3 Apr (Good Friday).
    const paris = holidayRegionFor({ postalCode: '75011', country: 'FR' });
    const metz = holidayRegionFor({ postalCode: '57000', country: 'FR' });
    expect(formalNoticeDeadline('2026-03-26T08:00:00Z', 8, paris)).toBe('2026-04-03');
    // Moselle: Fri 3 (Good Friday) -> Sat 4 -> Sun 5 -> Mon 6 (Easter Monday) -> Tue 7 Apr.
    expect(formalNoticeDeadline('2026-03-26T08:00:00Z', 8, metz)).toBe('2026-04-07');
  });

  it('takes the sending date in Paris time, not UTC', () => {
    // 2026-05-05T22:30Z is 00:30 on Wed 6 May in Paris: 6 + 8 = Thu 14 May (Ascension) -> Fri 15.
    // Counting from the UTC date (5 May) would give Wed 13 May.
    expect(formalNoticeDeadline('2026-05-05T22:30:00Z', 8, 'FR')).toBe('2026-05-15');
    expect(formalNoticeDeadline('2026-05-05T22:30:00Z', 8, 'FR', 'UTC')).toBe('2026-05-13');
  });

  it('rejects a negative or fractional grace period and unknown zones', () => {
    expect(() => formalNoticeDeadline('2026-05-04T07:00:00Z', -1, 'FR')).toThrow(RangeError);
    expect(() => formalNoticeDeadline('2026-05-04T07:00:00Z', 8.5, 'FR')).toThrow(RangeError);
    expect(() => formalNoticeDeadline('2026-05-04T07:00:00Z', 8, 'FR', 'Europe/Lutece')).toThrow(/time zone/);
  });

  it('property: a business day, at least sending date + grace, and the first such day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 11, 31) }),
        fc.integer({ min: 8, max: 30 }),
        fc.constantFrom(...ORACLE_REGIONS),
        (ms, grace, region) => {
          const sentAt = new Date(ms).toISOString();
          const deadline = formalNoticeDeadline(sentAt, grace, region);
          const sentDate = DateTime.fromMillis(ms, { zone: 'Europe/Paris' }).toISODate() as string;
          const earliest = oracleAddDays(sentDate, grace);
          expect(oracleIsBusinessDay(deadline, region)).toBe(true);
          expect(deadline >= earliest).toBe(true);
          for (let d = earliest; d < deadline; d = oracleAddDays(d, 1)) expect(oracleIsBusinessDay(d, region)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
