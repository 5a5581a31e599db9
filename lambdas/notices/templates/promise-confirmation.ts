/** Confirms a promise to pay: amount and date; reminders pause until then. */
import type { NoticeContext } from '../types';
import {
  courteousLetter,
  fmt,
  invoiceNumber,
  paymentBlocks,
  paymentsReceivedBlocks,
  type NoticeDraft,
} from './common';

export function promiseConfirmation(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const p = ctx.promise;
  if (!p) throw new Error(`promise_confirmation for dossier ${ctx.dossierId}: the promise is required`);
  return courteousLetter(
    ctx,
    f.t(`Confirmation de votre engagement de paiement – facture ${n}`, `Confirmation of your promise to pay – invoice ${n}`),
    [
      {
        type: 'paragraph',
        text: f.t(
          `Nous prenons bonne note de votre engagement de régler la somme de ${f.money(p.amountCents)} au plus tard le ${f.date(p.date)}, au titre de la facture n° ${n}. Nous suspendons nos relances jusqu’à cette date.`,
          `We have noted your commitment to pay the sum of ${f.money(p.amountCents)} no later than ${f.date(p.date)} for invoice ${n}. We are pausing our reminders until that date.`,
        ),
      },
      {
        type: 'fields',
        rows: [
          { label: f.t('Montant promis', 'Amount promised'), value: f.money(p.amountCents) },
          { label: f.t('Date de paiement promise', 'Promised payment date'), value: f.date(p.date) },
          { label: f.t('Total restant dû', 'Total outstanding'), value: f.money(ctx.breakdown.totalDueCents) },
        ],
      },
      ...paymentsReceivedBlocks(ctx, lang),
      ...paymentBlocks(ctx, lang),
      {
        type: 'paragraph',
        text: f.t(
          "Si le paiement n’était pas reçu à cette date, le recouvrement reprendrait son cours. N’hésitez pas à nous prévenir en cas d’empêchement.",
          'If payment is not received by that date, the collection process will resume. Please let us know if anything prevents you from paying on time.',
        ),
      },
    ],
  );
}
