/**
 * The French calendar as the collection rules see it: public holidays per region, business days,
 * the window in which we write to debtors, and the mise en demeure deadline.
 *
 * Dates (IsoDate) are plain calendar days with no zone: their arithmetic is integer day numbers
 * (./epoch-days). Instants (IsoInstant) only meet a zone through ./dates; the global Date is never
 * read for "now" here (callers pass time in), which keeps every function pure and testable.
 */
import { dateInZone, instantMs, isKnownZone, toIsoInstant, wallClockToMs, zonedTime, type ZonedTime } from './dates';
import { epochDayOf, fromEpochDay } from './epoch-days';
import type { IsoDate, IsoInstant } from './model';
import { publicHolidayDates, type RegionalDays } from './public-holidays';

/** A holiday-calendar key: "FR", "FR-57" (Moselle), "FR-RE" (La Réunion)... */
export type HolidayRegion = string;

export const DEFAULT_REGION: HolidayRegion = 'FR';
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

interface RegionInfo {
  /** The days added to the national ones (lambdas/domain/public-holidays.ts). */
  days?: RegionalDays;
  timeZone: string;
}

const ALSACE_MOSELLE: RegionalDays = { goodFriday: true, stStephen: true };

/**
 * Calendars that differ from the national one (Code du travail L3133-1 lists the national days):
 * - Alsace-Moselle (57, 67, 68) keeps Good Friday and 26 December (local law, C. trav. L3134-13;
 *   Good Friday strictly applies in communes with a Protestant church, treated here, as in
 *   practice, as department-wide);
 * - overseas departments add their abolition-of-slavery day (loi 83-550, décret 83-1003);
 * - Saint-Barthélemy and Saint-Martin use 971xx postal codes but have their own days;
 * - Guadeloupe and Martinique also keep Good Friday (custom; the calendar has always had it).
 */
const REGIONS: Readonly<Record<HolidayRegion, RegionInfo>> = {
  FR: { timeZone: 'Europe/Paris' },
  'FR-57': { days: ALSACE_MOSELLE, timeZone: 'Europe/Paris' },
  'FR-67': { days: ALSACE_MOSELLE, timeZone: 'Europe/Paris' },
  'FR-68': { days: ALSACE_MOSELLE, timeZone: 'Europe/Paris' },
  'FR-GP': { days: { abolition: [5, 27], goodFriday: true }, timeZone: 'America/Guadeloupe' },
  'FR-MQ': { days: { abolition: [5, 22], goodFriday: true }, timeZone: 'America/Martinique' },
  'FR-GF': { days: { abolition: [6, 10] }, timeZone: 'America/Cayenne' },
  'FR-RE': { days: { abolition: [12, 20] }, timeZone: 'Indian/Reunion' },
  'FR-YT': { days: { abolition: [4, 27] }, timeZone: 'Indian/Mayotte' },
  'FR-BL': { days: { abolition: [10, 9] }, timeZone: 'America/St_Barthelemy' },
  'FR-MF': { days: { abolition: [5, 27] }, timeZone: 'America/Marigot' },
};
export const HOLIDAY_REGIONS: readonly HolidayRegion[] = Object.keys(REGIONS);

const OVERSEAS_BY_POSTAL_PREFIX: Readonly<Record<string, string>> = {
  '971': 'GP',
  '972': 'MQ',
  '973': 'GF',
  '974': 'RE',
  '976': 'YT',
};
const OVERSEAS_BY_POSTAL_CODE: Readonly<Record<string, string>> = { '97133': 'BL', '97150': 'MF' };

/**
 * The holiday calendar of the debtor's address. Foreign and unrecognised addresses get the
 * national calendar: the creditor writes from France, so French holidays are the ones we avoid.
 */
export function holidayRegionFor(address: { postalCode: string; country: string }): HolidayRegion {
  const country = (address.country ?? '').trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(country) && Object.hasOwn(REGIONS, `FR-${country}`)) return `FR-${country}`;
  // Only a French postal code says anything about the department (a Belgian 6700 is not Moselle).
  if (country !== 'FR' && country !== '') return DEFAULT_REGION;
  const postal = (address.postalCode ?? '').replace(/\s+/g, '');
  if (!/^\d{5}$/.test(postal)) return DEFAULT_REGION;
  const special = OVERSEAS_BY_POSTAL_CODE[postal];
  if (special) return `FR-${special}`;
  const overseas = OVERSEAS_BY_POSTAL_PREFIX[postal.slice(0, 3)];
  if (overseas) return `FR-${overseas}`;
  const dept = postal.slice(0, 2);
  if (dept === '57' || dept === '67' || dept === '68') return `FR-${dept}`;
  return DEFAULT_REGION;
}

function regionInfo(region: HolidayRegion): RegionInfo {
  const info = Object.hasOwn(REGIONS, region) ? REGIONS[region] : undefined;
  if (!info) {
    throw new RangeError(`unknown holiday region "${region}" (expected one of ${HOLIDAY_REGIONS.join(', ')})`);
  }
  return info;
}

/** The local zone of a region (the debtor's, from its address). */
export function timeZoneFor(region: HolidayRegion): string {
  return regionInfo(region).timeZone;
}

// ---------------------------------------------------------------------------------------------
// Calendar dates as integer day numbers (days since 1970-01-01): no zone, no DST, fast in loops.

const toDayNumber = epochDayOf;
const fromDayNumber = fromEpochDay;

export function isValidIsoDate(date: string): boolean {
  try {
    toDayNumber(date);
    return true;
  } catch {
    return false;
  }
}

/** ISO weekday, 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  // Day 0 (1970-01-01) was a Thursday (4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`day count must be an integer: ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

// ---------------------------------------------------------------------------------------------
// Public holidays (Code du travail L3133-1, plus the regional days above).

const holidayYears = new Map<HolidayRegion, Map<number, ReadonlySet<IsoDate>>>();

/** The public holidays of one year (computed once per region and year, then kept). */
export function publicHolidays(year: number, region: HolidayRegion = DEFAULT_REGION): ReadonlySet<IsoDate> {
  const { days } = regionInfo(region);
  let years = holidayYears.get(region);
  if (!years) holidayYears.set(region, (years = new Map()));
  let set = years.get(year);
  if (!set) {
    set = new Set(publicHolidayDates(year, days));
    years.set(year, set);
  }
  return set;
}

export function isPublicHoliday(date: IsoDate, region: HolidayRegion = DEFAULT_REGION): boolean {
  toDayNumber(date); // validates the format before the year is trusted
  return publicHolidays(Number(date.slice(0, 4)), region).has(date);
}

export function isBusinessDay(date: IsoDate, region: HolidayRegion = DEFAULT_REGION): boolean {
  return isoWeekday(date) <= 5 && !isPublicHoliday(date, region);
}

/** Longest run of non-business days we accept before suspecting corrupt holiday data. */
const MAX_NON_BUSINESS_RUN = 31;

export function nextBusinessDayOnOrAfter(date: IsoDate, region: HolidayRegion = DEFAULT_REGION): IsoDate {
  let d = date;
  for (let i = 0; i <= MAX_NON_BUSINESS_RUN; i++) {
    if (isBusinessDay(d, region)) return d;
    d = addCalendarDays(d, 1);
  }
  throw new Error(`no business day within ${MAX_NON_BUSINESS_RUN} days of ${date} in ${region}`);
}

export function nextBusinessDayAfter(date: IsoDate, region: HolidayRegion = DEFAULT_REGION): IsoDate {
  return nextBusinessDayOnOrAfter(addCalendarDays(date, 1), region);
}

/**
 * The n-th business day after `date` (n >= 1; from a Saturday, 1 business day later is Monday).
 * n = 0 gives `date` itself when it is a business day, else the next one, so that "0 business
 * days" still lands on a working day.
 */
export function addBusinessDays(date: IsoDate, n: number, region: HolidayRegion = DEFAULT_REGION): IsoDate {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`business day count must be an integer >= 0: ${n}`);
  if (n === 0) return nextBusinessDayOnOrAfter(date, region);
  let d = date;
  for (let i = 0; i < n; i++) d = nextBusinessDayAfter(d, region);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Instants and zones.

export { isKnownZone, toIsoInstant };

/**
 * Parsing is memoised: a schedule asks about the same few instants many times over, and the
 * answers never change. Bounded: the memo starts afresh past its size.
 */
const MEMO_LIMIT = 20_000;
const millisMemo = new Map<string, number>();

/** Epoch milliseconds of an instant; an explicit offset (Z or ±hh:mm) is required, a bare local time is ambiguous. */
export function instantMillis(at: IsoInstant): number {
  let v = millisMemo.get(at);
  if (v === undefined) {
    v = instantMs(at);
    if (millisMemo.size >= MEMO_LIMIT) millisMemo.clear();
    millisMemo.set(at, v);
  }
  return v;
}

/** The calendar date of an instant in a zone (the day a letter counts as sent, locally). */
export function localDate(at: IsoInstant, timeZone: string = DEFAULT_TIME_ZONE): IsoDate {
  return dateInZone(instantMillis(at), timeZone);
}

/**
 * The instant of a wall-clock time on a date in a zone. A time skipped by a DST change
 * (02:30 on the last Sunday of March in Paris) resolves to the same wall time after the jump.
 */
export function localTimeToInstant(date: IsoDate, hhmm: string, timeZone: string = DEFAULT_TIME_ZONE): IsoInstant {
  const minutes = parseHhMm(hhmm);
  if (minutes === null) throw new RangeError(`not a HH:mm time: "${hhmm}"`);
  return toIsoInstant(wallClockToMs(date, minutes * 60_000, timeZone));
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight, or null. */
function parseHhMm(text: string): number | null {
  const m = typeof text === 'string' ? HH_MM.exec(text) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

// ---------------------------------------------------------------------------------------------
// Send window: when we may write to a debtor.

export interface SendWindow {
  timeZone: string;
  /** ISO weekdays 1..7 (1 = Monday). */
  days: number[];
  /** Opening time, inclusive, 'HH:mm'. */
  open: string;
  /** Closing time, exclusive, 'HH:mm'. */
  close: string;
}

/**
 * Weekdays 09:00-18:00 Paris time, never on a public holiday (holidays are skipped by every
 * window). Borrowed from the sales-call rule (C. conso. D223-9) as a guard against harassment
 * (C. pénal 222-16): collection letters should not land at night, at weekends or on holidays.
 */
export const DEFAULT_SEND_WINDOW: Readonly<SendWindow> = Object.freeze({
  timeZone: DEFAULT_TIME_ZONE,
  days: Object.freeze([1, 2, 3, 4, 5]) as number[],
  open: '09:00',
  close: '18:00',
});

const debtorWindows = new Map<HolidayRegion, Readonly<SendWindow>>();

/**
 * The default send window in the debtor's own time zone: letters reach a debtor in Martinique at
 * 09:00 Fort-de-France time, not at 03:00 (09:00 Paris). The guard against harassment is about the
 * debtor's hours (C. conso. D223-9 borrowed, C. pénal 222-16), so the zone is the debtor's; the
 * letter itself is still dated in Paris, where the creditor writes from. Metropolitan France (and
 * foreign addresses, which get the national calendar) keep DEFAULT_SEND_WINDOW itself.
 */
export function debtorSendWindow(region: HolidayRegion = DEFAULT_REGION): Readonly<SendWindow> {
  const zone = timeZoneFor(region);
  if (zone === DEFAULT_SEND_WINDOW.timeZone) return DEFAULT_SEND_WINDOW;
  let w = debtorWindows.get(region);
  if (!w) {
    w = Object.freeze({ ...DEFAULT_SEND_WINDOW, timeZone: zone });
    debtorWindows.set(region, w);
  }
  return w;
}

export interface WindowError {
  /** Field of the window ("open", "days.2"). */
  path: string;
  message: string;
}

export function validateSendWindow(window: unknown): WindowError[] {
  if (typeof window !== 'object' || window === null) return [{ path: '', message: 'send window must be an object' }];
  const w = window as Partial<Record<keyof SendWindow, unknown>>;
  const errors: WindowError[] = [];
  if (typeof w.timeZone !== 'string' || !isKnownZone(w.timeZone)) {
    errors.push({ path: 'timeZone', message: `unknown IANA time zone: ${JSON.stringify(w.timeZone)}` });
  }
  if (!Array.isArray(w.days) || w.days.length === 0) {
    errors.push({ path: 'days', message: 'at least one ISO weekday (1 = Monday ... 7 = Sunday) is required' });
  } else {
    w.days.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 1 || d > 7) {
        errors.push({ path: `days.${i}`, message: `not an ISO weekday 1..7: ${JSON.stringify(d)}` });
      } else if ((w.days as unknown[]).indexOf(d) !== i) {
        errors.push({ path: `days.${i}`, message: `weekday ${d} listed twice` });
      }
    });
  }
  const open = parseHhMm(w.open as string);
  const close = parseHhMm(w.close as string);
  if (open === null) errors.push({ path: 'open', message: `not a HH:mm time: ${JSON.stringify(w.open)}` });
  if (close === null) errors.push({ path: 'close', message: `not a HH:mm time: ${JSON.stringify(w.close)}` });
  if (open !== null && close !== null && open >= close) {
    errors.push({ path: 'close', message: `window closes (${String(w.close)}) before or when it opens (${String(w.open)})` });
  }
  return errors;
}

interface CompiledWindow {
  timeZone: string;
  days: ReadonlySet<number>;
  openMs: number;
  closeMs: number;
}
/** Windows are values: compiled once per object (do not mutate a window after use). */
const compiledWindows = new WeakMap<object, CompiledWindow>();

function compile(window: SendWindow): CompiledWindow {
  let c = compiledWindows.get(window);
  if (!c) {
    const errors = validateSendWindow(window);
    if (errors.length > 0) {
      throw new RangeError(`invalid send window: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    }
    c = {
      timeZone: window.timeZone,
      days: new Set(window.days),
      openMs: (parseHhMm(window.open) as number) * 60_000,
      closeMs: (parseHhMm(window.close) as number) * 60_000,
    };
    compiledWindows.set(window, c);
  }
  return c;
}

function isOpenDay(date: IsoDate, w: CompiledWindow, region: HolidayRegion): boolean {
  return w.days.has(isoWeekday(date)) && !isPublicHoliday(date, region);
}

function insideWindow(t: ZonedTime, w: CompiledWindow, region: HolidayRegion): boolean {
  return t.msOfDay >= w.openMs && t.msOfDay < w.closeMs && isOpenDay(t.date, w, region);
}

/** True when a letter may go out at `at`. Holidays are those of `region`, on the window's local date. */
export function isInSendWindow(
  at: IsoInstant,
  window: SendWindow = DEFAULT_SEND_WINDOW,
  region: HolidayRegion = DEFAULT_REGION,
): boolean {
  const w = compile(window);
  return insideWindow(zonedTime(instantMillis(at), w.timeZone), w, region);
}

/**
 * `at` itself when inside the window, else the next opening. Never earlier than `at`, and
 * idempotent: the result is always inside the window.
 */
export function nextSendInstant(
  at: IsoInstant,
  window: SendWindow = DEFAULT_SEND_WINDOW,
  region: HolidayRegion = DEFAULT_REGION,
): IsoInstant {
  const w = compile(window);
  const ms = instantMillis(at);
  const t = zonedTime(ms, w.timeZone);
  if (insideWindow(t, w, region)) return toIsoInstant(ms);
  // Today's opening still counts when we are before it; then the following days.
  for (let i = t.msOfDay < w.openMs ? 0 : 1; i <= 370; i++) {
    const date = addCalendarDays(t.date, i);
    if (!isOpenDay(date, w, region)) continue;
    const opening = wallClockToMs(date, w.openMs, w.timeZone);
    // An opening inside a DST gap shifts forward and may leave a very short window: re-check.
    if (opening >= ms && insideWindow(zonedTime(opening, w.timeZone), w, region)) return toIsoInstant(opening);
  }
  throw new Error(`no send instant within a year of ${at} for the given window in ${region}`);
}

// ---------------------------------------------------------------------------------------------
// Mise en demeure deadline.

/**
 * The firm payment date printed on a mise en demeure. The day of sending does not count, so the
 * count starts the next day (CPC 641 style): sending date + graceDays calendar days. A deadline
 * falling on a Saturday, Sunday or public holiday moves to the next business day (CPC 642 style).
 * The grace period itself (8 days) is practice, not statute (Code civil 1231, "délai raisonnable").
 * The sending date is taken in `timeZone`, the sender's (creditor's) zone.
 */
export function formalNoticeDeadline(
  sentAt: IsoInstant,
  graceDays: number,
  region: HolidayRegion = DEFAULT_REGION,
  timeZone: string = DEFAULT_TIME_ZONE,
): IsoDate {
  if (!Number.isSafeInteger(graceDays) || graceDays < 0) {
    throw new RangeError(`grace period must be a whole number of days >= 0: ${graceDays}`);
  }
  if (!isKnownZone(timeZone)) throw new RangeError(`unknown IANA time zone: "${timeZone}"`);
  return nextBusinessDayOnOrAfter(addCalendarDays(localDate(sentAt, timeZone), graceDays), region);
}
