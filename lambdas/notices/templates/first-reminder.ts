/**
 * Stage 1, courteous reminder: assumes an oversight, gives the means of payment. In agency mode this
 * is the agency’s FIRST letter and carries every R124-4 CPCE mention (agency identity and activity,
 * creditor identity, basis and breakdown of the debt without collection fees, demand with payment
 * methods, text of L111-8 paragraphs 2 and 3).
 */
import type { Block } from '../letter';
import type { NoticeContext } from '../types';
import {
  agencyFeesBlocks,
  agencyIdentityBlocks,
  amountRows,
  courteousLetter,
  creditorName,
  fmt,
  interestNotes,
  invoiceFields,
  invoiceNumber,
  paymentBlocks,
  paymentsReceivedBlocks,
  type NoticeDraft,
} from './common';

export function firstReminder(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const subject = f.t(`Rappel : facture ${n} échue le ${f.date(ctx.invoice.dueDate)}`, `Reminder: invoice ${n} was due on ${f.date(ctx.invoice.dueDate)}`);
  return courteousLetter(ctx, subject, ctx.creditor.agency ? agencyBody(ctx) : creditorBody(ctx));
}

function creditorBody(ctx: NoticeContext): Block[] {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: f.t(
        `Sauf erreur ou omission de notre part, nous n’avons pas encore reçu le règlement de la facture n° ${n} du ${f.date(ctx.invoice.issueDate)}, arrivée à échéance le ${f.date(ctx.invoice.dueDate)}. Il s’agit très probablement d’un simple oubli.`,
        `Unless we are mistaken, we have not yet received payment of invoice ${n} dated ${f.date(ctx.invoice.issueDate)}, which fell due on ${f.date(ctx.invoice.dueDate)}. This is most likely a simple oversight.`,
      ),
    },
    {
      type: 'fields',
      rows: [
        ...invoiceFields(ctx, lang),
        { label: f.t('Montant restant dû', 'Amount outstanding'), value: f.money(ctx.breakdown.principalDueCents) },
      ],
    },
    ...paymentsReceivedBlocks(ctx, lang),
    {
      type: 'paragraph',
      text: f.t(
        'Nous vous remercions de bien vouloir procéder à son règlement dans les meilleurs délais, selon les modalités ci-dessous.',
        'We would be grateful if you could arrange payment at your earliest convenience, using the details below.',
      ),
    },
    ...paymentBlocks(ctx, lang),
  ];
  if (ctx.breakdown.interest.basis === 'ccp-l2192-13') {
    blocks.push({
      type: 'paragraph',
      text: f.t(
        'Pour mémoire, en cas de retard de paiement, l’article L2192-13 du Code de la commande publique prévoit de plein droit des intérêts moratoires ainsi qu’une indemnité forfaitaire de 40 € pour frais de recouvrement.',
        'For your information, in the event of late payment, article L2192-13 of the French Public Procurement Code provides by law for moratory interest and a fixed recovery indemnity of €40.',
      ),
    });
  } else if (ctx.breakdown.regime === 'b2b') {
    blocks.push({
      type: 'paragraph',
      text: f.t(
        "Pour mémoire, en cas de retard de paiement, l’article L441-10 du Code de commerce prévoit des pénalités de retard ainsi qu’une indemnité forfaitaire de 40 € pour frais de recouvrement.",
        'For your information, in the event of late payment, article L441-10 of the French Commercial Code provides for late-payment penalties and a fixed recovery indemnity of €40.',
      ),
    });
  }
  blocks.push(
    {
      type: 'paragraph',
      text: f.t(
        'Si votre règlement a été effectué entre-temps, merci de ne pas tenir compte de ce message. En cas de difficulté ou de désaccord sur cette facture, il vous suffit de répondre à ce courriel.',
        'If you have already paid, please disregard this message. If you have any difficulty with, or disagree with, this invoice, simply reply to this e-mail.',
      ),
    },
  );
  return blocks;
}

/** R124-4 CPCE first letter. */
function agencyBody(ctx: NoticeContext): Block[] {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  return [
    ...agencyIdentityBlocks(ctx, lang),
    { type: 'heading', text: f.t('Fondement et montant de la créance', 'Basis and amount of the debt') },
    {
      type: 'paragraph',
      text: f.t(
        `La créance résulte de la facture n° ${n} émise le ${f.date(ctx.invoice.issueDate)} par ${creditorName(ctx)}, arrivée à échéance le ${f.date(ctx.invoice.dueDate)} et demeurée impayée.`,
        `The debt arises from invoice ${n} issued on ${f.date(ctx.invoice.issueDate)} by ${creditorName(ctx)}, which fell due on ${f.date(ctx.invoice.dueDate)} and remains unpaid.`,
      ),
    },
    { type: 'fields', rows: invoiceFields(ctx, lang) },
    { type: 'amounts', rows: amountRows(ctx, lang) },
    ...interestNotes(ctx, lang),
    {
      type: 'paragraph',
      emphasis: true,
      text: f.t(
        `Nous vous demandons de bien vouloir régler la somme de ${f.money(ctx.breakdown.totalDueCents)} dans les meilleurs délais, selon les modalités ci-dessous.`,
        `We ask you to pay the sum of ${f.money(ctx.breakdown.totalDueCents)} as soon as possible, using the details below.`,
      ),
    },
    ...paymentBlocks(ctx, lang),
    ...agencyFeesBlocks(ctx, lang),
    {
      type: 'paragraph',
      text: f.t(
        'Si vous avez déjà réglé cette somme ou si vous contestez tout ou partie de cette créance, merci de nous en informer en répondant à ce courriel.',
        'If you have already paid this sum or dispute all or part of this debt, please let us know by replying to this e-mail.',
      ),
    },
  ];
}
