/** Acknowledges a dispute: its reference, the reason as given (quoted, escaped), reminders paused. */
import { plainText, singleLine } from '../escape';
import type { NoticeContext } from '../types';
import {
  courteousLetter,
  fmt,
  invoiceNumber,
  paymentsReceivedBlocks,
  type NoticeDraft,
} from './common';

export function disputeAcknowledgment(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const d = ctx.dispute;
  if (!d) throw new Error(`dispute_acknowledgment for dossier ${ctx.dossierId}: the dispute is required`);
  return courteousLetter(
    ctx,
    f.t(`Accusé de réception de votre contestation – facture ${n}`, `Acknowledgement of your dispute – invoice ${n}`),
    [
      {
        type: 'paragraph',
        text: f.t(
          `Nous accusons réception de votre contestation concernant la facture n° ${n}. Elle est enregistrée sous la référence ${singleLine(d.id)}.`,
          `We acknowledge receipt of your dispute concerning invoice ${n}. It has been recorded under reference ${singleLine(d.id)}.`,
        ),
      },
      {
        type: 'fields',
        rows: [
          { label: f.t('Référence de la contestation', 'Dispute reference'), value: singleLine(d.id) },
          { label: f.t('Motif indiqué', 'Reason given'), value: plainText(d.reason).trim() },
        ],
      },
      ...paymentsReceivedBlocks(ctx, lang),
      {
        type: 'paragraph',
        text: f.t(
          "Les relances concernant cette facture sont suspendues pendant l’examen de votre contestation. Nous reviendrons vers vous dans les meilleurs délais ; vous pouvez nous transmettre tout document utile en répondant à ce courriel.",
          'Reminders about this invoice are paused while your dispute is being reviewed. We will come back to you as soon as possible; you may send us any relevant document by replying to this e-mail.',
        ),
      },
    ],
  );
}
