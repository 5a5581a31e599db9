import { dirname } from 'node:path';

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
