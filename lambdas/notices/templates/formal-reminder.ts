/**
 * Stage 2, formal reminder: recalls the context and the invoice (number, issue and due dates), the
 * amount due with its breakdown (B2B: penalties and the 40 EUR indemnity), a firm payment deadline,
 * the payment methods and the contact person; announces the mise en demeure as the next step.
 */
import type { NoticeContext } from '../types';
import {
  agencyFollowUpBlocks,
  amountRows,
  closing,
  contactParagraph,
  fmt,
  greeting,
  interestNotes,
  invoiceFields,
  invoiceNumber,
  paymentBlocks,
  references,
  signature,
  subjectSuffix,
  type NoticeDraft,
} from './common';

export function formalReminder(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  if (!ctx.deadline) throw new Error(`formal_reminder for dossier ${ctx.dossierId}: a payment deadline is required`);
  const deadline = f.date(ctx.deadline);
  const total = f.money(ctx.breakdown.totalDueCents);
  const first = ctx.earlierLetters?.find((l) => l.kind === 'first_reminder');
  return {
    to: 'debtor',
    subject:
      f.t(`Relance : facture ${n} impayée – règlement attendu au plus tard le ${deadline}`, `Second reminder: invoice ${n} unpaid – payment required by ${deadline}`) +
      subjectSuffix(ctx, lang),
    letter: {
      language: lang,
      references: references(ctx, lang),
      greeting: greeting(lang, ctx, true),
      blocks: [
        ...agencyFollowUpBlocks(ctx, lang),
        {
          type: 'paragraph',
          text: f.t(
            `Malgré notre précédent rappel${first ? ` du ${f.date(first.date)}` : ''}, la facture n° ${n} du ${f.date(ctx.invoice.issueDate)}, échue le ${f.date(ctx.invoice.dueDate)}, reste impayée à ce jour.`,
            `Despite our previous reminder${first ? ` of ${f.date(first.date)}` : ''}, invoice ${n} dated ${f.date(ctx.invoice.issueDate)}, due on ${f.date(ctx.invoice.dueDate)}, remains unpaid to date.`,
          ),
        },
        { type: 'fields', rows: invoiceFields(ctx, lang) },
        { type: 'heading', text: f.t(`Sommes dues au ${f.date(ctx.breakdown.asOf)}`, `Amount due as of ${f.date(ctx.breakdown.asOf)}`) },
        { type: 'amounts', rows: amountRows(ctx, lang) },
        ...interestNotes(ctx, lang),
        {
          type: 'paragraph',
          emphasis: true,
          text: f.t(
            `Nous vous demandons de régler la somme de ${total} au plus tard le ${deadline}.`,
            `We ask you to pay the sum of ${total} no later than ${deadline}.`,
          ),
        },
        ...paymentBlocks(ctx, lang),
        {
          type: 'paragraph',
          text: f.t(
            "À défaut de règlement à cette date, nous serons amenés à vous adresser une mise en demeure de payer. Si vous rencontrez des difficultés de paiement, contactez-nous : un échéancier peut être envisagé. Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce courrier.",
            'Failing payment by that date, we will have to send you a formal notice to pay (mise en demeure). If you are experiencing payment difficulties, please contact us: a payment plan may be considered. If you have paid in the meantime, please disregard this letter.',
          ),
        },
        contactParagraph(ctx, lang),
      ],
      closing: closing(lang, true),
      signature: signature(ctx, lang),
    },
  };
}
