/**
 * The answer to a dispute that is rejected: its reference and date, the reason the debtor gave,
 * the reasons it is rejected for, what remains due and when reminders resume, how to pay; to a
 * consumer, the consumer mediator’s details (C. conso. L616-1), from the creditor profile.
 */
import { plainText, singleLine } from '../escape';
import type { NoticeContext } from '../types';
import {
  courteousLetter,
  fmt,
  invoiceNumber,
  mediatorBlocks,
  paymentBlocks,
  paymentsReceivedBlocks,
  type NoticeDraft,
} from './common';

export function disputeRejection(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const d = ctx.dispute;
  if (!d?.reasons) throw new Error(`dispute_rejection for dossier ${ctx.dossierId}: the dispute and its reasons are required`);
  const opened = d.openedOn ? f.t(` du ${f.date(d.openedOn)}`, ` of ${f.date(d.openedOn)}`) : '';
  const total = f.money(ctx.breakdown.totalDueCents);
  return courteousLetter(
    ctx,
    f.t(`Réponse à votre contestation – facture ${n}`, `Answer to your dispute – invoice ${n}`),
    [
      {
        type: 'paragraph',
        text: f.t(
          `Nous avons examiné votre contestation${opened} concernant la facture n° ${n}, enregistrée sous la référence ${singleLine(d.id)}. Nous ne pouvons pas y faire droit, pour les motifs suivants.`,
          `We have examined your dispute${opened} concerning invoice ${n}, recorded under reference ${singleLine(d.id)}. We cannot uphold it, for the following reasons.`,
        ),
      },
      {
        type: 'fields',
        rows: [
          { label: f.t('Motif de votre contestation', 'Reason you gave'), value: plainText(d.reason).trim() },
          { label: f.t('Motifs de notre réponse', 'Reasons for our answer'), value: plainText(d.reasons).trim() },
        ],
      },
      ...paymentsReceivedBlocks(ctx, lang),
      {
        type: 'paragraph',
        text: f.t(
          `La somme de ${total} reste donc due au ${f.date(ctx.breakdown.asOf)}.${ctx.resumesOn ? ` Sans règlement de votre part, nos relances reprendront à compter du ${f.date(ctx.resumesOn)}.` : ''}`,
          `The sum of ${total} therefore remains due as of ${f.date(ctx.breakdown.asOf)}.${ctx.resumesOn ? ` Failing payment, our reminders will resume from ${f.date(ctx.resumesOn)}.` : ''}`,
        ),
      },
      ...paymentBlocks(ctx, lang),
      ...mediatorBlocks(ctx, lang),
    ],
  );
}
