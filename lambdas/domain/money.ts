/**
 * Money as integer euro cents. Never a binary float: amounts arrive as decimal strings
 * ("1250.00"), are parsed digit by digit, and every computation stays in integers.
 */
export type Cents = number;

const DECIMAL = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/** Parses a decimal euro string ("1250", "1250.0", "1250.00") into cents; null when malformed. */
export function parseEuros(text: string): Cents | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const units = Number(m[1]);
  const frac = (m[2] ?? '').padEnd(2, '0');
  return units * 100 + Number(frac);
}

/** "1250.00": the canonical decimal string used by the API. */
export function toDecimalString(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "1 250,00 €" (fr, narrow no-break space as thousands separator) or "€1,250.00" (en). */
export function formatMoney(cents: Cents, language: 'fr' | 'en'): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = String(Math.floor(abs / 100));
  const frac = String(abs % 100).padStart(2, '0');
  if (language === 'fr') {
    return `${sign}${groupThousands(units, '\u202f')},${frac}\u00a0€`;
  }
  return `${sign}€${groupThousands(units, ',')}.${frac}`;
}

function groupThousands(digits: string, sep: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

export function assertCents(value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer number of cents: ${value}`);
}
