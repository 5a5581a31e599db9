import { dirname } from 'node:path';
import { PDFDict } from 'pdf-lib';

const STANDARD_FONTS = `${dirname(require.resolve('pdfjs-dist/package.json'))}/standard_fonts/`;

export interface PdfText {
  /** The text of every page, items joined by spaces and line ends. */
  text: string;
  /** The same, one string per page. */
  pageTexts: string[];
  pages: number;
  info: Record<string, unknown>;
}

/** Extracts a PDF's text with pdfjs-dist (an independent reader, not our own scanner). */
export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs detaches the buffer it is given: hand it a copy.
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false }).promise;
  const pageTexts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const parts: string[] = [];
    for (const item of content.items) if ('str' in item) parts.push(item.str, item.hasEOL ? '\n' : ' ');
    pageTexts.push(parts.join(''));
  }
  const meta = await doc.getMetadata();
  const pages = doc.numPages;
  await doc.destroy();
  return { text: pageTexts.join(''), pageTexts, pages, info: meta.info as Record<string, unknown> };
}

/** Collapses every kind of whitespace (incl. no-break spaces) to one space. */
export const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/gu, ' ');

/**
 * The fonts a PDF uses, read with pdf-lib: each font dictionary's BaseFont and whether its font
 * program is embedded (FontFile / FontFile2 / FontFile3 in its descriptor, or its descendant's).
 */
export async function pdfFonts(bytes: Uint8Array): Promise<{ name: string; subtype: string; embedded: boolean }[]> {
  const { PDFDocument, PDFName, PDFArray } = await import('pdf-lib');
  const doc = await PDFDocument.load(bytes);
  const ctx = doc.context;
  const get = (d: PDFDict, key: string) => ctx.lookup(d.get(PDFName.of(key)));
  const embedded = (font: PDFDict): boolean => {
    const descriptor = get(font, 'FontDescriptor');
    if (descriptor instanceof PDFDict && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.has(PDFName.of(k)))) return true;
    const descendants = get(font, 'DescendantFonts');
    if (descendants instanceof PDFArray) {
      return descendants.asArray().every((x) => {
        const child = ctx.lookup(x);
        return child instanceof PDFDict && embedded(child);
      });
    }
    return false;
  };
  const fonts: { name: string; subtype: string; embedded: boolean }[] = [];
  for (const [, obj] of ctx.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || String(obj.get(PDFName.of('Type'))) !== '/Font') continue;
    const subtype = String(obj.get(PDFName.of('Subtype')));
    if (subtype === '/CIDFontType2' || subtype === '/CIDFontType0') continue; // reported through its Type0 parent
    fonts.push({ name: String(obj.get(PDFName.of('BaseFont'))).slice(1), subtype: subtype.slice(1), embedded: embedded(obj) });
  }
  return fonts;
}
