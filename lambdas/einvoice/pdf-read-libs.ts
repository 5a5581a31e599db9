/**
 * What Factur-X reading takes from pdf-lib, as one module: Lambdas bundle it apart (SPLIT_MODULES
 * in lib/handler-function.ts; pdf-lib is ~430 KiB, 60 % of import-invoice's bundle) and facturx.ts
 * loads it when a PDF arrives, so a cold start and an XML import never parse it.
 */
export { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
