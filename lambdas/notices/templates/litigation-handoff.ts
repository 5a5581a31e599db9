/**
 * Stage 4, hand-off: a French summary for the creditor’s litigation contact (never the debtor) with
 * what an injonction de payer request needs since 1 March 2022: the amount with its breakdown, the
 * basis of the debt and the list of documents to attach; plus the competent court, the small-claims
 * procedure when it applies and the prescription rule.
 */
import { formatMoney } from '../../domain/money';
import { plainText, singleLine } from '../escape';
import { addressInline, formatSiren } from '../format';
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
  readableReference,
  references,
  type NoticeDraft,
} from './common';

/** CPCE L125-1 / R125-1: simplified small-claims procedure up to 5,000 EUR incl. interest. */
const SMALL_CLAIMS_LIMIT_CENTS = 500_000;

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
  const b = ctx.breakdown;
  const d = ctx.debtor;
  const b2b = b.regime === 'b2b';

  const debtorFields: Field[] = [
    { label: 'Débiteur', value: debtorName(ctx) },
    {
      label: 'Qualité',
      value: b.interest.basis === 'ccp-l2192-13' ? 'acheteur public (personne publique)' : d.kind === 'business' ? 'professionnel (entreprise)' : 'consommateur (particulier)',
    },
    { label: 'Adresse', value: addressInline(d.address, lang) },
    { label: 'SIREN', value: d.siren ? formatSiren(d.siren) : 'non connu' },
    { label: 'Courriel', value: singleLine(d.email) },
  ];

  const publicBuyer = b.interest.basis === 'ccp-l2192-13';
  const routes: string[] = publicBuyer
    ? [
        'Acheteur public : le marché est un contrat administratif (CCP L6) ; juridiction compétente : le tribunal administratif. Référé-provision (art. R541-1 CJA) si l’obligation n’est pas sérieusement contestable, ou requête en paiement.',
        'L’injonction de payer et les voies d’exécution de droit privé ne sont pas ouvertes contre une personne publique ; une condamnation non exécutée se poursuit par le mandatement ou l’ordonnancement d’office (art. L911-9 CJA).',
        'Intérêts moratoires et indemnité forfaitaire de 40 € dus de plein droit (CCP L2192-13, R2192-31).',
      ]
    : [
    b2b
      ? "Injonction de payer : requête au président du tribunal de commerce du domicile du débiteur (Cerfa 12946), si la créance est commerciale (art. 1405 et s. CPC)."
      : "Injonction de payer : requête au tribunal judiciaire (Cerfa 12948*06) ou au juge des contentieux de la protection (Cerfa 16040*01) du domicile du débiteur (art. 1405 et s. CPC).",
    "Référé-provision si l’obligation n’est pas sérieusement contestable.",
  ];
  if (!publicBuyer && b.totalDueCents <= SMALL_CLAIMS_LIMIT_CENTS) {
    routes.push(
      `Procédure simplifiée de recouvrement des petites créances par un commissaire de justice (art. L125-1 et R125-1 à R125-8 CPCE) : montant dû ${formatMoney(b.totalDueCents, 'fr')}, inférieur à 5 000 €.`,
      "Demande en justice jusqu’à 5 000 € : vérifier l’exigence d’une tentative préalable de résolution amiable (art. 750-1 CPC) selon la voie choisie.",
    );
  }
  routes.push(prescriptionLine(ctx));

  const documents = [
    `Facture n° ${n} du ${f.date(ctx.invoice.issueDate)}.`,
    'Contrat, bon de commande, devis accepté ou conditions générales applicables.',
    "Relances et mise en demeure, avec les preuves d’envoi et de remise (événements de distribution conservés au dossier).",
    'Décompte des sommes dues (ci-dessus), avec le détail des pénalités ou intérêts.',
  ];
  if (ctx.creditor.agency && ctx.agencyFirstLetter) {
    documents.push(
      `Premier courrier de la société de recouvrement : référence ${singleLine(ctx.agencyFirstLetter.reference)} du ${f.date(ctx.agencyFirstLetter.date)}.`,
    );
  }

  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Le recouvrement amiable de la créance ci-dessous n’a pas abouti malgré les relances et la mise en demeure. Nous vous transmettons le dossier de la facture n° ${n} (référence ${readableReference(ctx)}) en vue d’une action contentieuse.`,
    },
    { type: 'heading', text: 'Parties' },
    { type: 'fields', rows: [creditorIdentity(ctx, lang), ...debtorFields] },
    ...(ctx.creditor.agency
      ? [{ type: 'fields', rows: [{ label: 'Société de recouvrement', value: `${singleLine(ctx.creditor.agency.legalName)}, ${addressInline(ctx.creditor.agency.address, lang)}` }] } as Block]
      : []),
    { type: 'heading', text: 'Fondement de la créance' },
    { type: 'fields', rows: invoiceFields(ctx, lang) },
    { type: 'heading', text: `Décompte au ${f.date(b.asOf)}` },
    { type: 'amounts', rows: amountRows(ctx, lang) },
    ...interestNotes(ctx, lang),
  ];
  if (b.notes.length) {
    blocks.push({ type: 'heading', text: 'Notes de calcul' }, { type: 'list', items: b.notes.map((note) => singleLine(plainText(note))) });
  }
  blocks.push(
    { type: 'heading', text: 'Voies de recouvrement judiciaire' },
    { type: 'list', items: routes },
    { type: 'heading', text: 'Pièces à joindre à la requête' },
    { type: 'list', items: documents },
    {
      type: 'paragraph',
      text: `L’historique complet et les preuves d’envoi sont conservés dans le coffre de preuves du dossier de la facture n° ${n} (un paquet de preuves vérifiable peut en être extrait). Les relances automatiques au débiteur sont arrêtées.`,
    },
  );

  return {
    to: 'litigation_contact',
    subject: `Transmission contentieux – facture ${n} – ${debtorName(ctx)} (réf. ${readableReference(ctx)})`,
    letter: {
      language: lang,
      references: references(ctx, lang),
      greeting: `Bonjour ${singleLine(ctx.creditor.litigationContact.name)},`,
      blocks,
      closing: 'Cordialement,',
      signature: ['Amiable', ctx.creditor.agency ? `${singleLine(ctx.creditor.agency.legalName)}, pour ${creditorName(ctx)}` : `pour ${creditorName(ctx)}`],
    },
  };
}
