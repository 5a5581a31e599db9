/** Receipt for a payment received (R124-5 CPCE in agency mode: the debtor gets a receipt). */
import { singleLine } from '../escape';
import type { Block } from '../letter';
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

export function paymentReceipt(ctx: NoticeContext): NoticeDraft {
  const lang = ctx.language;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const p = ctx.payment;
  if (!p) throw new Error(`payment_receipt for dossier ${ctx.dossierId}: payment details are required`);
  const settled = p.balanceCents <= 0;
  const blocks: Block[] = [
    ...agencyFollowUpBlocks(ctx, lang),
    {
      type: 'paragraph',
      text: f.t(
        `Nous accusons réception de votre paiement de ${f.money(p.amountCents)}, reçu le ${f.date(p.paidOn)}, au titre de la facture n° ${n}. Nous vous en remercions.`,
        `We acknowledge receipt of your payment of ${f.money(p.amountCents)}, received on ${f.date(p.paidOn)}, for invoice ${n}. Thank you.`,
      ),
    },
    {
      type: 'fields',
      rows: [
        { label: f.t('Montant reçu', 'Amount received'), value: f.money(p.amountCents) },
        { label: f.t('Date du paiement', 'Payment date'), value: f.date(p.paidOn) },
        { label: f.t('Référence du paiement', 'Payment reference'), value: singleLine(p.reference) },
        { label: f.t('Facture n°', 'Invoice no.'), value: n },
        { label: f.t('Solde restant dû', 'Balance outstanding'), value: f.money(Math.max(0, p.balanceCents)) },
      ],
    },
  ];
  if (settled) {
    blocks.push({
      type: 'paragraph',
      text: f.t('Votre facture est désormais entièrement réglée et le dossier est clos.', 'Your invoice is now paid in full and the file is closed.'),
    });
  } else {
    blocks.push(
      {
        type: 'paragraph',
        text: f.t(
          `Il reste un solde de ${f.money(p.balanceCents)} à régler, selon les modalités ci-dessous.`,
          `A balance of ${f.money(p.balanceCents)} remains to be paid, using the details below.`,
        ),
      },
      ...paymentBlocks(ctx, lang, false),
    );
  }
  blocks.push(contactParagraph(ctx, lang));
  return {
    to: 'debtor',
    subject: f.t(`Reçu de paiement – facture ${n}`, `Payment receipt – invoice ${n}`) + subjectSuffix(ctx, lang),
    letter: {
      language: lang,
      references: references(ctx, lang),
      greeting: greeting(lang),
      blocks,
      closing: closing(lang, false),
      signature: signature(ctx, lang),
    },
  };
}
