/**
 * Receipt for a payment received (R124-5 CPCE in agency mode: the debtor gets a receipt). It states
 * how the payment was allocated and what remains, per component, so a payment of the principal
 * alone never reads as "paid in full" while accessories are claimed (domain/settlement.ts); when the
 * accessories are waived, it says so and why.
 */
import { singleLine } from '../escape';
import type { Block, Field } from '../letter';
import type { NoticeContext, PaymentNotice } from '../types';
import {
  actor,
  agencyFollowUpBlocks,
  closing,
  contactParagraph,
  fmt,
  greeting,
  invoiceNumber,
  paymentBlocks,
  paymentsReceivedBlocks,
  references,
  signature,
  subjectSuffix,
  type NoticeDraft,
} from './common';

/** The words for the interest part: penalties B2B, legal interest B2C. */
function interestWords(ctx: NoticeContext, t: (fr: string, en: string) => string): string {
  if (ctx.breakdown.interest.basis === 'ccp-l2192-13') return t('intérêts moratoires', 'moratory interest');
  return ctx.breakdown.regime === 'b2b' ? t('pénalités de retard', 'late-payment penalties') : t('intérêts au taux légal', 'interest at the statutory rate');
}

/** "pénalités" is feminine, "intérêts" masculine: the French participles agree. */
function feminine(ctx: NoticeContext): boolean {
  return ctx.breakdown.regime === 'b2b' && ctx.breakdown.interest.basis !== 'ccp-l2192-13';
}

export function receiptBlocks(ctx: NoticeContext, lang: NoticeContext['language']): Block[] {
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const p = ctx.payment as PaymentNotice;
  const settled = p.balanceCents <= 0;
  const interest = interestWords(ctx, f.t);
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: f.t(
        `Nous accusons réception de votre paiement de ${f.money(p.amountCents)}, reçu le ${f.date(p.paidOn)}, au titre de la facture n° ${n}. Nous vous en remercions.`,
        `We acknowledge receipt of your payment of ${f.money(p.amountCents)}, received on ${f.date(p.paidOn)}, for invoice ${n}. Thank you.`,
      ),
    },
  ];
  const rows: Field[] = [
    { label: f.t('Montant reçu', 'Amount received'), value: f.money(p.amountCents) },
    { label: f.t('Date du paiement', 'Payment date'), value: f.date(p.paidOn) },
    { label: f.t('Référence du paiement', 'Payment reference'), value: singleLine(p.reference) },
    { label: f.t('Facture n°', 'Invoice no.'), value: n },
  ];
  const a = p.allocation;
  if (a && a.interestCents + a.indemnityCents > 0) {
    const parts = [
      a.interestCents > 0 ? `${interest} ${f.money(a.interestCents)}` : '',
      a.indemnityCents > 0 ? f.t(`indemnité forfaitaire ${f.money(a.indemnityCents)}`, `fixed recovery indemnity ${f.money(a.indemnityCents)}`) : '',
      a.principalCents > 0 ? `principal ${f.money(a.principalCents)}` : '',
    ].filter(Boolean);
    rows.push({ label: f.t('Imputation', 'Allocated to'), value: parts.join(' ; ') });
  }
  rows.push({ label: f.t('Solde restant dû', 'Balance outstanding'), value: f.money(Math.max(0, p.balanceCents)) });
  blocks.push({ type: 'fields', rows });
  // Every payment received so far, with its date (this one included).
  if ((ctx.breakdown.payments ?? []).length > 1) {
    blocks.push({ type: 'heading', text: f.t('Paiements reçus à ce jour', 'Payments received to date') }, ...paymentsReceivedBlocks(ctx, lang, false));
  }

  if (settled && p.waived) {
    const accessories =
      ctx.breakdown.regime === 'b2b'
        ? f.t(
            `les pénalités de retard (${f.money(p.waived.interestCents)}) et l’indemnité forfaitaire pour frais de recouvrement (${f.money(p.waived.indemnityCents)})`,
            `the ${interest} (${f.money(p.waived.interestCents)}) and the fixed recovery indemnity (${f.money(p.waived.indemnityCents)})`,
          )
        : f.t(`les intérêts au taux légal (${f.money(p.waived.interestCents)})`, `the interest at the statutory rate (${f.money(p.waived.interestCents)})`);
    const who = actor(ctx);
    const weWaiveFr = who.agency ? `${who.fr} y renonce` : 'nous y renonçons';
    const weWaiveEn = who.agency ? `${who.en} waives them` : 'we waive them';
    const why = {
      creditor_waiver: f.t(`comme annoncé, ${weWaiveFr} une fois le principal réglé`, `as announced, ${weWaiveEn} once the principal is paid`),
      not_claimed: f.t(weWaiveFr, weWaiveEn),
      payment_plan_kept: f.t(`l’échéancier ayant été intégralement respecté, ${weWaiveFr} comme convenu`, `the payment plan having been kept in full, ${weWaiveEn} as agreed`),
    }[p.waived.reason];
    blocks.push({
      type: 'paragraph',
      text: f.t(
        feminine(ctx)
          ? `Le principal de la facture n° ${n} est intégralement réglé et le dossier est clos. Quant aux accessoires, ${accessories}, dues de plein droit, ${why} : elles ne vous sont pas réclamées.`
          : `Le principal de la facture n° ${n} est intégralement réglé et le dossier est clos. Quant aux accessoires, ${accessories}, dus de plein droit, ${why} : ils ne vous sont pas réclamés.`,
        `The principal of invoice ${n} is paid in full and the file is closed. As for the accessories, ${accessories}, due by law, ${why}: they are not claimed from you.`,
      ),
    });
  } else if (settled) {
    blocks.push({
      type: 'paragraph',
      text:
        ctx.breakdown.interest.totalCents + ctx.breakdown.indemnityCents > 0
          ? f.t(`Votre facture est désormais entièrement réglée, principal et ${interest}${ctx.breakdown.indemnityCents > 0 ? ' et indemnité forfaitaire' : ''} compris, et le dossier est clos.`, `Your invoice is now paid in full, principal and ${interest}${ctx.breakdown.indemnityCents > 0 ? ' and the fixed recovery indemnity' : ''} included, and the file is closed.`)
          : f.t('Votre facture est désormais entièrement réglée et le dossier est clos.', 'Your invoice is now paid in full and the file is closed.'),
    });
  } else {
    if (a?.order === 'civil-code-1343-1') {
      const b2b = ctx.breakdown.regime === 'b2b';
      blocks.push({
        type: 'paragraph',
        text: f.t(
          `Conformément à l’article 1343-1 du Code civil, ce paiement a été imputé d’abord sur les ${interest} ${feminine(ctx) ? 'échues' : 'échus'}${b2b ? ", puis sur l’indemnité forfaitaire" : ''}, puis sur le principal.`,
          `Under article 1343-1 of the French Civil Code, this payment was allocated first to the ${interest} accrued${b2b ? ', then to the fixed recovery indemnity' : ''}, then to the principal.`,
        ),
      });
    }
    const r = p.remaining;
    if (r) {
      const remainingRows: Field[] = [{ label: f.t('Principal restant dû', 'Principal outstanding'), value: f.money(r.principalCents) }];
      if (r.interestCents > 0) remainingRows.push({ label: f.t(`${cap(interest)} restant ${feminine(ctx) ? 'dues' : 'dus'}`, `${cap(interest)} outstanding`), value: f.money(r.interestCents) });
      if (r.indemnityCents > 0) remainingRows.push({ label: f.t('Indemnité forfaitaire restant due', 'Fixed recovery indemnity outstanding'), value: f.money(r.indemnityCents) });
      blocks.push({ type: 'heading', text: f.t(`Ce qui reste dû au ${f.date(ctx.breakdown.asOf)}`, `What remains due as of ${f.date(ctx.breakdown.asOf)}`) }, { type: 'fields', rows: remainingRows });
    }
    blocks.push(
      {
        type: 'paragraph',
        text: f.t(
          `Votre facture n’est donc pas entièrement réglée : il reste ${f.money(p.balanceCents)} à régler, selon les modalités ci-dessous.${r && r.principalCents > 0 && ctx.breakdown.regime === 'b2b' ? ` Les ${interest} continuent de courir sur le principal restant dû.` : ''}`,
          `Your invoice is therefore not paid in full: ${f.money(p.balanceCents)} remains to be paid, using the details below.${r && r.principalCents > 0 && ctx.breakdown.regime === 'b2b' ? ' Late-payment penalties continue to accrue on the principal outstanding.' : ''}`,
        ),
      },
      ...paymentBlocks(ctx, lang, false),
    );
  }
  return blocks;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A receipt (quittance) to a consumer is written in French (loi n° 94-665 du 4 août 1994, art. 2:
 * French is mandatory in "factures et quittances" of goods and services), followed by an English
 * translation when the debtor reads English (the French text prevails). Business debtors get their
 * own language.
 */
export function paymentReceipt(ctx: NoticeContext): NoticeDraft {
  const n = invoiceNumber(ctx);
  if (!ctx.payment) throw new Error(`payment_receipt for dossier ${ctx.dossierId}: payment details are required`);
  const consumer = ctx.debtor.kind === 'consumer';
  const lang = consumer ? 'fr' : ctx.language;
  const bilingual = consumer && ctx.language === 'en';
  const f = fmt(lang);
  const blocks: Block[] = [...agencyFollowUpBlocks(ctx, lang), ...receiptBlocks(ctx, lang), contactParagraph(ctx, lang)];
  if (bilingual) {
    blocks.push(
      { type: 'heading', text: 'English translation (the French text prevails)' },
      { type: 'paragraph', text: greeting('en', ctx) },
      ...agencyFollowUpBlocks(ctx, 'en'),
      ...receiptBlocks(ctx, 'en'),
      contactParagraph(ctx, 'en'),
    );
  }
  const subject = bilingual
    ? `Reçu de paiement / Payment receipt – facture ${n} / invoice ${n}`
    : f.t(`Reçu de paiement – facture ${n}`, `Payment receipt – invoice ${n}`);
  return {
    to: 'debtor',
    subject: subject + subjectSuffix(ctx, lang),
    letter: {
      language: lang,
      references: references(ctx, lang),
      greeting: greeting(lang, ctx),
      blocks,
      closing: closing(lang, false) + (bilingual ? ` / ${closing('en', false)}` : ''),
      signature: signature(ctx, lang),
    },
  };
}
