/** Confirms an agreed payment plan: every instalment (date, amount), the payment methods. */
import type { NoticeContext } from '../types';
import {
  agencyFollowUpBlocks,
  closing,
  contactParagraph,
  fmt,
  greeting,
  invoiceNumber,
  paymentBlocks,
  references,
  signature,
  subjectSuffix,
  type NoticeDraft,
} from './common';

export function paymentPlanConfirmation(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const instalments = ctx.plan?.instalments ?? [];
  if (instalments.length === 0) throw new Error(`payment_plan_confirmation for dossier ${ctx.dossierId}: the plan needs instalments`);
  const planTotal = instalments.reduce((sum, i) => sum + i.amountCents, 0);
  return {
    to: 'debtor',
    subject: f.t(`Échéancier de paiement – facture ${n}`, `Payment plan – invoice ${n}`) + subjectSuffix(ctx, lang),
    letter: {
      language: lang,
      references: references(ctx, lang),
      greeting: greeting(lang),
      blocks: [
        ...agencyFollowUpBlocks(ctx, lang),
        {
          type: 'paragraph',
          text: f.t(
            `Comme convenu, nous vous confirmons l'échéancier suivant pour le règlement de la facture n° ${n} (total restant dû au ${f.date(ctx.breakdown.asOf)} : ${f.money(ctx.breakdown.totalDueCents)}).`,
            `As agreed, we confirm the following payment plan for invoice ${n} (total outstanding as of ${f.date(ctx.breakdown.asOf)}: ${f.money(ctx.breakdown.totalDueCents)}).`,
          ),
        },
        {
          type: 'table',
          columns: [
            { label: f.t('Échéance', 'Instalment'), align: 'left' },
            { label: f.t('Date', 'Due date'), align: 'left' },
            { label: f.t('Montant', 'Amount'), align: 'right' },
          ],
          rows: instalments.map((i, k) => [String(k + 1), f.date(i.dueDate), f.money(i.amountCents)]),
          totalRow: [f.t('Total', 'Total'), '', f.money(planTotal)],
        },
        {
          type: 'paragraph',
          text: f.t(
            `Nos relances sont suspendues tant que les échéances sont respectées. Merci d'indiquer la référence ${n} lors de chaque virement.`,
            `Our reminders are paused as long as the instalments are paid on time. Please quote reference ${n} with each transfer.`,
          ),
        },
        ...paymentBlocks(ctx, lang),
        {
          type: 'paragraph',
          text: f.t(
            "En cas d'échéance impayée, le recouvrement de la somme restant due pourra reprendre. Si une difficulté survient, contactez-nous avant la date prévue.",
            'If an instalment is missed, collection of the remaining balance may resume. If a difficulty arises, please contact us before the due date.',
          ),
        },
        contactParagraph(ctx, lang),
      ],
      closing: closing(lang, false),
      signature: signature(ctx, lang),
    },
  };
}
