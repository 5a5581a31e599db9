/**
 * Mandatory mentions, verified on the rendered output (plain text, HTML and, for the mise en
 * demeure, the PDF) rather than on the input: a template change that drops a mention, or data that
 * is missing (no deadline, no IBAN), makes the notice unsendable. renderNotice calls assertSendable.
 * The machinery and the checks every kind passes are in mention-check.ts, the hand-off's list in
 * check-handoff.ts (the hand-off Lambda bundles those two only).
 */
import { formatMoney } from '../domain/money';
import { isSafeHttpsUrl, plainText, singleLine } from './escape';
import { addDays, compactIban, formatDate, isIsoDate, parisDate } from './format';
import { CONSEQUENCE_MARKERS, L111_8_MARKERS, PUBLIC_CONSEQUENCE_MARKERS } from './legal-texts';
import { handoffCheck } from './check-handoff';
import {
  breakdownMentions,
  checkMessage,
  findMissing,
  haystacks,
  NEVER,
  NoticeNotSendableError,
  partyMentions,
  paymentsListMentions,
  type CheckResult,
  type KindCheck,
  type Mention,
} from './mention-check';
import { FOOTER_PATTERN } from './pdf-letter';
import { scanPdfText } from './pdf-scan';
import { letterReference } from './templates/common';
import { channelStatement, gracePeriodSentence, isRegistered } from './templates/formal-notice';
import { MIN_GRACE_DAYS } from '../domain/policy';
import type { NoticeContext, RenderedNotice } from './types';
import type { Language } from '../domain/model';
import { AGENCY_ACTIVITY, DEMAND, interestRunning, NO_COLLECTION_FEES, PLAN_ACCEPTANCE } from './wording';

export { htmlVisibleText, NoticeNotSendableError, type CheckResult } from './mention-check';

/**
 * The text of a PDF letter, as the mentions are looked for in it. Page footers are drawn after each
 * page's body: leave them out so that a sentence running over a page break reads as one.
 */
function pdfTextOf(content: Uint8Array): string {
  return scanPdfText(content).filter((line) => !FOOTER_PATTERN.test(line)).join('\n');
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
  missing.push(...findMissing(formalNoticeMentions(ctx), haystacks(rendered, pdf ? pdfTextOf(pdf.content) : undefined)));
  return { ok: missing.length === 0, missing };
}

/** CPCE R124-4: the mentions of a collection agency's first letter. */
export function checkAgencyFirstLetter(ctx: NoticeContext, rendered: RenderedNotice): CheckResult {
  const missing = findMissing(agencyFirstLetterMentions(ctx), haystacks(rendered));
  return { ok: missing.length === 0, missing };
}

/** The per-kind mandatory mentions of any notice (formal_notice and agency letters included). */
export function checkNotice(ctx: NoticeContext, rendered: RenderedNotice): CheckResult {
  return checkMessage(ctx, rendered, kindCheck);
}

/** Each kind's mentions and refusals (the hand-off's in check-handoff.ts). */
const kindCheck: KindCheck = (ctx, rendered, mentions, missing) => {
  const L = ctx.language;
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
      handoffCheck(ctx, rendered, mentions, missing);
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
};


/** Throws NoticeNotSendableError naming every missing mention; renderNotice calls it. */
export function assertSendable(ctx: NoticeContext, rendered: RenderedNotice): void {
  const result = checkNotice(ctx, rendered);
  if (!result.ok) throw new NoticeNotSendableError(ctx.kind, ctx.dossierId, result.missing);
}
