/**
 * nodemailer's MailComposer as one module, with the pass that writes what it compiles
 * (mime-build.ts): Lambdas bundle it apart (SPLIT_MODULES in lib/handler-function.ts) and mime.ts
 * loads it on the first message composed.
 */
export { default as MailComposer } from 'nodemailer/lib/mail-composer';
export { buildMessage } from './mime-build';
