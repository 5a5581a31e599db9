/**
 * Input validation at the edge (zod): every bad field yields { path, message } with a dotted path.
 * The same code runs on AWS and locally, so both answer the same 400s.
 */
// zod/mini, the tree-shakable API over the same core as zod (~25 KiB in a bundle where zod took
// ~90): the same checks in the same order, so the same issues. Its messages come from the English
// locale, configured here, exactly as zod's own entry point configures it; every module that
// validates imports this one. test/http/validation-golden.test.ts pins every error body.
// Each schema is built in a /* @__PURE__ */ closure, run at load as before: a schema construction is a
// call esbuild must otherwise keep, so every handler bundled all routes' schemas; now one keeps only
// the schemas its parsers use (issue 15: handlers import only what they run).
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { TASK_OUTCOMES, type CallInput } from '../domain/dossier-tasks';
import { parseIsoDate } from '../domain/epoch-days';
import { invalid, type ErrorDetail } from '../domain/errors';
import type { Debtor, Invoice } from '../domain/model';
import type { InsolvencyInput } from '../domain/insolvency';
import { luxonAcceptsIso } from './luxon-iso-text';
import { COUNTRY_CODE, EMAIL, isPhone, isValidSiren, NO_CONTROL, POSTAL_CODE, RATE } from './field-rules';
import { parseEuros } from '../domain/money';

z.config(en());

export { NO_CONTROL };

const YYYY_MM_DD = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date YYYY-MM-DD. Other ISO texts fail the pattern; whether they also read "is not a
 * valid calendar date" is what luxon said of them when it checked this field (luxon-iso-text.ts).
 */
export const isoDate = /* @__PURE__ */ (() => z
  .string()
  .check(
    z.regex(YYYY_MM_DD, 'must be a date YYYY-MM-DD'),
    z.refine((s) => (YYYY_MM_DD.test(s) ? parseIsoDate(s) !== null : luxonAcceptsIso(s)), 'is not a valid calendar date'),
  ))();

export const text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`), z.regex(NO_CONTROL, 'must not contain control characters'));

/** Decimal string in euros with at most two decimals, strictly positive. */
export const euroAmount = /* @__PURE__ */ (() => z
  .string({ error: 'must be a decimal string such as "1250.00"' })
  .check(
    z.refine((s) => parseEuros(s) !== null, 'must be a decimal string such as "1250.00" (at most 2 decimals)'),
    z.refine((s) => (parseEuros(s) ?? 0) > 0, 'must be greater than 0'),
  ))();

export const email = /* @__PURE__ */ (() => z.string().check(z.maxLength(254, 'must be at most 254 characters'), z.regex(EMAIL, 'must be a valid e-mail address')))();

export const address = /* @__PURE__ */ (() => z
  .object({
    line1: text(200),
    line2: z.optional(text(200)),
    postalCode: z.string().check(z.trim(), z.regex(POSTAL_CODE, 'must be a postal code')),
    city: text(100),
    country: z._default(z.string().check(z.regex(COUNTRY_CODE, 'must be an ISO 3166 alpha-2 code such as "FR"')), 'FR'),
  })
  .check(
    z.superRefine((a, ctx) => {
      if (a.country === 'FR' && !/^\d{5}$/.test(a.postalCode)) {
        ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'must be 5 digits for a French address' });
      }
    }),
  ))();

/** A telephone number, E.164-ish (field-rules.ts isPhone); stored as given. */
export const phone = /* @__PURE__ */ (() => z.string({ error: 'must be a phone number such as "+33 4 72 00 00 00"' }).check(
  z.trim(),
  z.refine(
    isPhone,
    {
      error: 'must be a phone number such as "+33 4 72 00 00 00": 6 to 15 digits, an optional leading +, spaces, dots, dashes or parentheses',
    },
  ),
))();

const debtor = /* @__PURE__ */ (() => z.object({
  kind: z.enum(['business', 'consumer'], { error: 'must be "business" or "consumer"' }),
  name: text(200),
  email,
  language: z.enum(['fr', 'en'], { error: 'must be "fr" or "en"' }),
  siren: z.optional(z.string().check(z.refine(isValidSiren, 'must be 9 digits with a valid checksum'))),
  address,
  segment: z.optional(text(64)),
  /** Shown on call tasks (manual_task stages). */
  phone: z.optional(phone),
  /** A consumer's agreement to receive registered electronic letters (CPCE L100). */
  registeredEmailConsent: z.optional(z.object({ givenOn: isoDate })),
  /** VAT identifier (EN 16931 BT-48): two-letter country prefix then 2 to 13 characters. */
  vatId: z.optional(z.string().check(z.regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, 'must be a VAT identifier such as "FR40303265045"'))),
}))();

export const rate = /* @__PURE__ */ (() => z.string().check(z.regex(RATE, 'must be a percentage such as "12.15"')))();

const invoiceBody = /* @__PURE__ */ (() => z
  .object({
    invoiceNumber: text(64),
    issueDate: isoDate,
    dueDate: isoDate,
    amount: euroAmount,
    currency: z.literal('EUR', { error: 'must be "EUR"' }),
    debtor,
    description: z.optional(text(2000)),
    contractualPenaltyRate: z.optional(rate),
    /** When the service was performed or the goods delivered (prescription runs from it). */
    performanceDate: z.optional(isoDate),
    /** Purchase order and contract references (EN 16931 BT-13, BT-12), for the litigation dossier. */
    orderReference: z.optional(text(200)),
    contractReference: z.optional(text(200)),
    /** Payment means: UNTDID 4461 code (BT-81) and the payee's IBAN (BT-84). */
    paymentMeans: z.optional(
      z.object({
        code: z.string().check(z.regex(/^[0-9A-Z]{1,3}$/, 'must be a UNTDID 4461 payment means code such as "58"')),
        iban: z.optional(z.string().check(z.regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/, 'must be an IBAN without spaces'))),
      }),
    ),
  })
  .check(
    z.superRefine((b, ctx) => {
      if (b.issueDate && b.dueDate && b.dueDate < b.issueDate) {
        ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'must not be before issueDate' });
      }
      if (b.performanceDate && b.dueDate && b.performanceDate > b.dueDate) {
        ctx.addIssue({ code: 'custom', path: ['performanceDate'], message: 'must not be after dueDate' });
      }
    }),
  ))();

/** Every parse reports the offending input, so a wrong type and a missing field read differently. */
export const REPORT = { reportInput: true } as const;

function detailsOf(error: z.core.$ZodError) {
  return error.issues.map(issueDetail);
}

export function issueDetail(i: z.core.$ZodIssue) {
  return { path: i.path.map(String).join('.'), message: messageOf(i) };
}

function messageOf(i: z.core.$ZodIssue): string {
  if (i.code !== 'invalid_type') return i.message;
  if (i.input === undefined) return 'is required';
  if (i.path.length === 0) return 'the body must be a JSON object';
  // Our own wording when the schema gives one; else name the type expected.
  return i.message.startsWith('Invalid input') ? `must be ${i.expected === 'array' ? 'a list' : `a ${i.expected}`}` : i.message;
}

export function parseInvoice(body: unknown): { invoice: Invoice; debtor: Debtor } {
  const parsed = invoiceBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid invoice');
  const b = parsed.data;
  const invoice: Invoice = {
    invoiceNumber: b.invoiceNumber,
    issueDate: b.issueDate,
    dueDate: b.dueDate,
    amountCents: parseEuros(b.amount)!,
    currency: 'EUR',
    description: b.description,
    contractualPenaltyRate: b.contractualPenaltyRate,
    ...(b.performanceDate !== undefined ? { performanceDate: b.performanceDate } : {}),
    ...(b.orderReference !== undefined ? { orderReference: b.orderReference } : {}),
    ...(b.contractReference !== undefined ? { contractReference: b.contractReference } : {}),
    ...(b.paymentMeans !== undefined ? { paymentMeans: b.paymentMeans.iban !== undefined ? { code: b.paymentMeans.code, iban: b.paymentMeans.iban } : { code: b.paymentMeans.code } } : {}),
  };
  const debtorValue: Debtor = {
    kind: b.debtor.kind,
    name: b.debtor.name,
    email: b.debtor.email,
    language: b.debtor.language,
    siren: b.debtor.siren,
    address: {
      line1: b.debtor.address.line1,
      line2: b.debtor.address.line2,
      postalCode: b.debtor.address.postalCode,
      city: b.debtor.address.city,
      country: b.debtor.address.country,
    },
    segment: b.debtor.segment,
    ...(b.debtor.phone !== undefined ? { phone: b.debtor.phone } : {}),
    ...(b.debtor.registeredEmailConsent ? { registeredEmailConsent: { givenOn: b.debtor.registeredEmailConsent.givenOn } } : {}),
    ...(b.debtor.vatId !== undefined ? { vatId: b.debtor.vatId } : {}),
  };
  return { invoice, debtor: debtorValue };
}

const paymentBody = /* @__PURE__ */ (() => z.object({
  amount: euroAmount,
  paidOn: isoDate,
  reference: text(128),
}))();

export function parsePayment(body: unknown, today: string): { amountCents: number; paidOn: string; reference: string } {
  const parsed = paymentBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid payment');
  if (parsed.data.paidOn > today) {
    throw invalid([{ path: 'paidOn', message: `must not be in the future (today is ${today})` }], 'Invalid payment');
  }
  return { amountCents: parseEuros(parsed.data.amount)!, paidOn: parsed.data.paidOn, reference: parsed.data.reference };
}

export { detailsOf };

const cancelBody = /* @__PURE__ */ (() => z.object({ reason: text(2000) }))();

export function parseCancel(body: unknown): { reason: string } {
  const parsed = cancelBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid cancellation');
  return { reason: parsed.data.reason };
}

const disputeBody = /* @__PURE__ */ (() => z.object({ reason: text(2000), disputedAmount: z.optional(euroAmount) }))();

export function parseDispute(body: unknown): { reason: string; disputedAmountCents?: number } {
  const parsed = disputeBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid dispute');
  const { reason, disputedAmount } = parsed.data;
  return disputedAmount === undefined ? { reason } : { reason, disputedAmountCents: parseEuros(disputedAmount)! };
}

const resolveBody = /* @__PURE__ */ (() => z.object({
  outcome: z.enum(['rejected', 'upheld'], { error: 'must be "rejected" or "upheld"' }),
  creditNoteAmount: z.optional(euroAmount),
  /** Required with "rejected": the reasons, sent to the debtor in the rejection letter. */
  reasons: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.maxLength(4000, 'must be at most 4000 characters'),
        // eslint-disable-next-line no-control-regex -- rejects control characters on purpose
        z.regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters other than line breaks and tabs'),
      ),
  ),
}))();

export function parseResolution(body: unknown): { outcome: 'rejected' | 'upheld'; creditNoteAmountCents?: number; reasons?: string } {
  const parsed = resolveBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid resolution');
  const { outcome, creditNoteAmount, reasons } = parsed.data;
  if (creditNoteAmount !== undefined && outcome !== 'upheld') {
    throw invalid([{ path: 'creditNoteAmount', message: 'only allowed when outcome is "upheld"' }], 'Invalid resolution');
  }
  if (outcome === 'rejected' && !reasons) {
    throw invalid([{ path: 'reasons', message: 'is required when outcome is "rejected" (the debtor receives a letter with the reasons)' }], 'Invalid resolution');
  }
  return {
    outcome,
    ...(creditNoteAmount !== undefined ? { creditNoteAmountCents: parseEuros(creditNoteAmount)! } : {}),
    ...(reasons ? { reasons } : {}),
  };
}

const promiseBody = /* @__PURE__ */ (() => z.object({ date: isoDate, amount: euroAmount }))();

export function parsePromise(body: unknown): { date: string; amountCents: number } {
  const parsed = promiseBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid promise');
  return { date: parsed.data.date, amountCents: parseEuros(parsed.data.amount)! };
}

/** An instalment's date is `dueDate`; `date` is accepted as an alias (as in promises). */
// zod's preprocess(fn, schema) is pipe(transform(fn), schema); zod/mini spells it out.
const instalment = /* @__PURE__ */ (() => z.pipe(
  z.transform((v: unknown) => (v && typeof v === 'object' && !('dueDate' in v) && 'date' in v ? (({ date, ...rest }) => ({ ...rest, dueDate: date }))(v as { date: unknown }) : v)),
  z.object({ dueDate: isoDate, amount: euroAmount }),
))();

const planBody = /* @__PURE__ */ (() => z.object({
  instalments: z.array(instalment, { error: 'must be a list of { dueDate, amount }' }).check(z.minLength(1, 'must list at least one instalment')),
}))();

export function parsePlan(body: unknown): { instalments: { dueDate: string; amountCents: number }[] } {
  const parsed = planBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid payment plan');
  return { instalments: parsed.data.instalments.map((i) => ({ dueDate: i.dueDate, amountCents: parseEuros(i.amount)! })) };
}

/** Free text that may span lines (call notes): tabs and line breaks allowed, other controls not. */
// eslint-disable-next-line no-control-regex -- rejects control characters on purpose
const NO_CONTROL_EXCEPT_LINES = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

const taskCompletionBody = /* @__PURE__ */ (() => z.object({
  outcome: z.enum(TASK_OUTCOMES, { error: `must be one of ${TASK_OUTCOMES.map((o) => `"${o}"`).join(', ')}` }),
  notes: z.optional(
    z
      .string()
      .check(z.trim(), z.maxLength(2000, 'must be at most 2000 characters'), z.regex(NO_CONTROL_EXCEPT_LINES, 'must not contain control characters other than line breaks and tabs')),
  ),
  by: z.optional(text(200)),
}))();

/** POST /tasks/{taskId}/complete: empty notes count as none; `by` defaults to "api". */
export function parseTaskCompletion(body: unknown): CallInput {
  const parsed = taskCompletionBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid task completion');
  const { outcome, notes, by } = parsed.data;
  return notes ? { outcome, notes, by: by ?? 'api' } : { outcome, by: by ?? 'api' };
}

/** GET /tasks?include=upcoming: also the open tasks not yet due. */
/** GET /tasks pages: 100 tasks by default, at most 500 (~0.3 KB each, far below Lambda's 6 MB response). */
export const TASK_PAGE = { defaultLimit: 100, maxLimit: 500 };

export function parseTaskListQuery(query: Record<string, string | undefined> | null): { includeUpcoming: boolean; limit: number; cursor?: string } {
  const q = query ?? {};
  // limit as parsePageQuery (admin-validation.ts, which imports this module); other parameters
  // were always ignored here and still are.
  const details: ErrorDetail[] = [];
  if (q.include !== undefined && q.include !== 'upcoming') details.push({ path: 'include', message: 'must be "upcoming"' });
  let limit = TASK_PAGE.defaultLimit;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (!/^\d+$/.test(q.limit) || n < 1 || n > TASK_PAGE.maxLimit) details.push({ path: 'limit', message: `must be a whole number from 1 to ${TASK_PAGE.maxLimit}` });
    else limit = n;
  }
  if (details.length) throw invalid(details, 'Invalid query');
  return { includeUpcoming: q.include === 'upcoming', limit, ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) };
}

const resumeBody = /* @__PURE__ */ (() => z.object({ debtorEmail: z.optional(email), note: z.optional(text(2000)) }))();

export function parseResume(body: unknown): { debtorEmail?: string; note?: string } {
  const parsed = resumeBody.safeParse(body ?? {}, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid resume');
  const { debtorEmail, note } = parsed.data;
  return { ...(debtorEmail ? { debtorEmail } : {}), ...(note ? { note } : {}) };
}

/** The debtor's written acceptance of a payment plan: the document itself, kept as evidence. */
// 4 MiB decoded is 5.6 MB of base64: the route's body limit (DOCUMENT_BODY_LIMIT, under Lambda's 6 MB payload) holds it.
const MAX_ACCEPTANCE_BYTES = 4 * 1024 * 1024;
const acceptanceBody = /* @__PURE__ */ (() => z.object({
  acceptedOn: isoDate,
  kind: z.enum(['email', 'signed_plan'], { error: 'must be "email" (the debtor\'s e-mail) or "signed_plan" (the plan signed by the debtor)' }),
  document: z.object({
    filename: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200), z.regex(/^[A-Za-z0-9._ -]+$/, 'letters, digits, dot, dash, underscore and space only')),
    contentType: z.string().check(z.regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9.+-]+$/, 'must be a MIME type such as "message/rfc822" or "application/pdf"')),
    contentBase64: z.string().check(z.minLength(1, 'must not be empty'), z.regex(/^[A-Za-z0-9+/\r\n]+={0,2}$/, 'must be base64')),
  }),
}))();

export interface AcceptanceRequest {
  acceptedOn: string;
  kind: 'email' | 'signed_plan';
  document: { filename: string; contentType: string; bytes: Uint8Array };
}

/** POST /invoices/{id}/payment-plan/acceptance: the debtor's e-mail or signed plan (C. civ. 2240 proof). */
export function parseAcceptance(body: unknown): AcceptanceRequest {
  const parsed = acceptanceBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid acceptance');
  const { acceptedOn, kind, document } = parsed.data;
  const bytes = new Uint8Array(Buffer.from(document.contentBase64, 'base64'));
  if (bytes.length === 0 || bytes.length > MAX_ACCEPTANCE_BYTES) {
    throw invalid([{ path: 'document.contentBase64', message: `must decode to 1 byte .. ${MAX_ACCEPTANCE_BYTES} bytes` }], 'Invalid acceptance');
  }
  return { acceptedOn, kind, document: { filename: document.filename, contentType: document.contentType, bytes } };
}

const handoffBody = /* @__PURE__ */ (() => z.strictObject({ approvedBy: text(200) }))();

/** POST /invoices/{id}/handoff: who approves handing the dossier to counsel. */
export function parseHandoffApproval(body: unknown): { approvedBy: string } {
  const parsed = handoffBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid hand-off approval');
  return { approvedBy: parsed.data.approvedBy };
}

const insolvencyBody = /* @__PURE__ */ (() => z
  .strictObject({
    judgmentDate: isoDate,
    procedure: z.enum(['sauvegarde', 'redressement', 'liquidation'], { error: 'must be "sauvegarde", "redressement" or "liquidation"' }),
    court: text(200),
    mandataire: z.strictObject({ name: text(200), address: z.optional(text(500)), email: z.optional(email) }),
    bodaccPublishedOn: z.optional(isoDate),
  })
  .check(
    z.superRefine((b, ctx) => {
      if (b.bodaccPublishedOn && b.judgmentDate && b.bodaccPublishedOn < b.judgmentDate) {
        ctx.addIssue({ code: 'custom', path: ['bodaccPublishedOn'], message: 'must not be before judgmentDate' });
      }
    }),
  ))();

/** POST /invoices/{id}/insolvency: the opening judgment of the debtor's insolvency proceedings. */
export function parseInsolvency(body: unknown, today: string): InsolvencyInput {
  const parsed = insolvencyBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid insolvency proceedings');
  const b = parsed.data;
  const future = [
    ...(b.judgmentDate > today ? [{ path: 'judgmentDate', message: 'must not be in the future' }] : []),
    ...(b.bodaccPublishedOn && b.bodaccPublishedOn > today ? [{ path: 'bodaccPublishedOn', message: 'must not be in the future' }] : []),
  ];
  if (future.length) throw invalid(future, 'Invalid insolvency proceedings');
  return {
    judgmentDate: b.judgmentDate,
    procedure: b.procedure,
    court: b.court,
    mandataire: { name: b.mandataire.name, ...(b.mandataire.address ? { address: b.mandataire.address } : {}), ...(b.mandataire.email ? { email: b.mandataire.email } : {}) },
    ...(b.bodaccPublishedOn ? { bodaccPublishedOn: b.bodaccPublishedOn } : {}),
  };
}

const proofDocument = /* @__PURE__ */ (() => z.object({
  filename: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200), z.regex(/^[A-Za-z0-9._ -]+$/, 'letters, digits, dot, dash, underscore and space only')),
  contentType: z.string().check(z.regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9.+-]+$/, 'must be a MIME type such as "application/pdf" or "image/jpeg"')),
  contentBase64: z.string().check(z.minLength(1, 'must not be empty'), z.regex(/^[A-Za-z0-9+/\r\n]+={0,2}$/, 'must be base64')),
}))();

function decodeProof(d: z.infer<typeof proofDocument>, path: string, what: string) {
  const bytes = new Uint8Array(Buffer.from(d.contentBase64, 'base64'));
  if (bytes.length === 0 || bytes.length > MAX_ACCEPTANCE_BYTES) throw invalid([{ path, message: `must decode to 1 byte .. ${MAX_ACCEPTANCE_BYTES} bytes` }], what);
  return { filename: d.filename, contentType: d.contentType, bytes };
}

const postingBody = /* @__PURE__ */ (() => z.object({
  trackingNumber: z.string().check(z.trim(), z.regex(/^[A-Z0-9]{8,20}$/, 'must be the LRAR number, 8 to 20 capital letters and digits (e.g. "1A12345678901")')),
  postedOn: isoDate,
  /** The posting receipt (preuve de dépôt), scanned: optional. */
  document: z.optional(proofDocument),
}))();

/** POST /invoices/{id}/registered-letter/posting */
export function parsePosting(body: unknown) {
  const parsed = postingBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid posting');
  const { trackingNumber, postedOn, document } = parsed.data;
  return { trackingNumber, postedOn, ...(document ? { document: decodeProof(document, 'document.contentBase64', 'Invalid posting') } : {}) };
}

const receiptBody = /* @__PURE__ */ (() => z.object({
  presentedOn: isoDate,
  outcome: z.enum(['signed', 'unclaimed', 'refused'], { error: 'must be "signed", "unclaimed" (avisé, non réclamé) or "refused"' }),
  /** The acknowledgment of receipt (avis de réception), scanned: required. */
  document: proofDocument,
}))();

/** POST /invoices/{id}/registered-letter/receipt */
export function parseRegisteredReceipt(body: unknown) {
  const parsed = receiptBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid acknowledgment of receipt');
  const { presentedOn, outcome, document } = parsed.data;
  return { presentedOn, outcome, document: decodeProof(document, 'document.contentBase64', 'Invalid acknowledgment of receipt') };
}
