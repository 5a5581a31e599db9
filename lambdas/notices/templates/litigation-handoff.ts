/**
 * Stage 4, hand-off: the message to the creditor's counsel (never the debtor), in French, with the
 * professional salutation ("Maître," for a lawyer or commissaire de justice), the creditor's own
 * reference (its invoice number, never an internal id), what is owed with its breakdown, the
 * recommended court route and why, what CPC 750-1 asks, the prescription date, the litigation
 * dossier attached as a PDF and a short-lived link to the evidence bundle with how to get a fresh
 * one. The accountants are copied (services/outbound-mail.ts). The substance (route, rule,
 * documents) comes from domain/litigation.ts; this file only words it.
 */
import { hhmm, PARIS, zonedTime } from '../../domain/dates';
import { formatMoney, parseEuros } from '../../domain/money';
import { singleLine } from '../escape';
import { addressInline, formatSiren, parisDate } from '../format';
import { counselSalutation, litigationPdfFilename, renderLitigationPdf } from '../litigation-dossier';
import type { Block, Field } from '../letter';
import type { NoticeContext } from '../types';
import {
  amountRows,
  creditorIdentity,
  creditorName,
  debtorName,
  fmt,
  interestNotes,
  invoiceFields,
  invoiceNumber,
  letterDate,
  readableReference,
  type NoticeDraft,
} from './common';

export const HANDOFF_SUBJECT_PREFIX = 'Transmission contentieux';

/** The bundle link as sent: https on AWS; local mode's S3 answers on loopback http. */
export function isBundleUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.username || u.password || /\s/.test(url)) return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'));
  } catch {
    return false;
  }
}

const eur = (decimal: string) => formatMoney(parseEuros(decimal) ?? 0, 'fr');
const paris = (at: string) => ({ time: hhmm(zonedTime(Date.parse(at), PARIS)).replace(':', ' h ') });

/**
 * The prescription rule for the lawyer: 5 years B2B (C. com. L110-4), 2 years B2C (C. conso.
 * L218-2), running from the performance of the service or delivery (Cass. com. 26 Feb 2020,
 * 18-25.036; Cass. 1re civ. 19 May 2021, 20-12.520), with the date used and the last day to act.
 */
function prescriptionLine(ctx: NoticeContext): string {
  const f = fmt('fr');
  const b2b = ctx.breakdown.regime === 'b2b';
  const p0 = ctx.prescription;
  if (ctx.breakdown.interest.basis === 'ccp-l2192-13') {
    // Loi n° 68-1250: four years from 1 January following the facts; each written claim interrupts.
    return `Prescription : déchéance quadriennale des créances sur les personnes publiques (loi n° 68-1250 du 31 décembre 1968), quatre ans à compter du 1er janvier de l’année suivant ${p0?.startingPoint === 'performance_date' ? 'l’exécution de la prestation' : 'l’émission de la facture'}${p0 ? ` (${f.date(p0.startsOn)})` : ''} ; chaque réclamation écrite adressée à l’acheteur (relances, mise en demeure) l’interrompt et fait courir un nouveau délai au 1er janvier suivant (art. 2)${p0 ? ` ; dernier jour pour agir : ${f.date(p0.prescribesOn)}` : ''}.`;
  }
  const base = b2b ? 'Prescription : 5 ans (art. L110-4 C. com.)' : 'Prescription : 2 ans (art. L218-2 C. conso.)';
  const p = ctx.prescription;
  const from = !p
    ? ''
    : p.startingPoint === 'performance_date'
      ? `, à compter de l’exécution de la prestation ou de la livraison, le ${f.date(p.startsOn)} (Cass. com. 26 févr. 2020, n° 18-25.036${b2b ? '' : ' ; Cass. 1re civ. 19 mai 2021, n° 20-12.520'})`
      : `, à compter de la date d’émission de la facture, le ${f.date(p.startsOn)}, faute de date d’exécution de la prestation communiquée (la prescription court de l’exécution ou de la livraison : Cass. com. 26 févr. 2020, n° 18-25.036 ; à vérifier sur pièces)`;
  const restart = p && p.runsFrom !== p.startsOn ? ` ; interrompue par une reconnaissance de dette du ${f.date(p.runsFrom)} (art. 2240 C. civ.)` : '';
  const last = p ? ` ; dernier jour pour agir : ${f.date(p.prescribesOn)}` : '';
  return `${base}${from}${restart}${last}. La mise en demeure ne l’interrompt pas (Cass. com. 18 mai 2022, n° 20-23.204) ; une demande en justice, y compris une injonction de payer, l’interrompt (art. 2241 C. civ.).`;
}

export function litigationHandoff(ctx: NoticeContext): NoticeDraft {
  const lang = 'fr' as const;
  const f = fmt(lang);
  const n = invoiceNumber(ctx);
  const lit = ctx.litigation;
  if (!lit) throw new Error('litigation_handoff needs the litigation dossier (ctx.litigation)');
  const ld = lit.dossier;
  const b = ctx.breakdown;
  const d = ctx.debtor;
  const counsel = ctx.creditor.litigationContact;
  const salutation = counselSalutation(counsel.name);
  const agency = ctx.creditor.agency;
  const formalNotice = ld.documents.find((x) => x.category === 'formal_notice');

  const opening = [
    `Le recouvrement amiable de la facture n° ${n} de ${creditorName(ctx)} sur ${debtorName(ctx)}, échue le ${f.date(ctx.invoice.dueDate)}, n’a pas abouti`,
    formalNotice?.date ? ` : la mise en demeure du ${f.date(formalNotice.date)} est restée sans effet` : '',
    ctx.deadline ? ` à l’expiration du délai de paiement fixé au ${f.date(ctx.deadline)}` : '',
    '. ',
    agency ? `${singleLine(agency.legalName)}, qui en assurait le recouvrement amiable pour le compte de ${creditorName(ctx)}, vous transmet le dossier` : 'Nous vous transmettons le dossier',
    ' en vue d’une action en justice.',
  ].join('');

  const run = ld.interestRunning;
  const essentials: Field[] = [
    { label: `Montant dû au ${f.date(b.asOf)}`, value: f.money(b.totalDueCents) },
    {
      label: run.basis === 'legal' || run.basis === 'ccp-l2192-13' ? 'Intérêts qui courent' : 'Pénalités qui courent',
      value: run.running ? `${f.rate(run.ratePercent!)} l’an sur ${eur(run.basisAmount)}, soit ${eur(run.perDay)} par jour` : singleLine(run.note),
    },
    { label: 'Voie recommandée', value: ld.route.title },
    { label: 'Prescription', value: `${f.date(ld.prescription.prescribesOn)} – ${ld.prescription.article}` },
  ];
  if (ld.route.smallClaimsLimitCrossedOn) {
    essentials.push({ label: 'Attention', value: `avec ce qui court, la créance dépassera 5 000 € le ${f.date(ld.route.smallClaimsLimitCrossedOn)}` });
  }

  const debtorFields: Field[] = [
    { label: 'Débiteur', value: `${debtorName(ctx)}, ${addressInline(d.address, lang)}` },
    { label: 'Qualité', value: ld.parties.debtor.categoryLabel },
    { label: 'SIREN', value: d.siren ? formatSiren(d.siren) : 'non communiqué' },
    { label: 'Courriel', value: singleLine(d.email) },
  ];

  const route = ld.route;
  const routeBlocks: Block[] = [
    { type: 'paragraph', text: `${route.title}. ${route.reason}`, emphasis: true },
    {
      type: 'fields',
      rows: [
        { label: 'Règle appliquée', value: route.rule },
        ...(route.court ? [{ label: 'Devant', value: route.court }] : []),
        ...(route.form ? [{ label: 'Formulaire', value: route.form }] : []),
        ...(route.filing ? [{ label: 'Dépôt', value: route.filing }] : []),
      ],
    },
    ...(route.alternatives.length ? [{ type: 'list' as const, items: route.alternatives.map((a) => `${a.title} : ${a.note}`) }] : []),
    { type: 'paragraph', text: `Tentative préalable de résolution amiable (art. 750-1 CPC) – ${ld.priorAttempt.conclusion.replace(/^Pour ce dossier : /, '')} Le dossier joint précise ce que l’article exige et n’exige pas.` },
    // The starting point as the dossier knows it (performance date when given, else the issue date).
    { type: 'paragraph', text: prescriptionLine(ctx) },
  ];

  const contact = ctx.creditor.contact;
  const phone = contact.phone ? `, ${singleLine(contact.phone).replace(/ /g, '\u00a0')}` : '';
  const until = paris(lit.bundle.expiresAt).time;
  const documents: Block[] = [
    {
      type: 'paragraph',
      text: `Le dossier contentieux est joint en PDF (${litigationPdfFilename(ld)}) : parties, décompte ligne par ligne, intérêts qui courent, voie recommandée et règle appliquée, tentative préalable, prescription, pièces à produire avec leur empreinte et chronologie. Pièces :`,
    },
    {
      type: 'list',
      items: ld.documents.map(
        (x) => `Pièce n° ${x.n} – ${singleLine(x.title)}${x.date ? ` (${f.date(x.date)})` : ''}${x.evidence ? '' : ' – à fournir par le créancier'}`,
      ),
    },
    isBundleUrl(lit.bundle.url)
      ? { type: 'link', label: 'Lot de preuves (archive ZIP vérifiable : pièces octet pour octet, preuves d’envoi et de remise, chronologie) :', url: lit.bundle.url }
      : { type: 'paragraph', text: 'Lot de preuves : lien indisponible, à demander au créancier.' },
    {
      type: 'paragraph',
      text: `Ce lien est valable 15 minutes (jusqu’à ${until}, heure de Paris, le ${f.date(letterDate(ctx))}). Pour un nouveau lien, demandez-le à ${singleLine(contact.name)} (${singleLine(contact.email)}${phone})${
        ctx.creditor.accountants.length ? ' ; le cabinet comptable en copie peut aussi le générer depuis Amiable' : ', qui le génère depuis Amiable'
      }. L’archive se vérifie hors ligne (fichier VERIFY.txt) ; empreinte de tête du journal de preuves : ${lit.bundle.head.hash} (${lit.bundle.head.seq} enregistrements).`,
    },
  ];

  const blocks: Block[] = [
    { type: 'paragraph', text: opening },
    { type: 'heading', text: 'En bref' },
    { type: 'fields', rows: essentials },
    { type: 'heading', text: 'Parties' },
    { type: 'fields', rows: [creditorIdentity(ctx, lang), ...debtorFields] },
    ...(agency ? [{ type: 'fields', rows: [{ label: 'Société de recouvrement', value: `${singleLine(agency.legalName)}, ${addressInline(agency.address, lang)}` }] } as Block] : []),
    { type: 'heading', text: 'Fondement de la créance' },
    { type: 'fields', rows: invoiceFields(ctx, lang) },
    { type: 'heading', text: `Décompte au ${f.date(b.asOf)}` },
    { type: 'amounts', rows: amountRows(ctx, lang) },
    ...interestNotes(ctx, lang),
    { type: 'heading', text: 'Voie recommandée' },
    ...routeBlocks,
    { type: 'heading', text: 'Pièces et preuves' },
    ...documents,
    {
      type: 'paragraph',
      text: 'Les relances automatiques au débiteur sont arrêtées. Tout paiement reçu désormais vous sera signalé, avec le solde restant dû.',
    },
  ];

  const closingSalutation = salutation === 'Maître,' ? 'Maître' : 'Madame, Monsieur';
  return {
    to: 'litigation_contact',
    subject: `${HANDOFF_SUBJECT_PREFIX} – facture ${n} – ${debtorName(ctx)} (réf. ${readableReference(ctx)})`,
    letter: {
      language: lang,
      references: [
        { label: 'Référence du créancier', value: `facture n° ${n}` },
        { label: 'Notre référence', value: readableReference(ctx) },
        { label: 'Date', value: f.date(letterDate(ctx)) },
        // CPCE R124-4: the agency's first letter, by its readable reference and date.
        ...(agency && ctx.agencyFirstLetter
          ? [{ label: 'Premier courrier de la société de recouvrement', value: `référence ${singleLine(ctx.agencyFirstLetter.reference)} du ${f.date(ctx.agencyFirstLetter.date)}` }]
          : []),
      ],
      object: `Créance de ${creditorName(ctx)} sur ${debtorName(ctx)} : transmission pour action en justice`,
      greeting: salutation,
      blocks,
      closing: `Nous vous prions d’agréer, ${closingSalutation}, l’expression de nos salutations distinguées.`,
      signature: [
        singleLine(contact.name),
        ...(agency ? [singleLine(agency.legalName), `pour le compte de ${creditorName(ctx)}`] : [creditorName(ctx)]),
      ],
    },
    documents: [{ filename: litigationPdfFilename(ld), contentType: 'application/pdf', render: async () => lit.pdf ?? renderLitigationPdf(ld) }],
  };
}


export interface PaymentUpdateInput {
  creditor: NoticeContext['creditor'];
  debtor: NoticeContext['debtor'];
  invoice: NoticeContext['invoice'];
  /** When the dossier was handed to counsel. */
  handedOffAt: string;
  payment: { amountCents: number; paidOn: string; reference: string };
  /** True when the payment settles the invoice: counsel is asked to stop the procedure. */
  settled: boolean;
  /** What remains due after the payment, as of its date. */
  remaining: { asOf: string; principalCents: number; totalCents: number };
  sentAt: string;
}

/**
 * A payment recorded after the hand-off, reported to counsel (copied to the accountants): the
 * amount, date and reference, what remains due; a settling payment asks counsel to stop the
 * procedure. French, no internal id.
 */
export function litigationPaymentUpdate(input: PaymentUpdateInput): NoticeDraft {
  const f = fmt('fr');
  const n = singleLine(input.invoice.invoiceNumber);
  const debtor = singleLine(input.debtor.name);
  const creditor = singleLine(input.creditor.legalName);
  const salutation = counselSalutation(input.creditor.litigationContact.name);
  const handedOn = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(input.handedOffAt));
  const p = input.payment;
  const accessories = input.remaining.totalCents - input.remaining.principalCents;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `${debtor} a payé ${f.money(p.amountCents)} le ${f.date(p.paidOn)} (référence ${singleLine(p.reference)}) au titre de la facture n° ${n} de ${creditor}, dont nous vous avons confié le recouvrement le ${handedOn}.`,
    },
    {
      type: 'fields',
      rows: [
        { label: 'Montant reçu', value: f.money(p.amountCents) },
        { label: 'Date du paiement', value: f.date(p.paidOn) },
        { label: 'Référence', value: singleLine(p.reference) },
        { label: `Principal restant dû au ${f.date(input.remaining.asOf)}`, value: f.money(input.remaining.principalCents) },
        { label: 'Total restant dû, accessoires compris', value: f.money(input.remaining.totalCents) },
      ],
    },
    input.settled
      ? {
          type: 'paragraph',
          emphasis: true,
          text: `La facture est désormais réglée en principal : merci d’arrêter la procédure engagée pour ce dossier et de nous indiquer les frais éventuellement exposés.${
            accessories > 0 ? ` Les pénalités et l’indemnité forfaitaire restent dues (${f.money(accessories)}) ; ${creditor} vous dira s’il entend les réclamer.` : ''
          }`,
        }
      : {
          type: 'paragraph',
          text: `Le paiement est partiel : la procédure peut se poursuivre pour le solde de ${f.money(input.remaining.totalCents)} au ${f.date(input.remaining.asOf)}, les pénalités ou intérêts continuant de courir sur le principal restant dû. Un paiement partiel vaut reconnaissance de la dette (art. 2240 C. civ.).`,
        },
  ];
  const closingSalutation = salutation === 'Maître,' ? 'Maître' : 'Madame, Monsieur';
  return {
    to: 'litigation_contact',
    subject: input.settled
      ? `Arrêt de la procédure – facture ${n} réglée – ${debtor}`
      : `Paiement partiel reçu après transmission – facture ${n} – ${debtor}`,
    letter: {
      language: 'fr',
      references: [
        { label: 'Référence du créancier', value: `facture n° ${n}` },
        { label: 'Date', value: f.date(parisDate(input.sentAt)) },
      ],
      greeting: salutation,
      blocks,
      closing: `Nous vous prions d’agréer, ${closingSalutation}, l’expression de nos salutations distinguées.`,
      signature: [singleLine(input.creditor.contact.name), creditor],
    },
  };
}

export interface InsolvencyNoticeInput {
  creditor: NoticeContext['creditor'];
  debtor: NoticeContext['debtor'];
  invoice: NoticeContext['invoice'];
  judgment: { date: string; procedureLabel: string; court: string; mandataire: string; role: string };
  declaration: { amountCents: number; deadline: string; deadlineProvisional: boolean; filename: string };
  sentAt: string;
}

/**
 * Insolvency proceedings opened against a debtor already in counsel's hands: individual actions
 * are suspended (C. com. L622-21) and the claim is to be declared (L622-24): counsel is told, with
 * the draft declaration attached. French, no internal id.
 */
export function litigationInsolvencyNotice(input: InsolvencyNoticeInput): NoticeDraft {
  const f = fmt('fr');
  const n = singleLine(input.invoice.invoiceNumber);
  const debtor = singleLine(input.debtor.name);
  const salutation = counselSalutation(input.creditor.litigationContact.name);
  const j = input.judgment;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Par jugement du ${f.date(j.date)}, le ${singleLine(j.court)} a ouvert une ${j.procedureLabel} à l’égard de ${debtor}, débiteur de la facture n° ${n} de ${singleLine(input.creditor.legalName)} que nous vous avons transmise.`,
    },
    {
      type: 'paragraph',
      emphasis: true,
      text: "Le jugement d’ouverture interrompt ou interdit toute action en justice tendant au paiement d’une créance antérieure (art. L622-21 C. com.) : merci de suspendre la procédure engagée pour cette facture.",
    },
    {
      type: 'fields',
      rows: [
        { label: `${j.role[0]!.toUpperCase()}${j.role.slice(1)}`, value: singleLine(j.mandataire) },
        { label: 'Montant à déclarer, arrêté au jugement', value: f.money(input.declaration.amountCents) },
        { label: 'Déclaration au plus tard le', value: `${f.date(input.declaration.deadline)}${input.declaration.deadlineProvisional ? ' (compté du jugement, à recalculer à la publication au BODACC)' : ''}` },
      ],
    },
    {
      type: 'paragraph',
      text: `Un projet de déclaration de créance est joint (${input.declaration.filename}), à vérifier et signer par le créancier ou son mandataire (art. L622-24 C. com.). Les intérêts ont cessé de courir au jour du jugement (art. L622-28 C. com.).`,
    },
  ];
  const closingSalutation = salutation === 'Maître,' ? 'Maître' : 'Madame, Monsieur';
  return {
    to: 'litigation_contact',
    subject: `Procédure collective – suspendre les poursuites – facture ${n} – ${debtor}`,
    letter: {
      language: 'fr',
      references: [
        { label: 'Référence du créancier', value: `facture n° ${n}` },
        { label: 'Date', value: f.date(parisDate(input.sentAt)) },
      ],
      greeting: salutation,
      blocks,
      closing: `Nous vous prions d’agréer, ${closingSalutation}, l’expression de nos salutations distinguées.`,
      signature: [singleLine(input.creditor.contact.name), singleLine(input.creditor.legalName)],
    },
  };
}
