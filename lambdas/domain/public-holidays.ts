/**
 * French public holidays computed from the law, no data package: the eleven national days of the
 * Code du travail (L3133-1), the two extra days of Alsace-Moselle (local law, C. trav. L3134-13:
 * Good Friday and 26 December), and each overseas territory's abolition-of-slavery day (loi 83-550,
 * décret 83-1003 as amended). Three of the national days move with Easter, computed below.
 *
 * This replaces date-holidays, whose data pulled moment, moment-timezone and astronomia (~0.9 MB)
 * into every Lambda bundle; test/domain/public-holidays.test.ts checks it day for day against
 * date-holidays (kept as a devDependency) and against the independent oracle over 1900-2200.
 */

/** What a region adds to the national days. */
export interface RegionalDays {
  /** Good Friday (Alsace-Moselle by local law; Guadeloupe and Martinique by custom, as date-holidays lists it). */
  goodFriday?: boolean;
  /** 26 December, Saint-Étienne (Alsace-Moselle). */
  stStephen?: boolean;
  /** The abolition-of-slavery day, [month, day] (décret 83-1003). */
  abolition?: readonly [number, number];
}

/**
 * Easter Sunday of a Gregorian year as [month, day]: the ecclesiastical computus as Knuth gives it
 * (TAOCP vol. 1, 1.3.2 ex. 14; golden number, epact, Sunday letter). Deliberately not the
 * Meeus/Jones/Butcher formula the test oracle uses, so the two check each other.
 */
export function easterSunday(year: number): [number, number] {
  const golden = (year % 19) + 1;
  const century = Math.floor(year / 100) + 1;
  const droppedLeapDays = Math.floor((3 * century) / 4) - 12;
  const moonCorrection = Math.floor((8 * century + 5) / 25) - 5;
  const sunday = Math.floor((5 * year) / 4) - droppedLeapDays - 10;
  let epact = (((11 * golden + 20 + moonCorrection - droppedLeapDays) % 30) + 30) % 30;
  if ((epact === 25 && golden > 11) || epact === 24) epact += 1;
  let fullMoon = 44 - epact;
  if (fullMoon < 21) fullMoon += 30;
  const day = fullMoon + 7 - ((((sunday + fullMoon) % 7) + 7) % 7);
  return day > 31 ? [4, day - 31] : [3, day];
}

function isoDay(year: number, month: number, day: number): string {
  // Date.UTC carries day overflow into the next month (Easter + 50 days); setUTCFullYear keeps years < 100.
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.toISOString().slice(0, 10);
}

/** The public holidays of one year, as ISO dates, for a region adding `regional` to the national days. */
export function publicHolidayDates(year: number, regional: RegionalDays = {}): string[] {
  const [em, ed] = easterSunday(year);
  const easter = (offset: number) => isoDay(year, em, ed + offset);
  const days = [
    isoDay(year, 1, 1), // Jour de l'an
    easter(1), // Lundi de Pâques
    isoDay(year, 5, 1), // Fête du travail
    isoDay(year, 5, 8), // Victoire 1945
    easter(39), // Ascension
    easter(50), // Lundi de Pentecôte
    isoDay(year, 7, 14), // Fête nationale
    isoDay(year, 8, 15), // Assomption
    isoDay(year, 11, 1), // Toussaint
    isoDay(year, 11, 11), // Armistice 1918
    isoDay(year, 12, 25), // Noël
  ];
  if (regional.goodFriday) days.push(easter(-2));
  if (regional.stStephen) days.push(isoDay(year, 12, 26));
  if (regional.abolition) days.push(isoDay(year, regional.abolition[0], regional.abolition[1]));
  return days;
}
