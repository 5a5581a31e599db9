/**
 * The rules of single fields, as plain predicates and patterns with no validation library: the zod
 * schemas (validation.ts, creditor-profile-schema.ts) check with them, and so does the lean check
 * of a stored creditor profile (stored-profile.ts), which every workflow step runs on its cold
 * start without loading zod (issue 15). One definition of each rule, whichever checks it.
 */

// eslint-disable-next-line no-control-regex -- rejects control characters on purpose
export const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

// RFC 5322 is broader; this is the practical subset SES accepts, and it excludes CR/LF and spaces.
export const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Creditor ids: lower-case letters, digits and dashes (they appear in keys and URLs). */
export const CREDITOR_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

export const POSTAL_CODE = /^[A-Za-z0-9 -]{2,12}$/;
export const COUNTRY_CODE = /^[A-Z]{2}$/;
export const BIC = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
export const RATE = /^\d{1,2}(\.\d{1,2})?$/;
export const HTTP_URL = /^https?:\/\/[^\s]+$/;
export const HTTPS_URL = /^https:\/\/[^\s]+$/;

/** SIREN: 9 digits with a valid Luhn checksum (INSEE). */
export function isValidSiren(s: string): boolean {
  if (!/^\d{9}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(s[8 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * IBAN (ISO 13616): country, check digits, then the account; spaces allowed as printed. The
 * checksum is verified (mod 97 = 1), so a typo is caught here rather than on a debtor's transfer.
 */
export function isValidIban(raw: string): boolean {
  const s = raw.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of v) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

/**
 * A telephone number, E.164-ish: an optional leading +, then digits with the usual separators
 * (spaces, dots, dashes, parentheses); 6 to 15 digits (E.164 caps numbers at 15). Stored as given.
 */
export function isPhone(s: string): boolean {
  const digits = s.replace(/\D/g, '').length;
  return /^\+?[0-9 .()-]+$/.test(s) && digits >= 6 && digits <= 15;
}

/** The placeholders a creditor's reference format may use. */
export const REFERENCE_PLACEHOLDERS = ['invoiceNumber', 'stage', 'creditorId'] as const;

/** What is wrong with a reference format ("{invoiceNumber}-{stage}"), or null when nothing is. */
export function referenceFormatProblem(s: string): string | null {
  const placeholders = [...s.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);
  const unknown = placeholders.filter((p) => !(REFERENCE_PLACEHOLDERS as readonly string[]).includes(p));
  const allowed = REFERENCE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
  if (unknown.length) return `unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')}; allowed: ${allowed}`;
  if (/[{}]/.test(s.replace(/\{[^{}]*\}/g, ''))) return `has an unbalanced brace; placeholders are ${allowed}`;
  if (!placeholders.includes('invoiceNumber')) return 'must contain {invoiceNumber} (the reference names the invoice)';
  return null;
}
