/**
 * Which court procedure follows from a claim, and what CPC 750-1 asks before it. Pure rules; every
 * statement cites its source (shared/reference/legal-fr.md; re-check the texts on Legifrance and
 * EUR-Lex before relying on them in production). The wording is French: its only reader is the
 * creditor's counsel.
 *
 * Debtor in France
 * - Claim (principal still due + accrued interest or penalties + the 40 EUR indemnity) at or below
 *   5,000 EUR: the simplified small-claims procedure run by a commissaire de justice (CPCE L125-1,
 *   R125-1 to R125-8: "5 000 euros en principal et intérêts"). Rule used here: every accessory due
 *   at the hand-off date counts, the D441-5 indemnity included (the prudent reading: a claim that
 *   passes only without the indemnity is not offered the procedure). At exactly 5,000.00 EUR the
 *   procedure is open ("n'excède pas"). The debtor must agree: failing that, the injonction de
 *   payer below, whose request is outside CPC 750-1.
 * - Above: an injonction de payer (CPC 1405 to 1425) before the judge of the place where the debtor
 *   lives (CPC 1406): the president of the commercial court for a trader (C. com. L721-3; the
 *   "tribunal des activités économiques" replaces it in twelve jurisdictions from 1 Jan 2025 to
 *   31 Dec 2028, loi 2023-1059 art. 26, arrêté du 5 juillet 2024; the commercial chamber of the
 *   tribunal judiciaire in Alsace-Moselle; the tribunal mixte de commerce overseas), the tribunal
 *   judiciaire otherwise. Since 1 Mar 2022 the request states the amount with its breakdown and
 *   the basis of the claim, with the list of documents (CPC 1407).
 * - A "business" debtor is presumed a trader (commerçant or artisan): the dossier does not know
 *   whether it is a liberal profession or a civil company, whose court is the tribunal judiciaire;
 *   the route says so.
 * Debtor in another EU member state (Denmark excepted: neither regulation applies to it)
 * - European order for payment (Reg. 1896/2006; form A; jurisdiction under Reg. 1215/2012; a
 *   consumer only in the member state of his domicile, art. 6(2); in France CPC 1424-1 to 1424-15).
 * - Alternative: European small claims procedure up to 5,000 EUR "excluding all interest, expenses
 *   and disbursements" (Reg. 861/2007 art. 2(1) as amended by Reg. 2015/2421): compared here with
 *   the principal still due alone.
 * Anywhere else (including Denmark and the French overseas collectivities outside the EU): the
 * route is to decide with counsel.
 */
import type { DebtorKind, IsoDate, PostalAddress } from './model';
import type { Cents } from './money';
import { formatMoney } from './money';
import { compareIsoDates } from './epoch-days';

/** CPCE R125-1 and CPC 750-1: 5,000 EUR. */
export const SMALL_CLAIMS_LIMIT_CENTS: Cents = 500_000;
/** Reg. 861/2007 art. 2(1) (as amended by Reg. 2015/2421): 5,000 EUR excluding interest and costs. */
export const EUROPEAN_SMALL_CLAIMS_LIMIT_CENTS: Cents = 500_000;

/** Member states where Reg. 1896/2006 and Reg. 861/2007 apply (all but Denmark, art. 2(3) of each). */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT',
  'RO', 'SK', 'SI', 'ES', 'SE',
]);

/** French overseas departments and regions (ISO codes of their own): France, and the EU. */
const FRENCH_OUTERMOST: ReadonlySet<string> = new Set(['GP', 'MQ', 'GF', 'RE', 'YT', 'MF']);
/** French overseas collectivities outside the EU (OCTs): procedure rules of their own. */
const FRENCH_OCT: ReadonlySet<string> = new Set(['BL', 'PM', 'NC', 'PF', 'WF', 'TF']);
/** Lugano Convention 2007 states outside the EU (besides Denmark). */
const LUGANO: ReadonlySet<string> = new Set(['CH', 'NO', 'IS']);

const COUNTRY_FR: Record<string, string> = {
  AT: 'Autriche', BE: 'Belgique', BG: 'Bulgarie', HR: 'Croatie', CY: 'Chypre', CZ: 'Tchéquie', DK: 'Danemark', EE: 'Estonie',
  FI: 'Finlande', DE: 'Allemagne', GR: 'Grèce', HU: 'Hongrie', IE: 'Irlande', IT: 'Italie', LV: 'Lettonie', LT: 'Lituanie',
  LU: 'Luxembourg', MT: 'Malte', NL: 'Pays-Bas', PL: 'Pologne', PT: 'Portugal', RO: 'Roumanie', SK: 'Slovaquie', SI: 'Slovénie',
  ES: 'Espagne', SE: 'Suède', CH: 'Suisse', NO: 'Norvège', IS: 'Islande', GB: 'Royaume-Uni', MC: 'Monaco', US: 'États-Unis',
};

export function countryNameFr(code: string): string {
  return COUNTRY_FR[code] ?? code;
}

/**
 * The twelve commercial courts that became "tribunaux des activités économiques" on trial
 * (arrêté du 5 juillet 2024, art. 2: each covers the area of the tribunal(s) judiciaire(s) named;
 * re-check the list on Legifrance). `department` is where that area lies; only Paris covers a
 * whole department for certain (the tribunal judiciaire de Paris covers Paris), so elsewhere the
 * route says "check the area".
 */
export const ECONOMIC_ACTIVITIES_COURTS: readonly { seat: string; area: string; department: string; wholeDepartment: boolean }[] = [
  { seat: 'Paris', area: 'du tribunal judiciaire de Paris', department: '75', wholeDepartment: true },
  { seat: 'Nanterre', area: 'du tribunal judiciaire de Nanterre', department: '92', wholeDepartment: false },
  { seat: 'Versailles', area: 'du tribunal judiciaire de Versailles', department: '78', wholeDepartment: false },
  { seat: 'Lyon', area: 'du tribunal judiciaire de Lyon', department: '69', wholeDepartment: false },
  { seat: 'Marseille', area: 'du tribunal judiciaire de Marseille', department: '13', wholeDepartment: false },
  { seat: 'Avignon', area: "des tribunaux judiciaires d'Avignon et de Carpentras", department: '84', wholeDepartment: false },
  { seat: 'Auxerre', area: "du tribunal judiciaire d'Auxerre", department: '89', wholeDepartment: false },
  { seat: 'Le Havre', area: 'du tribunal judiciaire du Havre', department: '76', wholeDepartment: false },
  { seat: 'Le Mans', area: 'du tribunal judiciaire du Mans', department: '72', wholeDepartment: false },
  { seat: 'Limoges', area: 'du tribunal judiciaire de Limoges', department: '87', wholeDepartment: false },
  { seat: 'Nancy', area: 'du tribunal judiciaire de Nancy', department: '54', wholeDepartment: false },
  { seat: 'Saint-Brieuc', area: 'du tribunal judiciaire de Saint-Brieuc', department: '22', wholeDepartment: false },
];
/** The trial runs four years from 1 January 2025 (arrêté du 5 juillet 2024, art. 1). */
export const ECONOMIC_ACTIVITIES_TRIAL = { from: '2025-01-01', to: '2028-12-31' } as const;

export type DebtorPlace =
  | { kind: 'france'; department: string | null; area: 'metropole' | 'alsace_moselle' | 'outre_mer' }
  | { kind: 'eu'; country: string }
  | { kind: 'outside'; country: string; why: 'denmark' | 'french_oct' | 'lugano' | 'third_country' };

/** Where the debtor is established, from its postal address (country defaults to France). */
export function debtorPlace(address: Pick<PostalAddress, 'country' | 'postalCode'>): DebtorPlace {
  const country = (address.country || 'FR').trim().toUpperCase();
  const postal = (address.postalCode ?? '').replace(/\s+/g, '');
  if (country === 'FR' || FRENCH_OUTERMOST.has(country)) {
    if (country !== 'FR') return { kind: 'france', department: null, area: 'outre_mer' };
    if (!/^\d{5}$/.test(postal)) return { kind: 'france', department: null, area: 'metropole' };
    if (postal.startsWith('97') || postal.startsWith('98')) {
      const department = postal.slice(0, 3);
      // 975 (Saint-Pierre-et-Miquelon), 977/978 (Saint-Barthélemy, Saint-Martin share 971 codes), 98x: collectivities.
      if (['971', '972', '973', '974', '976'].includes(department)) return { kind: 'france', department, area: 'outre_mer' };
      return { kind: 'outside', country, why: 'french_oct' };
    }
    const department = postal.startsWith('20') ? '20' : postal.slice(0, 2);
    const area = department === '57' || department === '67' || department === '68' ? 'alsace_moselle' : 'metropole';
    return { kind: 'france', department, area };
  }
  if (FRENCH_OCT.has(country)) return { kind: 'outside', country, why: 'french_oct' };
  if (country === 'DK') return { kind: 'outside', country, why: 'denmark' };
  if (EU_MEMBER_STATES.has(country)) return { kind: 'eu', country };
  return { kind: 'outside', country, why: LUGANO.has(country) ? 'lugano' : 'third_country' };
}

/** claim_declaration: the debtor is in insolvency proceedings (litigation.ts). */
export type RouteCode = 'small_claims' | 'injonction_de_payer' | 'european_order_for_payment' | 'administrative_court' | 'counsel' | 'claim_declaration';
export type AlternativeCode = 'injonction_de_payer' | 'european_small_claims' | 'refere_provision';

export interface ThresholdCheck {
  /** What is compared with the limit. */
  basis: string;
  amount: string;
  limit: string;
  within: boolean;
  rule: string;
}

export interface CourtRoute {
  code: RouteCode;
  title: string;
  /** Why this route for this dossier. */
  reason: string;
  /** The rule applied, with its source. */
  rule: string;
  /** Who decides, or who runs the procedure; null when counsel decides. */
  court: string | null;
  /** The form to use, if any. */
  form: string | null;
  /** Where and how the request is filed. */
  filing: string | null;
  /** The thresholds that decided the route (small claims, European small claims). */
  thresholds: ThresholdCheck[];
  alternatives: { code: AlternativeCode; title: string; note: string }[];
}

export interface PriorAttempt {
  article: string;
  /** Whether CPC 750-1 asks for a prior attempt before the recommended route. */
  requiredForRecommendedRoute: boolean;
  /** One line for this dossier. */
  conclusion: string;
  /** What the article requires, what does not satisfy it, what it does not cover, its exemptions. */
  statements: string[];
}

export interface RouteInput {
  debtor: { kind: DebtorKind; address: Pick<PostalAddress, 'country' | 'postalCode' | 'city'> };
  /** The debtor is a public buyer (debtor segment "public-sector"): the administrative court decides. */
  publicSector?: boolean;
  /** The date the claim is assessed (the hand-off date, Paris). */
  asOf: IsoDate;
  /** Principal still due. */
  principalDueCents: Cents;
  /** Principal + accessories (interest or penalties, the indemnity) still due. */
  totalDueCents: Cents;
}

const eur = (cents: Cents) => formatMoney(cents, 'fr');

const SMALL_CLAIMS_RULE =
  "Procédure simplifiée de recouvrement des petites créances ouverte lorsque la créance, de cause contractuelle, n'excède pas 5 000 € en principal et intérêts (art. L125-1 et R125-1 CPCE). Montant comparé : principal restant dû + intérêts ou pénalités échus + indemnité forfaitaire de 40 € (tous les accessoires dus au jour de la transmission, lecture prudente) ; 5 000,00 € exactement reste dans le seuil.";

function frenchSmallClaimsCheck(input: RouteInput): ThresholdCheck {
  return {
    basis: 'principal restant dû + accessoires (intérêts ou pénalités, indemnité forfaitaire)',
    amount: eur(input.totalDueCents),
    limit: eur(SMALL_CLAIMS_LIMIT_CENTS),
    within: input.totalDueCents <= SMALL_CLAIMS_LIMIT_CENTS,
    rule: SMALL_CLAIMS_RULE,
  };
}

function europeanSmallClaimsCheck(input: RouteInput): ThresholdCheck {
  return {
    basis: 'principal restant dû, hors intérêts, frais et débours',
    amount: eur(input.principalDueCents),
    limit: eur(EUROPEAN_SMALL_CLAIMS_LIMIT_CENTS),
    within: input.principalDueCents <= EUROPEAN_SMALL_CLAIMS_LIMIT_CENTS,
    rule: "Règlement européen de petits litiges ouvert jusqu'à 5 000 € hors intérêts, frais et débours, au jour où la juridiction reçoit le formulaire (règlement (CE) n° 861/2007, art. 2-1, modifié par le règlement (UE) 2015/2421).",
  };
}

/** The commercial court of a French debtor's place, and whether the TAE trial may apply. */
function commercialCourt(place: Extract<DebtorPlace, { kind: 'france' }>, city: string, asOf: IsoDate): string {
  const where = `du lieu où demeure le débiteur (${city}, art. 1406 CPC)`;
  if (place.area === 'alsace_moselle') return `Président de la chambre commerciale du tribunal judiciaire ${where} (Alsace-Moselle)`;
  if (place.area === 'outre_mer') return `Président du tribunal mixte de commerce ${where}`;
  const onTrial =
    compareIsoDates(asOf, ECONOMIC_ACTIVITIES_TRIAL.from) >= 0 && compareIsoDates(asOf, ECONOMIC_ACTIVITIES_TRIAL.to) <= 0;
  const tae = onTrial ? ECONOMIC_ACTIVITIES_COURTS.find((c) => c.department === place.department) : undefined;
  if (tae?.wholeDepartment) {
    return `Président du tribunal des activités économiques de ${tae.seat}, qui remplace le tribunal de commerce dans le ressort ${tae.area} à titre expérimental du 1er janvier 2025 au 31 décembre 2028 (arrêté du 5 juillet 2024), ${where}`;
  }
  if (tae) {
    return `Président du tribunal de commerce ${where} ; si l'adresse relève du ressort ${tae.area}, le tribunal des activités économiques de ${tae.seat} le remplace à titre expérimental du 1er janvier 2025 au 31 décembre 2028 (arrêté du 5 juillet 2024) : vérifier le ressort sur l'annuaire des juridictions (justice.fr)`;
  }
  return `Président du tribunal de commerce ${where}`;
}

interface FrenchProcedure {
  court: string;
  form: string;
  filing: string;
  courtKind: 'commercial' | 'judiciaire';
}

function injonctionDePayer(input: RouteInput, place: Extract<DebtorPlace, { kind: 'france' }>): FrenchProcedure {
  const city = input.debtor.address.city;
  const statement =
    "La requête indique le montant réclamé avec le décompte de ses différents éléments et le fondement de la créance, et liste les pièces jointes (art. 1407 CPC, depuis le 1er mars 2022).";
  if (input.debtor.kind === 'business') {
    return {
      courtKind: 'commercial',
      court: `${commercialCourt(place, city, input.asOf)}. Débiteur professionnel présumé commerçant ou artisan (art. L721-3 C. com.) ; s'il exerce une profession libérale ou est une société civile, le président du tribunal judiciaire.`,
      form: 'Requête en injonction de payer devant le tribunal de commerce, formulaire Cerfa n° 12946 (art. 1405 à 1425 CPC).',
      filing: `Remise ou adressée au greffe de la juridiction, ou déposée en ligne (tribunaldigital.fr pour les tribunaux de commerce). ${statement}`,
    };
  }
  return {
    courtKind: 'judiciaire',
    court: `Président du tribunal judiciaire du lieu où demeure le débiteur (${city}, art. 1406 CPC) ; le juge des contentieux de la protection pour les matières qui lui sont réservées (crédit à la consommation, bail d'habitation…).`,
    form: 'Requête en injonction de payer, formulaire Cerfa n° 12948*06 (tribunal judiciaire) ou n° 16040*01 (juge des contentieux de la protection) (art. 1405 à 1425 CPC).',
    filing: `Remise ou adressée au greffe du tribunal judiciaire. ${statement}`,
  };
}

const REFERE = {
  code: 'refere_provision' as const,
  title: 'Référé-provision',
  note: "Si l'obligation n'est pas sérieusement contestable : provision accordée par le juge des référés (art. 873 CPC au tribunal de commerce, art. 835 CPC au tribunal judiciaire), procédure contradictoire par assignation.",
};

/** The recommended route, its reason, the rule it applies, and the alternatives. */
export function recommendRoute(input: RouteInput): CourtRoute {
  const place = debtorPlace(input.debtor.address);
  if (input.publicSector) return administrativeRoute(input);
  if (place.kind === 'france') {
    const small = frenchSmallClaimsCheck(input);
    const ip = injonctionDePayer(input, place);
    const ipTitle = 'Injonction de payer';
    if (small.within) {
      return {
        code: 'small_claims',
        title: 'Procédure simplifiée de recouvrement des petites créances (commissaire de justice)',
        reason: `Débiteur établi en France ; créance de ${small.amount} au jour de la transmission, principal et accessoires compris, inférieure ou égale à 5 000 €.`,
        rule: SMALL_CLAIMS_RULE,
        court: "Un commissaire de justice, saisi par le créancier ou son mandataire. Il invite le débiteur à participer à la procédure ; le débiteur dispose d'un mois pour accepter. En cas d'accord sur le montant et les modalités de paiement, le commissaire de justice délivre un titre exécutoire (art. L125-1 et R125-1 à R125-8 CPCE).",
        form: "Pas de formulaire officiel : demande au commissaire de justice avec la facture, le décompte et les pièces.",
        filing: "Demande adressée au commissaire de justice (ex-huissier), par tout moyen ; les frais de la procédure sont à la charge exclusive du créancier (art. L125-1 CPCE).",
        thresholds: [small],
        alternatives: [
          {
            code: 'injonction_de_payer',
            title: ipTitle,
            note: `Si le débiteur refuse ou ne répond pas dans le mois : ${ip.court} ${ip.form}`,
          },
          REFERE,
        ],
      };
    }
    return {
      code: 'injonction_de_payer',
      title: ipTitle,
      reason: `Débiteur établi en France ; créance de ${small.amount} au jour de la transmission, principal et accessoires compris, supérieure à 5 000 € : la procédure simplifiée des petites créances n'est pas ouverte.`,
      rule: `Créance de cause contractuelle d'un montant déterminé : ordonnance d'injonction de payer rendue sur requête par le juge du lieu où demeure le débiteur (art. 1405 et 1406 CPC) ; ${
        ip.courtKind === 'commercial' ? 'créance commerciale : président du tribunal de commerce (art. L721-3 C. com.)' : 'créance civile : tribunal judiciaire'
      }. ${SMALL_CLAIMS_RULE}`,
      court: ip.court,
      form: ip.form,
      filing: ip.filing,
      thresholds: [small],
      alternatives: [REFERE],
    };
  }
  if (place.kind === 'eu') {
    const country = countryNameFr(place.country);
    const escp = europeanSmallClaimsCheck(input);
    const consumer = input.debtor.kind === 'consumer';
    return {
      code: 'european_order_for_payment',
      title: 'Injonction de payer européenne (règlement (CE) n° 1896/2006)',
      reason: `Débiteur établi dans un autre État membre de l'Union (${country}) : litige transfrontière (art. 3 du règlement), créance pécuniaire liquide et exigible ; les procédures françaises d'injonction de payer et des petites créances supposent un débiteur en France.`,
      rule: "Procédure européenne d'injonction de payer pour les créances pécuniaires liquides et exigibles en matière civile et commerciale, dans les litiges transfrontières, sans plafond de montant (règlement (CE) n° 1896/2006, art. 2, 3 et 4 ; en France art. 1424-1 à 1424-15 CPC) ; le Danemark est exclu (art. 2-3).",
      court: consumer
        ? `Les juridictions de l'État membre du domicile du débiteur consommateur (${country}), seules compétentes (art. 6-2 du règlement n° 1896/2006).`
        : `La juridiction compétente selon le règlement (UE) n° 1215/2012 (Bruxelles I bis) : celle de l'État membre du domicile du débiteur (${country}, art. 4), ou celle du lieu de livraison ou de prestation prévu au contrat (art. 7-1), qui peut être en France (président du tribunal de commerce en matière commerciale).`,
      form: 'Formulaire type A (annexe I du règlement (CE) n° 1896/2006), dans la langue de la juridiction saisie.',
      filing: "Déposé auprès de la juridiction compétente, sur support papier ou par tout moyen de communication électronique qu'elle accepte (art. 7-5) ; le débiteur dispose de 30 jours pour former opposition à compter de la signification (art. 16).",
      thresholds: [escp],
      alternatives: escp.within
        ? [
            {
              code: 'european_small_claims',
              title: 'Règlement européen des petits litiges (règlement (CE) n° 861/2007)',
              note: `Ouvert : principal restant dû de ${escp.amount} hors intérêts et frais, au plus 5 000 €. Formulaire A de demande, procédure écrite, décision exécutoire dans les autres États membres sans exequatur.`,
            },
          ]
        : [],
    };
  }
  const country = countryNameFr(place.country);
  const why: Record<typeof place.why, string> = {
    denmark:
      "Débiteur établi au Danemark : ni l'injonction de payer européenne (règlement n° 1896/2006, art. 2-3) ni le règlement européen des petits litiges (règlement n° 861/2007, art. 2-3) ne s'appliquent au Danemark ; compétence et exécution relèvent du règlement n° 1215/2012 par l'accord de 2005 entre l'Union et le Danemark.",
    french_oct:
      "Débiteur établi dans une collectivité française d'outre-mer hors Union européenne : règles de procédure et juridictions propres à la collectivité.",
    lugano: `Débiteur établi hors de l'Union européenne (${country}) : ni les procédures françaises sur requête ni les procédures européennes ne s'appliquent ; compétence et exécution relèvent de la convention de Lugano de 2007.`,
    third_country: `Débiteur établi hors de l'Union européenne (${country}) : ni les procédures françaises sur requête ni les procédures européennes ne s'appliquent ; compétence, loi applicable et exécution de la décision dans le pays du débiteur sont à apprécier.`,
  };
  return {
    code: 'counsel',
    title: 'Voie à décider avec le conseil',
    reason: why[place.why],
    rule: "Les procédures françaises d'injonction de payer et de recouvrement des petites créances supposent un débiteur en France (art. 1406 CPC) ; les procédures européennes, un débiteur dans un État membre lié par les règlements n° 1896/2006 et n° 861/2007.",
    court: null,
    form: null,
    filing: null,
    thresholds: [],
    alternatives: [],
  };
}

/**
 * A public buyer: a public procurement contract is an administrative contract (CCP L6), so the
 * administrative court decides; no injonction de payer nor private-law enforcement against a public
 * person; a judgment left unpaid is enforced by mandatement d'office (CJA L911-9).
 */
function administrativeRoute(input: RouteInput): CourtRoute {
  return {
    code: 'administrative_court',
    title: 'Tribunal administratif (référé-provision)',
    reason: `Débiteur acheteur public : le marché public est un contrat administratif (art. L6 CCP) ; créance de ${formatMoney(input.totalDueCents, 'fr')} au jour de la transmission.`,
    rule: "Le juge des référés du tribunal administratif peut accorder une provision lorsque l'existence de l'obligation n'est pas sérieusement contestable (art. R541-1 CJA) ; à défaut, requête au fond en paiement. L'injonction de payer et les voies d'exécution de droit privé ne sont pas ouvertes contre une personne publique ; une condamnation non exécutée se poursuit par le mandatement ou l'ordonnancement d'office (art. L911-9 CJA).",
    // Venue: the contract rule (R312-11 CJA, place where the contract is performed) comes first; the
    // general rule (R312-1 CJA, seat of the authority that signed) applies only when the performance
    // spans several courts' areas or lies outside any of them.
    court: "Tribunal administratif dans le ressort duquel se trouve le lieu prévu pour l'exécution du marché (art. R312-11 CJA) ; si l'exécution s'étend sur le ressort de plusieurs tribunaux ou hors de tout ressort, celui du siège de l'acheteur public signataire (art. R312-1 CJA).",
    form: 'Requête en référé-provision (art. R541-1 CJA), déposée par Télérecours (avocat) ou Télérecours citoyens.',
    filing: "Une réclamation préalable à l'acheteur (la mise en demeure en tient lieu) lie le contentieux (art. R421-1 CJA) ; intérêts moratoires et indemnité forfaitaire dus de plein droit (art. L2192-13 CCP).",
    thresholds: [],
    alternatives: [],
  };
}

/**
 * CPC 750-1 (as restored by décret 2023-357, for claims filed from 1 Oct 2023), stated for what it
 * does and does not require; legal-fr.md: letters do not satisfy it, the injonction de payer is
 * outside its scope.
 */
export function priorAttempt(route: CourtRoute, totalDueCents: Cents): PriorAttempt {
  const statements = [
    "Ce que l'article exige : devant le tribunal judiciaire, une demande en justice tendant au paiement d'une somme n'excédant pas 5 000 € doit être précédée, à peine d'irrecevabilité que le juge peut relever d'office, d'une tentative de conciliation menée par un conciliateur de justice, d'une tentative de médiation ou d'une tentative de procédure participative, au choix des parties.",
    'Ce qui ne suffit pas : les relances et la mise en demeure adressées par le créancier ne constituent pas une telle tentative.',
    "Ce qu'il n'exige pas : il ne s'applique pas à la requête en injonction de payer, ni à l'opposition qui peut la suivre (avis de la Cour de cassation), ni à la procédure simplifiée de recouvrement des petites créances, qui n'est pas une demande en justice ; il ne vise pas les demandes portées devant le tribunal de commerce ; il ne s'applique pas à une demande en paiement de plus de 5 000 €.",
    "Dispenses (art. 750-1, al. 2) : notamment lorsque le créancier a vainement engagé la procédure simplifiée de recouvrement des petites créances (5°), ou pour un motif légitime : urgence manifeste, circonstances rendant la tentative impossible ou nécessitant une décision non contradictoire, indisponibilité des conciliateurs de justice entraînant une première réunion au-delà de trois mois (3°).",
  ];
  const over = totalDueCents > SMALL_CLAIMS_LIMIT_CENTS;
  const conclusions: Record<RouteCode, string> = {
    small_claims:
      "Pour ce dossier : aucune tentative préalable n'est exigée pour la procédure simplifiée, ni pour l'injonction de payer qui la suit en cas de refus ; l'échec de la procédure simplifiée dispense de la tentative une demande ultérieure devant le tribunal judiciaire (5°).",
    injonction_de_payer: over
      ? "Pour ce dossier : montant supérieur à 5 000 €, l'article 750-1 ne s'applique pas ; la requête en injonction de payer peut être déposée directement."
      : "Pour ce dossier : la requête en injonction de payer est hors du champ de l'article 750-1 ; une assignation au fond devant le tribunal judiciaire devrait en revanche être précédée d'une tentative.",
    european_order_for_payment:
      "Pour ce dossier : les procédures européennes sont régies par les règlements n° 1896/2006 et n° 861/2007 ; l'article 750-1, règle propre au tribunal judiciaire français, n'est pas une condition de la requête européenne ; à vérifier avec le conseil si un petit litige européen est porté devant une juridiction française.",
    administrative_court:
      "Pour ce dossier : l'article 750-1, règle du tribunal judiciaire, ne s'applique pas devant le juge administratif.",
    counsel: "Pour ce dossier : sans objet tant que la juridiction saisie n'est pas choisie ; à apprécier avec le conseil.",
    claim_declaration: "Pour ce dossier : sans objet, la créance se déclare au mandataire judiciaire.",
  };
  return { article: 'art. 750-1 CPC', requiredForRecommendedRoute: false, conclusion: conclusions[route.code], statements };
}
