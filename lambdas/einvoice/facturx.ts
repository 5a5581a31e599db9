/**
 * Factur-X (ZUGFeRD 2.x): a PDF/A-3 with the invoice's CII XML as an embedded file, named
 * "factur-x.xml" (Factur-X 1.0), "zugferd-invoice.xml" (ZUGFeRD 2.0/2.1) or "xrechnung.xml"
 * (ZUGFeRD XRechnung profile), listed in the catalog's EmbeddedFiles name tree and in its AF
 * (associated files, PDF/A-3) array. pdf-lib reads the PDF structure; the embedded stream is
 * decompressed here with a hard output cap, so a "zip bomb" attachment is a 413, not a hang.
 */
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import type { PDFDict, PDFDocument, PDFObject, PDFRawStream } from 'pdf-lib';
import { DomainError } from '../domain/errors';
import { MAX_XML_BYTES } from './limits';

export const FACTURX_FILE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'] as const;

type PdfReadLibs = typeof import('./pdf-read-libs');
/** pdf-lib, loaded with the first PDF (a split module on Lambda: lib/handler-function.ts). */
let L: PdfReadLibs;

async function loadPdfReadLibs(): Promise<void> {
  if (!L) {
    const m = (await import('./pdf-read-libs.js')) as PdfReadLibs & { default?: PdfReadLibs };
    L = m.PDFDocument ? m : (m.default as PdfReadLibs);
  }
}

/** Name-tree depth and entry count read at most (a real Factur-X has one or two attachments). */
const MAX_TREE_NODES = 256;

function badPdf(message: string, reason: string): DomainError {
  return new DomainError(400, 'malformed_einvoice', message, [{ path: '', message: reason }]);
}

/** The embedded CII XML's bytes, and the name it was found under. */
export async function extractFacturX(pdf: Uint8Array): Promise<{ xml: Uint8Array; fileName: string }> {
  guardStructureStreams(pdf);
  await loadPdfReadLibs();
  let doc: PDFDocument;
  try {
    // Encrypted PDFs are refused (pdf-lib throws): PDF/A-3 forbids encryption anyway.
    doc = await L.PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    throw badPdf('The PDF could not be read.', `not a readable, unencrypted PDF (${(e as Error).message.split('\n')[0].slice(0, 200)})`);
  }
  const specs = [...fileSpecsFromAF(doc), ...fileSpecsFromNameTree(doc)];
  for (const spec of specs) {
    const name = fileNameOf(spec);
    if (!name || !(FACTURX_FILE_NAMES as readonly string[]).includes(name.toLowerCase())) continue;
    const ef = doc.context.lookup(spec.get(L.PDFName.of('EF')));
    const stream = ef instanceof L.PDFDict ? doc.context.lookup(ef.get(L.PDFName.of('UF')) ?? ef.get(L.PDFName.of('F'))) : undefined;
    if (!(stream instanceof L.PDFRawStream)) throw badPdf(`The PDF's ${name} attachment has no content.`, 'embedded file stream missing');
    return { xml: decodeStream(stream, name), fileName: name };
  }
  throw new DomainError(422, 'not_facturx', 'This PDF carries no Factur-X invoice: no embedded factur-x.xml, zugferd-invoice.xml or xrechnung.xml.', [
    { path: '', message: `embedded files: ${specs.map(fileNameOf).filter(Boolean).join(', ') || 'none'}` },
  ]);
}

/** Inflated size allowed for all the PDF's object and cross-reference streams together. */
export const MAX_STRUCTURE_BYTES = 16 * 1024 * 1024;

/**
 * pdf-lib inflates object streams (/Type /ObjStm) and cross-reference streams (/Type /XRef) while
 * loading, with no output limit. Before it does, each such stream is inflated here with a cap, so
 * a PDF whose structure is a deflate bomb is a 413 instead of exhausting the function's memory.
 * (Page contents, fonts and images are not decoded by pdf-lib's load, so they are not checked.)
 */
function guardStructureStreams(pdf: Uint8Array): void {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const types = /\/Type\s*\/(?:ObjStm|XRef)\b/g;
  let total = 0;
  for (let m = types.exec(text); m; m = types.exec(text)) {
    const start = /stream\r?\n/g;
    start.lastIndex = m.index;
    const s = start.exec(text);
    const endobj = text.indexOf('endobj', m.index);
    if (!s || (endobj !== -1 && s.index > endobj)) continue;
    const dataStart = s.index + s[0].length;
    const dataEnd = text.indexOf('endstream', dataStart);
    if (dataEnd === -1) continue;
    const dict = text.slice(Math.max(text.lastIndexOf('<<', m.index), 0), s.index);
    if (!/\/FlateDecode/.test(dict)) continue;
    try {
      // Z_SYNC_FLUSH: a stream cut short or followed by an end-of-line still inflates what it has.
      total += inflateSync(pdf.subarray(dataStart, dataEnd), { maxOutputLength: MAX_STRUCTURE_BYTES - total, finishFlush: zlibConstants.Z_SYNC_FLUSH }).length;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        throw new DomainError(413, 'payload_too_large', `The PDF's object streams inflate to more than ${MAX_STRUCTURE_BYTES} bytes.`, [{ path: '', message: 'PDF structure too large once decompressed' }]);
      }
      // Not inflatable here: pdf-lib decides (and refuses what it cannot read).
    }
    types.lastIndex = dataEnd;
  }
}

function fileSpecsFromAF(doc: PDFDocument): PDFDict[] {
  const af = doc.context.lookup(doc.catalog.get(L.PDFName.of('AF')));
  if (!(af instanceof L.PDFArray)) return [];
  return af.asArray().slice(0, MAX_TREE_NODES).map((o) => doc.context.lookup(o)).filter((o): o is PDFDict => o instanceof L.PDFDict);
}

/** Walks the EmbeddedFiles name tree (Names pairs, Kids), bounded in nodes visited. */
function fileSpecsFromNameTree(doc: PDFDocument): PDFDict[] {
  const names = doc.context.lookup(doc.catalog.get(L.PDFName.of('Names')));
  if (!(names instanceof L.PDFDict)) return [];
  const root = doc.context.lookup(names.get(L.PDFName.of('EmbeddedFiles')));
  const out: PDFDict[] = [];
  const queue: PDFObject[] = root ? [root] : [];
  let visited = 0;
  const seen = new Set<PDFObject>();
  while (queue.length && visited++ < MAX_TREE_NODES) {
    const node = doc.context.lookup(queue.shift()!);
    if (!(node instanceof L.PDFDict) || seen.has(node)) continue;
    seen.add(node);
    const pairs = doc.context.lookup(node.get(L.PDFName.of('Names')));
    if (pairs instanceof L.PDFArray) {
      for (let i = 1; i < pairs.size() && out.length < MAX_TREE_NODES; i += 2) {
        const spec = doc.context.lookup(pairs.get(i));
        if (spec instanceof L.PDFDict) out.push(spec);
      }
    }
    const kids = doc.context.lookup(node.get(L.PDFName.of('Kids')));
    if (kids instanceof L.PDFArray) queue.push(...kids.asArray());
  }
  return out;
}

function fileNameOf(spec: PDFDict): string | undefined {
  for (const key of ['UF', 'F']) {
    const v = spec.get(L.PDFName.of(key));
    if (v instanceof L.PDFString || v instanceof L.PDFHexString) return v.decodeText();
  }
  return undefined;
}

/** No filter or FlateDecode (what Factur-X writers use); output capped at MAX_XML_BYTES. */
function decodeStream(stream: PDFRawStream, name: string): Uint8Array {
  const filter = stream.dict.get(L.PDFName.of('Filter'));
  const filters = filter instanceof L.PDFArray ? filter.asArray() : filter ? [filter] : [];
  const raw = stream.getContents();
  if (filters.length === 0) {
    if (raw.length > MAX_XML_BYTES) throw tooLarge(name);
    return raw;
  }
  if (filters.length !== 1 || filters[0] !== L.PDFName.of('FlateDecode') || stream.dict.get(L.PDFName.of('DecodeParms'))) {
    throw badPdf(`The PDF's ${name} attachment uses an unsupported encoding.`, 'embedded XML must be uncompressed or FlateDecode without predictor');
  }
  try {
    return inflateSync(raw, { maxOutputLength: MAX_XML_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLarge(name);
    throw badPdf(`The PDF's ${name} attachment could not be decompressed.`, (e as Error).message);
  }
}

function tooLarge(name: string): DomainError {
  return new DomainError(413, 'payload_too_large', `The PDF's ${name} attachment is larger than ${MAX_XML_BYTES} bytes once decompressed.`, [
    { path: '', message: `embedded XML over ${MAX_XML_BYTES} bytes` },
  ]);
}
