/**
 * Instants meet time zones here, and only here: "the date of this instant in Paris", "09:00 on that
 * day in Fort-de-France", ISO instant parsing, zone names. Calendar days themselves (YYYY-MM-DD,
 * their arithmetic) are integer day numbers in ./epoch-days; this module adds the zone.
 *
 * Built on the runtime's Intl time-zone data, without a date library: a zone's UTC offset at an
 * instant comes from one cached `Intl.DateTimeFormat` per zone (building one costs ~50 µs, which
 * luxon paid on every zone check) and is memoised per zone and minute. Node 20 has no Temporal.
 * test/domain/dates.property.test.ts checks every function against luxon (a devDependency oracle)
 * over seeded random instants, DST transitions and the overseas zones of the debtor send window.
 */
import type { IsoDate, IsoInstant } from './model';
import { civilToEpochDay, daysInMonth, epochDayOf, fromEpochDay, parseIsoDate } from './epoch-days';

export const MS_PER_DAY = 86_400_000;
export const PARIS = 'Europe/Paris';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws a RangeError for an unknown zone (the caller's message names it).
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short', // years before 1 AD come as "1 BC" (year 0), "2 BC"...
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

const knownZones = new Map<string, boolean>();

/** Whether `zone` is an IANA time zone this runtime knows (the answer is kept per name). */
export function isKnownZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '') return false;
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      formatterFor(zone);
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(zone, known);
  }
  return known;
}

function requireZone(zone: string): void {
  if (!isKnownZone(zone)) throw new RangeError(`unknown IANA time zone: "${zone}"`);
}

const floorMod = (a: number, n: number) => ((a % n) + n) % n;

/** Offset of `zone` from UTC at the instant `ms`, in milliseconds (Paris in summer: +7,200,000). */
function computeOffset(ms: number, zone: string): number {
  const parts = formatterFor(zone).formatToParts(new Date(ms));
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    if (p.type === 'era') bc = p.value === 'BC';
    else if (p.type === 'year') year = Number(p.value);
    else if (p.type === 'month') month = Number(p.value);
    else if (p.type === 'day') day = Number(p.value);
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
    else if (p.type === 'second') second = Number(p.value);
  }
  if (bc) year = 1 - year;
  const wall = civilToEpochDay({ year, month, day }) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
  return wall - (ms - floorMod(ms, 1000));
}

/**
 * Memoised per zone and minute: since 1972 every zone's offset is a whole number of minutes and
 * changes on a minute boundary, so one answer holds for the whole minute. Bounded: starts afresh.
 */
const MEMO_LIMIT = 50_000;
const offsets = new Map<string, number>();

export function zoneOffsetMs(ms: number, zone: string): number {
  const key = `${zone}|${Math.floor(ms / 60_000)}`;
  let o = offsets.get(key);
  if (o === undefined) {
    requireZone(zone);
    o = computeOffset(ms, zone);
    if (offsets.size >= MEMO_LIMIT) offsets.clear();
    offsets.set(key, o);
  }
  return o;
}

/** The wall clock of an instant in a zone. */
export interface ZonedTime {
  date: IsoDate;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

export function zonedTime(ms: number, zone: string): ZonedTime {
  const local = ms + zoneOffsetMs(ms, zone);
  const epochDay = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - epochDay * MS_PER_DAY;
  const date = fromEpochDay(epochDay);
  return {
    date,
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
    millisecond: msOfDay % 1000,
    msOfDay,
  };
}

/** The calendar date of an instant (epoch ms) in a zone. */
export function dateInZone(ms: number, zone: string): IsoDate {
  return fromEpochDay(Math.floor((ms + zoneOffsetMs(ms, zone)) / MS_PER_DAY));
}

/**
 * The instant of a wall-clock time (milliseconds since local midnight of `date`) in a zone. A
 * time skipped by a DST change (02:30 on the last Sunday of March in Paris) resolves to the same
 * wall time after the jump (03:30); a time that occurs twice (02:30 on the last Sunday of October)
 * to the first of the two: the "compatible" choice of Temporal and RFC 5545.
 */
export function wallClockToMs(date: IsoDate, msOfDay: number, zone: string): number {
  const local = epochDayOf(date) * MS_PER_DAY + msOfDay;
  // The offsets a day either side: a zone changes offset at most once within such a span.
  const before = zoneOffsetMs(local - MS_PER_DAY, zone);
  const after = zoneOffsetMs(local + MS_PER_DAY, zone);
  const first = local - before;
  const second = local - after;
  const firstHolds = zoneOffsetMs(first, zone) === before;
  const secondHolds = zoneOffsetMs(second, zone) === after;
  if (firstHolds && secondHolds) return Math.min(first, second);
  if (firstHolds) return first;
  if (secondHolds) return second;
  return first; // in the gap: the offset before the jump carries the wall time past it
}

// ---------------------------------------------------------------------------------------------
// ISO 8601 text.

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function civil(year: number, month: number, day: number): { year: number; month: number; day: number } | null {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? { year, month, day } : null;
}

/**
 * Epoch milliseconds of ISO text: a date ("2026-04-07", its midnight) or a date and time
 * ("2026-04-07T22:30", seconds and up to 9 decimals optional, decimals past the millisecond
 * dropped), with an offset (Z, ±hh:mm) or, without one, as a wall time in `zoneWithoutOffset`
 * (null: an offset is required). 24:00 is the next midnight. NaN when the text is none of these.
 */
export function isoMillis(text: string, zoneWithoutOffset: string | null = null): number {
  const m = typeof text === 'string' ? ISO_DATE_TIME.exec(text) : null;
  if (!m) return NaN;
  const date = civil(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!date) return NaN;
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const milli = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const midnight24 = hour === 24 && minute === 0 && second === 0 && milli === 0;
  if ((hour > 23 && !midnight24) || minute > 59 || second > 59) return NaN;
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + milli;
  const day = civilToEpochDay(date);
  const offset = m[8];
  if (offset === undefined) {
    if (zoneWithoutOffset === null) return NaN;
    return wallClockToMs(fromEpochDay(day), msOfDay, zoneWithoutOffset);
  }
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const sign = offset[0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  }
  return day * MS_PER_DAY + msOfDay - offsetMinutes * 60_000;
}

/** An instant with its offset (Z or ±hh:mm): a bare local time is ambiguous. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function instantMs(at: IsoInstant): number {
  const ms = ISO_INSTANT.test(at) ? isoMillis(at) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant with offset: "${at}"`);
  return ms;
}

export function toIsoInstant(ms: number): IsoInstant {
  return new Date(ms).toISOString();
}

/** The calendar day of an instant in Paris: what "today" means for a French creditor, the date on a letter. */
export function parisDate(at: IsoInstant | Date | number): IsoDate {
  const ms = typeof at === 'number' ? at : at instanceof Date ? at.getTime() : isoMillis(at, 'UTC');
  if (!Number.isFinite(ms)) throw new RangeError(`not an ISO instant: ${JSON.stringify(at)}`);
  return dateInZone(ms, PARIS);
}

/**
 * The calendar date in Paris of an ISO date (itself) or instant ("2026-04-07T22:30:00Z" is the
 * 8th); a time without offset is read as UTC, the Lambda runtime's zone.
 */
export function parisDateOf(dateOrInstant: string): IsoDate {
  if (parseIsoDate(dateOrInstant)) return dateOrInstant;
  const ms = /T/.test(dateOrInstant) ? isoMillis(dateOrInstant, 'UTC') : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date or instant: ${dateOrInstant}`);
  return dateInZone(ms, PARIS);
}

const two = (n: number) => String(n).padStart(2, '0');

/** "dd/MM/yyyy HH:mm" in Paris, the way French documents print an instant (sep: "à", " "...). */
export function parisDayAndTime(ms: number, separator = ' ', timeSeparator = ':'): string {
  const t = zonedTime(ms, PARIS);
  return `${two(t.day)}/${two(t.month)}/${String(t.year).padStart(4, '0')}${separator}${two(t.hour)}${timeSeparator}${two(t.minute)}`;
}

export function hhmm(t: ZonedTime): string {
  return `${two(t.hour)}:${two(t.minute)}`;
}
