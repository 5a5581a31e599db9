/**
 * Per-language formatting of what notices print: money (delegated to domain/money), calendar dates,
 * rates, IBANs, postal addresses. Deterministic: no locale data from the host, no system clock.
 */
import { parseIsoDate, requireIsoDate } from '../domain/epoch-days';
import type { IsoDate, Language, PostalAddress } from '../domain/model';
import { formatMoney, type Cents } from '../domain/money';
import { singleLine } from './escape';

const MONTHS: Record<Language, readonly string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

// Dates have one implementation each, in the domain: re-exported for the templates.
export { addDays } from '../domain/epoch-days';
export { parisDate } from '../domain/dates';

export function isIsoDate(date: unknown): date is IsoDate {
  return typeof date === 'string' && parseIsoDate(date) !== null;
}

/** fr: "1er avril 2026", "3 avril 2026"; en: "3 April 2026". */
export function formatDate(date: IsoDate, language: Language): string {
  const { year, month, day } = requireIsoDate(date);
  const monthName = MONTHS[language][month - 1];
  if (language === 'fr') return `${day === 1 ? '1er' : day} ${monthName} ${year}`;
  return `${day} ${monthName} ${year}`;
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
