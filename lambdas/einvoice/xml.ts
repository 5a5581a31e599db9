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
 * - the tree is then built here, in one linear pass without recursion, from a document the
 *   validator accepted: every value stays text (no number coercion: "00123" stays "00123", amounts
 *   are read as decimal strings); only the five predefined entities and character references are
 *   decoded (no DTD, so no other entity exists). fast-xml-parser's own tree builder is not bundled:
 *   with its entity and safety tables it weighed ~55 KiB in the import Lambda's cold start for
 *   what ~60 lines do on DTD-free input (issue 15). test/einvoice/xml-tree.test.ts checks this
 *   builder against it.
 * Namespace prefixes are dropped after the root's namespace has been checked (sniff.ts), so a file
 * using other prefixes (or the default namespace) for the same elements reads the same.
 */
import { XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../domain/errors';

/** Deepest element nesting accepted (UBL and CII invoices nest about 10 levels). */
export const MAX_DEPTH = 64;

/**
 * One parsed element: attributes as "@_name", text as "#text", children as arrays; an element with
 * neither attributes nor children is its text ('' when empty).
 */
export type XmlNode = { [name: string]: XmlNode[] | string | undefined } | string;

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
  return buildTree(text);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Text with its references decoded (the validator has checked each is well-formed). */
function decode(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (ref, body: string) => {
    if (body[0] !== '#') return PREDEFINED[body] ?? ref;
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
}

/** The local name: the part after a namespace prefix. */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

interface Open {
  name: string;
  node: { [name: string]: XmlNode[] | string | undefined };
  text: string;
  bare: boolean;
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The element value of a closed element (see XmlNode). */
function valueOf(e: Open): XmlNode {
  const text = e.text.trim();
  if (e.bare) return text;
  if (text) e.node['#text'] = text;
  return e.node;
}

/** Builds the nodes of a well-formed, DTD-free document (checked by the validator before). */
function buildTree(text: string): Record<string, XmlNode[]> {
  const top: Open = { name: '', node: {}, text: '', bare: false };
  const stack: Open[] = [top];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const current = stack[stack.length - 1]!;
    if (lt === -1 || lt > i) {
      const end = lt === -1 ? text.length : lt;
      if (stack.length > 1) current.text += decode(text.slice(i, end));
      i = end;
      continue;
    }
    if (text.startsWith('<?', i)) {
      i = text.indexOf('?>', i) + 2;
    } else if (text.startsWith('<!--', i)) {
      i = text.indexOf('-->', i) + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      current.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text[i + 1] === '/') {
      const end = text.indexOf('>', i);
      const closed = stack.pop()!;
      add(stack[stack.length - 1]!, closed.name, valueOf(closed));
      i = end + 1;
    } else {
      // The start tag ends at the first ">" outside a quoted attribute value.
      let j = i + 1;
      let quote = '';
      for (; j < text.length; j++) {
        const c = text[j];
        if (quote) quote = c === quote ? '' : quote;
        else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      const selfClosing = text[j - 1] === '/';
      const tag = text.slice(i + 1, selfClosing ? j - 1 : j);
      const name = /^[^\s/>]+/.exec(tag)![0];
      const opened: Open = { name: local(name), node: {}, text: '', bare: true };
      for (const m of tag.slice(name.length).matchAll(ATTRIBUTE)) {
        const attr = m[1]!;
        if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
        opened.node[`@_${local(attr)}`] = decode(m[2] ?? m[3] ?? '').trim();
        opened.bare = false;
      }
      if (selfClosing) add(current, opened.name, valueOf(opened));
      else if (stack.length > MAX_DEPTH) throw badXml('The XML file nests too deep.', `more than ${MAX_DEPTH} nested elements`);
      else stack.push(opened);
      i = j + 1;
    }
  }
  return top.node as Record<string, XmlNode[]>;
}

function add(parent: Open, name: string, value: XmlNode): void {
  parent.bare = false;
  const list = parent.node[name];
  if (Array.isArray(list)) list.push(value);
  else parent.node[name] = [value];
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
