import { DateTime } from 'luxon';

/** The calendar date in Europe/Paris of an instant (what "today" means for a French creditor). */
export function parisDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: 'Europe/Paris' }).toISODate()!;
}
