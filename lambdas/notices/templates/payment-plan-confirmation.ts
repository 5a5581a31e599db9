/**
 * Confirms an agreed payment plan: every instalment (date, amount), the payment methods, what the
 * plan covers, that the debtor’s written agreement (asked for here) or the first instalment paid
 * acknowledges the debt (C. civ. 2240; only the debtor’s own act counts) and what happens if an instalment is
 * missed. The plan covers the principal still due; the accessories (late-payment penalties, the
 * 40 € indemnity, or B2C legal interest) are waived if the plan is kept in full, and claimed again if
 * it breaks (escalation resumes on the full breakdown). domain/settlement.ts applies exactly this:
 * instalments are allocated to the principal, and the last one closes the dossier with the
 * accessories waived.
 */
import type { NoticeContext } from '../types';
import { PLAN_ACCEPTANCE } from '../wording';
import {
  actor,
  courteousLetter,
  fmt,
  invoiceNumber,
  paymentBlocks,
  paymentsReceivedBlocks,
  type NoticeDraft,
} from './common';

export function paymentPlanConfirmation(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const instalments = ctx.plan?.instalments ?? [];
  if (instalments.length === 0) throw new Error(`payment_plan_confirmation for dossier ${ctx.dossierId}: the plan needs instalments`);
  const planTotal = instalments.reduce((sum, i) => sum + i.amountCents, 0);
  const accessoriesCents = Math.max(0, ctx.breakdown.totalDueCents - planTotal);
  const tolerance = ctx.plan?.toleranceBusinessDays ?? 2;
  const who = actor(ctx);
  return courteousLetter(
    ctx,
    f.t(`Échéancier de paiement – facture ${n}`, `Payment plan – invoice ${n}`),
    [
      {
        type: 'paragraph',
        text: f.t(
          `Comme convenu, nous vous confirmons l’échéancier suivant pour le règlement du solde de la facture n° ${n}, soit ${f.money(planTotal)} en principal.`,
          `As agreed, we confirm the following payment plan for the balance of invoice ${n}, that is ${f.money(planTotal)} in principal.`,
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
      ...paymentsReceivedBlocks(ctx, lang),
      {
        type: 'paragraph',
        text: f.t(
          `Nos relances sont suspendues tant que les échéances sont respectées. Merci d’indiquer la référence ${n} lors de chaque virement.`,
          `Our reminders are paused as long as the instalments are paid on time. Please quote reference ${n} with each transfer.`,
        ),
      },
      ...paymentBlocks(ctx, lang),
      ...(accessoriesCents > 0
        ? [
            {
              type: 'paragraph' as const,
              // B2B: penalties (C. com. L441-10) and the 40 € indemnity (D441-5); B2C: legal interest only.
              text:
                ctx.breakdown.regime === 'b2b'
                  ? f.t(
                      `Les pénalités de retard et l’indemnité forfaitaire de recouvrement (${f.money(accessoriesCents)} au ${f.date(ctx.breakdown.asOf)}) ne vous sont pas réclamées tant que l’échéancier est respecté, et ${who.agency ? `${who.fr} y renonce` : 'nous y renonçons'} si l’échéancier est intégralement respecté. Si une échéance n’est pas réglée, elles vous seront de nouveau réclamées, avec les pénalités qui auront couru entre-temps.`,
                      `Late-payment penalties and the fixed recovery indemnity (${f.money(accessoriesCents)} as of ${f.date(ctx.breakdown.asOf)}) are not claimed from you while the plan is kept, and ${who.agency ? `${who.en} waives them` : 'we waive them'} if the plan is kept in full. If an instalment is not paid, they will be claimed again, with the penalties accrued meanwhile.`,
                    )
                  : f.t(
                      `Les intérêts au taux légal (${f.money(accessoriesCents)} au ${f.date(ctx.breakdown.asOf)}) ne vous sont pas réclamés tant que l’échéancier est respecté, et ${who.agency ? `${who.fr} y renonce` : 'nous y renonçons'} si l’échéancier est intégralement respecté. Si une échéance n’est pas réglée, ils vous seront de nouveau réclamés.`,
                      `Interest at the statutory rate (${f.money(accessoriesCents)} as of ${f.date(ctx.breakdown.asOf)}) is not claimed from you while the plan is kept, and ${who.agency ? `${who.en} waives it` : 'we waive it'} if the plan is kept in full. If an instalment is not paid, it will be claimed again.`,
                    ),
            },
          ]
        : []),
      {
        type: 'paragraph',
        text: f.t(
          `${PLAN_ACCEPTANCE.fr} Votre accord écrit, ou le paiement de la première échéance, vaut reconnaissance de votre dette de ${f.money(planTotal)} au titre de la facture n° ${n} (article 2240 du Code civil).`,
          `${PLAN_ACCEPTANCE.en} Your written agreement, or the payment of the first instalment, acknowledges your debt of ${f.money(planTotal)} under invoice ${n} (article 2240 of the French Civil Code).`,
        ),
      },
      {
        type: 'paragraph',
        text: f.t(
          `Si une échéance n’est pas réglée dans les ${tolerance} jours ouvrés suivant sa date, l’échéancier prendra fin et le recouvrement de l’ensemble des sommes restant dues reprendra. Si une difficulté survient, contactez-nous avant la date prévue.`,
          `If an instalment is not paid within ${tolerance} business days of its date, the plan will end and collection of everything still due will resume. If a difficulty arises, please contact us before the due date.`,
        ),
      },
    ],
  );
}
