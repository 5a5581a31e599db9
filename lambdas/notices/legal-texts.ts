/**
 * Statutory wording quoted or paraphrased by the notices, kept in one place so that a lawyer can
 * review it (and re-check it on Legifrance) without reading the templates.
 */
import type { Language } from '../domain/model';

/**
 * Code des procédures civiles d’exécution, article L111-8, paragraphs 2 and 3, as in force since
 * 19 March 2014 (loi n° 2014-344, art. 12; Legifrance LEGIARTI000028747701). CPCE R124-4 requires
 * the collection agency’s first letter to reproduce them.
 * TODO(legal): re-check this wording on Legifrance before each release; it must stay verbatim.
 */
export const L111_8_PARAGRAPHS_2_3_FR: readonly string[] = [
  "Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier, sauf s’ils concernent un acte dont l’accomplissement est prescrit par la loi au créancier. Toute stipulation contraire est réputée non écrite, sauf disposition législative contraire.",
  "Cependant, le créancier qui justifie du caractère nécessaire des démarches entreprises pour recouvrer sa créance peut demander au juge de l’exécution de laisser tout ou partie des frais ainsi exposés à la charge du débiteur de mauvaise foi.",
];

/** A courtesy translation printed after the French text in English letters (the French text prevails). */
export const L111_8_PARAGRAPHS_2_3_EN: readonly string[] = [
  'The costs of collection undertaken without an enforceable title remain payable by the creditor, unless they relate to an act that the law requires the creditor to perform. Any stipulation to the contrary is deemed unwritten, unless otherwise provided by law.',
  'However, a creditor who shows that the steps taken to recover the debt were necessary may ask the enforcement judge to leave all or part of the costs so incurred to be borne by a debtor acting in bad faith.',
];

export const L111_8_TITLE: Record<Language, string> = {
  fr: "Article L111-8 du Code des procédures civiles d’exécution (alinéas 2 et 3)",
  en: "Article L111-8 of the French Code des procédures civiles d’exécution (paragraphs 2 and 3), French text",
};

/** Words the checker looks for to prove the L111-8 text is reproduced (from both paragraphs). */
export const L111_8_MARKERS: readonly string[] = [
  'Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier',
  'Toute stipulation contraire est réputée non écrite',
  'à la charge du débiteur de mauvaise foi',
];

/** Consequences of non-payment named in the mise en demeure (lawful steps only, no threat). */
export const CONSEQUENCES: Record<Language, { intro: string; items: string[] }> = {
  fr: {
    intro:
      "À défaut de paiement intégral dans ce délai, nous pourrons, sans autre avis, saisir la juridiction compétente afin d’obtenir le paiement des sommes dues, notamment par :",
    items: [
      'une requête en injonction de payer (articles 1405 et suivants du Code de procédure civile) ;',
      'une demande de provision en référé (référé-provision) ;',
      'une action en paiement devant le tribunal compétent.',
    ],
  },
  en: {
    intro:
      'If full payment is not received within this period, we may, without further notice, refer the matter to the competent court to obtain payment of the sums due, in particular by:',
    items: [
      'an application for an order for payment (injonction de payer, articles 1405 et seq. of the French Code of Civil Procedure);',
      'an application for an interim payment in summary proceedings (référé-provision);',
      'an action for payment before the competent court.',
    ],
  },
};

/**
 * A public-sector buyer (a public person): its procurement contracts are administrative contracts
 * (CCP L6), so the court is the tribunal administratif, where a provision is sought in summary
 * proceedings (référé-provision, CJA R541-1); the injonction de payer and private enforcement are not
 * available against a public person.
 */
export const PUBLIC_CONSEQUENCES: Record<Language, { items: string[] }> = {
  fr: {
    items: [
      'une demande de provision en référé devant le tribunal administratif (article R541-1 du Code de justice administrative) ;',
      'une requête en paiement devant le tribunal administratif compétent.',
    ],
  },
  en: {
    items: [
      'an application for an interim payment in summary proceedings before the administrative court (article R541-1 of the French Code of Administrative Justice);',
      'an action for payment before the competent administrative court.',
    ],
  },
};

export const PUBLIC_CONSEQUENCE_MARKERS: Record<Language, { name: string; needle: string }[]> = {
  fr: [
    { name: 'consequence: référé-provision before the administrative court', needle: 'R541-1 du Code de justice administrative' },
    { name: 'consequence: action before the administrative court', needle: 'requête en paiement devant le tribunal administratif' },
  ],
  en: [
    { name: 'consequence: référé-provision before the administrative court', needle: 'article R541-1 of the French Code of Administrative Justice' },
    { name: 'consequence: action before the administrative court', needle: 'action for payment before the competent administrative court' },
  ],
};

/**
 * The same consequences when a collection agency writes: only its principal, the creditor, can
 * bring the claim before a court ("notre mandant pourra saisir…", never "nous").
 */
export function consequencesIntro(language: Language, agencyFor?: string, publicBuyer = false): string {
  if (publicBuyer) {
    const who = agencyFor ? (language === 'fr' ? `notre mandant, ${agencyFor}, pourra` : `our principal, ${agencyFor}, may`) : language === 'fr' ? 'nous pourrons' : 'we may';
    return language === 'fr'
      ? `À défaut de paiement intégral dans ce délai, ${who}, sans autre avis, saisir le tribunal administratif compétent afin d’obtenir le paiement des sommes dues, notamment par :`
      : `If full payment is not received within this period, ${who}, without further notice, refer the matter to the competent administrative court to obtain payment of the sums due, in particular by:`;
  }
  if (!agencyFor) return CONSEQUENCES[language].intro;
  return language === 'fr'
    ? `À défaut de paiement intégral dans ce délai, notre mandant, ${agencyFor}, pourra, sans autre avis, saisir la juridiction compétente afin d’obtenir le paiement des sommes dues, notamment par :`
    : `If full payment is not received within this period, our principal, ${agencyFor}, may, without further notice, refer the matter to the competent court to obtain payment of the sums due, in particular by:`;
}

/** Needles the checker requires for the consequences (same in both languages: French legal terms). */
export const CONSEQUENCE_MARKERS: Record<Language, { name: string; needle: string }[]> = {
  fr: [
    { name: 'consequence: injonction de payer', needle: 'injonction de payer' },
    { name: 'consequence: référé-provision', needle: 'référé-provision' },
    { name: 'consequence: court action', needle: 'action en paiement devant le tribunal' },
  ],
  en: [
    { name: 'consequence: injonction de payer', needle: 'injonction de payer' },
    { name: 'consequence: référé-provision', needle: 'référé-provision' },
    { name: 'consequence: court action', needle: 'action for payment before the competent court' },
  ],
};
