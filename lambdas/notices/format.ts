/**
 * Per-language formatting of what notices print: money (delegated to domain/money), calendar dates,
 * rates, IBANs, postal addresses. Deterministic: no locale data from the host, no system clock.
 */
import { DateTime } from 'luxon';
import type { IsoDate, IsoInstant, Language, PostalAddress } from '../domain/model';
import { formatMoney, type Cents } from '../domain/money';
import { singleLine } from './escape';

const MONTHS: Record<Language, readonly string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD strictly (a real calendar day) or throws. */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return { year, month, day };
}

export function isIsoDate(date: unknown): date is IsoDate {
  if (typeof date !== 'string') return false;
  try {
    parseIsoDate(date);
    return true;
  } catch {
    return false;
  }
}

/** fr: "1er avril 2026", "3 avril 2026"; en: "3 April 2026". */
export function formatDate(date: IsoDate, language: Language): string {
  const { year, month, day } = parseIsoDate(date);
  const monthName = MONTHS[language][month - 1];
  if (language === 'fr') return `${day === 1 ? '1er' : day} ${monthName} ${year}`;
  return `${day} ${monthName} ${year}`;
}

/** The calendar day of an instant in Paris (letters are dated in French local time). */
export function parisDate(instant: IsoInstant): IsoDate {
  const dt = DateTime.fromISO(instant, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`not an ISO instant: ${JSON.stringify(instant)}`);
  return dt.setZone('Europe/Paris').toISODate() as IsoDate;
}

/** Calendar arithmetic on ISO dates (UTC, no time zone involved). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** "12.15" -> fr "12,15 %" (no-break space), en "12.15%". */
export function formatRate(ratePercent: string, language: Language): string {
  const text = singleLine(ratePercent);
  return language === 'fr' ? `${text.replace('.', ',')}\u00a0%` : `${text}%`;
}

export function money(cents: Cents, language: Language): string {
  return formatMoney(cents, language);
}

/** "FR7630006000011234567890189" -> "FR76 3000 6000 0112 3456 7890 189". */
export function formatIban(iban: string): string {
  return compactIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

export function compactIban(iban: string): string {
  return singleLine(iban).replace(/\s+/g, '').toUpperCase();
}

const COUNTRY_NAMES: Record<string, Record<Language, string>> = {
  FR: { fr: 'France', en: 'France' },
  BE: { fr: 'Belgique', en: 'Belgium' },
  CH: { fr: 'Suisse', en: 'Switzerland' },
  LU: { fr: 'Luxembourg', en: 'Luxembourg' },
  DE: { fr: 'Allemagne', en: 'Germany' },
  ES: { fr: 'Espagne', en: 'Spain' },
  IT: { fr: 'Italie', en: 'Italy' },
  GB: { fr: 'Royaume-Uni', en: 'United Kingdom' },
  IE: { fr: 'Irlande', en: 'Ireland' },
  NL: { fr: 'Pays-Bas', en: 'Netherlands' },
  MC: { fr: 'Monaco', en: 'Monaco' },
};

/** Postal address lines; the country line appears only when it is not France. */
export function addressLines(address: PostalAddress, language: Language): string[] {
  const lines = [singleLine(address.line1)];
  if (address.line2 && singleLine(address.line2)) lines.push(singleLine(address.line2));
  lines.push(`${singleLine(address.postalCode)} ${singleLine(address.city)}`.trim());
  const country = singleLine(address.country || 'FR').toUpperCase();
  if (country !== 'FR') lines.push(COUNTRY_NAMES[country]?.[language] ?? country);
  return lines;
}

/** The address on one line ("12 rue X, 69002 Lyon"). */
export function addressInline(address: PostalAddress, language: Language): string {
  return addressLines(address, language).join(', ');
}

/** "732 829 320" from "732829320" (the usual way a SIREN is printed). */
export function formatSiren(siren: string): string {
  const digits = singleLine(siren).replace(/\s+/g, '');
  return /^\d{9}$/.test(digits) ? digits.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') : digits;
}

const NUMBER_WORDS: Record<Language, readonly string[]> = {
  fr: ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf', 'vingt', 'vingt et un', 'vingt-deux', 'vingt-trois', 'vingt-quatre', 'vingt-cinq', 'vingt-six', 'vingt-sept', 'vingt-huit', 'vingt-neuf', 'trente', 'trente et un'],
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'twenty-one', 'twenty-two', 'twenty-three', 'twenty-four', 'twenty-five', 'twenty-six', 'twenty-seven', 'twenty-eight', 'twenty-nine', 'thirty', 'thirty-one'],
};

/** A count of days as a letter writes it: fr "huit jours", "15 jours" past 31; en "eight days". */
export function daysInWords(n: number, language: Language): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a number of days: ${n}`);
  const words = NUMBER_WORDS[language][n] ?? String(n);
  return language === 'fr' ? `${words} jour${n > 1 ? 's' : ''}` : `${words} day${n === 1 ? '' : 's'}`;
}
