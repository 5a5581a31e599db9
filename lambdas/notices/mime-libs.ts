/**
 * nodemailer's MailComposer as one module: Lambdas bundle it apart (SPLIT_MODULES in
 * lib/handler-function.ts) and mime.ts loads it on the first message composed.
 */
export { default as MailComposer } from 'nodemailer/lib/mail-composer';
