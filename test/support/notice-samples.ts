/**
 * Sample dossiers for the demo (scripts/render-notices.ts, `npm run notices`) and the tests, kept
 * out of lambdas/ since no handler uses them: a B2B dossier whose penalties span three half-years
 * (the last one provisional) with a partial payment, a B2C consumer dossier, and a dossier handled
 * by a collection agency.
 *
 * Nothing here is computed by hand: each sample is a timeline (letters sent, payments received)
 * replayed through the real engine — newDossier, completeSend, the settlement rule (recordPayment),
 * breakdownFor, statedDeadline, historyExtras — so every amount, deadline, allocation and reference
 * printed is the one a real send would print on that day.
 */
import { addCalendarDays } from '../../lambdas/domain/calendar';
import { balanceCents, breakdownFor, completeSend, type Dossier, newDossier, policyOf, statedDeadline } from '../../lambdas/domain/dossier';
import type { AmountBreakdown, CreditorProfile, Debtor, DossierEvent, Invoice, IsoDate, Language, Stage } from '../../lambdas/domain/model';
import { recordPayment } from '../../lambdas/domain/settlement';
import { receiptOf } from '../../lambdas/domain/payment-replay';
import { historyExtras } from '../../lambdas/notices/history-extras';
import { addDays, parisDate } from '../../lambdas/notices/format';
import { NOTICE_KINDS, type LitigationHandoff, type NoticeContext, type NoticeKind, type PaymentNotice, type RenderedNotice } from '../../lambdas/notices/types';
import { mimeInputFor } from '../../lambdas/notices/addressing';
import type { ComposeMimeInput } from '../../lambdas/notices/mime';
import { buildLitigationDossier } from '../../lambdas/domain/litigation';
import { describeRecord } from '../../lambdas/notices/evidence-timeline';

/** A letter of the timeline: a stage sent (recorded on the dossier), or a follow-up rendered at that instant. */
type Step =
  | { at: string; send: Stage }
  | { at: string; pay: { amountCents: number; paidOn: IsoDate; reference: string } }
  | { at: string; notice: Exclude<NoticeKind, Stage>; extra?: Partial<Pick<NoticeContext, 'promise' | 'dispute' | 'instalment' | 'resumesOn'>>; plan?: IsoDate[] };

export interface SampleDossier {
  /** Short name used in file names ("b2b", "b2c", "agency"). */
  name: string;
  dossierId: string;
  creditor: CreditorProfile;
  debtor: Debtor;
  invoice: Invoice;
  /** In chronological order; every notice kind appears once. */
  timeline: Step[];
}

// ---------------------------------------------------------------------------------------------
// B2B: Atelier Lumière (Lyon) -> Boulangerie Dupont & Fils (Paris), 4 800,00 €, a partial payment.

const b2b: SampleDossier = {
  name: 'b2b',
  dossierId: 'dos_b2bsampleaaaaaaaaaaaaaaaa',
  creditor: {
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
  },
  debtor: {
    kind: 'business',
    name: 'Boulangerie Dupont & Fils SARL',
    email: 'compta@boulangerie-dupont.example',
    language: 'fr',
    siren: '793456120',
    address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' },
  },
  invoice: {
    invoiceNumber: 'F-2025-0142',
    issueDate: '2025-11-14',
    dueDate: '2025-12-15',
    amountCents: 480_000,
    currency: 'EUR',
    description: "Conception et pose de l'éclairage de la boutique",
  },
  timeline: [
    { at: '2025-12-22T08:00:00.000Z', send: 'first_reminder' },
    {
      at: '2026-01-05T08:00:00.000Z',
      notice: 'dispute_acknowledgment',
      extra: { dispute: { id: 'DSP-0007', reason: "Le luminaire de la vitrine a été livré avec un défaut ;\nnous attendons l'intervention promise avant de payer." } },
    },
    {
      at: '2026-01-07T08:00:00.000Z',
      notice: 'dispute_rejection',
      extra: {
        dispute: {
          id: 'DSP-0007',
          openedOn: '2026-01-05',
          reason: "Le luminaire de la vitrine a été livré avec un défaut ;\nnous attendons l'intervention promise avant de payer.",
          reasons: "Le luminaire a été remplacé le 19 décembre 2025 (bon d'intervention n° 4471 signé par votre gérant) ; l'installation est conforme au devis accepté.",
        },
        resumesOn: '2026-01-12',
      },
    },
    { at: '2026-01-12T08:00:00.000Z', send: 'formal_reminder' },
    { at: '2026-02-02T08:00:00.000Z', notice: 'promise_confirmation', extra: { promise: { date: '2026-02-20', amountCents: 480_000 } } },
    { at: '2026-04-01T07:00:00.000Z', pay: { amountCents: 100_000, paidOn: '2026-03-31', reference: 'VIR-20260331-0077' } },
    { at: '2026-04-01T07:00:00.000Z', notice: 'payment_receipt' },
    { at: '2026-04-08T07:00:00.000Z', notice: 'payment_plan_confirmation', plan: ['2026-04-30', '2026-05-31', '2026-06-30'] },
    { at: '2026-04-27T07:00:00.000Z', notice: 'instalment_reminder' },
    // Sent Friday 10 July 2026; +8 days = Saturday 18 July -> Monday 20 July.
    { at: '2026-07-10T07:00:00.000Z', send: 'formal_notice' },
    { at: '2026-07-27T07:00:00.000Z', send: 'litigation_handoff' },
  ],
};

// ---------------------------------------------------------------------------------------------
// B2C: Plomberie Garnier (Bordeaux) -> a private customer, 860,00 €. No penalties, no indemnity;
// legal interest runs from the mise en demeure (C. civ. 1231-6, 1344-1), business creditor column.

const b2c: SampleDossier = {
  name: 'b2c',
  dossierId: 'dos_b2csampleaaaaaaaaaaaaaaaa',
  creditor: {
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
    consumerMediator: { name: 'Médiateur de la consommation du bâtiment (exemple)', website: 'https://mediation-batiment.example' },
  },
  debtor: {
    kind: 'consumer',
    name: 'Élodie Durand-Lefèvre',
    email: 'elodie.durand@example.org',
    language: 'fr',
    address: { line1: '45 rue Sainte-Catherine', line2: 'Appartement 12', postalCode: '33000', city: 'Bordeaux', country: 'FR' },
  },
  invoice: {
    invoiceNumber: 'FAC-2026-031',
    issueDate: '2026-02-10',
    dueDate: '2026-03-12',
    amountCents: 86_000,
    currency: 'EUR',
    description: "Remplacement d'un chauffe-eau 200 L, main-d'œuvre incluse",
  },
  timeline: [
    { at: '2026-03-19T08:00:00.000Z', send: 'first_reminder' },
    { at: '2026-03-20T08:00:00.000Z', notice: 'dispute_acknowledgment', extra: { dispute: { id: 'DSP-0113', reason: 'The water heater leaks since installation.' } } },
    {
      at: '2026-03-23T08:00:00.000Z',
      notice: 'dispute_rejection',
      extra: {
        dispute: {
          id: 'DSP-0113',
          openedOn: '2026-03-20',
          reason: 'The water heater leaks since installation.',
          reasons: 'Notre technicien est intervenu le 21 mars 2026 : la fuite provenait du robinet d’arrivée d’eau existant, non fourni par nous ; le chauffe-eau est étanche.',
        },
        resumesOn: '2026-03-30',
      },
    },
    { at: '2026-03-24T08:00:00.000Z', notice: 'promise_confirmation', extra: { promise: { date: '2026-03-31', amountCents: 86_000 } } },
    { at: '2026-04-02T07:00:00.000Z', send: 'formal_reminder' },
    // Tuesday 21 April 2026 + 8 days = Wednesday 29 April.
    { at: '2026-04-21T07:30:00.000Z', send: 'formal_notice' },
    { at: '2026-04-24T07:00:00.000Z', pay: { amountCents: 30_000, paidOn: '2026-04-23', reference: 'CB-88213' } },
    { at: '2026-04-24T07:00:00.000Z', notice: 'payment_receipt' },
    { at: '2026-04-27T07:00:00.000Z', notice: 'payment_plan_confirmation', plan: ['2026-05-15', '2026-06-15'] },
    { at: '2026-05-11T07:00:00.000Z', notice: 'instalment_reminder' },
    { at: '2026-05-20T07:00:00.000Z', send: 'litigation_handoff' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Agency: Recouvrement Amiable du Sud-Ouest acts for Transports Garonne; English-speaking debtor
// whose SIREN is not known.

const agency: SampleDossier = {
  name: 'agency',
  dossierId: 'dos_agencysampleaaaaaaaaaaaaa',
  creditor: {
    id: 'cred-transports-garonne',
    legalName: 'Transports Garonne SA',
    address: { line1: '20 quai de la Daurade', postalCode: '31000', city: 'Toulouse', country: 'FR' },
    siren: '440112233',
    iban: 'FR7610278022000002026470152',
    bic: 'CMCIFR2A',
    paymentLink: 'https://paiement.ras-ouest.example/dossier/TG-2026-0419',
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
  },
  debtor: {
    kind: 'business',
    name: "Épicerie O'Brien & Cie",
    email: 'accounts@obrien-epicerie.example',
    language: 'en',
    address: { line1: '14 Capel Street', postalCode: 'D01 R2X4', city: 'Dublin', country: 'IE' },
  },
  invoice: {
    invoiceNumber: 'TG-2026-0419',
    issueDate: '2026-03-02',
    dueDate: '2026-04-01',
    amountCents: 235_000,
    currency: 'EUR',
    description: 'Refrigerated transport Toulouse – Dublin, 12 pallets',
  },
  timeline: [
    { at: '2026-04-09T07:00:00.000Z', send: 'first_reminder' },
    { at: '2026-04-14T07:00:00.000Z', notice: 'dispute_acknowledgment', extra: { dispute: { id: 'DSP-0311-1', reason: 'Two pallets arrived damaged <see CMR note #4411> & were refused.' } } },
    {
      at: '2026-04-14T09:00:00.000Z',
      notice: 'dispute_rejection',
      extra: {
        dispute: {
          id: 'DSP-0311-1',
          openedOn: '2026-04-14',
          reason: 'Two pallets arrived damaged <see CMR note #4411> & were refused.',
          reasons: 'The CMR note #4411 bears no reservation on delivery; the pallets were signed for without remark.',
        },
        resumesOn: '2026-04-21',
      },
    },
    { at: '2026-04-15T07:00:00.000Z', notice: 'promise_confirmation', extra: { promise: { date: '2026-04-30', amountCents: 235_000 } } },
    { at: '2026-04-23T07:00:00.000Z', send: 'formal_reminder' },
    { at: '2026-04-28T07:00:00.000Z', pay: { amountCents: 50_000, paidOn: '2026-04-27', reference: 'SEPA-OBR-2704' } },
    { at: '2026-04-28T07:00:00.000Z', notice: 'payment_receipt' },
    { at: '2026-05-05T07:00:00.000Z', notice: 'payment_plan_confirmation', plan: ['2026-05-29', '2026-06-30'] },
    { at: '2026-05-12T07:00:00.000Z', send: 'formal_notice' },
    { at: '2026-05-26T07:00:00.000Z', notice: 'instalment_reminder' },
    { at: '2026-06-02T07:00:00.000Z', send: 'litigation_handoff' },
  ],
};

export const SAMPLE_DOSSIERS: readonly SampleDossier[] = [b2b, b2c, agency];

export function sampleDossier(name: 'b2b' | 'b2c' | 'agency'): SampleDossier {
  const d = SAMPLE_DOSSIERS.find((s) => s.name === name);
  if (!d) throw new Error(`no sample dossier ${name}`);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Replay through the engine.

const INFO = { messageId: 'sample', evidenceKey: 'sample', sha256: 'sample', to: 'sample@example.com' };

/** Splits `total` into `n` instalments of equal cents, the last one taking the remainder. */
function split(total: number, n: number): number[] {
  const each = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => (i < n - 1 ? each : total - each * (n - 1)));
}

const replays = new Map<SampleDossier, Map<NoticeKind, Omit<NoticeContext, 'language'>>>();

/** Every notice of the sample, as the engine would render it at its instant. */
function replay(sample: SampleDossier): Map<NoticeKind, Omit<NoticeContext, 'language'>> {
  const known = replays.get(sample);
  if (known) return known;
  const out = new Map<NoticeKind, Omit<NoticeContext, 'language'>>();
  let d: Dossier = newDossier({
    id: sample.dossierId,
    creditorId: sample.creditor.id,
    invoice: sample.invoice,
    debtor: sample.debtor,
    executionName: 'sample',
    now: new Date(addCalendarDays(sample.invoice.dueDate, 1) + 'T06:00:00.000Z'),
  });
  let lastReceipt: PaymentNotice | undefined;
  let lastPlan: { dueDate: IsoDate; amountCents: number }[] = [];
  const context = (kind: NoticeKind, at: string, extra: Partial<NoticeContext> = {}): Omit<NoticeContext, 'language'> => ({
    kind,
    creditor: sample.creditor,
    debtor: sample.debtor,
    invoice: sample.invoice,
    dossierId: sample.dossierId,
    breakdown: breakdownFor(d, sample.creditor, parisDate(at)),
    sentAt: at,
    ...historyExtras(d, sample.creditor, kind),
    ...extra,
  });
  for (const step of sample.timeline) {
    const now = new Date(step.at);
    if ('send' in step) {
      const deadline = statedDeadline(d, step.send, now) ?? d.deadline ?? undefined;
      out.set(step.send, context(step.send, step.at, { ...(deadline ? { deadline } : {}), ...(step.send === 'formal_notice' ? { graceDays: policyOf(d).graceDays } : {}) }));
      d = completeSend({ ...d, sending: { stage: step.send, token: 'sample', leaseUntil: 0 } }, step.send, 'sample', now, INFO);
    } else if ('pay' in step) {
      const r = recordPayment(d, step.pay, now, 0, sample.creditor);
      if (r.kind !== 'recorded') throw new Error(`sample ${sample.name}: payment ${step.pay.reference} not recorded`);
      d = r.dossier;
      lastReceipt = receiptOf(step.pay, r.settlement);
    } else if (step.notice === 'payment_receipt') {
      out.set('payment_receipt', context('payment_receipt', step.at, { payment: lastReceipt }));
    } else if (step.notice === 'payment_plan_confirmation') {
      const dates = step.plan ?? [];
      lastPlan = split(balanceCents(d), dates.length).map((amountCents, i) => ({ dueDate: dates[i]!, amountCents }));
      out.set('payment_plan_confirmation', context('payment_plan_confirmation', step.at, { plan: { instalments: lastPlan } }));
    } else if (step.notice === 'instalment_reminder') {
      const next = lastPlan.find((i) => i.dueDate >= parisDate(step.at)) ?? lastPlan[0]!;
      out.set('instalment_reminder', context('instalment_reminder', step.at, { instalment: next }));
    } else {
      out.set(step.notice, context(step.notice, step.at, step.extra));
    }
  }
  for (const kind of NOTICE_KINDS) if (!out.has(kind)) throw new Error(`sample ${sample.name} has no ${kind}`);
  replays.set(sample, out);
  return out;
}

/** The context to render `kind` of a sample dossier in `language`. */
export function sampleContext(dossier: SampleDossier, kind: NoticeKind, language: Language = dossier.debtor.language): NoticeContext {
  const replayed = replay(dossier);
  const ctx = replayed.get(kind)!;
  // The hand-off carries the litigation dossier built from the same replayed timeline.
  const litigation = kind === 'litigation_handoff' ? { litigation: sampleLitigation(dossier, (stage) => replayed.get(stage)!.sentAt, ctx.sentAt, ctx.breakdown) } : {};
  return structuredClone({ ...ctx, ...litigation, language: kind === 'litigation_handoff' ? 'fr' : language });
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

/**
 * The composeMime input of a rendered sample notice, through production's addressing
 * (notices/addressing.ts); the slot is the kind, as a stage's first sending is named in production.
 */
export function sampleMimeInput(ctx: NoticeContext, rendered: RenderedNotice, domain = ctx.creditor.sender.email.split('@').pop() ?? 'amiable.example'): ComposeMimeInput {
  return mimeInputFor({ dossierId: ctx.dossierId, debtor: ctx.debtor, creditor: ctx.creditor, slot: ctx.kind, sentAt: ctx.sentAt, domain, rendered });
}

// ---------------------------------------------------------------------------------------------
// The litigation part of the sample hand-offs: each sample dossier replayed as the workflow would
// have recorded it (invoice received, the three notices delivered, the payments its breakdown
// shows), then established for counsel by the same pure code as in production, with a placeholder
// bundle link.

/** `sentAtOf` gives when each earlier stage went out in the sample's replayed timeline. */
function sampleLitigation(sample: SampleDossier, sentAtOf: (stage: 'first_reminder' | 'formal_reminder' | 'formal_notice') => string, sentAt: string, breakdown: AmountBreakdown): LitigationHandoff {
  const id = 'dos_samplesamplesamplesample'.slice(0, 30);
  const base = newDossier({
    id,
    creditorId: sample.creditor.id,
    executionName: 'sample',
    now: new Date(`${sample.invoice.issueDate}T09:00:00.000Z`),
    invoice: sample.invoice,
    debtor: sample.debtor,
    received: { evidenceKey: `dossiers/${id}/invoice/received.json`, sha256: '1'.repeat(64) },
  });
  const events: DossierEvent[] = [...base.events];
  (['first_reminder', 'formal_reminder', 'formal_notice'] as const).forEach((stage, i) => {
    const at = sentAtOf(stage);
    const messageId = `sample-${i + 1}`;
    events.push(
      { type: 'notice_sent', at, stage, messageId, to: sample.debtor.email, evidenceKey: `dossiers/${id}/notices/${stage}/${i + 1}.eml`, sha256: String(i + 2).repeat(64) },
      { type: 'email_delivered', at: new Date(Date.parse(at) + 5000).toISOString(), messageId, recipient: sample.debtor.email, evidenceKey: `dossiers/${id}/delivery/${i + 1}.json`, sha256: String(i + 5).repeat(64) },
    );
  });
  // The payments the sample's breakdown counts: the day before the first line on a lower basis.
  const lower = breakdown.interest.lines.find((l) => l.basisCents < breakdown.principalCents);
  const paidOn = lower ? addDays(lower.from, -1) : addDays(sample.invoice.dueDate, 1);
  const payments = breakdown.paidCents > 0 ? [{ reference: 'VIR-SAMPLE', amountCents: breakdown.paidCents, paidOn, recordedAt: `${paidOn}T10:00:00.000Z` }] : [];
  const dossier: Dossier = { ...base, events, payments, status: 'active', stage: 'formal_notice' };
  const ld = buildLitigationDossier({ dossier, creditor: sample.creditor, at: sentAt, describe: (fact) => describeRecord({ type: fact.type, fact }) });
  return {
    dossier: ld,
    bundle: {
      url: 'https://vault.example/bundles/sample.zip?X-Amz-Expires=900',
      expiresAt: new Date(Date.parse(sentAt) + 900_000).toISOString(),
      head: { seq: events.length, hash: 'c'.repeat(64) },
    },
  };
}
