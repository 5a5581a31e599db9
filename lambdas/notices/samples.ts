/**
 * Sample dossiers for the demo (scripts/render-notices.ts) and the tests: a B2B dossier whose
 * penalties span two half-years plus a provisional line, a B2C consumer dossier, and a dossier sent
 * by a collection agency. Amounts are built by hand here (not with domain/penalties), each line as
 * basis x rate x days / 365 rounded to the cent.
 */
import type { AmountBreakdown, CreditorProfile, Debtor, Invoice, IsoDate, Language, PenaltyLine } from '../domain/model';
import { DEFAULT_POLICY } from '../domain/policy';
import { addDays, parseIsoDate } from './format';
import { sampleLitigation } from './litigation-samples';
import { letterReference } from './templates/common';
import { NOTICE_KINDS, type NoticeContext, type NoticeKind } from './types';

type Extras = Partial<Pick<NoticeContext, 'deadline' | 'graceDays' | 'payment' | 'promise' | 'plan' | 'instalment' | 'dispute'>>;

export interface SampleNotice extends Extras {
  sentAt: string;
  breakdown: AmountBreakdown;
}

export interface SampleDossier {
  /** Short name used in file names ("b2b", "b2c", "agency"). */
  name: string;
  dossierId: string;
  creditor: CreditorProfile;
  debtor: Debtor;
  invoice: Invoice;
  notices: Record<NoticeKind, SampleNotice>;
  agencyFirstLetter?: { reference: string; date: IsoDate };
}

function days(from: IsoDate, to: IsoDate): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000) + 1;
}

/** One interest line: basis x rate x days / 365, rounded half up to the cent. */
export function sampleLine(from: IsoDate, to: IsoDate, ratePercent: string, basisCents: number, provisional: boolean, source: string): PenaltyLine {
  const n = days(from, to);
  const [units, frac = ''] = ratePercent.split('.');
  const rateBp = Number(units) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
  const amountCents = Math.floor((basisCents * rateBp * n * 2 + 365 * 10_000) / (2 * 365 * 10_000));
  return { from, to, days: n, ratePercent, basisCents, amountCents, provisional, source };
}

function breakdown(
  regime: 'b2b' | 'b2c',
  asOf: IsoDate,
  principalCents: number,
  lines: PenaltyLine[],
  paidCents = 0,
): AmountBreakdown {
  const interest = lines.reduce((s, l) => s + l.amountCents, 0);
  const indemnityCents = regime === 'b2b' ? 4000 : 0;
  const provisional = lines.some((l) => l.provisional);
  return {
    asOf,
    regime,
    principalCents,
    interest: { basis: regime === 'b2b' ? 'l441-10' : 'legal', lines, totalCents: interest },
    indemnityCents,
    paidCents,
    totalDueCents: Math.max(0, principalCents + interest + indemnityCents - paidCents),
    principalDueCents: Math.max(0, principalCents - paidCents),
    provisional,
    notes: [
      'Day count: principal x rate x days late / 365; each day takes the rate of its half-year.',
      ...(provisional ? ['2026 H2 rate not yet in the table: last known rate used (provisional).'] : []),
      ...(paidCents ? ['Payments allocated to principal first (sample).'] : []),
    ],
  };
}

const ECB_25H2 = 'ECB 2.15% + 10 pts, C. com. L441-10 (2025 H2)';
const ECB_26H1 = 'ECB 2.15% + 10 pts, C. com. L441-10 (2026 H1)';
const ECB_26H2_PROV = 'ECB 2.15% + 10 pts, last known rate (2026 H2 provisional)';

// ---------------------------------------------------------------------------------------------
// B2B: Atelier Lumière (Lyon) -> Boulangerie Dupont & Fils (Paris), 4 800,00 €, a partial payment.

const b2bCreditor: CreditorProfile = {
  id: 'cred-atelier-lumiere',
  legalName: 'Atelier Lumière SAS',
  address: { line1: '12 rue de la République', postalCode: '69002', city: 'Lyon', country: 'FR' },
  siren: '832145676',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPP882',
  paymentLink: 'https://pay.atelier-lumiere.example/f/F-2025-0142',
  sender: { email: 'factures@atelier-lumiere.example', name: 'Atelier Lumière – Comptabilité' },
  replyTo: 'compta@atelier-lumiere.example',
  accountants: ['expert@cabinet-comptable.example'],
  litigationContact: { name: 'Me Claire Rousseau', email: 'contentieux@rousseau-avocats.example', phone: '+33 4 78 00 00 01' },
  contact: { name: 'Sophie Martin', email: 'compta@atelier-lumiere.example', phone: '+33 4 72 00 00 00' },
  category: 'business',
  city: 'Lyon',
};

const b2bDebtor: Debtor = {
  kind: 'business',
  name: 'Boulangerie Dupont & Fils SARL',
  email: 'compta@boulangerie-dupont.example',
  language: 'fr',
  siren: '793456120',
  address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' },
};

const b2bInvoice: Invoice = {
  invoiceNumber: 'F-2025-0142',
  issueDate: '2025-11-14',
  dueDate: '2025-12-15',
  amountCents: 480_000,
  currency: 'EUR',
  description: "Conception et pose de l'éclairage de la boutique",
};

const P = 480_000;
const afterPayment = P - 100_000;
const h25 = (to: IsoDate) => sampleLine('2025-12-16', to, '12.15', P, false, ECB_25H2);

const b2b: SampleDossier = {
  name: 'b2b',
  dossierId: 'AMI-2025-0142',
  creditor: b2bCreditor,
  debtor: b2bDebtor,
  invoice: b2bInvoice,
  notices: {
    first_reminder: { sentAt: '2025-12-22T08:00:00.000Z', breakdown: breakdown('b2b', '2025-12-22', P, [h25('2025-12-22')]) },
    dispute_acknowledgment: {
      sentAt: '2026-01-05T08:00:00.000Z',
      breakdown: breakdown('b2b', '2026-01-05', P, [h25('2025-12-31'), sampleLine('2026-01-01', '2026-01-05', '12.15', P, false, ECB_26H1)]),
      dispute: {
        id: 'DSP-0007',
        reason: "Le luminaire de la vitrine a été livré avec un défaut ;\nnous attendons l'intervention promise avant de payer.",
      },
    },
    formal_reminder: {
      sentAt: '2026-01-12T08:00:00.000Z',
      deadline: '2026-01-22',
      breakdown: breakdown('b2b', '2026-01-12', P, [h25('2025-12-31'), sampleLine('2026-01-01', '2026-01-12', '12.15', P, false, ECB_26H1)]),
    },
    promise_confirmation: {
      sentAt: '2026-02-02T08:00:00.000Z',
      promise: { date: '2026-02-20', amountCents: P },
      breakdown: breakdown('b2b', '2026-02-02', P, [h25('2025-12-31'), sampleLine('2026-01-01', '2026-02-02', '12.15', P, false, ECB_26H1)]),
    },
    payment_receipt: (() => {
      const bd = breakdown('b2b', '2026-03-31', P, [h25('2025-12-31'), sampleLine('2026-01-01', '2026-03-31', '12.15', P, false, ECB_26H1)], 100_000);
      return {
        sentAt: '2026-04-01T07:00:00.000Z',
        breakdown: bd,
        payment: { amountCents: 100_000, paidOn: '2026-03-31', reference: 'VIR-20260331-0077', balanceCents: bd.totalDueCents },
      };
    })(),
    payment_plan_confirmation: (() => {
      const bd = breakdown(
        'b2b',
        '2026-04-08',
        P,
        [h25('2025-12-31'), sampleLine('2026-01-01', '2026-03-31', '12.15', P, false, ECB_26H1), sampleLine('2026-04-01', '2026-04-08', '12.15', afterPayment, false, ECB_26H1)],
        100_000,
      );
      return {
        sentAt: '2026-04-08T07:00:00.000Z',
        breakdown: bd,
        plan: {
          instalments: [
            { dueDate: '2026-04-30', amountCents: 150_000 },
            { dueDate: '2026-05-31', amountCents: 150_000 },
            { dueDate: '2026-06-30', amountCents: bd.principalDueCents - 300_000 },
          ],
        },
      };
    })(),
    instalment_reminder: {
      sentAt: '2026-04-27T07:00:00.000Z',
      instalment: { dueDate: '2026-04-30', amountCents: 150_000 },
      breakdown: breakdown(
        'b2b',
        '2026-04-27',
        P,
        [h25('2025-12-31'), sampleLine('2026-01-01', '2026-03-31', '12.15', P, false, ECB_26H1), sampleLine('2026-04-01', '2026-04-27', '12.15', afterPayment, false, ECB_26H1)],
        100_000,
      ),
    },
    formal_notice: {
      sentAt: '2026-07-10T07:00:00.000Z',
      // Sent Friday 10 July 2026; +8 days = Saturday 18 July -> Monday 20 July.
      deadline: '2026-07-20',
      graceDays: DEFAULT_POLICY.graceDays,
      breakdown: breakdown(
        'b2b',
        '2026-07-10',
        P,
        [
          h25('2025-12-31'),
          sampleLine('2026-01-01', '2026-03-31', '12.15', P, false, ECB_26H1),
          sampleLine('2026-04-01', '2026-06-30', '12.15', afterPayment, false, ECB_26H1),
          sampleLine('2026-07-01', '2026-07-10', '12.15', afterPayment, true, ECB_26H2_PROV),
        ],
        100_000,
      ),
    },
    litigation_handoff: {
      sentAt: '2026-07-27T07:00:00.000Z',
      breakdown: breakdown(
        'b2b',
        '2026-07-27',
        P,
        [
          h25('2025-12-31'),
          sampleLine('2026-01-01', '2026-03-31', '12.15', P, false, ECB_26H1),
          sampleLine('2026-04-01', '2026-06-30', '12.15', afterPayment, false, ECB_26H1),
          sampleLine('2026-07-01', '2026-07-27', '12.15', afterPayment, true, ECB_26H2_PROV),
        ],
        100_000,
      ),
    },
  },
};

// ---------------------------------------------------------------------------------------------
// B2C: Plomberie Garnier (Bordeaux) -> a private customer, 860,00 €. No penalties, no indemnity;
// legal interest runs from the mise en demeure (C. civ. 1231-6, 1344-1), business creditor column.

const b2cCreditor: CreditorProfile = {
  id: 'cred-plomberie-garnier',
  legalName: 'Plomberie Garnier EURL',
  address: { line1: "8 cours de l'Intendance", postalCode: '33000', city: 'Bordeaux', country: 'FR' },
  siren: '512349879',
  iban: 'FR1420041010050500013M02606',
  bic: 'PSSTFRPPBOR',
  sender: { email: 'factures@plomberie-garnier.example', name: 'Plomberie Garnier' },
  replyTo: 'contact@plomberie-garnier.example',
  accountants: [],
  litigationContact: { name: 'Maître Paul Lemoine', email: 'p.lemoine@lemoine-commissaire.example' },
  contact: { name: 'Marc Garnier', email: 'contact@plomberie-garnier.example', phone: '05 56 00 00 00' },
  category: 'business',
  city: 'Bordeaux',
};

const b2cDebtor: Debtor = {
  kind: 'consumer',
  name: 'Élodie Durand-Lefèvre',
  email: 'elodie.durand@example.org',
  language: 'fr',
  address: { line1: '45 rue Sainte-Catherine', line2: 'Appartement 12', postalCode: '33000', city: 'Bordeaux', country: 'FR' },
};

const b2cInvoice: Invoice = {
  invoiceNumber: 'FAC-2026-031',
  issueDate: '2026-02-10',
  dueDate: '2026-03-12',
  amountCents: 86_000,
  currency: 'EUR',
  description: "Remplacement d'un chauffe-eau 200 L, main-d'œuvre incluse",
};

const C = 86_000;
const b2cPlain = (asOf: IsoDate, paid = 0) => breakdown('b2c', asOf, C, [], paid);

const b2c: SampleDossier = {
  name: 'b2c',
  dossierId: 'AMI-2026-0007',
  creditor: b2cCreditor,
  debtor: b2cDebtor,
  invoice: b2cInvoice,
  notices: {
    first_reminder: { sentAt: '2026-03-19T08:00:00.000Z', breakdown: b2cPlain('2026-03-19') },
    formal_reminder: { sentAt: '2026-04-02T07:00:00.000Z', deadline: '2026-04-13', breakdown: b2cPlain('2026-04-02') },
    formal_notice: {
      // Tuesday 21 April 2026 + 8 days = Wednesday 29 April.
      sentAt: '2026-04-21T07:30:00.000Z',
      deadline: '2026-04-29',
      graceDays: DEFAULT_POLICY.graceDays,
      breakdown: b2cPlain('2026-04-21'),
    },
    litigation_handoff: {
      sentAt: '2026-05-20T07:00:00.000Z',
      breakdown: breakdown('b2c', '2026-05-20', C, [sampleLine('2026-04-22', '2026-05-20', '2.62', C, false, 'Legal interest rate 2026 H1, all other cases (L313-2 CMF)')]),
    },
    payment_receipt: {
      sentAt: '2026-04-24T07:00:00.000Z',
      breakdown: b2cPlain('2026-04-23', 30_000),
      payment: { amountCents: 30_000, paidOn: '2026-04-23', reference: 'CB-88213', balanceCents: 56_000 },
    },
    promise_confirmation: { sentAt: '2026-03-24T08:00:00.000Z', promise: { date: '2026-03-31', amountCents: C }, breakdown: b2cPlain('2026-03-24') },
    payment_plan_confirmation: {
      sentAt: '2026-04-27T07:00:00.000Z',
      breakdown: b2cPlain('2026-04-27', 30_000),
      plan: { instalments: [{ dueDate: '2026-05-15', amountCents: 28_000 }, { dueDate: '2026-06-15', amountCents: 28_000 }] },
    },
    instalment_reminder: { sentAt: '2026-06-11T07:00:00.000Z', instalment: { dueDate: '2026-06-15', amountCents: 28_000 }, breakdown: b2cPlain('2026-06-11', 58_000) },
    dispute_acknowledgment: {
      sentAt: '2026-03-20T08:00:00.000Z',
      breakdown: b2cPlain('2026-03-20'),
      dispute: { id: 'DSP-0113', reason: 'The water heater leaks since installation.' },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Agency: Recouvrement Amiable du Sud-Ouest acts for Transports Garonne; English-speaking debtor
// whose SIREN is not known.

const agencyCreditor: CreditorProfile = {
  id: 'cred-transports-garonne',
  legalName: 'Transports Garonne SA',
  address: { line1: '20 quai de la Daurade', postalCode: '31000', city: 'Toulouse', country: 'FR' },
  siren: '440112233',
  iban: 'FR7610278022000002026470152',
  bic: 'CMCIFR2A',
  paymentLink: 'https://paiement.ras-ouest.example/dossier/AMI-2026-0311',
  sender: { email: 'dossiers@ras-ouest.example', name: 'Recouvrement Amiable du Sud-Ouest' },
  replyTo: 'dossiers@ras-ouest.example',
  accountants: [],
  litigationContact: { name: 'Service juridique Transports Garonne', email: 'juridique@transports-garonne.example' },
  contact: { name: 'Julien Ferrand', email: 'j.ferrand@ras-ouest.example', phone: '+33 5 61 00 00 00' },
  category: 'business',
  city: 'Toulouse',
  agency: {
    legalName: 'Recouvrement Amiable du Sud-Ouest SARL',
    address: { line1: '5 allées Jean Jaurès', postalCode: '31000', city: 'Toulouse', country: 'FR' },
    siren: '901556670',
  },
};

const agencyDebtor: Debtor = {
  kind: 'business',
  name: "Épicerie O'Brien & Cie",
  email: 'accounts@obrien-epicerie.example',
  language: 'en',
  address: { line1: '14 Capel Street', postalCode: 'D01 R2X4', city: 'Dublin', country: 'IE' },
};

const agencyInvoice: Invoice = {
  invoiceNumber: 'TG-2026-0419',
  issueDate: '2026-03-02',
  dueDate: '2026-04-01',
  amountCents: 235_000,
  currency: 'EUR',
  description: 'Refrigerated transport Toulouse – Dublin, 12 pallets',
};

const A = 235_000;
const agencyAt = (asOf: IsoDate, paid = 0) =>
  breakdown('b2b', asOf, A, [sampleLine('2026-04-02', asOf, '12.15', A, false, ECB_26H1)], paid);

const agency: SampleDossier = {
  name: 'agency',
  dossierId: 'AMI-2026-0311',
  creditor: agencyCreditor,
  debtor: agencyDebtor,
  invoice: agencyInvoice,
  agencyFirstLetter: { reference: letterReference('TG-2026-0419', 'first_reminder'), date: '2026-04-09' },
  notices: {
    first_reminder: { sentAt: '2026-04-09T07:00:00.000Z', breakdown: agencyAt('2026-04-09') },
    formal_reminder: { sentAt: '2026-04-23T07:00:00.000Z', deadline: '2026-05-04', breakdown: agencyAt('2026-04-23') },
    formal_notice: { sentAt: '2026-05-12T07:00:00.000Z', deadline: '2026-05-20', graceDays: DEFAULT_POLICY.graceDays, breakdown: agencyAt('2026-05-12') },
    litigation_handoff: { sentAt: '2026-06-02T07:00:00.000Z', breakdown: agencyAt('2026-06-02') },
    payment_receipt: {
      sentAt: '2026-04-28T07:00:00.000Z',
      breakdown: agencyAt('2026-04-27', 50_000),
      payment: { amountCents: 50_000, paidOn: '2026-04-27', reference: 'SEPA-OBR-2704', balanceCents: agencyAt('2026-04-27', 50_000).totalDueCents },
    },
    promise_confirmation: { sentAt: '2026-04-15T07:00:00.000Z', promise: { date: '2026-04-30', amountCents: A }, breakdown: agencyAt('2026-04-15') },
    payment_plan_confirmation: {
      sentAt: '2026-05-05T07:00:00.000Z',
      breakdown: agencyAt('2026-05-05'),
      plan: {
        instalments: [
          { dueDate: '2026-05-29', amountCents: 120_000 },
          { dueDate: '2026-06-30', amountCents: agencyAt('2026-05-05').totalDueCents - 120_000 },
        ],
      },
    },
    instalment_reminder: { sentAt: '2026-05-26T07:00:00.000Z', instalment: { dueDate: '2026-05-29', amountCents: 120_000 }, breakdown: agencyAt('2026-05-26') },
    dispute_acknowledgment: {
      sentAt: '2026-04-14T07:00:00.000Z',
      breakdown: agencyAt('2026-04-14'),
      dispute: { id: 'DSP-0311-1', reason: 'Two pallets arrived damaged <see CMR note #4411> & were refused.' },
    },
  },
};

export const SAMPLE_DOSSIERS: readonly SampleDossier[] = [b2b, b2c, agency];

export function sampleDossier(name: 'b2b' | 'b2c' | 'agency'): SampleDossier {
  const d = SAMPLE_DOSSIERS.find((s) => s.name === name);
  if (!d) throw new Error(`no sample dossier ${name}`);
  return d;
}

/** The context to render `kind` of a sample dossier in `language`. */
export function sampleContext(dossier: SampleDossier, kind: NoticeKind, language: Language = dossier.debtor.language): NoticeContext {
  const n = dossier.notices[kind];
  const { sentAt, breakdown: bd, ...extras } = n;
  return {
    kind,
    language: kind === 'litigation_handoff' ? 'fr' : language,
    creditor: dossier.creditor,
    debtor: dossier.debtor,
    invoice: dossier.invoice,
    dossierId: dossier.dossierId,
    breakdown: bd,
    sentAt,
    ...extras,
    ...(dossier.agencyFirstLetter && kind !== 'first_reminder' ? { agencyFirstLetter: dossier.agencyFirstLetter } : {}),
    ...(kind === 'litigation_handoff' ? { litigation: sampleLitigation(dossier, sentAt, bd) } : {}),
  };
}

/** Every kind of every sample dossier in both languages (the hand-off once, in French). */
export function allSampleContexts(): { dossier: SampleDossier; ctx: NoticeContext }[] {
  const out: { dossier: SampleDossier; ctx: NoticeContext }[] = [];
  for (const dossier of SAMPLE_DOSSIERS) {
    for (const kind of NOTICE_KINDS) {
      const languages: Language[] = kind === 'litigation_handoff' ? ['fr'] : ['fr', 'en'];
      for (const language of languages) out.push({ dossier, ctx: sampleContext(dossier, kind, language) });
    }
  }
  return out;
}

/** Used by tests: the earliest deadline a mise en demeure sent on `sentDate` may carry. */
export function minimumDeadline(sentDate: IsoDate, graceDays = DEFAULT_POLICY.graceDays): IsoDate {
  return addDays(sentDate, graceDays);
}
