/** The digest's and the alerts' words, French and English. */
import type { Language } from '../domain/model';

type Words = Record<Language, string>;

export const STAGE_LABELS: Record<string, Words> = {
  none: { fr: 'Pas encore relancé', en: 'Not yet reminded' },
  first_reminder: { fr: 'Relance amiable', en: 'First reminder' },
  formal_reminder: { fr: 'Relance formelle', en: 'Formal reminder' },
  formal_notice: { fr: 'Mise en demeure', en: 'Formal notice' },
  litigation_handoff: { fr: 'Transmission au contentieux', en: 'Litigation hand-off' },
  promise_check: { fr: 'Contrôle de promesse', en: 'Promise check' },
  instalment_reminder: { fr: "Rappel d'échéance", en: 'Instalment reminder' },
  instalment_check: { fr: "Contrôle d'échéance", en: 'Instalment check' },
};

export const STATUS_LABELS: Record<string, Words> = {
  active: { fr: 'En relance', en: 'Active' },
  paused_dispute: { fr: 'Litige en cours', en: 'In dispute' },
  promised: { fr: 'Promesse de paiement', en: 'Promise to pay' },
  on_payment_plan: { fr: 'Échéancier', en: 'Payment plan' },
  needs_attention: { fr: 'À traiter', en: 'Needs attention' },
  awaiting_handoff_approval: { fr: 'Transmission au contentieux à valider', en: 'Hand-off awaiting approval' },
  handed_off: { fr: 'Transmis au contentieux', en: 'Handed off' },
  insolvency_proceedings: { fr: 'Procédure collective', en: 'Insolvency proceedings' },
  paid: { fr: 'Payé', en: 'Paid' },
  cancelled: { fr: 'Annulé', en: 'Cancelled' },
};

export const BUCKET_LABELS: Record<string, Words> = {
  not_due: { fr: 'Non échu', en: 'Not yet due' },
  '1-30': { fr: '1 à 30 jours', en: '1-30 days' },
  '31-60': { fr: '31 à 60 jours', en: '31-60 days' },
  '61-90': { fr: '61 à 90 jours', en: '61-90 days' },
  '90+': { fr: 'Plus de 90 jours', en: '90+ days' },
};

export const label = (table: Record<string, Words>, key: string | null | undefined, language: Language): string =>
  table[key ?? 'none']?.[language] ?? String(key ?? '');

export const TASK_LABELS: Record<string, Words> = {
  courtesy_call: { fr: 'Appel de courtoisie', en: 'Courtesy call' },
};

/** "1 dossier", "2 dossiers" (French and English both add an s here). */
export function count(n: number, one: Words, many: Words, language: Language): string {
  return `${n} ${n === 1 ? one[language] : many[language]}`;
}

export const WEEKDAYS: Record<Language, string[]> = {
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

export const CSV_COLUMNS: Record<Language, string[]> = {
  fr: ['Facture', 'Débiteur', 'Montant', 'Solde', 'Échéance', 'Jours de retard', 'Statut', 'Étape', 'Prochaine action', 'Date prochaine action'],
  en: ['Invoice', 'Debtor', 'Amount', 'Balance', 'Due date', 'Days past due', 'Status', 'Stage', 'Next action', 'Next action date'],
};

export const W = {
  subject: { fr: 'Recouvrement — point du', en: 'Collections digest —' },
  title: { fr: 'Point recouvrement du', en: 'Collections digest of' },
  period: { fr: 'Période : du', en: 'Period: from' },
  to: { fr: 'au', en: 'to' },
  figures: { fr: 'Chiffres clés', en: 'Key figures' },
  openBalance: { fr: 'Encours en recouvrement', en: 'Open balance in collection' },
  dossiers: { fr: 'dossiers', en: 'dossiers' },
  dossier: { fr: 'dossier', en: 'dossier' },
  handedOff: { fr: 'dont transmis au contentieux', en: 'of which handed off' },
  collected: { fr: 'Encaissé (par date de paiement)', en: 'Collected (by payment date)' },
  payments: { fr: 'paiements', en: 'payments' },
  payment: { fr: 'paiement', en: 'payment' },
  onDay: { fr: 'le', en: 'on' },
  dsoNoFigures: {
    fr: "il faut l'encours clients total à une fin de mois et les ventes à crédit mensuelles, qu'Amiable ne reçoit pas avec les factures impayées (PUT /reports/receivables/{mois})",
    en: "it needs the total receivables at a month end and the monthly credit sales, which Amiable does not receive with overdue invoices (PUT /reports/receivables/{month})",
  },
  dsoMissingMonth: {
    fr: 'les ventes à crédit données ne couvrent pas l\'encours clients de fin {end} : il faut celles de {month}',
    en: 'the credit sales given do not cover the receivables at the end of {end}: those of {month} are needed',
  },
  newDossiers: { fr: 'Nouveaux dossiers confiés', en: 'New dossiers in collection' },
  cancelled: { fr: 'Dossiers annulés', en: 'Dossiers cancelled' },
  due: { fr: 'échéance', en: 'due' },
  noCompleteDay: { fr: 'aucun jour complet dans la période', en: 'no complete day in the period' },
  atRisk: { fr: 'Part à risque (90 jours et plus)', en: 'At risk (90+ days past due)' },
  ofOpen: { fr: "de l'encours", en: 'of the open balance' },
  weighted: { fr: 'Retard moyen pondéré par le solde', en: 'Balance-weighted days past due' },
  days: { fr: 'jours', en: 'days' },
  dso: { fr: 'DSO (méthode countback)', en: 'DSO (countback method)' },
  dsoAt: { fr: 'à fin', en: 'at the end of' },
  notComputed: { fr: 'non calculé', en: 'not computed' },
  aging: { fr: 'Balance âgée', en: 'Aging' },
  bucket: { fr: 'Tranche', en: 'Bucket' },
  amount: { fr: 'Montant', en: 'Amount' },
  share: { fr: 'Part', en: 'Share' },
  count: { fr: 'Dossiers', en: 'Dossiers' },
  total: { fr: 'Total', en: 'Total' },
  byStage: { fr: 'Encours par étape atteinte', en: 'Open balance by stage reached' },
  stage: { fr: 'Étape', en: 'Stage' },
  happened: { fr: "Ce qui s'est passé", en: 'What happened' },
  nothingHappened: { fr: 'Aucun mouvement sur la période.', en: 'Nothing happened in the period.' },
  noticesSent: { fr: 'Relances envoyées', en: 'Notices sent' },
  paymentsReceived: { fr: 'Paiements enregistrés', en: 'Payments recorded' },
  paidOn: { fr: 'payé le', en: 'paid on' },
  disputesOpened: { fr: 'Litiges ouverts', en: 'Disputes opened' },
  disputesResolved: { fr: 'Litiges résolus', en: 'Disputes resolved' },
  rejected: { fr: 'rejeté', en: 'rejected' },
  upheld: { fr: 'fondé', en: 'upheld' },
  promisesAgreed: { fr: 'Promesses de paiement reçues', en: 'Promises to pay agreed' },
  promisesKept: { fr: 'Promesses tenues', en: 'Promises kept' },
  promisesBroken: { fr: 'Promesses non tenues', en: 'Promises broken' },
  plansAgreed: { fr: 'Échéanciers accordés', en: 'Payment plans agreed' },
  plansCompleted: { fr: 'Échéanciers soldés', en: 'Payment plans completed' },
  plansBroken: { fr: 'Échéanciers rompus', en: 'Payment plans broken' },
  bounces: { fr: 'Adresses en échec définitif (bounce)', en: 'Hard bounces' },
  complaints: { fr: 'Plaintes (signalement comme spam)', en: 'Complaints (reported as spam)' },
  handOffs: { fr: 'Transmissions au contentieux', en: 'Litigation hand-offs' },
  next: { fr: 'À venir', en: 'What comes next' },
  nextUntil: { fr: "jusqu'à la fin du", en: 'until the end of' },
  nothingNext: { fr: 'Aucune action programmée.', en: 'No action scheduled.' },
  human: { fr: 'À traiter par vous', en: 'Needs a human' },
  nothingHuman: { fr: 'Rien à traiter.', en: 'Nothing needs you.' },
  needsAttention: { fr: 'Dossiers à traiter', en: 'Dossiers needing attention' },
  openDisputes: { fr: 'Litiges en attente de résolution', en: 'Disputes awaiting resolution' },
  dueCalls: { fr: 'Appels à passer', en: 'Calls due' },
  deferredAlerts: { fr: 'Alertes non envoyées sur le moment (limite horaire atteinte)', en: 'Alerts not sent at once (hourly limit reached)' },
  since: { fr: 'depuis le', en: 'since' },
  more: { fr: 'et {n} de plus (GET /reports/summary)', en: 'and {n} more (GET /reports/summary)' },
  evidence: { fr: 'Empreinte du coffre de preuves', en: 'Evidence vault fingerprint' },
  evidenceText: {
    fr: 'SHA-256 des têtes de chaîne des dossiers ({n}) dont le journal de preuves a évolué sur la période (lignes « idDossier:empreinte » triées). Ce courriel en garde la trace : toute altération ultérieure du coffre se verrait.',
    en: 'SHA-256 of the chain heads of the dossiers ({n}) whose evidence log grew in the period (sorted "dossierId:headHash" lines). This e-mail witnesses it: any later change to the vault would show.',
  },
  csv: { fr: 'En pièce jointe : les dossiers ouverts ({n}) en CSV (séparateur « ; », virgule décimale).', en: 'Attached: the open dossiers ({n}) as CSV (";" separator, decimal commas).' },
  basis: { fr: 'Sur quoi portent ces chiffres', en: 'What these figures are computed on' },
  basisText: {
    fr: [
      "Dossiers confiés à Amiable uniquement (les factures transmises au recouvrement), tels qu'enregistrés à la fin de la période. Encours : dossiers ni payés ni annulés (y compris ceux transmis au contentieux) ; solde = montant de la facture moins avoirs et paiements enregistrés.",
      "Balance âgée : jours de retard à la date du point (lendemain de l'échéance = 1 jour), sur les soldes.",
      "Encaissé : paiements dont la date de paiement tombe dans les jours complets de la période (du jour du point précédent à la veille de celui-ci) ; la liste des paiements enregistrés suit, elle, la date d'enregistrement.",
      "Part à risque : part de l'encours en recouvrement échue depuis plus de 90 jours. DSO : méthode countback, sur les chiffres fournis par l'entreprise (encours clients total et ventes à crédit mensuelles), jamais estimé.",
    ],
    en: [
      'Dossiers in collection in Amiable only (the invoices pushed into collection), as recorded at the end of the period. Open balance: dossiers neither paid nor cancelled (handed-off ones included); balance = invoice amount less credit notes and payments recorded.',
      'Aging: days past due on the report date (the day after the due date = 1 day), on balances.',
      'Collected: payments whose payment date falls in the complete days of the period (from the day of the previous digest to the day before this one); the list of payments recorded follows the recording date.',
      "At risk: share of the open balance in collection 90+ days past due. DSO: countback method, on the creditor's own figures (total receivables and monthly credit sales), never estimated.",
    ],
  },
  oneLine: {
    fr: 'Rien de nouveau depuis le {since} : encours de {balance} ({open}) ; {human}.',
    en: 'Nothing new since {since}: open balance {balance} ({open}); {human}.',
  },
  oneLineHuman: { fr: '{n} point(s) à traiter', en: '{n} item(s) need you' },
  oneLineNone: { fr: 'rien à traiter', en: 'nothing needs you' },
  footer: {
    fr: 'Envoyé par Amiable pour {creditor}. Les mêmes chiffres : GET /reports/summary. Ce courriel est conservé dans le coffre de preuves.',
    en: 'Sent by Amiable for {creditor}. The same figures: GET /reports/summary. This e-mail is kept in the evidence vault.',
  },
} satisfies Record<string, Record<Language, string | string[]>>;

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
