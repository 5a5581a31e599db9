/**
 * The draft declaration of claim (déclaration de créance) addressed to the mandataire judiciaire or
 * the liquidateur (C. com. L622-24, L622-25): the creditor, the debtor and the proceedings, the
 * nature of the claim, its amount on the day of the opening judgment (interest stopped then,
 * L622-28; the 40 EUR per L441-10 II), the documents, the deadline. A draft: the creditor (or
 * its agent, with a power) checks, signs and sends it. French; A4 PDF through pdf-letter.ts.
 */
import { PROCEDURE_LABELS, type DeclarationDeadline, type InsolvencyInput } from '../domain/insolvency';
import type { AmountBreakdown, CreditorProfile, Debtor, Invoice } from '../domain/model';
import { safeFilenamePart, singleLine } from './escape';
import { addressLines, formatDate, formatSiren, money } from './format';
import type { AmountRow, Block, Letter } from './letter';
import { renderPdfLetter } from './pdf-render';

export interface ClaimDraftInput {
  creditor: CreditorProfile;
  debtor: Debtor;
  invoice: Invoice;
  insolvency: InsolvencyInput;
  /** The claim as of the judgment date (domain/insolvency.ts claimAtJudgment). */
  claim: AmountBreakdown;
  indemnityDropped: boolean;
  deadline: DeclarationDeadline;
  /** Documents of the dossier to attach (titles), e.g. from the litigation dossier. */
  documents: string[];
  /** When the draft is made (PDF dates). */
  at: string;
}

export function claimDraftFilename(invoice: Pick<Invoice, 'invoiceNumber'>): string {
  return `declaration-de-creance-${safeFilenamePart(invoice.invoiceNumber)}.pdf`;
}

export function claimDraftLetter(x: ClaimDraftInput): Letter {
  const date = (d: string) => formatDate(d, 'fr');
  const eur = (c: number) => money(c, 'fr');
  const liquidation = x.insolvency.procedure === 'liquidation';
  const role = liquidation ? 'liquidateur' : 'mandataire judiciaire';
  const b = x.claim;
  const rows: AmountRow[] = [{ label: `Principal (facture n° ${singleLine(x.invoice.invoiceNumber)} du ${date(x.invoice.issueDate)}, TTC)`, amount: eur(b.principalCents) }];
  for (const l of b.interest.lines) {
    rows.push({
      label: `${b.interest.basis === 'legal' ? 'Intérêts au taux légal' : 'Pénalités de retard'} du ${date(l.from)} au ${date(l.to)}`,
      detail: `${l.days} jours × ${l.ratePercent.replace('.', ',')} % l'an sur ${eur(l.basisCents)}`,
      amount: eur(l.amountCents),
    });
  }
  if (b.indemnityCents > 0) rows.push({ label: 'Indemnité forfaitaire pour frais de recouvrement (art. L441-10 II et D441-5 C. com.)', amount: eur(b.indemnityCents) });
  if (b.paidCents > 0) rows.push({ label: 'Paiements reçus avant le jugement', amount: eur(-b.paidCents) });
  rows.push({ label: `Montant déclaré au ${date(x.insolvency.judgmentDate)}`, amount: eur(b.totalDueCents), total: true });

  const d = x.debtor;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Par jugement du ${date(x.insolvency.judgmentDate)}, le ${singleLine(x.insolvency.court)} a ouvert une ${PROCEDURE_LABELS[x.insolvency.procedure]} à l'égard de ${singleLine(d.name)}${d.siren ? ` (SIREN ${formatSiren(d.siren)})` : ''}, dont vous avez été désigné ${role}. ${singleLine(x.creditor.legalName)}, créancier dont la créance est née antérieurement au jugement d'ouverture, déclare entre vos mains la créance suivante (art. L622-24 et L622-25 C. com.).`,
    },
    {
      type: 'fields',
      rows: [
        { label: 'Créancier', value: `${singleLine(x.creditor.legalName)}, ${addressLines(x.creditor.address, 'fr').join(', ')}, SIREN ${formatSiren(x.creditor.siren)}` },
        { label: 'Débiteur', value: `${singleLine(d.name)}, ${addressLines(d.address, 'fr').join(', ')}` },
        { label: 'Nature de la créance', value: `créance chirographaire, échue le ${date(x.invoice.dueDate)}, de cause contractuelle (fourniture de biens ou de services)${x.invoice.description ? ` : ${singleLine(x.invoice.description)}` : ''} ; aucune sûreté ni privilège connus au dossier` },
        { label: 'Sommes à échoir', value: 'néant' },
      ],
    },
    { type: 'heading', text: `Montant au jour du jugement d'ouverture` },
    { type: 'amounts', rows },
    {
      type: 'paragraph',
      text: `Intérêts et pénalités arrêtés au jour du jugement d'ouverture (art. L622-28 C. com.${liquidation ? ', applicable en liquidation par l\'art. L641-3' : ''}). ${
        x.indemnityDropped
          ? "Indemnité forfaitaire de 40 € non déclarée : l'ouverture de la procédure a interdit le paiement de la facture à son échéance (art. L441-10 II C. com.)."
          : b.indemnityCents > 0
            ? "L'indemnité forfaitaire de 40 € était due avant le jugement, la facture étant déjà payée en retard (art. L441-10 II et D441-5 C. com.)."
            : ''
      }`.trim(),
    },
    { type: 'heading', text: 'Pièces justificatives' },
    { type: 'list', items: x.documents },
    { type: 'heading', text: 'Délai' },
    { type: 'paragraph', text: `À déclarer au plus tard le ${date(x.deadline.date)}. ${x.deadline.rule}` },
    {
      type: 'paragraph',
      emphasis: true,
      text: "Projet établi par Amiable : à vérifier, compléter (sûretés, autres créances) et signer par le créancier ou par le préposé ou mandataire de son choix (art. L622-24 al. 2 C. com.) ; une déclaration faite pour le créancier peut être ratifiée par lui jusqu'à ce que le juge statue sur l'admission.",
    },
  ];
  const recipient = [
    `${singleLine(x.insolvency.mandataire.name)}, ${role}`,
    ...(x.insolvency.mandataire.address ? singleLine(x.insolvency.mandataire.address).split(/\s*,\s*/) : []),
    `${PROCEDURE_LABELS[x.insolvency.procedure]} de ${singleLine(d.name)}`,
  ];
  return {
    language: 'fr',
    title: 'DÉCLARATION DE CRÉANCE (PROJET)',
    letterhead: {
      sender: [singleLine(x.creditor.legalName), ...addressLines(x.creditor.address, 'fr'), `SIREN ${formatSiren(x.creditor.siren)}`],
      recipient,
    },
    references: [
      { label: 'Procédure', value: `${PROCEDURE_LABELS[x.insolvency.procedure]}, ${singleLine(x.insolvency.court)}, jugement du ${date(x.insolvency.judgmentDate)}` },
      { label: 'Référence du créancier', value: `facture n° ${singleLine(x.invoice.invoiceNumber)}` },
    ],
    object: `Déclaration de créance – ${singleLine(d.name)}`,
    greeting: 'Maître,',
    blocks,
    closing: "Nous vous prions d'agréer, Maître, l'expression de nos salutations distinguées.",
    placeDate: `Fait à ${singleLine(x.creditor.city)}, le ____________ — certifiée sincère et véritable`,
    signature: [singleLine(x.creditor.legalName), 'Signature du créancier ou de son mandataire (joindre le pouvoir)'],
    footer: `Déclaration de créance – facture ${singleLine(x.invoice.invoiceNumber)}`,
  };
}

export function renderClaimDraft(x: ClaimDraftInput): Promise<Uint8Array> {
  return renderPdfLetter(claimDraftLetter(x), {
    title: `Déclaration de créance – ${singleLine(x.debtor.name)}`,
    subject: `${PROCEDURE_LABELS[x.insolvency.procedure]}, jugement du ${x.insolvency.judgmentDate}`,
    author: singleLine(x.creditor.legalName),
    date: x.at,
  });
}
