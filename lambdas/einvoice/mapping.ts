/**
 * From the business terms of an e-invoice to the intake request of POST /invoices (the same JSON
 * shape), which is then validated by the same code (parseInvoice). Each field keeps where it came
 * from, so that any refusal — a term missing, inconsistent, or refused by the intake validation —
 * is a 422 naming the EN 16931 business term and its XPath in the file. Field by field:
 * docs/einvoice.md.
 */
import { DomainError, type ErrorDetail } from '../domain/errors';
import type { Debtor, Invoice } from '../domain/model';
import { dueDateFromTerms } from '../domain/payment-terms';
import { parseInvoice } from '../http/validation';
import type { EInvoiceRead } from './read';
import type { TermKey } from './terms';

/** What the request adds to the file (query parameters of POST /invoices/import). */
export interface ImportOptions {
  /** Used when the file has no e-mail address for the buyer (BT-49 with scheme EM). */
  debtorEmail?: string;
  /** The debtor's language for letters (default "fr": EN 16931 carries none). */
  language?: string;
  /** "business" (default: e-invoicing is B2B) or "consumer". */
  debtorKind?: string;
}

/** The creditor's identity, from its profile: the seller of every invoice it imports. */
export interface SellerIdentity {
  legalName: string;
  siren: string;
  iban: string;
}

interface Origin {
  businessTerm?: string;
  xpath?: string;
  /** A query parameter, when the value came from the request rather than the file. */
  parameter?: string;
}

export interface MappedRequest {
  body: Record<string, unknown>;
  /** Intake field path (as parseInvoice reports it) -> where its value came from. */
  origins: Record<string, Origin>;
  /** How the due date was found: BT-9, or the rule read from BT-20. */
  dueDateSource: string;
}

/** EN 16931 syntax date: CII DateTimeString format 102 (YYYYMMDD), UBL xs:date (YYYY-MM-DD). */
function isoDateOf(v: { value: string; scheme?: string } | undefined, cii: boolean): string | null | undefined {
  if (!v) return undefined;
  if (cii) {
    if (v.scheme !== undefined && v.scheme !== '102') return null;
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v.value);
    return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
  }
  return /^\d{4}-\d{2}-\d{2}$/.test(v.value) ? v.value : null;
}

/** A French SIREN from a legal id (SIREN, or SIRET whose first 9 digits are the SIREN). */
export function sirenOf(id: string | undefined): string | undefined {
  const digits = id?.replace(/[\s.]/g, '');
  if (!digits) return undefined;
  if (/^\d{9}$/.test(digits)) return digits;
  if (/^\d{14}$/.test(digits)) return digits.slice(0, 9);
  return undefined;
}

/** The SIREN inside a French VAT number (FR + 2 check characters + SIREN). */
export function sirenOfVat(vat: string | undefined): string | undefined {
  const m = /^FR[0-9A-Z]{2}(\d{9})$/.exec(vat?.replace(/\s/g, '').toUpperCase() ?? '');
  return m?.[1];
}

const normalizeIban = (s: string) => s.replace(/\s/g, '').toUpperCase();

/**
 * `seller` null skips the checks against the creditor profile (seller SIREN, payee IBAN): only the
 * CLI's dry run, which has no profile, passes null.
 */
export function mapToIntakeRequest(read: EInvoiceRead, seller: SellerIdentity | null, opts: ImportOptions): MappedRequest {
  const t = read.terms;
  const cii = read.format !== 'ubl';
  const problems: ErrorDetail[] = [];
  const origins: Record<string, Origin> = {};
  const at = (key: TermKey): Origin => ({ businessTerm: read.spec[key].bt, xpath: read.spec[key].xpath });
  const refuse = (key: TermKey, path: string, message: string) => problems.push({ path, ...at(key), message });
  const body: Record<string, unknown> = {};
  const set = (path: string, key: TermKey, value: unknown) => {
    if (value === undefined) return;
    origins[path] = at(key);
    const parts = path.split('.');
    let o = body;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts[parts.length - 1]] = value;
  };
  const required = (key: TermKey, path: string, name: string) => {
    if (!t[key]) refuse(key, path, `${name} is required`);
    return t[key]?.value;
  };

  // The seller must be this creditor: its SIREN, from BT-30 (SIREN or SIRET) or else from a French BT-31.
  const sellerName = required('sellerName', 'seller.name', 'the seller name');
  const sellerSiren = sirenOf(t.sellerLegalId?.value) ?? sirenOfVat(t.sellerVatId?.value);
  if (seller === null) {
    // dry run: no profile to check against
  } else if (sellerSiren === undefined) {
    refuse('sellerLegalId', 'seller.siren', `the seller's SIREN is required (BT-30 legal registration, or a French VAT id in BT-31) to check that the invoice is ${seller.legalName}'s`);
  } else if (sellerSiren !== seller.siren) {
    throw new DomainError(422, 'seller_mismatch', `This invoice was issued by ${sellerName ?? 'another seller'} (SIREN ${sellerSiren}), not by ${seller.legalName} (SIREN ${seller.siren}): a creditor imports only its own invoices.`, [
      { path: 'seller.siren', ...at(t.sellerLegalId && sirenOf(t.sellerLegalId.value) ? 'sellerLegalId' : 'sellerVatId'), message: `must be the creditor's SIREN ${seller.siren}` },
    ]);
  }

  set('invoiceNumber', 'invoiceNumber', required('invoiceNumber', 'invoiceNumber', 'the invoice number'));
  const issueDate = isoDateOf(t.issueDate, cii);
  if (t.issueDate === undefined) refuse('issueDate', 'issueDate', 'the invoice issue date is required');
  else if (issueDate === null) refuse('issueDate', 'issueDate', cii ? 'must be a date in format 102 (YYYYMMDD)' : 'must be a date YYYY-MM-DD');
  else set('issueDate', 'issueDate', issueDate);

  // BT-9, else a term read from BT-20 (domain/payment-terms.ts), else a clear refusal.
  let dueDateSource = 'BT-9';
  const due = isoDateOf(t.dueDate, cii);
  if (due === null) refuse('dueDate', 'dueDate', cii ? 'must be a date in format 102 (YYYYMMDD)' : 'must be a date YYYY-MM-DD');
  else if (due !== undefined) set('dueDate', 'dueDate', due);
  else if (t.paymentTerms && issueDate) {
    const reading = dueDateFromTerms(t.paymentTerms.value, issueDate);
    if (reading) {
      set('dueDate', 'paymentTerms', reading.dueDate);
      dueDateSource = `BT-20 "${t.paymentTerms.value}" (${reading.rule})`;
    } else {
      problems.push({ path: 'dueDate', ...at('dueDate'), message: `the payment due date is required: BT-20 "${t.paymentTerms.value.slice(0, 120)}" (${read.spec.paymentTerms.xpath}) states no term this import can read (e.g. "30 jours", "net 30", "45 jours fin de mois"); give BT-9` });
    }
  } else if (issueDate !== null) {
    problems.push({ path: 'dueDate', ...at('dueDate'), message: 'the payment due date is required (BT-9, or payment terms in BT-20 such as "30 jours")' });
  }

  set('amount', 'amountDue', required('amountDue', 'amount', 'the amount due for payment'));
  const currency = required('currency', 'currency', 'the invoice currency code');
  if (currency !== undefined) set('currency', 'currency', currency.toUpperCase());
  if (read.format === 'ubl' && t.amountDue?.scheme && currency && t.amountDue.scheme.toUpperCase() !== currency.toUpperCase()) {
    refuse('amountDue', 'amount', `is in ${t.amountDue.scheme}, the invoice in ${currency}`);
  }

  // The buyer (BG-7).
  set('debtor.kind', 'buyerName', opts.debtorKind ?? 'business');
  origins['debtor.kind'] = { parameter: 'debtorKind' };
  set('debtor.language', 'buyerName', opts.language ?? 'fr');
  origins['debtor.language'] = { parameter: 'language' };
  set('debtor.name', 'buyerName', required('buyerName', 'debtor.name', 'the buyer name'));
  const email = t.buyerEmail?.value ?? opts.debtorEmail;
  if (email === undefined) {
    problems.push({ path: 'debtor.email', ...at('buyerEmail'), message: "the buyer's e-mail address is required: the file has none (BT-49 with schemeID EM); give it as ?debtorEmail=" });
  } else {
    set('debtor.email', 'buyerEmail', email);
    if (!t.buyerEmail) origins['debtor.email'] = { parameter: 'debtorEmail' };
  }
  // A SIREN is a French identifier: scheme 0002 (SIREN) or 0009 (SIRET), or no scheme for a French
  // buyer. Another scheme (a Norwegian 9-digit organisation number...) is not read as one.
  const frenchScheme = t.buyerLegalId?.scheme === '0002' || t.buyerLegalId?.scheme === '0009' || (t.buyerLegalId?.scheme === undefined && (t.buyerCountry?.value ?? 'FR').toUpperCase() === 'FR');
  const legalSiren = frenchScheme ? sirenOf(t.buyerLegalId?.value) : undefined;
  if (t.buyerLegalId && legalSiren === undefined && (t.buyerLegalId.scheme === '0002' || t.buyerLegalId.scheme === '0009')) {
    refuse('buyerLegalId', 'debtor.siren', 'must be a SIREN (9 digits) or SIRET (14 digits) for scheme 0002/0009');
  } else if (legalSiren !== undefined) {
    set('debtor.siren', 'buyerLegalId', legalSiren);
  } else if (sirenOfVat(t.buyerVatId?.value) !== undefined) {
    set('debtor.siren', 'buyerVatId', sirenOfVat(t.buyerVatId?.value));
  }
  if (t.buyerVatId) set('debtor.vatId', 'buyerVatId', t.buyerVatId.value.replace(/\s/g, '').toUpperCase());
  set('debtor.address.line1', 'buyerLine1', required('buyerLine1', 'debtor.address.line1', 'the buyer address line'));
  const line2 = [t.buyerLine2?.value, t.buyerLine3?.value].filter(Boolean).join(', ');
  if (line2) set('debtor.address.line2', t.buyerLine2 ? 'buyerLine2' : 'buyerLine3', line2);
  set('debtor.address.postalCode', 'buyerPostcode', required('buyerPostcode', 'debtor.address.postalCode', 'the buyer post code'));
  set('debtor.address.city', 'buyerCity', required('buyerCity', 'debtor.address.city', 'the buyer city'));
  set('debtor.address.country', 'buyerCountry', required('buyerCountry', 'debtor.address.country', 'the buyer country code')?.toUpperCase());

  // Kept on the invoice: prescription runs from the delivery date; references for counsel.
  const delivery = isoDateOf(t.deliveryDate, cii);
  if (delivery === null) refuse('deliveryDate', 'performanceDate', cii ? 'must be a date in format 102 (YYYYMMDD)' : 'must be a date YYYY-MM-DD');
  else set('performanceDate', 'deliveryDate', delivery);
  set('orderReference', 'orderReference', t.orderReference?.value);
  set('contractReference', 'contractReference', t.contractReference?.value);

  // Payment instructions (BG-16): the letters give the profile's IBAN; an invoice naming another
  // account is refused rather than chased to the wrong account (or a fraudulent one).
  if (t.paymentMeansCode || t.payeeIban) {
    set('paymentMeans.code', 'paymentMeansCode', t.paymentMeansCode?.value);
    if (!t.paymentMeansCode) refuse('paymentMeansCode', 'paymentMeans.code', 'the payment means type code is required with an account (BT-84)');
    if (t.payeeIban) {
      const iban = normalizeIban(t.payeeIban.value);
      if (seller !== null && iban !== normalizeIban(seller.iban)) {
        refuse('payeeIban', 'paymentMeans.iban', `is not the creditor profile's IBAN (${seller.iban}), which every letter gives the debtor: update the profile or correct the invoice`);
      }
      set('paymentMeans.iban', 'payeeIban', iban);
    }
  }

  if (problems.length) throw unprocessable(problems);
  return { body, origins, dueDateSource };
}

function unprocessable(details: ErrorDetail[]): DomainError {
  return new DomainError(422, 'einvoice_invalid', `The e-invoice cannot be imported: ${details.length} field${details.length > 1 ? 's' : ''} missing or inconsistent.`, details);
}

/**
 * The intake submission of an e-invoice: mapped, then validated by parseInvoice exactly as a
 * POST /invoices body; a validation failure becomes a 422 naming the business terms.
 */
export function submissionFromEInvoice(read: EInvoiceRead, seller: SellerIdentity | null, opts: ImportOptions): { invoice: Invoice; debtor: Debtor; mapped: MappedRequest } {
  const mapped = mapToIntakeRequest(read, seller, opts);
  try {
    return { ...parseInvoice(mapped.body), mapped };
  } catch (e) {
    if (!(e instanceof DomainError) || e.status !== 400) throw e;
    throw unprocessable(
      e.details.map((d) => {
        const origin = mapped.origins[d.path] ?? mapped.origins[d.path.split('.').slice(0, -1).join('.')];
        if (origin?.parameter) return { ...d, path: origin.parameter };
        return origin ? { ...d, businessTerm: origin.businessTerm, xpath: origin.xpath } : d;
      }),
    );
  }
}
