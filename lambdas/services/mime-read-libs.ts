/**
 * The reader of our own MIME messages (notices/mime-parts.ts) as one module: Lambdas bundle it
 * apart (SPLIT_MODULES in lib/handler-function.ts) and evidence-source.ts loads it when a PDF must
 * be read out of a kept message, which a hand-off does only for an earlier hand-off's PDF.
 */
export { mimeParts } from '../notices/mime-parts';
