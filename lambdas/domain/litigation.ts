/**
 * The litigation dossier: what the creditor's counsel needs to file, computed from the dossier at
 * the hand-off date. Pure (no AWS, no clock): the same dossier, creditor and instant always give
 * the same document, which is stored in the evidence vault as JSON and as a PDF, and served by
 * GET /invoices/{id}/litigation.
 *
 * - parties: creditor and debtor, identifiers, addresses, category;
 * - claim: the breakdown at the hand-off date (principal after credit notes, penalties or legal
 *   interest line by line with rate and source, the 40 EUR indemnity where due, each payment with
 *   its date and allocation, credit notes), and what still runs (rate, basis, amount per day);
 * - prescription: its date and starting point. The limitation period runs from the performance of
 *   the service or the delivery of the goods, not from the due date (Cass. com. 26 Feb 2020,
 *   18-25.036; Cass. 1re civ. 19 May 2021, 20-12.520 for L218-2). The dossier does not know that
 *   date: the invoice date is used, the invoice being issued upon delivery or performance (C. com.
 *   L441-9), and the dossier says so; a mise en demeure does not interrupt it (Cass. com. 18 May
 *   2022, 20-23.204), the debtor's acknowledgment does (C. civ. 2240; a signed plan is one);
 * - route and prior attempt: court-route.ts;
 * - documents to file, each with the evidence record that proves it (seq, SHA-256, key), and the
 *   proofs of sending and delivery of each reminder and of the mise en demeure (CPC 1407);
 * - the timeline of every recorded fact.
 */
import { explainBreakdown, interestRegimeOf } from './breakdown';
import { addDays, compareIsoDates, daysBetween } from './epoch-days';
import type { ChainHead, EvidenceRecord } from './evidence-chain';
import { factDocument, factKey, ownEvidence } from './evidence-chain';
import { breakdownInputFor, Dossier, isPublicSector, prescriptionInput } from './dossier';
import { sha256Hex } from './identity';
import type { CreditorProfile, DebtorKind, DossierEvent, DossierStatus, IsoDate, IsoInstant, PenaltyLine, PostalAddress } from './model';
import type { Cents } from './money';
import { formatMoney, parseEuros, toDecimalString } from './money';
import { interestCents, rateForHalfYear } from './penalties';
import { parisDateOf } from './dates';
import { prescriptionDetail } from './prescription';
import { ecbRate, halfYearOf, legalRate } from './rates';
import { CourtRoute, debtorPlace, priorAttempt, PriorAttempt, recommendRoute, SMALL_CLAIMS_LIMIT_CENTS } from './court-route';
import { indemnityDropped, PROCEDURE_LABELS, type Procedure } from './insolvency';

export const LITIGATION_FORMAT = 'amiable-litigation-dossier/1';
/** Days before the prescription date from which the dossier flags it as close (90 days). */
export const PRESCRIPTION_WARNING_DAYS = 90;

/** A stored object as the evidence log names it. */
export interface EvidenceLink {
  seq: number;
  type: string;
  at: IsoInstant;
  sha256: string;
  key: string;
}

export interface LitigationDocument {
  /** "Pièce n°": 1, 2, 3... in filing order. */
  n: number;
  category: 'invoice' | 'contract' | 'reminder' | 'formal_notice' | 'correspondence' | 'payment' | 'acknowledgment' | 'dispute' | 'call';
  title: string;
  /** The document's date (Paris) when it has one. */
  date: IsoDate | null;
  /** The record that holds it; null when only the creditor has it. */
  evidence: EvidenceLink | null;
  /** Proofs of sending and of delivery (or of failure) of a message. */
  proofs: (EvidenceLink & { kind: 'sending' | 'delivery' | 'delivery_failure'; detail: string })[];
  /** The creditor must add it (the vault does not hold it). */
  toProvideByCreditor: boolean;
  note: string | null;
}

export interface LitigationTimelineEntry {
  seq: number;
  at: IsoInstant;
  type: string;
  label: string;
  detail: string | null;
}

export interface ClaimLine {
  from: IsoDate;
  to: IsoDate;
  days: number;
  ratePercent: string;
  basisAmount: string;
  amount: string;
  provisional: boolean;
  /** Where the rate comes from, in French. */
  source: string;
}

export interface LitigationDossier {
  format: typeof LITIGATION_FORMAT;
  dossierId: string;
  status: DossierStatus;
  /** The creditor's own reference: its invoice number. */
  creditorReference: string;
  /** The instant the dossier was established, and its date in Paris. */
  at: IsoInstant;
  asOf: IsoDate;
  parties: {
    creditor: {
      legalName: string;
      siren: string;
      address: PostalAddress;
      category: 'business' | 'individual';
      categoryLabel: string;
      agency: { legalName: string; siren: string | null; address: PostalAddress } | null;
      contact: { name: string; email: string; phone: string | null };
      litigationContact: { name: string; email: string; phone: string | null };
    };
    debtor: {
      name: string;
      kind: DebtorKind;
      categoryLabel: string;
      siren: string | null;
      address: PostalAddress;
      email: string;
      /** ISO country code; "FR" by default. */
      country: string;
    };
  };
  claim: {
    invoice: {
      number: string;
      issueDate: IsoDate;
      dueDate: IsoDate;
      amount: string;
      currency: 'EUR';
      description: string | null;
      /** The buyer's purchase order and the contract the invoice refers to (e-invoice BT-13, BT-12), when given. */
      orderReference: string | null;
      contractReference: string | null;
    };
    regime: 'b2b' | 'b2c';
    creditNotes: { amount: string; at: IsoInstant }[];
    /** Invoice amount after credit notes. */
    principal: string;
    interest: { basis: 'l441-10' | 'contractual' | 'legal' | 'ccp-l2192-13'; basisLabel: string; lines: ClaimLine[]; total: string };
    indemnity: { amount: string; article: string | null; reason: string };
    payments: { paidOn: IsoDate; amount: string; reference: string; allocated: { principal: string; interest: string; indemnity: string; unallocated: string } }[];
    paid: string;
    due: { principal: string; interest: string; indemnity: string; total: string };
    provisional: boolean;
    /** How the amounts were computed, in French. */
    method: string[];
  };
  interestRunning: {
    running: boolean;
    basis: 'l441-10' | 'contractual' | 'legal' | 'ccp-l2192-13' | null;
    ratePercent: string | null;
    rateSource: string | null;
    /** The amount interest runs on (principal still due). */
    basisAmount: string;
    /** Interest for one more day, rounded to the cent (basis x rate / 365). */
    perDay: string;
    provisional: boolean;
    note: string;
  };
  prescription: {
    startsOn: IsoDate;
    startingPoint: string;
    years: 5 | 4 | 2;
    article: string;
    prescribesOn: IsoDate;
    acknowledgedOn: IsoDate[];
    daysLeft: number;
    level: 'ok' | 'approaching' | 'prescribed';
    notes: string[];
  };
  route: CourtRoute & {
    /** When interest running would take the claim over 5,000 EUR (small-claims route), if ever within a year. */
    smallClaimsLimitCrossedOn: IsoDate | null;
  };
  priorAttempt: PriorAttempt;
  documents: LitigationDocument[];
  timeline: LitigationTimelineEntry[];
  /** Head of the evidence log the documents were read from. */
  evidenceHead: ChainHead | null;
}

export interface LitigationInput {
  dossier: Dossier;
  creditor: CreditorProfile;
  /** When the dossier is established (the hand-off instant). */
  at: IsoInstant;
  /** The evidence log, caught up; when absent each record is derived from the history by the log's own rule. */
  records?: readonly EvidenceRecord[];
  /** French label of a history entry (notices/evidence-timeline describeRecord); the type when absent. */
  describe?: (fact: DossierEvent) => string;
}

const money = toDecimalString;

/** The record of history entry `seq - 1`, from the log or by the log's rule (evidence-chain.ts). */
function linkFor(d: Dossier, seq: number, records: readonly EvidenceRecord[] | undefined): EvidenceLink {
  const fact = d.events[seq - 1]!;
  const record = records?.find((r) => r.seq === seq);
  if (record) return { seq, type: record.type, at: record.at, sha256: record.sha256, key: record.key };
  const own = ownEvidence(fact);
  return own
    ? { seq, type: fact.type, at: fact.at, sha256: own.sha256, key: own.evidenceKey }
    : { seq, type: fact.type, at: fact.at, sha256: sha256Hex(factDocument(d.id, seq, fact)), key: factKey(d.id, seq, fact.type) };
}

const HALF = (hy: string) => (hy.endsWith('H1') ? `1er semestre ${hy.slice(0, 4)}` : `2d semestre ${hy.slice(0, 4)}`);
const pct = (rate: string) => `${rate.replace('.', ',')} %`;

/** The source of a line's rate, in French (the breakdown's own sources are English notes). */
function lineSource(line: PenaltyLine, d: Dossier, creditor: CreditorProfile): string {
  const hy = halfYearOf(line.from);
  const regime = interestRegimeOf(breakdownInputFor(d, creditor, line.to));
  const rate = rateForHalfYear(regime, hy);
  const provisional = line.provisional ? ' ; taux du semestre non encore publié : dernier taux connu, montant provisoire' : '';
  if (rate.basis === 'legal') {
    const column = creditor.category === 'individual' ? 'créancier personne physique' : 'autres cas';
    return `Taux de l'intérêt légal du ${HALF(hy)}, colonne « ${column} » (art. L313-2 C. mon. fin. ; art. 1231-6 et 1344-1 C. civ.)${provisional}`;
  }
  if (rate.basis === 'ccp-l2192-13' && regime.kind === 'public') {
    const start = regime.startHalfYear;
    return `Taux de la BCE en vigueur au premier jour du ${HALF(start)}, semestre où les intérêts moratoires ont commencé à courir (${pct(ecbRate(start).ratePercent)}), majoré de 8 points, fixe pour tout le retard (art. L2192-13 et R2192-31 CCP)${provisional}`;
  }
  if (rate.basis === 'contractual') {
    const origin = d.invoice.contractualPenaltyRate !== undefined ? 'stipulé sur la facture' : 'des conditions générales du créancier';
    return `Taux contractuel de ${pct(rate.ratePercent)} ${origin}, au moins égal à trois fois le taux de l'intérêt légal (art. L441-10 II C. com.)${provisional}`;
  }
  const ecb = ecbRate(hy);
  const day = hy.endsWith('H1') ? `1er janvier ${hy.slice(0, 4)}` : `1er juillet ${hy.slice(0, 4)}`;
  const refused = rate.refused ? ' ; taux contractuel écarté car inférieur à trois fois le taux légal' : '';
  return `Taux de refinancement de la BCE en vigueur au ${day} (${pct(ecb.ratePercent)}) majoré de 10 points (art. L441-10 II C. com.)${refused}${provisional}${ecb.toConfirm ? ' ; taux BCE à confirmer' : ''}`;
}

const BASIS_LABEL = {
  'l441-10': "Pénalités de retard de l'art. L441-10 II C. com., au taux de refinancement de la BCE majoré de 10 points",
  contractual: 'Pénalités de retard au taux contractuel (art. L441-10 II C. com.)',
  legal: "Intérêts moratoires au taux de l'intérêt légal, à compter de la mise en demeure (art. 1231-6 et 1344-1 C. civ.)",
  'ccp-l2192-13': "Intérêts moratoires de la commande publique (art. L2192-13 CCP), au taux de la BCE du semestre où ils ont commencé à courir majoré de 8 points, fixe pour tout le retard (art. R2192-31 CCP)",
} as const;

function method(regime: 'b2b' | 'b2c' | 'public', pursueAccessories: boolean): string[] {
  const out = [
    regime === 'public'
      ? "Intérêts moratoires dus de plein droit par l'acheteur public à compter du jour suivant l'expiration du délai de paiement, au taux de la BCE du semestre où ils ont commencé à courir majoré de 8 points, fixe pour tout le retard (art. L2192-13 et R2192-31 CCP)."
      : regime === 'b2b'
      ? "Pénalités dues de plein droit, sans rappel, à compter du jour suivant l'échéance, calculées sur le montant TTC (art. L441-10 II C. com.)."
      : "Intérêts au taux légal à compter du jour suivant la mise en demeure (art. 1231-6 et 1344-1 C. civ.) ; ni pénalités de l'art. L441-10 ni indemnité forfaitaire envers un consommateur ; frais de recouvrement à la charge du créancier (art. L111-8 CPCE).",
    'Calcul : base × taux annuel × jours / 365 (aussi en année bissextile), chaque jour au taux du semestre où il tombe (1er semestre : taux en vigueur au 1er janvier ; 2d semestre : au 1er juillet) ; chaque ligne arrondie au centime.',
    'Un paiement du jour J réduit la base à compter de J + 1 ; les intérêts échus ne produisent pas eux-mêmes intérêts (pas de capitalisation, art. 1343-2 C. civ.).',
    pursueAccessories
      ? "Imputation des paiements sur les intérêts d'abord, puis l'indemnité forfaitaire, puis le principal (art. 1343-1 C. civ.)."
      : "Imputation des paiements sur le principal d'abord, puis les intérêts, puis l'indemnité forfaitaire (convention du créancier) ; les accessoires restent réclamés.",
  ];
  return out;
}

const STAGE_TITLES: Record<string, { title: string; category: LitigationDocument['category'] }> = {
  first_reminder: { title: 'Relance amiable adressée au débiteur par courriel', category: 'reminder' },
  formal_reminder: { title: 'Relance formelle (pénalités et indemnité rappelées) adressée par courriel', category: 'reminder' },
  formal_notice: { title: 'Mise en demeure (lettre PDF jointe au courriel)', category: 'formal_notice' },
};
const MESSAGE_TITLES: Record<string, string> = {
  promise_confirmation: 'Confirmation de la promesse de paiement adressée au débiteur',
  payment_plan_confirmation: "Confirmation de l'échéancier adressée au débiteur",
  dispute_acknowledgment: 'Accusé de réception de la contestation adressé au débiteur',
};

const eurOf = (v: unknown) => {
  const c = typeof v === 'string' ? parseEuros(v) : null;
  return c === null ? '?' : formatMoney(c, 'fr');
};

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

const EINVOICE_LABEL: Record<string, string> = { 'factur-x': 'Factur-X', ubl: 'UBL 2.1', cii: 'UN/CEFACT CII' };

/** What the invoice says of its contract: its object, the buyer's order and the contract references. */
function contractNote(inv: Dossier['invoice']): string | null {
  const parts = [
    inv.description ? `Objet de la facture : ${inv.description}` : null,
    inv.orderReference ? `Bon de commande de l'acheteur : ${inv.orderReference}` : null,
    inv.contractReference ? `Contrat : ${inv.contractReference}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' ; ') : null;
}

/** The documents to file: the invoice, what only the creditor holds, then every message and fact that proves the claim. */
function documentsOf(d: Dossier, records: readonly EvidenceRecord[] | undefined): LitigationDocument[] {
  const docs: Omit<LitigationDocument, 'n'>[] = [];
  const link = (seq: number) => linkFor(d, seq, records);
  const created = d.events.findIndex((e) => e.type === 'created');
  // An imported e-invoice (POST /invoices/import) is the original itself, kept byte for byte.
  const einvoice = created >= 0 ? str(d.events[created].einvoiceFormat) : null;
  docs.push({
    category: 'invoice',
    title: einvoice
      ? `Facture n° ${d.invoice.invoiceNumber}, facture électronique originale (${EINVOICE_LABEL[einvoice] ?? einvoice})`
      : `Facture n° ${d.invoice.invoiceNumber}, données transmises par le créancier`,
    date: d.invoice.issueDate,
    evidence: created >= 0 ? link(created + 1) : null,
    proofs: [],
    toProvideByCreditor: !einvoice,
    note: einvoice
      ? 'Le coffre conserve le fichier de la facture électronique tel que reçu, octet pour octet (pièce 1 du journal de preuves).'
      : "Joindre l'exemplaire original de la facture (le coffre conserve les données de facturation telles que reçues).",
  });
  docs.push({
    category: 'contract',
    title: 'Contrat, bon de commande, devis accepté ou conditions générales applicables',
    date: null,
    evidence: null,
    proofs: [],
    toProvideByCreditor: true,
    note: contractNote(d.invoice),
  });
  const deliveries = (messageId: string) =>
    d.events
      .map((e, i) => ({ e, seq: i + 1 }))
      .filter(({ e }) => e.messageId === messageId && /^email_(delivered|bounced|rejected|complained)$/.test(e.type));
  d.events.forEach((e, i) => {
    const seq = i + 1;
    const date = parisDateOf(e.at);
    const messageProofs = (): LitigationDocument['proofs'] => {
      const messageId = str(e.messageId);
      const sent = { ...link(seq), kind: 'sending' as const, detail: `Message accepté pour envoi à ${str(e.to) ?? 'destinataire'}${messageId ? ` (identifiant SES ${messageId})` : ''} ; octets exacts du message conservés` };
      const after = messageId
        ? deliveries(messageId).map(({ e: x, seq: s }) =>
            x.type === 'email_delivered'
              ? { ...link(s), kind: 'delivery' as const, detail: `Remis au serveur de messagerie de ${str(x.recipient) ?? 'destinataire'}` }
              : { ...link(s), kind: 'delivery_failure' as const, detail: `${x.type === 'email_bounced' ? 'Refusé par le serveur du destinataire' : x.type === 'email_rejected' ? "Refusé par le service d'envoi" : 'Signalé comme indésirable'} (${str(x.recipient) ?? ''})` },
          )
        : [];
      return [sent, ...after];
    };
    if (e.type === 'notice_sent' && e.stage && STAGE_TITLES[e.stage]) {
      const proofs = messageProofs();
      const delivered = proofs.some((p) => p.kind === 'delivery');
      docs.push({
        category: STAGE_TITLES[e.stage]!.category,
        title: STAGE_TITLES[e.stage]!.title,
        date,
        evidence: link(seq),
        proofs,
        toProvideByCreditor: false,
        note:
          [
            delivered ? '' : 'Aucun accusé de remise reçu du serveur du destinataire.',
            e.stage === 'formal_notice' ? "Envoi par courriel : preuve d'envoi et de remise au serveur, sans accusé de réception (une LRAR ou une LRE en apporterait un)." : '',
          ]
            .filter(Boolean)
            .join(' ') || null,
      });
    } else if (e.type === 'message_sent' && typeof e.kind === 'string' && MESSAGE_TITLES[e.kind]) {
      docs.push({ category: 'correspondence', title: MESSAGE_TITLES[e.kind]!, date, evidence: link(seq), proofs: messageProofs(), toProvideByCreditor: false, note: null });
    } else if (e.type === 'payment_recorded') {
      docs.push({
        category: 'payment',
        title: `Paiement de ${eurOf(e.amount)} reçu (référence ${str(e.reference) ?? '-'})`,
        date: str(e.paidOn) ?? date,
        evidence: link(seq),
        proofs: [],
        toProvideByCreditor: false,
        note: 'Un paiement partiel vaut reconnaissance de la dette (art. 2240 C. civ.) ; la preuve du paiement par le débiteur (relevé bancaire) est à joindre par le créancier.',
      });
    } else if (e.type === 'debt_acknowledged') {
      docs.push({ category: 'acknowledgment', title: "Reconnaissance de la dette par l'acceptation d'un échéancier (art. 2240 C. civ.)", date, evidence: link(seq), proofs: [], toProvideByCreditor: false, note: null });
    } else if (e.type === 'dispute_opened') {
      docs.push({ category: 'dispute', title: `Contestation du débiteur : ${str(e.reason) ?? ''}`.trim(), date, evidence: link(seq), proofs: [], toProvideByCreditor: false, note: null });
    } else if (e.type === 'dispute_rejected' || e.type === 'dispute_upheld') {
      docs.push({
        category: 'dispute',
        title: e.type === 'dispute_rejected' ? 'Contestation examinée et rejetée par le créancier' : 'Contestation reconnue fondée (avoir)',
        date,
        evidence: link(seq),
        proofs: [],
        toProvideByCreditor: false,
        note: null,
      });
    } else if (e.type === 'call_logged') {
      docs.push({ category: 'call', title: "Compte rendu d'un appel téléphonique au débiteur", date, evidence: link(seq), proofs: [], toProvideByCreditor: false, note: null });
    }
  });
  return docs.map((x, i) => ({ n: i + 1, ...x }));
}

function detailOf(e: DossierEvent): string | null {
  const parts: string[] = [];
  const add = (label: string, v: unknown) => {
    if (typeof v === 'string' && v !== '') parts.push(`${label} ${v}`);
  };
  add('montant', e.amount);
  add('payé le', e.paidOn);
  add('référence', e.reference);
  add('solde', e.balance);
  add('à', e.to);
  add('motif :', e.reason);
  return parts.length ? parts.join(', ') : null;
}

/** Where the prescription period of the litigation dossier starts, in counsel's words. */
function startingPointText(p: ReturnType<typeof prescriptionDetail>): string {
  if (p.years === 4) {
    return `Déchéance quadriennale : quatre ans à compter du 1er janvier de l'année suivant celle où les droits ont été acquis ou la dernière interruption ; chaque réclamation écrite (relances, mise en demeure) l'interrompt (loi n° 68-1250, art. 1 et 2). Délai en cours depuis le ${p.runsFrom}.`;
  }
  if (p.acknowledgmentsApplied.length > 0 && p.runsFrom !== p.startsOn) {
    return `Délai reparti de la reconnaissance de dette du ${p.runsFrom} (art. 2240 et 2231 C. civ.).`;
  }
  if (p.startingPoint === 'performance_date') {
    return `Point de départ : l'exécution de la prestation ou la livraison, le ${p.startsOn}, non l'échéance (Cass. com. 26 févr. 2020, n° 18-25.036 ; Cass. 1re civ. 19 mai 2021, n° 20-12.520).`;
  }
  return "Point de départ : l'exécution de la prestation ou la livraison, non l'échéance (Cass. com. 26 févr. 2020, n° 18-25.036). Cette date n'étant pas au dossier, la date de la facture est retenue (facture émise dès la livraison ou la prestation, art. L441-9 C. com.) : si la prestation est antérieure, la prescription est acquise plus tôt.";
}

/** Per-day interest on `basis` at the rate of `asOf`'s half-year (what keeps running after the hand-off). */
function running(d: Dossier, creditor: CreditorProfile, asOf: IsoDate, principalDueCents: Cents, hasLines: boolean): LitigationDossier['interestRunning'] {
  const input = breakdownInputFor(d, creditor, asOf);
  const regime = interestRegimeOf(input);
  const notRunning = (note: string): LitigationDossier['interestRunning'] => ({
    running: false, basis: null, ratePercent: null, rateSource: null, basisAmount: money(principalDueCents), perDay: '0.00', provisional: false, note,
  });
  if (principalDueCents === 0) return notRunning('Principal entièrement payé : plus aucun intérêt ne court.');
  if (regime.kind === 'b2c' && input.formalNoticeSentOn === undefined && !hasLines) {
    return notRunning("Aucune mise en demeure envoyée : l'intérêt légal ne court pas (art. 1231-6 C. civ.).");
  }
  const rate = rateForHalfYear(regime, halfYearOf(asOf));
  const perDay = interestCents(principalDueCents, rate.hundredths, 1);
  const source =
    rate.basis === 'legal'
      ? `Taux de l'intérêt légal du ${HALF(halfYearOf(asOf))} (${pct(legalRate(halfYearOf(asOf), creditor.category).ratePercent)}, art. L313-2 C. mon. fin.)`
      : rate.basis === 'ccp-l2192-13'
        ? `Taux fixe des intérêts moratoires de la commande publique (BCE + 8 points, art. L2192-13 et R2192-31 CCP)`
        : rate.basis === 'contractual'
        ? `Taux contractuel (art. L441-10 II C. com.)`
        : `BCE ${pct(ecbRate(halfYearOf(asOf)).ratePercent)} + 10 points (art. L441-10 II C. com.), ${HALF(halfYearOf(asOf))}`;
  return {
    running: true,
    basis: rate.basis,
    ratePercent: rate.ratePercent,
    rateSource: source,
    basisAmount: money(principalDueCents),
    perDay: money(perDay),
    provisional: rate.provisional,
    note: `Les ${rate.basis === 'legal' || rate.basis === 'ccp-l2192-13' ? 'intérêts' : 'pénalités'} continuent de courir après cette date jusqu'au paiement : ${pct(rate.ratePercent)} l'an sur ${formatMoney(principalDueCents, 'fr')}, soit ${formatMoney(perDay, 'fr')} par jour (base × taux / 365, arrondi au centime) ; ${regime.kind === 'public' ? 'le taux reste fixe pour tout le retard (art. R2192-31 CCP).' : 'le taux change à chaque semestre.'}`,
  };
}

/**
 * The first day after `asOf` (within a year) on which interest still running takes the claim over
 * the 5,000 EUR small-claims limit: the request must be filed before then.
 */
function limitCrossedOn(d: Dossier, creditor: CreditorProfile, asOf: IsoDate, totalDueCents: Cents): IsoDate | null {
  if (totalDueCents > SMALL_CLAIMS_LIMIT_CENTS) return null;
  const total = (day: IsoDate) => explainBreakdown(breakdownInputFor(d, creditor, day)).breakdown.totalDueCents;
  let lo = 0;
  let hi = 366;
  if (total(addDays(asOf, hi)) <= SMALL_CLAIMS_LIMIT_CENTS) return null;
  // Totals never decrease with time (no payment after asOf is counted): bisect on the day offset.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (total(addDays(asOf, mid)) > SMALL_CLAIMS_LIMIT_CENTS) hi = mid;
    else lo = mid;
  }
  return addDays(asOf, hi);
}

export function buildLitigationDossier(input: LitigationInput): LitigationDossier {
  const { dossier: d, creditor, at, records } = input;
  const asOf = parisDateOf(at);
  // Insolvency proceedings: the claim is the one to declare, frozen at the judgment (insolvency.ts).
  const insolvency = d.events.find((e) => e.type === 'insolvency_opened');
  const judgmentDate = insolvency ? String(insolvency.judgmentDate) : null;
  const explained = explainBreakdown(
    judgmentDate
      ? { ...breakdownInputFor(d, creditor, judgmentDate), insolvency: indemnityDropped(judgmentDate, d.invoice.dueDate) }
      : breakdownInputFor(d, creditor, asOf),
  );
  const b = explained.breakdown;
  const paymentRefs = [...d.payments];

  // Prescription from the invoice date (see the header); acknowledgments restart it (C. civ. 2240, 2231).
  const p = prescriptionDetail({ dueDate: d.invoice.dueDate, ...prescriptionInput(d) });
  const daysLeft = daysBetween(asOf, p.prescribesOn);
  const partialPayments = d.payments.map((x) => x.paidOn).filter((on) => compareIsoDates(on, asOf) <= 0);

  const route = insolvency
    ? insolvencyRoute(insolvency)
    : recommendRoute({
        debtor: d.debtor,
        publicSector: isPublicSector(d.debtor),
        asOf,
        principalDueCents: b.principalDueCents,
        totalDueCents: b.totalDueCents,
      });
  const place = debtorPlace(d.debtor.address);
  const agency = creditor.agency;

  return {
    format: LITIGATION_FORMAT,
    dossierId: d.id,
    status: d.status,
    creditorReference: d.invoice.invoiceNumber,
    at,
    asOf,
    parties: {
      creditor: {
        legalName: creditor.legalName,
        siren: creditor.siren,
        address: creditor.address,
        category: creditor.category,
        categoryLabel: creditor.category === 'individual' ? 'personne physique' : 'professionnel',
        agency: agency ? { legalName: agency.legalName, siren: agency.siren ?? null, address: agency.address } : null,
        contact: { name: creditor.contact.name, email: creditor.contact.email, phone: creditor.contact.phone ?? null },
        litigationContact: { name: creditor.litigationContact.name, email: creditor.litigationContact.email, phone: creditor.litigationContact.phone ?? null },
      },
      debtor: {
        name: d.debtor.name,
        kind: d.debtor.kind,
        categoryLabel: isPublicSector(d.debtor)
          ? 'acheteur public (personne publique)'
          : d.debtor.kind === 'business'
            ? 'professionnel (présumé commerçant ou artisan)'
            : 'consommateur',
        siren: d.debtor.siren ?? null,
        address: d.debtor.address,
        email: d.debtor.email,
        country: (d.debtor.address.country || 'FR').toUpperCase(),
      },
    },
    claim: {
      invoice: {
        number: d.invoice.invoiceNumber,
        issueDate: d.invoice.issueDate,
        dueDate: d.invoice.dueDate,
        amount: money(d.invoice.amountCents),
        currency: 'EUR',
        description: d.invoice.description ?? null,
        orderReference: d.invoice.orderReference ?? null,
        contractReference: d.invoice.contractReference ?? null,
      },
      regime: b.regime,
      creditNotes: (d.creditNotes ?? []).map((c) => ({ amount: money(c.amountCents), at: c.at })),
      principal: money(b.principalCents),
      interest: {
        basis: b.interest.basis,
        basisLabel: BASIS_LABEL[b.interest.basis],
        lines: b.interest.lines.map((l) => ({
          from: l.from,
          to: l.to,
          days: l.days,
          ratePercent: l.ratePercent,
          basisAmount: money(l.basisCents),
          amount: money(l.amountCents),
          provisional: l.provisional,
          source: lineSource(l, d, creditor),
        })),
        total: money(b.interest.totalCents),
      },
      indemnity: {
        amount: money(b.indemnityCents),
        article: b.indemnityCents > 0 ? (b.interest.basis === 'ccp-l2192-13' ? 'art. L2192-13 et D2192-35 CCP' : 'art. L441-10 II et D441-5 C. com.') : null,
        reason:
          b.indemnityCents > 0
            ? b.interest.basis === 'ccp-l2192-13'
              ? 'Indemnité forfaitaire pour frais de recouvrement de 40 €, due de plein droit par l\'acheteur public en cas de retard de paiement (art. L2192-13 et D2192-35 CCP).'
              : 'Indemnité forfaitaire pour frais de recouvrement de 40 €, due de plein droit pour chaque facture payée en retard (art. L441-10 II et D441-5 C. com.).'
            : b.regime === 'b2c'
              ? 'Non due : débiteur consommateur (art. L441-10 C. com. applicable entre professionnels).'
              : 'Non due à cette date : facture non payée en retard.',
      },
      payments: explained.payments.map((x) => {
        const ref = paymentRefs.find((r) => r.paidOn === x.paidOn && r.amountCents === x.amountCents);
        if (ref) paymentRefs.splice(paymentRefs.indexOf(ref), 1);
        return {
          paidOn: x.paidOn,
          amount: money(x.amountCents),
          reference: ref?.reference ?? '',
          allocated: { principal: money(x.principalCents), interest: money(x.interestCents), indemnity: money(x.indemnityCents), unallocated: money(x.unallocatedCents) },
        };
      }),
      paid: money(b.paidCents),
      due: {
        principal: money(explained.remaining.principalCents),
        interest: money(explained.remaining.interestCents),
        indemnity: money(explained.remaining.indemnityCents),
        total: money(b.totalDueCents),
      },
      provisional: b.provisional,
      method: method(b.interest.basis === 'ccp-l2192-13' ? 'public' : b.regime, creditor.pursueAccessories === true),
    },
    interestRunning: judgmentDate
      ? { running: false, basis: null, ratePercent: null, rateSource: null, basisAmount: money(b.principalDueCents), perDay: '0.00', provisional: false, note: "Le jugement d'ouverture de la procédure collective a arrêté le cours des intérêts et pénalités (art. L622-28 C. com.)." }
      : running(d, creditor, asOf, b.principalDueCents, b.interest.lines.length > 0),
    prescription: {
      startsOn: p.runsFrom,
      startingPoint: startingPointText(p),
      years: p.years,
      article:
        p.years === 4
          ? 'loi n° 68-1250 du 31 décembre 1968, art. 1 et 2 (4 ans, déchéance quadriennale, personne publique)'
          : d.debtor.kind === 'business'
            ? 'art. L110-4 C. com. (5 ans)'
            : 'art. L218-2 C. conso. (2 ans, professionnel contre consommateur)',
      prescribesOn: p.prescribesOn,
      acknowledgedOn: p.acknowledgmentsApplied,
      daysLeft,
      level: daysLeft < 0 ? 'prescribed' : daysLeft <= PRESCRIPTION_WARNING_DAYS ? 'approaching' : 'ok',
      notes: [
        'La mise en demeure n\'interrompt pas la prescription (Cass. com. 18 mai 2022, n° 20-23.204) ; une demande en justice, y compris une requête en injonction de payer, l\'interrompt (art. 2241 C. civ.), de même que la reconnaissance de la dette par le débiteur (art. 2240 C. civ.).',
        ...(partialPayments.length > 0
          ? [`${partialPayments.length} paiement(s) partiel(s) reçu(s) (voir le décompte) : un paiement partiel vaut reconnaissance de la dette et a pu interrompre la prescription (art. 2240 C. civ.), à prouver par le créancier ; non retenu dans la date ci-dessus, par prudence.`]
          : []),
        ...(place.kind !== 'france' ? ['Débiteur établi hors de France : la loi applicable au contrat peut prévoir un autre délai de prescription.'] : []),
      ],
    },
    route: { ...route, smallClaimsLimitCrossedOn: route.code === 'small_claims' ? limitCrossedOn(d, creditor, asOf, b.totalDueCents) : null },
    priorAttempt: insolvency
      ? { ...priorAttempt(route, b.totalDueCents), conclusion: "Pour ce dossier : sans objet, la créance se déclare au mandataire judiciaire ; aucune action en paiement n'est possible (art. L622-21 C. com.)." }
      : priorAttempt(route, b.totalDueCents),
    documents: documentsOf(d, records),
    timeline: d.events.map((e, i) => ({ seq: i + 1, at: e.at, type: e.type, label: input.describe?.(e) ?? e.type, detail: detailOf(e) })),
    evidenceHead: records && records.length > 0 ? { seq: records[records.length - 1]!.seq, hash: records[records.length - 1]!.hash } : (d.evidenceHead ?? null),
  };
}

/** The debtor is in insolvency proceedings: no court route, the claim is declared (C. com. L622-21, L622-24). */
function insolvencyRoute(opened: DossierEvent): CourtRoute {
  const procedure = PROCEDURE_LABELS[opened.procedure as Procedure] ?? String(opened.procedure);
  const role = opened.procedure === 'liquidation' ? 'liquidateur' : 'mandataire judiciaire';
  return {
    code: 'claim_declaration',
    title: `Déclaration de créance au ${role}`,
    reason: `${procedure[0]!.toUpperCase()}${procedure.slice(1)} ouverte par jugement du ${String(opened.judgmentDate)} (${String(opened.court)}) : le jugement interrompt ou interdit toute action en paiement d'une créance antérieure (art. L622-21 C. com.).`,
    rule: "La créance antérieure se déclare au mandataire judiciaire (au liquidateur en liquidation) dans les deux mois de la publication du jugement d'ouverture au BODACC (art. L622-24 et R622-24 C. com.), pour son montant au jour du jugement (art. L622-25), les intérêts étant arrêtés (art. L622-28).",
    court: `${String(opened.mandataire)}, ${role}`,
    form: 'Déclaration de créance (projet établi par Amiable, à signer par le créancier ou son mandataire).',
    filing: `Adressée au ${role} au plus tard le ${String(opened.declarationDeadline)}${opened.deadlineProvisional ? ' (délai compté du jugement tant que la date de publication au BODACC n\'est pas connue)' : ''}.`,
    thresholds: [],
    alternatives: [],
  };
}
