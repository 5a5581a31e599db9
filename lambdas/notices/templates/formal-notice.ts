/**
 * Stage 3, mise en demeure (C. civ. 1344): a letter (e-mail body and PDF attachment) with the words
 * "mise en demeure", both parties' identities and addresses, the invoice references, nature and
 * exact amount of the debt with its breakdown, the original due date, a firm deadline (the policy’s
 * grace period, ctx.graceDays),
 * an express demand to pay, the payment methods, the lawful consequences of non-payment, interest
 * running, a contact person, place and date. checker.ts verifies all of it on the output.
 */
import { safeFilenamePart, singleLine } from '../escape';
import { daysInWords } from '../format';
import { CONSEQUENCES, consequencesIntro, PUBLIC_CONSEQUENCES } from '../legal-texts';
import type { Block } from '../letter';
import type { NoticeContext } from '../types';
import { DEMAND, interestRunning, IS_MISE_EN_DEMEURE } from '../wording';
import {
  agencyFollowUpBlocks,
  amountRows,
  closing,
  contactParagraph,
  creditorIdentity,
  creditorName,
  fmt,
  greeting,
  interestNotes,
  invoiceNumber,
  letterDate,
  paymentBlocks,
  readableReference,
  recipientLines,
  references,
  senderLines,
  signature,
  subjectSuffix,
  type NoticeDraft,
} from './common';

export function formalNoticeFilename(ctx: NoticeContext): string {
  return `mise-en-demeure-${safeFilenamePart(ctx.invoice.invoiceNumber)}.pdf`;
}

export function formalNotice(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const b = ctx.breakdown;
  const total = f.money(b.totalDueCents);
  // A missing deadline prints nothing: assertSendable then refuses the notice, naming it.
  const deadline = ctx.deadline ? f.date(ctx.deadline) : '';
  const registered = isRegistered(ctx);
  const by = registered && ctx.graceDays !== undefined
    ? f.t(
        `dans un délai de ${daysInWords(ctx.graceDays, 'fr')} à compter de la première présentation de la présente lettre`,
        `within ${daysInWords(ctx.graceDays, 'en')} of the first presentation of this letter`,
      )
    : f.t(`au plus tard le ${deadline}`, `no later than ${deadline}`);
  const agency = ctx.creditor.agency;
  const publicBuyer = b.interest.basis === 'ccp-l2192-13';
  const demandSubject = agency
    ? f.t(`pour le compte de ${creditorName(ctx)}, `, `on behalf of ${creditorName(ctx)}, `)
    : '';

  const blocks: Block[] = [
    ...agencyFollowUpBlocks(ctx, lang),
    ...(agency ? [{ type: 'fields', rows: [creditorIdentity(ctx, lang)] } as Block] : []),
    {
      type: 'paragraph',
      text: f.t(
        `${creditorName(ctx)} vous a facturé ${natureFr(ctx)} par la facture n° ${n} du ${f.date(ctx.invoice.issueDate)}, d’un montant de ${f.money(ctx.invoice.amountCents)} TTC, payable au plus tard le ${f.date(ctx.invoice.dueDate)} (date d’échéance). ${remindersRecalled(ctx, 'fr')}`,
        `${creditorName(ctx)} invoiced you for ${natureEn(ctx)} under invoice ${n} dated ${f.date(ctx.invoice.issueDate)}, for an amount of ${f.money(ctx.invoice.amountCents)} including VAT, payable no later than ${f.date(ctx.invoice.dueDate)} (due date). ${remindersRecalled(ctx, 'en')}`,
      ),
    },
    { type: 'heading', text: f.t(`Décompte de la créance au ${f.date(b.asOf)}`, `Statement of the debt as of ${f.date(b.asOf)}`) },
    { type: 'amounts', rows: amountRows(ctx, lang) },
    ...interestNotes(ctx, lang),
    { type: 'heading', text: f.t('Mise en demeure', 'Mise en demeure (formal notice)') },
    {
      type: 'paragraph',
      emphasis: true,
      text: f.t(
        `En conséquence, ${demandSubject}${DEMAND.fr} la somme de ${total} ${by}.`,
        `Accordingly, ${demandSubject}${DEMAND.en} the sum of ${total} ${by}.`,
      ),
    },
    { type: 'paragraph', text: gracePeriodSentence(ctx) },
    { type: 'paragraph', text: IS_MISE_EN_DEMEURE[lang] },
    ...paymentBlocks(ctx, lang),
    { type: 'heading', text: f.t("Conséquences d’un défaut de paiement", 'Consequences of non-payment') },
    { type: 'paragraph', text: consequencesIntro(lang, agency ? creditorName(ctx) : undefined, publicBuyer) },
    { type: 'list', items: [...(publicBuyer ? PUBLIC_CONSEQUENCES : CONSEQUENCES)[lang].items] },
    { type: 'paragraph', text: interestRunning(b, lang) },
    {
      type: 'paragraph',
      text: f.t(
        'Si vous contestez tout ou partie de cette créance, ou si vous avez procédé au paiement entre-temps, nous vous invitons à nous en informer sans délai.',
        'If you dispute all or part of this debt, or if you have paid in the meantime, please let us know without delay.',
      ),
    },
    contactParagraph(ctx, lang),
  ];

  const city = singleLine(ctx.creditor.city);
  const sent = f.date(letterDate(ctx));
  return {
    to: 'debtor',
    subject: f.t(`Mise en demeure – facture ${n}`, `Mise en demeure (formal notice) – invoice ${n}`) + subjectSuffix(ctx, lang),
    pdf: { filename: formalNoticeFilename(ctx) },
    letter: {
      language: lang,
      title: f.t('MISE EN DEMEURE', 'MISE EN DEMEURE (FORMAL NOTICE)'),
      letterhead: { sender: senderLines(ctx, lang), recipient: recipientLines(ctx, lang) },
      emailIntro: f.t(
        `Veuillez trouver ci-dessous, et en pièce jointe au format PDF (${formalNoticeFilename(ctx)}), notre mise en demeure concernant la facture n° ${n}.`,
        `Please find below, and attached as a PDF (${formalNoticeFilename(ctx)}), our formal notice (mise en demeure) concerning invoice ${n}.`,
      ),
      references: [...references(ctx, lang), { label: f.t('Mode d’envoi', 'Sent by'), value: channelStatement(ctx) }],
      object: f.t(`Objet : mise en demeure de payer – facture n° ${n}`, `Subject: mise en demeure (formal notice) to pay – invoice ${n}`),
      greeting: greeting(lang, ctx, true),
      blocks,
      closing: closing(lang, true),
      placeDate: f.t(`Fait à ${city}, le ${sent}`, `Done at ${city}, on ${sent}`),
      signature: signature(ctx, lang),
      footer: f.t(`Mise en demeure – facture ${n} – réf. ${readableReference(ctx)}`, `Mise en demeure (formal notice) – invoice ${n} – ref. ${readableReference(ctx)}`),
    },
  };
}

/**
 * The sentence about the delay, naming the policy’s grace period (ctx.graceDays, the same number
 * the schedule and the deadline use). Without it the sentence is empty and the checker refuses.
 */
export function gracePeriodSentence(ctx: NoticeContext): string {
  if (ctx.graceDays === undefined) return '';
  const f = fmt(ctx.language);
  if (isRegistered(ctx)) {
    return f.t(
      `Ce délai de ${daysInWords(ctx.graceDays, 'fr')} court à compter du lendemain de la première présentation de la présente lettre ${ctx.channel === 'registered_post' ? 'par La Poste' : 'par le prestataire d’envoi recommandé électronique'} ; lorsqu’il expire un samedi, un dimanche ou un jour férié, il est reporté au premier jour ouvré suivant.`,
      `This period of ${daysInWords(ctx.graceDays, 'en')} runs from the day after this letter is first presented ${ctx.channel === 'registered_post' ? 'by the postal service' : 'by the registered electronic delivery provider'}; when it ends on a Saturday, Sunday or public holiday, it is extended to the next working day.`,
    );
  }
  return f.t(
    `Ce délai de ${daysInWords(ctx.graceDays, 'fr')} court à compter du lendemain de l’envoi de la présente ; lorsqu’il expire un samedi, un dimanche ou un jour férié, il est reporté au premier jour ouvré suivant.`,
    `This period of ${daysInWords(ctx.graceDays, 'en')} runs from the day after this letter is sent; when it ends on a Saturday, Sunday or public holiday, it is extended to the next working day.`,
  );
}

export function isRegistered(ctx: Pick<NoticeContext, 'channel'>): boolean {
  return ctx.channel === 'registered_post' || ctx.channel === 'registered_email';
}

/** How the letter is sent, stated on the letter itself. */
export function channelStatement(ctx: NoticeContext): string {
  const f = fmt(ctx.language);
  switch (ctx.channel) {
    case 'registered_post':
      return f.t('Lettre recommandée avec demande d’avis de réception', 'Registered letter with acknowledgment of receipt (lettre recommandée avec AR)');
    case 'registered_email':
      return f.t(
        'Lettre recommandée électronique (article L100 du Code des postes et des communications électroniques)',
        'Registered electronic letter (lettre recommandée électronique, article L100 of the French Postal and Electronic Communications Code)',
      );
    default:
      return f.t('Courrier électronique, avec la présente lettre en pièce jointe (PDF)', 'E-mail, with this letter attached (PDF)');
  }
}

/** "Malgré nos relances des 7 avril 2026 et 20 avril 2026, …": the earlier reminders, dated. */
export function remindersRecalled(ctx: NoticeContext, language: 'fr' | 'en'): string {
  const f = fmt(language);
  const dates = (ctx.earlierLetters ?? []).map((l) => f.date(l.date));
  const agency = ctx.creditor.agency !== undefined;
  if (dates.length === 0) return f.t('Cette facture demeure impayée à ce jour.', 'This invoice remains unpaid to date.');
  const list = dates.length === 1 ? dates[0]! : `${dates.slice(0, -1).join(', ')}${f.t(' et ', ' and ')}${dates.at(-1)}`;
  return f.t(
    `Malgré ${agency ? 'les' : 'nos'} relances ${dates.length === 1 ? 'du' : 'des'} ${list}, cette facture demeure impayée à ce jour.`,
    `Despite ${agency ? 'the' : 'our'} reminder${dates.length === 1 ? '' : 's'} of ${list}, this invoice remains unpaid to date.`,
  );
}

function natureFr(ctx: NoticeContext): string {
  const d = ctx.invoice.description ? singleLine(ctx.invoice.description) : '';
  return d ? `« ${d} »` : 'la fourniture de biens ou de services';
}

function natureEn(ctx: NoticeContext): string {
  const d = ctx.invoice.description ? singleLine(ctx.invoice.description) : '';
  return d ? `"${d}"` : 'the supply of goods or services';
}
