/**
 * Mandatory mentions, verified on the rendered output (plain text, HTML and, for the mise en
 * demeure, the PDF) rather than on the input: a template change that drops a mention, or data that
 * is missing (no deadline, no IBAN), makes the notice unsendable. renderNotice calls assertSendable.
 */
import { formatMoney } from '../domain/money';
import { hasControlChars, isSafeHttpsUrl, plainText, singleLine } from './escape';
import { addDays, compactIban, formatDate, formatRate, formatSiren, isIsoDate, parisDate } from './format';
import { CONSEQUENCE_MARKERS, L111_8_MARKERS, PUBLIC_CONSEQUENCE_MARKERS } from './legal-texts';
import { counselSalutation } from './litigation-dossier';
import { FOOTER_PATTERN, pdfSafeText } from './pdf-letter';
import { scanPdfText } from './pdf-scan';
import { letterReference } from './templates/common';
import { channelStatement, gracePeriodSentence, isRegistered } from './templates/formal-notice';
import { MIN_GRACE_DAYS } from '../domain/policy';
import type { NoticeContext, RenderedNotice } from './types';
import type { Language } from '../domain/model';
import {
  AGENCY_ACTIVITY,
  B2B_ONLY_WORDS,
  DEMAND,
  interestRunning,
  NO_COLLECTION_FEES,
  PLAN_ACCEPTANCE,
  PROVISIONAL,
} from './wording';

export interface CheckResult {
  ok: boolean;
  /** Human-readable names of the missing mentions (with the format they are missing from). */
  missing: string[];
}

export class NoticeNotSendableError extends Error {
  constructor(
    readonly kind: string,
    readonly dossierId: string,
    readonly missing: string[],
  ) {
    super(`refusing to send ${kind} for dossier ${JSON.stringify(dossierId)}: missing or invalid mandatory mentions: ${missing.join('; ')}`);
    this.name = 'NoticeNotSendableError';
  }
}

/** One mention: every needle must be found; a needle given as an array is satisfied by any item. */
interface Mention {
  name: string;
  needles: (string | string[])[];
  /** Compare without any whitespace (IBAN, SIREN). */
  compact?: boolean;
}

type Source = 'text' | 'html' | 'pdf';

interface Haystacks {
  normal: Partial<Record<Source, string>>;
  compact: Partial<Record<Source, string>>;
}

/** Whitespace of any kind (incl. U+00A0/U+202F from formatMoney) collapses; case-insensitive. */
function norm(text: string): string {
  return text.normalize('NFC').replace(/[\s\u00a0\u202f]+/gu, ' ').trim().toLowerCase();
}

function compact(text: string): string {
  return text.normalize('NFC').replace(/[\s\u00a0\u202f]+/gu, '').toLowerCase();
}

/** The visible text of our HTML: head dropped, tags removed, entities decoded. */
export function htmlVisibleText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/i, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
      if (code[0] === '#') {
        const cp = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : entity;
      }
      return named[code.toLowerCase()] ?? entity;
    });
}

function haystacks(rendered: RenderedNotice, withPdf: boolean): Haystacks {
  const raw: Partial<Record<Source, string>> = { text: rendered.text, html: htmlVisibleText(rendered.html) };
  if (withPdf) {
    const pdf = rendered.attachments.find((a) => a.contentType === 'application/pdf');
    // Page footers are drawn after each page's body: leave them out so that a sentence running
    // over a page break reads as one.
    raw.pdf = pdf ? scanPdfText(pdf.content).filter((line) => !FOOTER_PATTERN.test(line)).join('\n') : '';
  }
  const h: Haystacks = { normal: {}, compact: {} };
  for (const [k, v] of Object.entries(raw) as [Source, string][]) {
    h.normal[k] = norm(v);
    h.compact[k] = compact(v);
  }
  return h;
}

function findMissing(mentions: Mention[], h: Haystacks): string[] {
  const missing: string[] = [];
  const sources = Object.keys(h.normal) as Source[];
  for (const m of mentions) {
    const absentFrom = sources.filter((src) => {
      const hay = (m.compact ? h.compact[src] : h.normal[src]) ?? '';
      const base = m.compact ? compact : norm;
      // The PDF holds the text as its embedded fonts print it (a character they lack is mapped to a
      // printable form, pdfSafeText): map needles alike. Names with Ł, ő, ø are printed as given.
      const prep = src === 'pdf' ? (s: string) => base(pdfSafeText(s)) : base;
      // In the PDF a word too long for the line is hard-broken: accept a whitespace-blind match.
      const pdfCompact = src === 'pdf' ? (h.compact.pdf ?? '') : '';
      return !m.needles.every((needle) => {
        const options = Array.isArray(needle) ? needle : [needle];
        return options.some(
          (o) =>
            (prep(o) !== '' && hay.includes(prep(o))) ||
            (src === 'pdf' && compact(pdfSafeText(o)) !== '' && pdfCompact.includes(compact(pdfSafeText(o)))),
        );
      });
    });
    if (absentFrom.length === sources.length) missing.push(m.name);
    else if (absentFrom.length) missing.push(`${m.name} (missing from ${absentFrom.join(', ')})`);
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------
// Mention lists

function invoiceMentions(ctx: NoticeContext): Mention[] {
  const L = ctx.language;
  return [
    { name: 'invoice number', needles: [singleLine(ctx.invoice.invoiceNumber)] },
    { name: 'invoice issue date', needles: [formatDate(ctx.invoice.issueDate, L)] },
    { name: 'original due date', needles: [formatDate(ctx.invoice.dueDate, L)] },
  ];
}

function breakdownMentions(ctx: NoticeContext, L = ctx.language): Mention[] {
  const b = ctx.breakdown;
  const mentions: Mention[] = [{ name: 'principal amount', needles: [formatMoney(b.principalCents, L)] }];
  for (const line of b.interest.lines) {
    mentions.push({
      name: `${b.interest.basis === 'legal' ? 'interest' : 'penalty'} line ${line.from}..${line.to} (days, rate, amount)`,
      needles: [formatDate(line.from, L), formatDate(line.to, L), String(line.days), formatRate(line.ratePercent, L), formatMoney(line.amountCents, L)],
    });
  }
  if (b.provisional || b.interest.lines.some((l) => l.provisional)) {
    mentions.push({ name: 'provisional rate wording', needles: [PROVISIONAL[L]] });
  }
  if (b.regime === 'b2b' && b.indemnityCents > 0) {
    mentions.push(
      b.interest.basis === 'ccp-l2192-13'
        ? { name: 'recovery indemnity (40 EUR, CCP L2192-13)', needles: [formatMoney(b.indemnityCents, L), 'L2192-13'] }
        : { name: 'recovery indemnity (40 EUR, D441-5)', needles: [formatMoney(b.indemnityCents, L), 'D441-5'] },
    );
  }
  if (b.payments && b.payments.length > 0) mentions.push(...paymentsListMentions(ctx, L));
  else if (b.paidCents > 0) mentions.push({ name: 'payments received', needles: [formatMoney(-b.paidCents, L)] });
  mentions.push({ name: 'total due', needles: [formatMoney(b.totalDueCents, L)] });
  return mentions;
}

/** Every payment received, with its date and amount (every letter lists them). */
function paymentsListMentions(ctx: NoticeContext, L = ctx.language): Mention[] {
  return (ctx.breakdown.payments ?? []).map((p) => ({
    name: `payment received on ${p.paidOn} (date, amount)`,
    needles: [formatDate(p.paidOn, L), formatMoney(p.amountCents, L)],
  }));
}

/** A needle no output can contain: the mention is reported missing (absent input data). */
const NEVER = '\u0000';

function paymentMentions(ctx: NoticeContext): Mention[] {
  const iban = compactIban(ctx.creditor.iban);
  const bic = singleLine(ctx.creditor.bic);
  const mentions: Mention[] = [
    { name: 'IBAN', needles: [iban || NEVER], compact: true },
    { name: 'BIC', needles: [bic || NEVER], compact: true },
  ];
  if (isSafeHttpsUrl(ctx.creditor.paymentLink)) mentions.push({ name: 'payment link', needles: [ctx.creditor.paymentLink] });
  return mentions;
}

function contactMention(ctx: NoticeContext): Mention {
  return { name: 'contact person', needles: [singleLine(ctx.creditor.contact.name), singleLine(ctx.creditor.contact.email)] };
}

function sirenNeedle(siren: string): string[] {
  return [formatSiren(siren), singleLine(siren)];
}

function partyMentions(ctx: NoticeContext): Mention[] {
  const c = ctx.creditor;
  const d = ctx.debtor;
  const mentions: Mention[] = [
    { name: 'creditor identity', needles: [singleLine(c.legalName)] },
    { name: 'creditor address', needles: [singleLine(c.address.line1), `${singleLine(c.address.postalCode)} ${singleLine(c.address.city)}`] },
    { name: 'creditor SIREN', needles: [sirenNeedle(c.siren)] },
    { name: 'debtor identity', needles: [singleLine(d.name)] },
    { name: 'debtor address', needles: [singleLine(d.address.line1), `${singleLine(d.address.postalCode)} ${singleLine(d.address.city)}`] },
  ];
  if (d.siren) mentions.push({ name: 'debtor SIREN', needles: [sirenNeedle(d.siren)] });
  return mentions;
}

function agencyFirstLetterMentions(ctx: NoticeContext): Mention[] {
  const a = ctx.creditor.agency;
  if (!a) return [];
  const L = ctx.language;
  const c = ctx.creditor;
  return [
    { name: 'R124-4: agency identity', needles: [singleLine(a.legalName)] },
    { name: 'R124-4: agency address', needles: [singleLine(a.address.line1), `${singleLine(a.address.postalCode)} ${singleLine(a.address.city)}`] },
    { name: 'R124-4: statement of amicable collection activity', needles: [AGENCY_ACTIVITY[L]] },
    { name: 'R124-4: creditor identity', needles: [singleLine(c.legalName)] },
    { name: 'R124-4: creditor address', needles: [singleLine(c.address.line1), `${singleLine(c.address.postalCode)} ${singleLine(c.address.city)}`] },
    { name: 'R124-4: basis of the debt (invoice)', needles: [singleLine(ctx.invoice.invoiceNumber), formatDate(ctx.invoice.issueDate, L)] },
    ...breakdownMentions(ctx).map((m) => ({ ...m, name: `R124-4: ${m.name}` })),
    { name: 'R124-4: no collection fees charged (L111-8 CPCE)', needles: [NO_COLLECTION_FEES[L]] },
    { name: 'R124-4: text of L111-8 CPCE paragraphs 2 and 3', needles: [...L111_8_MARKERS] },
    ...paymentMentions(ctx).map((m) => ({ ...m, name: `R124-4: demand with payment methods: ${m.name}` })),
    {
      name: 'R124-4: letter reference and date',
      needles: [letterReference(ctx.invoice.invoiceNumber, 'first_reminder'), formatDate(parisDate(ctx.sentAt), L)],
    },
  ];
}

function formalNoticeMentions(ctx: NoticeContext): Mention[] {
  const L = ctx.language;
  const city = singleLine(ctx.creditor.city);
  const date = formatDate(parisDate(ctx.sentAt), L);
  const mentions: Mention[] = [
    { name: 'the words "mise en demeure"', needles: ['mise en demeure'] },
    ...partyMentions(ctx),
    ...invoiceMentions(ctx),
    {
      name: 'nature of the debt',
      needles: [ctx.invoice.description ? singleLine(ctx.invoice.description) : L === 'fr' ? 'fourniture de biens ou de services' : 'supply of goods or services'],
    },
    ...breakdownMentions(ctx),
    { name: 'express demand to pay', needles: [DEMAND[L]] },
    ...paymentMentions(ctx),
    ...(ctx.breakdown.interest.basis === 'ccp-l2192-13' ? PUBLIC_CONSEQUENCE_MARKERS : CONSEQUENCE_MARKERS)[L].map((c) => ({ name: c.name, needles: [c.needle] })),
    { name: 'interest continuing to run', needles: [interestRunning(ctx.breakdown, L)] },
    contactMention(ctx),
    { name: 'place and date', needles: [L === 'fr' ? `Fait à ${city}, le ${date}` : `Done at ${city}, on ${date}`] },
  ];
  if (ctx.deadline && isIsoDate(ctx.deadline)) mentions.push({ name: 'payment deadline (firm date)', needles: [formatDate(ctx.deadline, L)] });
  if (ctx.graceDays !== undefined) mentions.push({ name: 'grace period sentence', needles: [gracePeriodSentence(ctx)] });
  mentions.push({ name: 'how the letter is sent', needles: [channelStatement(ctx)] });
  if (ctx.creditor.agency) {
    mentions.push({ name: 'agency identity', needles: [singleLine(ctx.creditor.agency.legalName)] });
    // Only the creditor can sue: "notre mandant pourra saisir…", never "nous".
    mentions.push({ name: 'consequences attributed to the principal (agency)', needles: [L === 'fr' ? 'notre mandant' : 'our principal'] });
  }
  for (const letter of ctx.earlierLetters ?? []) {
    mentions.push({ name: `date of the earlier ${letter.kind.replace('_', ' ')} (${letter.date})`, needles: [formatDate(letter.date, L)] });
  }
  return mentions;
}

/**
 * Scripts, frames, event handlers, javascript: URLs in real tags. User text is escaped, so it has
 * no "<" and cannot appear here; a hit means markup escaped the renderer.
 */
function hasActiveContent(html: string): boolean {
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    if (/^<\/?\s*(script|iframe|object|embed|form|input|base|meta\s+http-equiv|link|style)\b/i.test(tag)) return true;
    if (/\son[a-z]+\s*=|javascript:|vbscript:|data:text\/html/i.test(tag)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Everything a mise en demeure must contain, checked in the text, the HTML and the PDF. */
export function checkFormalNotice(ctx: NoticeContext, rendered: RenderedNotice): CheckResult {
  const missing: string[] = [];
  const grace = ctx.graceDays;
  if (grace === undefined || !Number.isSafeInteger(grace) || grace < MIN_GRACE_DAYS) {
    missing.push(`grace period of the policy (at least ${MIN_GRACE_DAYS} days, got ${String(grace)})`);
  }
  if (isRegistered(ctx)) {
    // A registered letter's period runs from its first presentation: no calendar date can be printed.
    if (ctx.deadline) missing.push('a registered letter states its period from the first presentation, not a calendar date');
  } else if (!ctx.deadline || !isIsoDate(ctx.deadline)) {
    missing.push('payment deadline (firm date)');
  } else if (grace !== undefined && Number.isSafeInteger(grace) && ctx.deadline < addDays(parisDate(ctx.sentAt), grace)) {
    missing.push(`payment deadline at least ${grace} days after sending (got ${ctx.deadline})`);
  }
  if (!/mise en demeure/i.test(rendered.subject)) missing.push('subject: "Mise en demeure"');
  if (ctx.language === 'en' && !/mise en demeure \(formal notice\)/i.test(rendered.subject)) missing.push('subject: "Mise en demeure (formal notice)"');
  const pdf = rendered.attachments.find((a) => a.contentType === 'application/pdf');
  if (!pdf) missing.push('PDF letter attached');
  else {
    if (Buffer.from(pdf.content.subarray(0, 5)).toString('latin1') !== '%PDF-') missing.push('PDF letter attached (not a PDF)');
    if (!/^mise-en-demeure-[A-Za-z0-9._-]+\.pdf$/.test(pdf.filename)) missing.push('PDF file name mise-en-demeure-<invoice>.pdf');
  }
  missing.push(...findMissing(formalNoticeMentions(ctx), haystacks(rendered, Boolean(pdf))));
  return { ok: missing.length === 0, missing };
}

/** CPCE R124-4: the mentions of a collection agency's first letter. */
export function checkAgencyFirstLetter(ctx: NoticeContext, rendered: RenderedNotice): CheckResult {
  const missing = findMissing(agencyFirstLetterMentions(ctx), haystacks(rendered, false));
  return { ok: missing.length === 0, missing };
}

/** The per-kind mandatory mentions of any notice (formal_notice and agency letters included). */
export function checkNotice(ctx: NoticeContext, rendered: RenderedNotice): CheckResult {
  const missing: string[] = [];
  const L = ctx.language;
  const expectedTo = ctx.kind === 'litigation_handoff' ? 'litigation_contact' : 'debtor';
  if (rendered.kind !== ctx.kind) missing.push(`kind ${ctx.kind}`);
  if (rendered.to !== expectedTo) missing.push(`recipient must be ${expectedTo}`);
  if (hasControlChars(rendered.subject)) missing.push('subject without control characters');
  if (!rendered.subject.includes(singleLine(ctx.invoice.invoiceNumber))) missing.push('subject: invoice number');
  if (hasActiveContent(rendered.html)) missing.push('HTML free of active content');

  const mentions: Mention[] = [];
  switch (ctx.kind) {
    case 'first_reminder':
      mentions.push(...invoiceMentions(ctx), ...paymentMentions(ctx), contactMention(ctx));
      if (ctx.creditor.agency) mentions.push(...agencyFirstLetterMentions(ctx));
      else mentions.push({ name: 'amount outstanding', needles: [formatMoney(ctx.breakdown.principalDueCents, L)] });
      break;
    case 'formal_reminder':
      mentions.push(...invoiceMentions(ctx), ...breakdownMentions(ctx), ...paymentMentions(ctx), contactMention(ctx));
      if (ctx.deadline) mentions.push({ name: 'payment deadline', needles: [formatDate(ctx.deadline, L)] });
      else missing.push('payment deadline');
      break;
    case 'formal_notice':
      missing.push(...checkFormalNotice(ctx, rendered).missing);
      break;
    case 'litigation_handoff':
      mentions.push(
        ...partyMentions(ctx),
        { name: "creditor's reference (invoice number)", needles: [singleLine(ctx.invoice.invoiceNumber)] },
        { name: 'readable reference', needles: [letterReference(ctx.invoice.invoiceNumber, ctx.kind)] },
        ...(ctx.prescription
          ? [{ name: 'prescription: starting date and last day to act', needles: [formatDate(ctx.prescription.startsOn, 'fr'), formatDate(ctx.prescription.prescribesOn, 'fr')] }]
          : []),
        ...breakdownMentions(ctx, 'fr'),
      );
      missing.push(...checkHandoff(ctx, rendered));
      break;
    case 'payment_receipt':
      if (ctx.payment) {
        // A consumer's receipt is in French (loi 94-665 art. 2), with an English translation if needed.
        const languages: Language[] = ctx.debtor.kind === 'consumer' ? (L === 'en' ? ['fr', 'en'] : ['fr']) : [L];
        for (const lang of languages) {
          const tag = languages.length > 1 ? ` (${lang})` : '';
          mentions.push(
            { name: `amount received${tag}`, needles: [formatMoney(ctx.payment.amountCents, lang)] },
            { name: `payment date${tag}`, needles: [formatDate(ctx.payment.paidOn, lang)] },
            { name: `payment reference${tag}`, needles: [singleLine(ctx.payment.reference)] },
            { name: `balance outstanding${tag}`, needles: [formatMoney(Math.max(0, ctx.payment.balanceCents), lang)] },
            ...paymentsListMentions(ctx, lang),
          );
        }
        if (ctx.debtor.kind === 'consumer' && !/^Reçu de paiement/.test(rendered.subject)) missing.push('a consumer receipt is in French (subject)');
      } else missing.push('payment');
      break;
    case 'promise_confirmation':
      if (ctx.promise) {
        mentions.push({ name: 'promised amount and date', needles: [formatMoney(ctx.promise.amountCents, L), formatDate(ctx.promise.date, L)] });
      } else missing.push('promise');
      break;
    case 'payment_plan_confirmation':
      for (const [i, inst] of (ctx.plan?.instalments ?? []).entries()) {
        mentions.push({ name: `instalment ${i + 1} (date, amount)`, needles: [formatDate(inst.dueDate, L), formatMoney(inst.amountCents, L)] });
      }
      if (!ctx.plan?.instalments.length) missing.push('instalments');
      // The debtor's written agreement or first instalment acknowledges the debt (C. civ. 2240): the
      // letter asks for that agreement and says so.
      mentions.push({ name: 'acknowledgment of the debt (C. civ. 2240)', needles: ['2240'] });
      mentions.push({ name: 'request for the debtor\'s written acceptance', needles: [PLAN_ACCEPTANCE[L]] });
      mentions.push(...paymentMentions(ctx));
      break;
    case 'instalment_reminder':
      if (ctx.instalment) {
        mentions.push({ name: 'instalment date and amount', needles: [formatDate(ctx.instalment.dueDate, L), formatMoney(ctx.instalment.amountCents, L)] });
      } else missing.push('instalment');
      mentions.push(...paymentMentions(ctx));
      break;
    case 'dispute_acknowledgment':
      mentions.push({ name: 'dispute reference', needles: [ctx.dispute ? singleLine(ctx.dispute.id) : NEVER] });
      break;
    case 'dispute_rejection': {
      mentions.push(
        { name: 'dispute reference', needles: [ctx.dispute ? singleLine(ctx.dispute.id) : NEVER] },
        { name: 'reasons for the rejection', needles: [ctx.dispute?.reasons ? singleLine(plainText(ctx.dispute.reasons)).slice(0, 60) : NEVER] },
        { name: 'amount still due', needles: [formatMoney(ctx.breakdown.totalDueCents, L)] },
        ...paymentMentions(ctx),
      );
      if (ctx.debtor.kind === 'consumer') {
        // C. conso. L616-1: a consumer whose complaint is not settled is given the mediator's details.
        const m = ctx.creditor.consumerMediator;
        mentions.push({ name: 'consumer mediator (C. conso. L616-1): name and website', needles: m ? [singleLine(m.name), singleLine(m.website), 'L616-1'] : [NEVER] });
      }
      break;
    }
  }

  // Every letter lists the payments received with their dates (the breakdown lists cover the others).
  if (['first_reminder', 'promise_confirmation', 'payment_plan_confirmation', 'instalment_reminder', 'dispute_acknowledgment', 'dispute_rejection'].includes(ctx.kind) && !(ctx.kind === 'first_reminder' && ctx.creditor.agency)) {
    mentions.push(...paymentsListMentions(ctx));
  }
  // An agency never says it will sue: only its principal can ("notre mandant pourra saisir…").
  if (ctx.creditor.agency && /nous pourrons,? sans autre avis, saisir|we may, without further notice, refer/i.test(rendered.text)) {
    missing.push('agency letter: court action attributed to the principal, never to the agency ("nous")');
  }

  // Later letters of a collection agency repeat the first letter's reference and date (R124-4).
  if (ctx.creditor.agency && expectedTo === 'debtor' && ctx.kind !== 'first_reminder') {
    const first = ctx.agencyFirstLetter;
    if (!first) missing.push('R124-4: reference and date of the agency first letter (agencyFirstLetter)');
    else mentions.push({ name: 'R124-4: first letter reference and date', needles: [singleLine(first.reference), formatDate(first.date, L)] });
  }

  const h = haystacks(rendered, false);
  missing.push(...findMissing(mentions, h));
  for (const [src, hay] of [['subject', rendered.subject], ['text', rendered.text], ['html', htmlVisibleText(rendered.html)]] as const) {
    const leak = INTERNAL_LEAK.exec(hay);
    if (leak) missing.push(`no internal file name or operator step in the ${src} (found "${leak[0]}")`);
  }

  // B2C: no L441-10 penalties, no D441-5 indemnity, not even as wording.
  if (ctx.breakdown.regime === 'b2c' && expectedTo === 'debtor') {
    for (const word of new Set([...B2B_ONLY_WORDS[L], ...(ctx.kind === 'payment_receipt' ? B2B_ONLY_WORDS.fr : [])])) {
      const w = norm(word);
      for (const [src, hay] of Object.entries(h.normal)) {
        if (hay.includes(w)) missing.push(`B2C notice must not mention "${word}" (found in ${src})`);
      }
    }
  }
  return { ok: missing.length === 0, missing: [...new Set(missing)] };
}

/**
 * What no message may ever contain: a source file, a script, an operator step (rate sources and
 * calculation notes are printed in letters; the operator's instructions go to the logs).
 */
export const INTERNAL_LEAK = /\blambdas\/|\bscripts\/|rate-tables\.json|\brates\.ts\b|\bnpm run\b|rates:add|\boperator (adds|should|must)|TO CONFIRM/i;

/**
 * The hand-off to counsel: professional salutation, the recommended route, the prescription date,
 * the litigation dossier attached as a PDF, the evidence bundle link; no internal dossier id and no
 * English calculation note anywhere (the breakdown's notes are English: the letter words its own).
 */
function checkHandoff(ctx: NoticeContext, rendered: RenderedNotice): string[] {
  const missing: string[] = [];
  const lit = ctx.litigation;
  if (!lit) return ['litigation dossier'];
  const pdf = rendered.attachments.find((a) => a.contentType === 'application/pdf');
  if (!pdf || Buffer.from(pdf.content.subarray(0, 5)).toString('latin1') !== '%PDF-') missing.push('litigation dossier PDF attached');
  else if (!/^dossier-contentieux-[A-Za-z0-9._-]+\.pdf$/.test(pdf.filename)) missing.push('PDF file name dossier-contentieux-<invoice>.pdf');
  missing.push(
    ...findMissing(
      [
        { name: 'professional salutation', needles: [counselSalutation(ctx.creditor.litigationContact.name)] },
        { name: 'recommended route', needles: [lit.dossier.route.title] },
        { name: 'prescription date', needles: [formatDate(lit.dossier.prescription.prescribesOn, 'fr')] },
        { name: 'evidence bundle link', needles: [lit.bundle.url] },
        { name: 'how to get a fresh link', needles: ['nouveau lien'] },
      ],
      haystacks(rendered, false),
    ),
  );
  // The bundle link is opaque (its signed path names the vault object); the words around it may not name the dossier.
  const visible = `${rendered.subject}\n${rendered.text}\n${htmlVisibleText(rendered.html)}`.split(lit.bundle.url).join(' ');
  if (visible.includes(ctx.dossierId)) missing.push('no internal dossier id in the message');
  for (const note of ctx.breakdown.notes) if (note.length > 20 && visible.includes(note)) missing.push(`no English calculation note in the message ("${note.slice(0, 40)}…")`);
  return missing;
}

/** Throws NoticeNotSendableError naming every missing mention; renderNotice calls it. */
export function assertSendable(ctx: NoticeContext, rendered: RenderedNotice): void {
  const result = checkNotice(ctx, rendered);
  if (!result.ok) throw new NoticeNotSendableError(ctx.kind, ctx.dossierId, result.missing);
}
