/**
 * Calendar-day arithmetic on ISO dates (YYYY-MM-DD) with plain integers: no Date objects, no time
 * zones, no floats. An "epoch day" is the number of days since 1970-01-01 in the proleptic
 * Gregorian calendar (algorithm of H. Hinnant, "chrono-compatible low-level date algorithms").
 * Used by the exact-amounts core (rates, penalties, breakdown, prescription).
 */
import type { IsoDate } from './model';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a strict, existing calendar date; null when malformed (2025-02-30, 2025-1-01, ...). */
export function parseIsoDate(text: string): CivilDate | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Like parseIsoDate but throws a RangeError naming the field (programming/input error). */
export function requireIsoDate(text: string, field = 'date'): CivilDate {
  const parsed = typeof text === 'string' ? parseIsoDate(text) : null;
  if (!parsed) throw new RangeError(`${field}: not a valid ISO date (YYYY-MM-DD): ${String(text)}`);
  return parsed;
}

export function formatIsoDate(d: CivilDate): IsoDate {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function civilToEpochDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function epochDayToCivil(epochDay: number): CivilDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function toEpochDay(date: IsoDate, field?: string): number {
  return civilToEpochDay(requireIsoDate(date, field));
}

/** The epoch day of a calendar date, for the calendar's loops (RangeError naming the text otherwise). */
export function epochDayOf(date: IsoDate): number {
  const parsed = typeof date === 'string' ? parseIsoDate(date) : null;
  if (!parsed) throw new RangeError(`not an ISO calendar date (YYYY-MM-DD): "${date}"`);
  return civilToEpochDay(parsed);
}

export function fromEpochDay(epochDay: number): IsoDate {
  return formatIsoDate(epochDayToCivil(epochDay));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Signed number of days from `from` to `to` (0 when equal, 1 for the next day). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/**
 * Same calendar day `years` later; 29 February becomes 28 February in a non-leap year (the
 * earlier, prudent choice when the result is a deadline).
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  const d = requireIsoDate(date);
  const year = d.year + years;
  return formatIsoDate({ year, month: d.month, day: Math.min(d.day, daysInMonth(year, d.month)) });
}

/**
 * Same day `months` later, or the month's last day when it has fewer (31 December + 2 months =
 * 28 or 29 February): "deux mois" counted as the Code de procédure civile counts months (CPC 641).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const d = requireIsoDate(date);
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return formatIsoDate({ year, month, day: Math.min(d.day, daysInMonth(year, month)) });
}

export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return toEpochDay(a) - toEpochDay(b);
}

export function maxIsoDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDates(a, b) >= 0 ? a : b;
}

export function minIsoDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDates(a, b) <= 0 ? a : b;
}
