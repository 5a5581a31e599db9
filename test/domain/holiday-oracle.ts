/**
 * An independent oracle for French public holidays, written from the law rather than from
 * date-holidays: Code du travail L3133-1 (national list), local law of Alsace-Moselle (Good Friday,
 * 26 December) and the abolition-of-slavery days of the overseas departments (décret 83-1003).
 * Tests compare the production calendar against it, so a data or cache bug cannot hide.
 */

/** Easter Sunday (Gregorian), anonymous algorithm (Meeus/Jones/Butcher). Returns [month, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

function iso(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function easterPlus(year: number, days: number): string {
  const [m, d] = easterSunday(year);
  return iso(year, m, d + days);
}

const ABOLITION: Record<string, [number, number]> = {
  'FR-GP': [5, 27],
  'FR-MQ': [5, 22],
  'FR-GF': [6, 10],
  'FR-RE': [12, 20],
  'FR-YT': [4, 27],
};

/** Regions this oracle knows completely. */
export const ORACLE_REGIONS = ['FR', 'FR-57', 'FR-67', 'FR-68', 'FR-GF', 'FR-RE', 'FR-YT'] as const;

export function oracleHolidays(year: number, region: string): Set<string> {
  const days = new Set([
    iso(year, 1, 1),
    easterPlus(year, 1), // Easter Monday
    iso(year, 5, 1),
    iso(year, 5, 8),
    easterPlus(year, 39), // Ascension
    easterPlus(year, 50), // Whit Monday
    iso(year, 7, 14),
    iso(year, 8, 15),
    iso(year, 11, 1),
    iso(year, 11, 11),
    iso(year, 12, 25),
  ]);
  if (region === 'FR-57' || region === 'FR-67' || region === 'FR-68') {
    days.add(easterPlus(year, -2)); // Good Friday
    days.add(iso(year, 12, 26));
  }
  const abolition = ABOLITION[region];
  if (abolition) days.add(iso(year, abolition[0], abolition[1]));
  return days;
}

export function oracleIsHoliday(date: string, region: string): boolean {
  return oracleHolidays(Number(date.slice(0, 4)), region).has(date);
}

/** ISO weekday from the date alone (1 = Monday). */
export function oracleWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function oracleIsBusinessDay(date: string, region: string): boolean {
  return oracleWeekday(date) <= 5 && !oracleIsHoliday(date, region);
}

export function oracleAddDays(date: string, n: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

export function oracleNextBusinessDayOnOrAfter(date: string, region: string): string {
  let d = date;
  while (!oracleIsBusinessDay(d, region)) d = oracleAddDays(d, 1);
  return d;
}
