/**
 * When a creditor's digest goes out. The schedule fires every weekday at 07:30 Europe/Paris
 * (lib/accountant-mail.ts); for each creditor this decides whether today is a digest day, on the
 * holiday calendar of the creditor's address:
 * - daily: every business day (never a weekend or a French public holiday; the next digest covers
 *   the gap, since a digest covers everything since the previous one);
 * - weekly: the first business day of the ISO week (Monday, or Tuesday after Easter Monday...);
 * - monthly: the first business day of the month;
 * - off: never.
 */
import { addCalendarDays, isBusinessDay, isoWeekday, type HolidayRegion } from './calendar';
import type { DigestFrequency, IsoDate } from './model';

export const DIGEST_TIME = '07:30';

export function digestDueOn(frequency: DigestFrequency, date: IsoDate, region: HolidayRegion): boolean {
  if (frequency === 'off' || !isBusinessDay(date, region)) return false;
  if (frequency === 'daily') return true;
  // The first business day of its week or month: no business day earlier in the same period.
  const first = frequency === 'weekly' ? addCalendarDays(date, 1 - isoWeekday(date)) : `${date.slice(0, 8)}01`;
  for (let d = first; d < date; d = addCalendarDays(d, 1)) if (isBusinessDay(d, region)) return false;
  return true;
}
