/**
 * Whether luxon 3's `DateTime.fromISO(text, { zone: 'utc' })` accepted a text. Until the Lambdas
 * stopped bundling luxon (70 KiB of each; issue 15), an `isoDate` field whose text failed the
 * YYYY-MM-DD pattern got a second detail, "is not a valid calendar date", exactly when luxon
 * rejected the text: a week date ("2026-W23"), an ordinal date, a date-time or a bare year passed
 * it. The HTTP contract's error bodies stay byte for byte what they were, so this module states
 * luxon's ISO 8601 grammar (luxon/src/impl/regexParser.js) and range checks
 * (src/impl/conversions.js); test/http/luxon-iso-text.test.ts checks it against luxon itself.
 * It only ever decides that second message: a valid date is still exactly YYYY-MM-DD.
 */
import { isKnownZone, MS_PER_DAY, zoneOffsetMs } from '../domain/dates';
import { civilToEpochDay, daysInMonth, isLeapYear } from '../domain/epoch-days';

const IANA = String.raw`[A-Za-z_+-]{1,256}(?::?\/[A-Za-z0-9_+-]{1,256}(?:\/[A-Za-z0-9_+-]{1,256})?)?`;
const OFFSET = String.raw`(?:([Zz])|([+-]\d\d)(?::?(\d\d))?)`;
const TIME = String.raw`(\d\d)(?::?(\d\d)(?::?(\d\d)(?:[.,](\d{1,30}))?)?)?(?:${OFFSET}?(?:\[(${IANA})\])?)?`;
const TIME_EXTENSION = String.raw`(?:[Tt]${TIME})?`;
const YMD = new RegExp(String.raw`^([+-]\d{6}|\d{4})(?:-?(\d\d)(?:-?(\d\d))?)?${TIME_EXTENSION}$`);
const WEEK = new RegExp(String.raw`^(\d{4})-?W(\d\d)(?:-?(\d))?${TIME_EXTENSION}$`);
const ORDINAL = new RegExp(String.raw`^(\d{4})-?(\d{3})${TIME_EXTENSION}$`);
const TIME_ONLY = new RegExp(`^${TIME}$`);

/** JavaScript's Date range (ECMA-262 21.4.1.1), past which luxon's instant is NaN. */
const MAX_MS = 8.64e15;

const int = (s: string | undefined, fallback: number) => (s === undefined ? fallback : parseInt(s, 10));
const between = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;

/** ISO weeks in an ISO week-year: 53 when 1 January is a Thursday, or a Wednesday in a leap year. */
function weeksInWeekYear(year: number): number {
  const jan1 = (((civilToEpochDay({ year, month: 1, day: 1 }) + 3) % 7) + 7) % 7; // 0 = Monday
  return jan1 === 3 || (jan1 === 2 && isLeapYear(year)) ? 53 : 52;
}

/** Epoch day of ISO week-date (Monday of week 1 is the Monday on or before 4 January). */
function weekDateEpochDay(weekYear: number, week: number, weekday: number): number {
  const jan4 = civilToEpochDay({ year: weekYear, month: 1, day: 4 });
  const monday = jan4 - ((((jan4 + 3) % 7) + 7) % 7);
  return monday + (week - 1) * 7 + (weekday - 1);
}

/** The time and zone groups starting at `at`: valid, and the local milliseconds and offset. */
function timeAndZone(m: RegExpExecArray, at: number): { valid: boolean; msOfDay: number; offsetMs: number | null; zone: string | null } {
  const hour = int(m[at], 0);
  const minute = int(m[at + 1], 0);
  const second = int(m[at + 2], 0);
  const milli = m[at + 3] === undefined ? 0 : Math.floor(parseFloat(`0.${m[at + 3]}`) * 1000);
  const validHour = between(hour, 0, 23) || (hour === 24 && minute === 0 && second === 0 && milli === 0);
  const valid = validHour && between(minute, 0, 59) && between(second, 0, 59) && between(milli, 0, 999);
  let offsetMs: number | null = null;
  if (m[at + 4]) offsetMs = 0;
  else if (m[at + 5]) {
    const h = parseInt(m[at + 5], 10);
    const min = parseInt(m[at + 6] ?? '', 10) || 0;
    offsetMs = (h * 60 + (h < 0 || Object.is(h, -0) ? -min : min)) * 60_000;
  }
  const zone = m[at + 7] ?? null;
  return { valid, msOfDay: ((hour * 60 + minute) * 60 + second) * 1000 + milli, offsetMs, zone };
}

/** luxon's verdict on the text, read in UTC (the zone the validator gave it). */
export function luxonAcceptsIso(text: string): boolean {
  let m: RegExpExecArray | null;
  let epochDay: number | null;
  let timeAt: number;
  if ((m = YMD.exec(text))) {
    const [year, month, day] = [parseInt(m[1], 10), int(m[2], 1), int(m[3], 1)];
    epochDay = between(month, 1, 12) && between(day, 1, daysInMonth(year, month)) ? civilToEpochDay({ year, month, day }) : null;
    timeAt = 4;
  } else if ((m = WEEK.exec(text))) {
    const [weekYear, week, weekday] = [parseInt(m[1], 10), parseInt(m[2], 10), int(m[3], 1)];
    epochDay = between(week, 1, weeksInWeekYear(weekYear)) && between(weekday, 1, 7) ? weekDateEpochDay(weekYear, week, weekday) : null;
    timeAt = 4;
  } else if ((m = ORDINAL.exec(text))) {
    const [year, ordinal] = [parseInt(m[1], 10), parseInt(m[2], 10)];
    epochDay = between(ordinal, 1, isLeapYear(year) ? 366 : 365) ? civilToEpochDay({ year, month: 1, day: 1 }) + ordinal - 1 : null;
    timeAt = 3;
  } else if ((m = TIME_ONLY.exec(text))) {
    epochDay = null; // today's date: always in range
    timeAt = 1;
    const t = timeAndZone(m, timeAt);
    return t.valid && (t.zone === null || isKnownZone(t.zone));
  } else {
    return false;
  }
  if (epochDay === null) return false;
  const t = timeAndZone(m, timeAt);
  if (!t.valid || (t.zone !== null && !isKnownZone(t.zone))) return false;
  const local = epochDay * MS_PER_DAY + t.msOfDay;
  if (!(Math.abs(local) <= MAX_MS)) return false;
  let offset = t.offsetMs ?? 0;
  if (t.zone !== null) {
    try {
      offset = zoneOffsetMs(local, t.zone);
    } catch {
      return false;
    }
  }
  return Math.abs(local - offset) <= MAX_MS;
}
