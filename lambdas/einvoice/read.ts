/**
 * Reads one e-invoice file: the declared content type chooses the reader, the bytes confirm it
 * (a PDF starts with %PDF-, an XML file's root element names its syntax and namespace), then the
 * business terms are read from the XML (embedded in the PDF for Factur-X).
 */
import { DomainError } from '../domain/errors';
import { extractFacturX } from './facturx';
import { MAX_EINVOICE_BYTES, MAX_XML_BYTES } from './limits';
import { CII_TERMS, readTerms, UBL_TERMS, type TermKey, type TermSpec, type TermValue } from './terms';
import { parseXml, refuseDtd, xmlText, type XmlNode } from './xml';

export type EInvoiceFormat = 'factur-x' | 'cii' | 'ubl';
export const EINVOICE_CONTENT_TYPES = ['application/pdf', 'application/xml', 'text/xml'] as const;

export const CII_NAMESPACE = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';
export const UBL_INVOICE_NAMESPACE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const UBL_CREDIT_NOTE_NAMESPACE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';

export interface EInvoiceRead {
  format: EInvoiceFormat;
  /** The media type the file is stored with (the declared one, without parameters). */
  contentType: (typeof EINVOICE_CONTENT_TYPES)[number];
  /** Factur-X: the embedded file's name. */
  embeddedFile?: string;
  terms: Partial<Record<TermKey, TermValue>>;
  /** Where each term is in this syntax (for errors and docs). */
  spec: Record<TermKey, TermSpec>;
}

/** The media type without parameters, lower case; null when absent. */
export function mediaType(header: string | undefined | null): string | null {
  const t = header?.split(';')[0].trim().toLowerCase();
  return t ? t : null;
}

export async function readEInvoice(bytes: Uint8Array, contentTypeHeader: string | undefined | null): Promise<EInvoiceRead> {
  const type = mediaType(contentTypeHeader);
  if (!type || !(EINVOICE_CONTENT_TYPES as readonly string[]).includes(type)) {
    throw new DomainError(415, 'unsupported_media_type', `Content type ${type ?? '(none)'} is not an e-invoice: send application/pdf (Factur-X), application/xml or text/xml (UBL 2.1 Invoice, UN/CEFACT CII).`, [
      { path: 'content-type', message: 'must be application/pdf, application/xml or text/xml' },
    ]);
  }
  if (bytes.length === 0) throw new DomainError(400, 'malformed_einvoice', 'The request body is empty.', [{ path: '', message: 'body is empty' }]);
  if (bytes.length > MAX_EINVOICE_BYTES) throw tooLarge(bytes.length, MAX_EINVOICE_BYTES);
  const sniffed = sniff(bytes);
  if (type === 'application/pdf') {
    if (sniffed !== 'pdf') throw mismatch(type, sniffed);
    const { xml, fileName } = await extractFacturX(bytes);
    const read = readXml(xml, true);
    if (read.syntax !== 'cii') {
      throw new DomainError(422, 'not_facturx', `The PDF's ${fileName} is not a UN/CEFACT CII invoice.`, [{ path: '', message: 'Factur-X embeds CII XML' }]);
    }
    return { format: 'factur-x', contentType: 'application/pdf', embeddedFile: fileName, terms: read.terms, spec: CII_TERMS };
  }
  if (sniffed !== 'xml') throw mismatch(type, sniffed);
  if (bytes.length > MAX_XML_BYTES) throw tooLarge(bytes.length, MAX_XML_BYTES);
  const read = readXml(bytes, false);
  return { format: read.syntax, contentType: type as EInvoiceRead['contentType'], terms: read.terms, spec: read.syntax === 'cii' ? CII_TERMS : UBL_TERMS };
}

/** What the first bytes say: a PDF header (within the first 1024 bytes, ISO 32000-1 7.5.2 tolerance), an XML document, or something else. */
export function sniff(bytes: Uint8Array): 'pdf' | 'xml' | 'other' {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  // XML first: an XML file may mention "%PDF-" in a comment; a PDF never starts with "<".
  if (head.replace(/^\u00ef\u00bb\u00bf/, '').trimStart().startsWith('<')) return 'xml';
  return head.includes('%PDF-') ? 'pdf' : 'other';
}

function readXml(bytes: Uint8Array, embedded: boolean): { syntax: 'cii' | 'ubl'; terms: Partial<Record<TermKey, TermValue>> } {
  const text = xmlText(bytes);
  refuseDtd(text);
  const root = rootElement(text);
  if (root.local === 'CreditNote' && root.namespace === UBL_CREDIT_NOTE_NAMESPACE) throw creditNote('BT-3', '/CreditNote', 'a UBL CreditNote');
  const syntax = root.local === 'CrossIndustryInvoice' && root.namespace === CII_NAMESPACE ? 'cii' : root.local === 'Invoice' && root.namespace === UBL_INVOICE_NAMESPACE ? 'ubl' : null;
  if (!syntax) {
    throw new DomainError(422, 'unsupported_einvoice', `The XML root element {${root.namespace ?? ''}}${root.local} is neither a UBL 2.1 Invoice nor a UN/CEFACT CII CrossIndustryInvoice${embedded ? ' (in the PDF)' : ''}.`, [
      { path: '', message: `root element ${root.local}, namespace ${root.namespace ?? 'none'}` },
    ]);
  }
  const doc = parseXml(text);
  const top = doc[root.local]?.[0] as XmlNode | undefined;
  if (top === undefined) throw new DomainError(400, 'malformed_einvoice', 'The XML root element could not be read.', [{ path: '', message: 'no root element' }]);
  const terms = readTerms(top, syntax === 'cii' ? CII_TERMS : UBL_TERMS);
  const spec = syntax === 'cii' ? CII_TERMS : UBL_TERMS;
  if (terms.typeCode && CREDIT_NOTE_TYPE_CODES.has(terms.typeCode.value)) throw creditNote(spec.typeCode.bt, spec.typeCode.xpath, `type code ${terms.typeCode.value} (a credit note)`);
  return { syntax, terms };
}

/** UNTDID 1001 codes EN 16931 lists for credit notes (381 is the commercial credit note). */
export const CREDIT_NOTE_TYPE_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);

function creditNote(bt: string, xpath: string, what: string): DomainError {
  return new DomainError(422, 'credit_note_refused', `This file is ${what}, not an invoice: a credit note reduces a debt, it is not one to collect (record it on the dossier as a partial credit note when a dispute is upheld).`, [
    { path: '', businessTerm: bt, xpath, message: 'must be an invoice, not a credit note' },
  ]);
}

/** The root element's local name and namespace, from its start tag (comments and PIs skipped). */
function rootElement(text: string): { local: string; namespace: string | null } {
  const body = text.replace(/^\uFEFF/, '').replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const m = /<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)([^>]*)>/.exec(body);
  if (!m) throw new DomainError(400, 'malformed_einvoice', 'The XML file has no root element.', [{ path: '', message: 'no element found' }]);
  const [prefix, local] = m[1].includes(':') ? m[1].split(':') : [null, m[1]];
  const attr = prefix ? `xmlns:${prefix}` : 'xmlns';
  const ns = new RegExp(`\\s${attr.replace('.', '\\.')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(m[2]);
  return { local, namespace: ns ? (ns[2] ?? ns[3]) : null };
}

function mismatch(declared: string, sniffed: 'pdf' | 'xml' | 'other'): DomainError {
  return new DomainError(415, 'content_type_mismatch', `The body was declared ${declared} but its content is ${sniffed === 'other' ? 'neither a PDF nor XML' : sniffed === 'pdf' ? 'a PDF' : 'XML'}.`, [
    { path: 'content-type', message: `does not match the content (${sniffed})` },
  ]);
}

function tooLarge(size: number, max: number): DomainError {
  return new DomainError(413, 'payload_too_large', `The e-invoice is ${size} bytes; at most ${max} are accepted.`, [{ path: '', message: `over ${max} bytes` }]);
}
