/** Reminds an upcoming or due instalment of an agreed payment plan. */
import type { NoticeContext } from '../types';
import {
  courteousLetter,
  fmt,
  invoiceNumber,
  paymentBlocks,
  paymentsReceivedBlocks,
  type NoticeDraft,
} from './common';

export function instalmentReminder(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const i = ctx.instalment;
  if (!i) throw new Error(`instalment_reminder for dossier ${ctx.dossierId}: the instalment is required`);
  return courteousLetter(
    ctx,
    f.t(`Rappel d’échéance du ${f.date(i.dueDate)} – facture ${n}`, `Instalment due on ${f.date(i.dueDate)} – invoice ${n}`),
    [
      {
        type: 'paragraph',
        text: f.t(
          `Nous vous rappelons que l’échéance de ${f.money(i.amountCents)} prévue par votre plan de paiement pour la facture n° ${n} est fixée au ${f.date(i.dueDate)}.`,
          `This is a reminder that the instalment of ${f.money(i.amountCents)} under your payment plan for invoice ${n} is due on ${f.date(i.dueDate)}.`,
        ),
      },
      {
        type: 'fields',
        rows: [
          { label: f.t("Montant de l’échéance", 'Instalment amount'), value: f.money(i.amountCents) },
          { label: f.t("Date de l’échéance", 'Due date'), value: f.date(i.dueDate) },
        ],
      },
      ...paymentsReceivedBlocks(ctx, lang),
      ...paymentBlocks(ctx, lang),
      {
        type: 'paragraph',
        text: f.t(
          'Si vous avez déjà effectué ce versement, merci de ne pas tenir compte de ce message.',
          'If you have already made this payment, please disregard this message.',
        ),
      },
    ],
  );
}
