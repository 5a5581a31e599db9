/**
 * renderPdfLetter, laid out by code that travels with the PDF libraries: pdf-libs.ts re-exports
 * pdf-letter.ts's renderer, so in a Lambda the layout code (the writer, the wrapping, the font
 * and stream handling: ~8 KB minified) sits in the split module only a send rendering a PDF reads,
 * not in index.js. What the checker needs without rendering (FOOTER_PATTERN, pdfSafeText) stays
 * importable from pdf-letter.ts. Same function, same bytes: only where its code is loaded from differs.
 */
import type { Letter } from './letter';
import { loadPdfLibs, type PdfMeta } from './pdf-letter';

export async function renderPdfLetter(letter: Letter, meta: PdfMeta): Promise<Uint8Array> {
  return (await loadPdfLibs()).renderPdfLetter(letter, meta);
}
