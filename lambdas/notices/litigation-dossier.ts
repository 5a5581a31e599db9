/**
 * The litigation dossier as a PDF a lawyer reads in two minutes: page 1 says what is owed, what
 * keeps running, which procedure, before whom, what CPC 750-1 asks, and when the claim prescribes;
 * then the parties, the breakdown line by line, the route in full, the documents to file with the
 * evidence record of each (number in the log, SHA-256, file in the evidence bundle) and the
 * timeline. French only; no internal identifier (the creditor's invoice number is the reference).
 * Rendered with the same A4 writer as the letters (pdf-letter.ts): same fonts, same determinism.
 */
import { isoMillis, PARIS, parisDayAndTime } from '../domain/dates';
import type { LitigationDocument, LitigationDossier } from '../domain/litigation';
import { formatMoney, parseEuros } from '../domain/money';
import { safeFilenamePart, singleLine } from './escape';
import { addressInline, formatDate, formatRate, formatSiren, parisDate } from './format';
import type { AmountRow, Block, Field, Letter } from './letter';
import { renderPdfLetter } from './pdf-render';

const eur = (decimal: string) => formatMoney(parseEuros(decimal.replace(/^-/, '')) ?? 0, 'fr');
const date = (d: string) => formatDate(d, 'fr');
/** "07/04/2026 à 14h05", Paris time (a time without offset is Paris's); text that is no instant as is. */
const when = (at: string) => {
  const ms = isoMillis(at, PARIS);
  return Number.isNaN(ms) ? at : parisDayAndTime(ms, ' à ', 'h');
};

export function litigationPdfFilename(ld: Pick<LitigationDossier, 'creditorReference'>): string {
  return `dossier-contentieux-${safeFilenamePart(ld.creditorReference)}.pdf`;
}

/** Where a record's object sits inside an evidence bundle (services/evidence.ts filesOf). */
export function bundlePath(key: string): string {
  return `files/${key.replace(/^dossiers\/[^/]+\//, '')}`;
}

/** "Maître," for counsel (a name starting with Maître or Me), else the neutral salutation. */
export function counselSalutation(name: string): string {
  return /^(ma[iî]tre|me)\b\.?\s/i.test(singleLine(name)) ? 'Maître,' : 'Madame, Monsieur,';
}

function creditorLabel(ld: LitigationDossier): string {
  const c = ld.parties.creditor;
  return `${singleLine(c.legalName)}, ${addressInline(c.address, 'fr')}, SIREN ${formatSiren(c.siren)}`;
}

function debtorLabel(ld: LitigationDossier): string {
  const d = ld.parties.debtor;
  return `${singleLine(d.name)}, ${addressInline(d.address, 'fr')}${d.siren ? `, SIREN ${formatSiren(d.siren)}` : ', SIREN non communiqué'}`;
}

/** The one-paragraph summary opening page 1. */
export function litigationSummary(ld: LitigationDossier): string {
  const due = ld.claim.due;
  const running = ld.interestRunning.running ? ` ; ${ld.interestRunning.basis === 'legal' ? 'les intérêts courent' : 'les pénalités courent'} à ${eur(ld.interestRunning.perDay)} par jour` : '';
  return `${singleLine(ld.parties.debtor.name)} doit ${eur(due.total)} à ${singleLine(ld.parties.creditor.legalName)} au ${date(ld.asOf)} au titre de la facture n° ${singleLine(ld.creditorReference)}, échue le ${date(ld.claim.invoice.dueDate)}${running}. Voie recommandée : ${ld.route.title}. Prescription : ${date(ld.prescription.prescribesOn)}.`;
}

/** Principal, each interest line with its rate and source, indemnity, payments, total. */
export function claimRows(ld: LitigationDossier): AmountRow[] {
  const c = ld.claim;
  const rows: AmountRow[] = [{ label: `Principal (facture n° ${singleLine(c.invoice.number)}, TTC${c.creditNotes.length ? ', après avoir' : ''})`, amount: eur(c.principal) }];
  for (const l of c.interest.lines) {
    rows.push({
      label: `${c.interest.basis === 'legal' ? 'Intérêts au taux légal' : 'Pénalités de retard'} du ${date(l.from)} au ${date(l.to)}`,
      detail: `${l.days} jours × ${formatRate(l.ratePercent, 'fr')} l'an sur ${eur(l.basisAmount)} – ${l.source}`,
      amount: eur(l.amount),
    });
  }
  if (c.indemnity.article) rows.push({ label: `Indemnité forfaitaire pour frais de recouvrement (${c.indemnity.article})`, amount: eur(c.indemnity.amount) });
  for (const p of c.payments) {
    rows.push({
      label: `Paiement reçu le ${date(p.paidOn)}${p.reference ? ` (réf. ${singleLine(p.reference)})` : ''}`,
      detail: `imputé : principal ${eur(p.allocated.principal)}, intérêts ${eur(p.allocated.interest)}, indemnité ${eur(p.allocated.indemnity)}`,
      amount: `-${eur(p.amount)}`,
    });
  }
  rows.push({ label: `Total dû au ${date(ld.asOf)}`, amount: eur(c.due.total), total: true });
  return rows;
}

function documentItem(doc: LitigationDocument): string {
  const lines = [`Pièce n° ${doc.n} – ${singleLine(doc.title)}${doc.date ? ` (${date(doc.date)})` : ''}`];
  if (doc.evidence) {
    lines.push(`Journal de preuves n° ${doc.evidence.seq}, fichier du lot : ${bundlePath(doc.evidence.key)}`);
    lines.push(`SHA-256 ${doc.evidence.sha256}`);
  }
  for (const p of doc.proofs) {
    const kind = p.kind === 'sending' ? 'Envoi' : p.kind === 'delivery' ? 'Remise' : 'Échec de remise';
    lines.push(`${kind} le ${when(p.at)} : ${singleLine(p.detail)} (journal n° ${p.seq}${p.seq === doc.evidence?.seq ? '' : `, SHA-256 ${p.sha256.slice(0, 16)}…`})`);
  }
  if (doc.toProvideByCreditor) lines.push('À fournir par le créancier.');
  if (doc.note) lines.push(singleLine(doc.note));
  return lines.join('\n');
}

export function litigationLetter(ld: LitigationDossier): Letter {
  const c = ld.claim;
  const r = ld.route;
  const p = ld.prescription;
  const run = ld.interestRunning;
  const essentials: Field[] = [
    { label: `Montant dû au ${date(ld.asOf)}`, value: `${eur(c.due.total)} (principal ${eur(c.due.principal)}, ${c.interest.basis === 'legal' ? 'intérêts' : 'pénalités'} ${eur(c.due.interest)}, indemnité ${eur(c.due.indemnity)})` },
    {
      label: 'Ce qui continue de courir',
      value: run.running ? `${formatRate(run.ratePercent!, 'fr')} l'an sur ${eur(run.basisAmount)}, soit ${eur(run.perDay)} par jour` : singleLine(run.note),
    },
    { label: 'Voie recommandée', value: r.title },
    ...(r.court ? [{ label: 'Devant', value: r.court.split(/(?<=\.)\s/)[0]! }] : []),
    { label: 'Tentative préalable (art. 750-1 CPC)', value: ld.priorAttempt.conclusion.replace(/^Pour ce dossier : /, '') },
    { label: 'Prescription', value: `${date(p.prescribesOn)} (${p.daysLeft >= 0 ? `dans ${p.daysLeft} jours` : `acquise depuis ${-p.daysLeft} jours`}, ${p.article})` },
  ];
  if (r.smallClaimsLimitCrossedOn) {
    essentials.push({ label: 'Attention', value: `avec les pénalités qui courent, la créance dépassera 5 000 € le ${date(r.smallClaimsLimitCrossedOn)} : saisir le commissaire de justice avant.` });
  }
  if (p.level !== 'ok') {
    essentials.push({ label: 'Attention', value: p.level === 'prescribed' ? 'la prescription paraît acquise : vérifier une cause d\'interruption.' : 'prescription proche : agir rapidement (une requête en injonction de payer l\'interrompt, art. 2241 C. civ.).' });
  }

  const creditor = ld.parties.creditor;
  const debtor = ld.parties.debtor;
  const parties: Field[] = [
    { label: 'Créancier', value: `${creditorLabel(ld)} (${creditor.categoryLabel})` },
    ...(creditor.agency ? [{ label: 'Société de recouvrement', value: `${singleLine(creditor.agency.legalName)}, ${addressInline(creditor.agency.address, 'fr')}` }] : []),
    { label: 'Interlocuteur du créancier', value: `${singleLine(creditor.contact.name)} (${creditor.contact.email}${creditor.contact.phone ? `, ${singleLine(creditor.contact.phone)}` : ''})` },
    { label: 'Débiteur', value: `${debtorLabel(ld)} (${debtor.categoryLabel})` },
    { label: 'Courriel du débiteur', value: debtor.email },
  ];

  const invoice: Field[] = [
    { label: 'Facture n°', value: singleLine(c.invoice.number) },
    { label: "Date d'émission", value: date(c.invoice.issueDate) },
    { label: "Date d'échéance", value: date(c.invoice.dueDate) },
    { label: 'Montant TTC', value: eur(c.invoice.amount) },
    ...(c.invoice.description ? [{ label: 'Objet', value: singleLine(c.invoice.description) }] : []),
    ...(c.invoice.orderReference ? [{ label: 'Bon de commande', value: singleLine(c.invoice.orderReference) }] : []),
    ...(c.invoice.contractReference ? [{ label: 'Contrat', value: singleLine(c.invoice.contractReference) }] : []),
    ...c.creditNotes.map((n) => ({ label: 'Avoir', value: `${eur(n.amount)} le ${date(parisDate(n.at))}` })),
    { label: 'Intérêts de retard', value: c.interest.basisLabel },
  ];

  const routeFields: Field[] = [
    { label: 'Voie', value: r.title },
    { label: 'Motif', value: r.reason },
    { label: 'Règle appliquée', value: r.rule },
    ...(r.court ? [{ label: 'Juridiction ou intervenant', value: r.court }] : []),
    ...(r.form ? [{ label: 'Formulaire', value: r.form }] : []),
    ...(r.filing ? [{ label: 'Dépôt', value: r.filing }] : []),
    ...r.thresholds.map((t) => ({ label: 'Seuil', value: `${t.basis} : ${t.amount} pour un plafond de ${t.limit} – ${t.within ? 'dans le seuil' : 'au-delà du seuil'}` })),
  ];

  const blocks: Block[] = [
    { type: 'heading', text: "L'essentiel" },
    { type: 'fields', rows: essentials },
    { type: 'heading', text: '1. Parties' },
    { type: 'fields', rows: parties },
    { type: 'heading', text: `2. Créance et décompte au ${date(ld.asOf)}` },
    { type: 'fields', rows: invoice },
    { type: 'amounts', rows: claimRows(ld) },
    { type: 'list', items: c.method },
    ...(c.provisional ? [{ type: 'paragraph' as const, text: 'Montant provisoire : une ligne applique le dernier taux publié connu, faute du taux du semestre.' }] : []),
    { type: 'heading', text: '3. Intérêts qui continuent de courir' },
    { type: 'paragraph', text: run.note + (run.rateSource ? ` Source : ${run.rateSource}.` : '') },
    { type: 'heading', text: '4. Voie recommandée' },
    { type: 'fields', rows: routeFields },
  ];
  if (r.alternatives.length) {
    blocks.push({ type: 'paragraph', text: 'Autres voies :', emphasis: true }, { type: 'list', items: r.alternatives.map((a) => `${a.title} : ${a.note}`) });
  }
  blocks.push(
    { type: 'heading', text: '5. Tentative préalable de résolution amiable (art. 750-1 CPC)' },
    { type: 'list', items: ld.priorAttempt.statements },
    { type: 'paragraph', text: ld.priorAttempt.conclusion, emphasis: true },
    { type: 'heading', text: '6. Prescription' },
    {
      type: 'fields',
      rows: [
        { label: 'Délai', value: p.article },
        { label: 'Point de départ retenu', value: date(p.startsOn) },
        { label: 'Date de prescription', value: `${date(p.prescribesOn)} (dernier jour pour agir)` },
        ...(p.acknowledgedOn.length ? [{ label: 'Reconnaissances de dette', value: p.acknowledgedOn.map(date).join(', ') }] : []),
      ],
    },
    { type: 'list', items: [p.startingPoint, ...p.notes] },
    { type: 'heading', text: '7. Pièces à produire' },
    {
      type: 'paragraph',
      text: "Chaque pièce conservée est un enregistrement du journal de preuves du dossier (numéro, empreinte SHA-256), figé dans un coffre à verrouillage (S3 Object Lock) et contenu, octet pour octet, dans le lot de preuves transmis avec ce dossier (fichier indiqué ; vérification hors ligne : fichier VERIFY.txt du lot).",
    },
    { type: 'list', items: ld.documents.map(documentItem) },
    { type: 'heading', text: '8. Lot de preuves' },
    {
      type: 'paragraph',
      text: `Le lien de téléchargement du lot (archive ZIP vérifiable : pièces, manifeste, chronologie, VERIFY.txt) est valable 15 minutes. Un nouveau lien s'obtient auprès du créancier (${singleLine(creditor.contact.name)}, ${creditor.contact.email}), qui le génère depuis Amiable (API du créancier : POST /invoices/{id}/evidence-bundle).${
        ld.evidenceHead ? ` Journal au moment de l'établissement de ce dossier : ${ld.evidenceHead.seq} enregistrements, empreinte de tête ${ld.evidenceHead.hash}.` : ''
      }`,
    },
    { type: 'heading', text: '9. Chronologie' },
    { type: 'list', items: ld.timeline.map((t) => `${when(t.at)} – ${singleLine(t.label)}${t.detail ? ` (${singleLine(t.detail)})` : ''} [n° ${t.seq}]`) },
  );

  return {
    language: 'fr',
    title: 'DOSSIER CONTENTIEUX',
    references: [
      { label: 'Référence du créancier', value: `facture n° ${singleLine(ld.creditorReference)}` },
      { label: 'Établi le', value: `${date(ld.asOf)} (${when(ld.at)}, heure de Paris)` },
      { label: 'Destinataire', value: singleLine(creditor.litigationContact.name) },
    ],
    object: `Créance de ${singleLine(creditor.legalName)} sur ${singleLine(debtor.name)}`,
    greeting: litigationSummary(ld),
    blocks,
    closing: '',
    signature: [`Établi par Amiable pour ${singleLine(creditor.legalName)}`],
    footer: `Dossier contentieux – facture ${singleLine(ld.creditorReference)}`,
  };
}

/** The PDF bytes; deterministic for a given dossier (dates are the dossier's own instant). */
/** Rendered once per litigation dossier object: the hand-off bundles that PDF and its message attaches it. */
const renderedPdfs = new WeakMap<LitigationDossier, Promise<Uint8Array>>();

export function renderLitigationPdf(ld: LitigationDossier): Promise<Uint8Array> {
  const cached = renderedPdfs.get(ld);
  if (cached) return cached;
  const out = renderPdfLetter(litigationLetter(ld), {
    title: `Dossier contentieux – facture ${singleLine(ld.creditorReference)}`,
    subject: `Créance de ${singleLine(ld.parties.creditor.legalName)} sur ${singleLine(ld.parties.debtor.name)}`,
    author: singleLine(ld.parties.creditor.agency?.legalName ?? ld.parties.creditor.legalName),
    date: ld.at,
  });
  renderedPdfs.set(ld, out);
  out.catch(() => renderedPdfs.delete(ld));
  return out;
}
