/**
 * The PDF libraries as one module: Lambdas bundle it apart (SPLIT_MODULES in
 * lib/handler-function.ts) and pdf-letter.ts loads it on first use (loadPdfLibs).
 */
export { cleanText, degrees, drawText as textOperators, lineSplit, PDFContentStream, PDFDocument, PDFHexString, PDFNumber, PDFOperator, PDFOperatorNames, PDFRawStream, rgb } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { fontsCharset } from './pdf-letter';

export { fontkit };
// The letter renderer rides with its libraries (pdf-render.ts): no index.js carries its layout code.
export { renderPdfLetter } from './pdf-letter';

/** The fonts' character set, from the renderer's parsed fonts (pdf-letter.ts pdfCharset asks it here). */
export const letterCharset = (): ReadonlySet<number> => fontsCharset(fontkit);
