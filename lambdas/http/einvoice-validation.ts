/**
 * Query parameters of POST /invoices/import: what an e-invoice does not carry. Each is checked
 * here only for its form; the values then go through the intake validation with the file's.
 */
import { invalid } from '../domain/errors';
import type { ImportOptions } from '../einvoice/mapping';

const KNOWN = ['debtorEmail', 'language', 'debtorKind'] as const;

export function parseImportQuery(query: Record<string, string | undefined> | null | undefined): ImportOptions {
  const q = query ?? {};
  const unknown = Object.keys(q).filter((k) => !(KNOWN as readonly string[]).includes(k));
  if (unknown.length) throw invalid(unknown.map((k) => ({ path: k, message: `unknown query parameter (known: ${KNOWN.join(', ')})` })), 'Invalid query');
  const out: ImportOptions = {};
  if (q.debtorEmail !== undefined) out.debtorEmail = q.debtorEmail.trim();
  if (q.language !== undefined) {
    if (q.language !== 'fr' && q.language !== 'en') throw invalid([{ path: 'language', message: 'must be "fr" or "en"' }], 'Invalid query');
    out.language = q.language;
  }
  if (q.debtorKind !== undefined) {
    if (q.debtorKind !== 'business' && q.debtorKind !== 'consumer') throw invalid([{ path: 'debtorKind', message: 'must be "business" or "consumer"' }], 'Invalid query');
    out.debtorKind = q.debtorKind;
  }
  return out;
}
