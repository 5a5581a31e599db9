/**
 * Fixed phrases that carry a legal function. Templates print them and the checker looks for them in
 * the rendered output, so a template edit that drops one is caught before anything is sent.
 */
import type { Language } from '../domain/model';

type ByLanguage = Record<Language, string>;

/** The express demand to pay of the mise en demeure (C. civ. 1344). */
export const DEMAND: ByLanguage = {
  fr: 'nous vous mettons en demeure de régler',
  en: 'we hereby give you formal notice (mise en demeure) to pay',
};

/** This letter is a mise en demeure (Cass. com. 9 June 2015: no ambiguity allowed). */
export const IS_MISE_EN_DEMEURE: ByLanguage = {
  fr: "La présente lettre vaut mise en demeure au sens de l’article 1344 du Code civil.",
  en: 'This letter constitutes a mise en demeure (formal notice) within the meaning of article 1344 of the French Civil Code.',
};

/** Interest keeps running after the notice: B2B penalties, B2C legal interest from the notice. */
export const INTEREST_RUNNING: Record<'b2b' | 'b2c', ByLanguage> = {
  b2b: {
    fr: "Les pénalités de retard continuent de courir jusqu’au complet paiement.",
    en: 'Late-payment penalties continue to accrue until payment in full.',
  },
  b2c: {
    fr: "Conformément aux articles 1231-6 et 1344-1 du Code civil, la présente mise en demeure fait courir les intérêts au taux légal sur les sommes dues, jusqu’au complet paiement.",
    en: 'Under articles 1231-6 and 1344-1 of the French Civil Code, this formal notice causes interest at the statutory rate to run on the sums due until payment in full.',
  },
};

/** Public-sector buyer: moratory interest (CCP L2192-13) keeps running. */
export const PUBLIC_INTEREST_RUNNING: ByLanguage = {
  fr: 'Les intérêts moratoires continuent de courir jusqu’au complet paiement (article L2192-13 du Code de la commande publique).',
  en: 'Moratory interest continues to accrue until payment in full (article L2192-13 of the French Public Procurement Code).',
};

/** The sentence on interest running, by the breakdown’s basis. */
export function interestRunning(b: { regime: 'b2b' | 'b2c'; interest: { basis: string } }, language: Language): string {
  return b.interest.basis === 'ccp-l2192-13' ? PUBLIC_INTEREST_RUNNING[language] : INTEREST_RUNNING[b.regime][language];
}

/** Marks a rate that is the last known one, not yet published for that half-year. */
export const PROVISIONAL: ByLanguage = {
  fr: 'taux provisoire (dernier taux publié connu, à confirmer)',
  en: 'provisional rate (last published rate known, to be confirmed)',
};

/** R124-4 CPCE: the agency states that it carries out amicable collection. */
export const AGENCY_ACTIVITY: ByLanguage = {
  fr: "exerce une activité de recouvrement amiable de créances pour le compte d’autrui",
  en: 'carries out amicable debt collection on behalf of third parties',
};

/** L111-8 CPCE: no collection fee is ever charged to the debtor. */
export const NO_COLLECTION_FEES: ByLanguage = {
  fr: 'Aucuns frais de recouvrement amiable ne vous sont réclamés',
  en: 'No amicable collection fees are claimed from you',
};

/** Words reserved to B2B notices (L441-10 penalties and the D441-5 indemnity). */
export const B2B_ONLY_WORDS: Record<Language, string[]> = {
  fr: ['pénalités de retard', 'indemnité forfaitaire', 'L441-10', 'D441-5'],
  en: ['late-payment penalties', 'recovery indemnity', 'L441-10', 'D441-5'],
};

/**
 * The plan letter asks for the debtor’s written acceptance: the proof of an acknowledgment of the
 * debt (C. civ. 2240) must come from the debtor, never from the creditor’s own record.
 */
export const PLAN_ACCEPTANCE: ByLanguage = {
  fr: 'Merci de nous confirmer votre accord sur cet échéancier par écrit, en répondant à ce courriel ou en nous retournant l’échéancier signé.',
  en: 'Please confirm your agreement to this plan in writing, by replying to this e-mail or by returning the signed plan to us.',
};
