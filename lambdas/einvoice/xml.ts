/**
 * Safe XML reading for e-invoices (EN 16931: UBL 2.1 and UN/CEFACT CII are plain XML, no DTD).
 *
 * Hostile input is refused before any parsing work that could grow with it:
 * - a DOCTYPE (or an ENTITY declaration) anywhere is refused outright: neither syntax uses one, and
 *   refusing it removes every entity attack at once (XXE: external entities reading files or URLs;
 *   "billion laughs": nested internal entities expanding exponentially). Nothing is ever fetched;
 * - the document must be UTF-8 (EN 16931 syntax bindings), well-formed (fast-xml-parser's
 *   validator, linear), and nest at most MAX_DEPTH elements (a 100,000-deep file is refused, not a
 *   stack overflow);
 * - the parser keeps every value as text (no number coercion: "00123" stays "00123", amounts are
 *   read as decimal strings) and decodes only the five predefined entities and character references.
 * Namespace prefixes are dropped after the root's namespace has been checked (sniff.ts), so a file
 * using other prefixes (or the default namespace) for the same elements reads the same.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../domain/errors';

/** Deepest element nesting accepted (UBL and CII invoices nest about 10 levels). */
export const MAX_DEPTH = 64;

/** One parsed element: attributes as "@_name", text as "#text", children as arrays. */
export type XmlNode = { [name: string]: XmlNode[] | string | undefined } | string;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Every element is a list, so a repeated element and a single one read the same way.
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  // No DOCTYPE reaches the parser (refused below); what remains is &amp; &lt; &gt; &quot; &apos; and &#...;
  processEntities: true,
  htmlEntities: false,
  maxNestedTags: MAX_DEPTH,
} as ConstructorParameters<typeof XMLParser>[0]);

export function badXml(message: string, reason: string): DomainError {
  return new DomainError(400, 'malformed_einvoice', message, [{ path: '', message: reason }]);
}

/** Decodes the bytes as UTF-8 (a BOM is allowed), refusing another declared encoding or invalid UTF-8. */
export function xmlText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badXml('The XML file is not valid UTF-8.', 'EN 16931 XML files are UTF-8 encoded');
  }
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(text)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    throw badXml(`The XML file declares encoding ${declared}.`, 'EN 16931 XML files are UTF-8 encoded');
  }
  return text;
}

/** Refuses a DTD or an entity declaration wherever it appears (see the module comment). */
export function refuseDtd(text: string): void {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new DomainError(400, 'xml_dtd_forbidden', 'XML with a DOCTYPE or entity declarations is refused (EN 16931 files have none; this blocks XXE and entity expansion).', [
      { path: '', message: 'remove the <!DOCTYPE ...> declaration' },
    ]);
  }
}

/** Parses a well-formed, DTD-free document into nodes (see XmlNode). */
export function parseXml(text: string): Record<string, XmlNode[]> {
  refuseDtd(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw badXml('The XML file is not well-formed.', `line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  try {
    return parser.parse(text) as Record<string, XmlNode[]>;
  } catch (e) {
    throw badXml('The XML file could not be read.', (e as Error).message);
  }
}

/** The nodes at a path of element names (prefixes dropped) below `from`. */
export function nodesAt(from: XmlNode | undefined, path: readonly string[]): XmlNode[] {
  let level: XmlNode[] = from === undefined ? [] : [from];
  for (const name of path) {
    const next: XmlNode[] = [];
    for (const n of level) {
      if (typeof n === 'string') continue;
      const child = n[name];
      if (Array.isArray(child)) next.push(...child);
    }
    level = next;
  }
  return level;
}

export function textOf(n: XmlNode | undefined): string | undefined {
  if (n === undefined) return undefined;
  const t = typeof n === 'string' ? n : typeof n['#text'] === 'string' ? (n['#text'] as string) : undefined;
  const trimmed = t?.trim();
  return trimmed ? trimmed : undefined;
}

export function attrOf(n: XmlNode | undefined, name: string): string | undefined {
  if (n === undefined || typeof n === 'string') return undefined;
  const v = n[`@_${name}`];
  return typeof v === 'string' ? v.trim() : undefined;
}
