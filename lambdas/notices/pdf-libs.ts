/**
 * The PDF libraries as one module: Lambdas bundle it apart (SPLIT_MODULES in
 * lib/handler-function.ts) and pdf-letter.ts loads it on first use (loadPdfLibs).
 */
export { cleanText, degrees, drawText as textOperators, lineSplit, PDFContentStream, PDFDocument, PDFRawStream, rgb } from 'pdf-lib';
export { default as fontkit } from '@pdf-lib/fontkit';
