import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { breakdownInputFor, Dossier, newDossier } from '../../lambdas/domain/dossier';
import { computeBreakdown } from '../../lambdas/domain/breakdown';
import { debtorPlace, priorAttempt, recommendRoute, RouteInput } from '../../lambdas/domain/court-route';
import { factDocument, factKey } from '../../lambdas/domain/evidence-chain';
import { sha256Hex } from '../../lambdas/domain/identity';
import { buildLitigationDossier, LitigationDossier } from '../../lambdas/domain/litigation';
import type { CreditorProfile, Debtor, DossierEvent } from '../../lambdas/domain/model';
import { addDays } from '../../lambdas/domain/epoch-days';

const creditor: CreditorProfile = {
  id: 'demo-creditor',
  legalName: 'Atelier Lumière SAS',
  address: { line1: '12 rue des Tanneurs', postalCode: '69002', city: 'Lyon', country: 'FR' },
  siren: '732829320',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPPXXX',
  sender: { email: 'relances@atelier-lumiere.example', name: 'Atelier Lumière' },
  replyTo: 'compta@atelier-lumiere.example',
  accountants: ['expert@cabinet.example'],
  litigationContact: { name: 'Maître Claire Fontaine', email: 'contentieux@fontaine-avocats.example' },
  contact: { name: 'Julie Martin', email: 'compta@atelier-lumiere.example' },
  category: 'business',
  city: 'Lyon',
};

const parisTrader: Debtor = {
  kind: 'business',
  name: 'Boulangerie Dupont SARL',
  email: 'compta@dupont.example',
  language: 'fr',
  siren: '732829320',
  address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' },
};
const consumer: Debtor = { ...parisTrader, kind: 'consumer', name: 'Élodie Durand', siren: undefined, address: { line1: '45 rue Sainte-Catherine', postalCode: '33000', city: 'Bordeaux', country: 'FR' } };
const dublin: Debtor = { ...parisTrader, name: 'Liffey Bakery Ltd', siren: undefined, language: 'en', address: { line1: '1 Grafton Street', postalCode: 'D02 X285', city: 'Dublin', country: 'IE' } };
const geneva: Debtor = { ...dublin, name: 'Boulangerie du Lac SA', address: { line1: '1 quai du Mont-Blanc', postalCode: '1201', city: 'Genève', country: 'CH' } };
const newYork: Debtor = { ...dublin, name: 'Hudson Bakery Inc', address: { line1: '1 Broadway', postalCode: '10004', city: 'New York', country: 'US' } };
const copenhagen: Debtor = { ...dublin, name: 'Nyhavn Bageri ApS', address: { line1: 'Nyhavn 1', postalCode: '1051', city: 'København', country: 'DK' } };

const DUE = '2026-04-03';

/** A dossier handed off after the full escalation: three notices (two delivered), as the workflow records them. */
function dossier(debtor: Debtor, amountCents: number, extra: DossierEvent[] = []): Dossier {
  const d = newDossier({
    id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    creditorId: creditor.id,
    executionName: 'dun-x',
    now: new Date('2026-03-10T09:00:00Z'),
    invoice: { invoiceNumber: 'F-2026-0042', issueDate: '2026-03-04', dueDate: DUE, amountCents, currency: 'EUR', description: 'Prestation de conseil, mars 2026' },
    debtor,
    received: { evidenceKey: 'dossiers/dos_aaaaaaaaaaaaaaaaaaaaaaaaaa/invoice/received.json', sha256: 'a'.repeat(64) },
  });
  const notice = (stage: string, at: string, n: number): DossierEvent => ({
    type: 'notice_sent',
    at,
    stage: stage as DossierEvent['stage'],
    messageId: `ses-${n}`,
    to: debtor.email,
    evidenceKey: `dossiers/${d.id}/notices/${stage}/${n}.eml`,
    sha256: String(n).repeat(64),
  });
  const events: DossierEvent[] = [
    ...d.events,
    notice('first_reminder', '2026-04-07T07:00:00.000Z', 1),
    { type: 'email_delivered', at: '2026-04-07T07:00:05.000Z', messageId: 'ses-1', recipient: debtor.email, evidenceKey: `dossiers/${d.id}/delivery/e1.json`, sha256: 'd'.repeat(64) },
    notice('formal_reminder', '2026-04-20T07:00:00.000Z', 2),
    notice('formal_notice', '2026-05-04T07:00:00.000Z', 3),
    { type: 'email_delivered', at: '2026-05-04T07:00:05.000Z', messageId: 'ses-3', recipient: debtor.email, evidenceKey: `dossiers/${d.id}/delivery/e3.json`, sha256: 'e'.repeat(64) },
    ...extra,
  ];
  return { ...d, events, stage: 'formal_notice', status: 'active' };
}

const AT = '2026-05-13T07:00:00.000Z';
const build = (d: Dossier, c: CreditorProfile = creditor, at = AT) => buildLitigationDossier({ dossier: d, creditor: c, at });
const cents = (s: string) => Math.round(Number(s) * 100);

/**
 * Finds an invoice amount and a hand-off day (13 May 2026 or a few days later) whose claim is
 * exactly `target` (by bisection: the claim grows with the amount; it may step by 2 cents, hence
 * the other days).
 */
function amountForTotal(target: number, debtor: Debtor = parisTrader): { amount: number; at: string; ld: LitigationDossier } {
  for (let k = 0; k < 10; k++) {
    const asOf = addDays('2026-05-13', k);
    const total = (amount: number) => computeBreakdown(breakdownInputFor(dossier(debtor, amount), creditor, asOf)).totalDueCents;
    let lo = target - 20_000;
    let hi = target;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (total(mid) >= target) hi = mid;
      else lo = mid;
    }
    if (total(hi) === target) {
      const at = `${asOf}T07:00:00.000Z`;
      return { amount: hi, at, ld: build(dossier(debtor, hi), creditor, at) };
    }
  }
  throw new Error(`no amount gives ${target}`);
}

describe('court route at the 5,000 EUR small-claims limit, accessories included (CPCE R125-1)', () => {
  it.each([
    [499_999, 'small_claims'],
    [500_000, 'small_claims'],
    [500_001, 'injonction_de_payer'],
  ])('a claim of %i cents (principal + penalties + 40 EUR) goes to %s', (target, code) => {
    const { amount, ld } = amountForTotal(target);
    // The principal alone is well under the limit: the accessories decide.
    expect(amount).toBeLessThan(500_000 - 4000);
    expect(cents(ld.claim.due.principal) + cents(ld.claim.due.interest) + cents(ld.claim.due.indemnity)).toBe(target);
    expect(ld.claim.due.indemnity).toBe('40.00');
    expect(ld.route.code).toBe(code);
    expect(ld.route.thresholds[0]).toMatchObject({ within: code === 'small_claims', limit: '5\u202f000,00\u00a0€' });
    expect(ld.route.rule).toMatch(/R125-1/);
    expect(ld.route.rule).toMatch(/principal restant dû \+ intérêts ou pénalités échus \+ indemnité forfaitaire de 40 €/);
  });

  it('4,999.99 today crosses the limit as interest runs: the dossier names the day', () => {
    for (const target of [499_999, 500_000]) {
      const { ld } = amountForTotal(target);
      expect(ld.route.smallClaimsLimitCrossedOn).toBe(addDays(ld.asOf, 1));
    }
    expect(build(dossier(parisTrader, 100_000)).route.smallClaimsLimitCrossedOn).toBeNull();
  });

  it('property: small claims iff the claim with its accessories is at most 5,000.00 EUR, for a debtor in France', () => {
    fc.assert(
      fc.property(fc.integer({ min: 480_000, max: 510_000 }), fc.integer({ min: 0, max: 200 }), (amount, daysAfter) => {
        const at = new Date(Date.parse(AT) + daysAfter * 86_400_000).toISOString();
        const ld = build(dossier(parisTrader, amount), creditor, at);
        const total = cents(ld.claim.due.total);
        expect(ld.route.code).toBe(total <= 500_000 ? 'small_claims' : 'injonction_de_payer');
        expect(ld.route.thresholds[0]!.within).toBe(total <= 500_000);
      }),
      { numRuns: 60 },
    );
  });

  it('recommendRoute alone, on either side of the limit', () => {
    const input = (total: number): RouteInput => ({ debtor: parisTrader, asOf: '2026-05-13', principalDueCents: 400_000, totalDueCents: total });
    expect(recommendRoute(input(499_999)).code).toBe('small_claims');
    expect(recommendRoute(input(500_000)).code).toBe('small_claims');
    expect(recommendRoute(input(500_001)).code).toBe('injonction_de_payer');
  });
});

describe('court route by debtor', () => {
  it('trader in Paris, over 5,000 EUR: injonction de payer before the TAE de Paris (on trial), Cerfa 12946', () => {
    const ld = build(dossier(parisTrader, 800_000));
    expect(ld.route.code).toBe('injonction_de_payer');
    expect(ld.route.court).toMatch(/tribunal des activités économiques de Paris/);
    expect(ld.route.court).toMatch(/1er janvier 2025 au 31 décembre 2028/);
    expect(ld.route.court).toMatch(/art\. 1406 CPC/);
    expect(ld.route.form).toMatch(/Cerfa n° 12946/);
    expect(ld.route.filing).toMatch(/greffe/);
    expect(ld.route.filing).toMatch(/art\. 1407 CPC/);
    expect(ld.priorAttempt.conclusion).toMatch(/supérieur à 5 000 €/);
  });

  it('trader elsewhere: the commercial court of the place; before 2025 no TAE; Alsace-Moselle and overseas have their own', () => {
    const lille = { ...parisTrader, address: { ...parisTrader.address, postalCode: '59000', city: 'Lille' } };
    const route = (debtor: Debtor, asOf = '2026-05-13') => recommendRoute({ debtor, asOf, principalDueCents: 900_000, totalDueCents: 900_000 });
    expect(route(lille).court).toMatch(/^Président du tribunal de commerce du lieu où demeure le débiteur \(Lille/);
    expect(route(lille).court).not.toMatch(/activités économiques/);
    expect(route(parisTrader, '2024-12-31').court).not.toMatch(/activités économiques/);
    const lyon = { ...parisTrader, address: { ...parisTrader.address, postalCode: '69003', city: 'Lyon' } };
    expect(route(lyon).court).toMatch(/tribunal des activités économiques de Lyon.*vérifier le ressort/);
    const strasbourg = { ...parisTrader, address: { ...parisTrader.address, postalCode: '67000', city: 'Strasbourg' } };
    expect(route(strasbourg).court).toMatch(/chambre commerciale du tribunal judiciaire/);
    const reunion = { ...parisTrader, address: { ...parisTrader.address, postalCode: '97400', city: 'Saint-Denis' } };
    expect(route(reunion).court).toMatch(/tribunal mixte de commerce/);
  });

  it('consumer: tribunal judiciaire (Cerfa 12948*06) or the JCP; no indemnity; legal interest from the mise en demeure', () => {
    const ld = build(dossier(consumer, 800_000));
    expect(ld.route.code).toBe('injonction_de_payer');
    expect(ld.route.court).toMatch(/^Président du tribunal judiciaire du lieu où demeure le débiteur \(Bordeaux/);
    expect(ld.route.form).toMatch(/12948\*06/);
    expect(ld.route.form).toMatch(/16040\*01/);
    expect(ld.claim.regime).toBe('b2c');
    expect(ld.claim.indemnity.amount).toBe('0.00');
    expect(ld.claim.interest.basis).toBe('legal');
    expect(ld.claim.interest.lines[0]!.from).toBe('2026-05-05'); // the day after the mise en demeure of 4 May
    expect(ld.claim.interest.lines[0]!.source).toMatch(/intérêt légal du 1er semestre 2026, colonne « autres cas »/);
    expect(ld.prescription).toMatchObject({ years: 2, startsOn: '2026-03-04', prescribesOn: '2028-03-04' });
    expect(ld.prescription.article).toMatch(/L218-2/);
    expect(build(dossier(consumer, 300_000)).route.code).toBe('small_claims');
  });

  it('EU debtor (Dublin): European order for payment, with the European small claims alternative measured on the principal alone', () => {
    // Principal 4,990.00 EUR: with penalties and 40 EUR the claim is over 5,000 EUR, the principal is not.
    const ld = build(dossier(dublin, 499_000));
    expect(cents(ld.claim.due.total)).toBeGreaterThan(500_000);
    expect(ld.route.code).toBe('european_order_for_payment');
    expect(ld.route.title).toMatch(/1896\/2006/);
    expect(ld.route.reason).toMatch(/Irlande/);
    expect(ld.route.form).toMatch(/Formulaire type A/);
    expect(ld.route.court).toMatch(/1215\/2012/);
    expect(ld.route.alternatives.map((a) => a.code)).toEqual(['european_small_claims']);
    expect(ld.route.thresholds[0]).toMatchObject({ basis: expect.stringMatching(/hors intérêts/), within: true });
    // Never the French commercial court nor the French small-claims procedure for a debtor abroad.
    expect(JSON.stringify(ld.route)).not.toMatch(/tribunal de commerce du lieu|petites créances \(commissaire/);
    expect(build(dossier(dublin, 600_000)).route.alternatives).toEqual([]);
    // A consumer abroad is sued where he lives only.
    expect(build(dossier({ ...dublin, kind: 'consumer' }, 100_000)).route.court).toMatch(/seules compétentes/);
  });

  it('outside the EU (Geneva, New York) and Denmark: route to decide with counsel, saying why', () => {
    for (const [debtor, why] of [
      [geneva, /Lugano/],
      [newYork, /États-Unis/],
      [copenhagen, /Danemark/],
    ] as const) {
      const ld = build(dossier(debtor, 100_000));
      expect(ld.route.code).toBe('counsel');
      expect(ld.route.title).toBe('Voie à décider avec le conseil');
      expect(ld.route.reason).toMatch(why);
      expect(ld.route.court).toBeNull();
      expect(ld.prescription.notes.join(' ')).toMatch(/hors de France/);
    }
    expect(debtorPlace({ country: 'DK', postalCode: '1051' })).toEqual({ kind: 'outside', country: 'DK', why: 'denmark' });
    expect(debtorPlace({ country: 'GP', postalCode: '97110' })).toMatchObject({ kind: 'france', area: 'outre_mer' });
    expect(debtorPlace({ country: 'FR', postalCode: '98800' })).toMatchObject({ kind: 'outside', why: 'french_oct' });
  });
});

describe('CPC 750-1, stated accurately', () => {
  it('says what it requires, what does not satisfy it, what it does not cover, and its exemptions', () => {
    const ld = build(dossier(parisTrader, 100_000));
    const text = ld.priorAttempt.statements.join('\n');
    expect(text).toMatch(/n'excédant pas 5 000 €/);
    expect(text).toMatch(/conciliateur de justice/);
    expect(text).toMatch(/médiation/);
    expect(text).toMatch(/procédure participative/);
    expect(text).toMatch(/irrecevabilité/);
    expect(text).toMatch(/relances et la mise en demeure .* ne constituent pas/);
    expect(text).toMatch(/ne s'applique pas à la requête en injonction de payer/);
    expect(text).toMatch(/vainement engagé la procédure simplifiée/);
    expect(ld.priorAttempt.requiredForRecommendedRoute).toBe(false);
    expect(ld.priorAttempt.conclusion).toMatch(/aucune tentative préalable n'est exigée/);
    const ip = recommendRoute({ debtor: parisTrader, asOf: '2026-05-13', principalDueCents: 1, totalDueCents: 600_000 });
    expect(priorAttempt(ip, 600_000).conclusion).toMatch(/ne s'applique pas/);
  });
});

describe('the claim, what runs, prescription, documents and timeline', () => {
  const d = dossier(parisTrader, 125_000, [
    { type: 'payment_recorded', at: '2026-05-06T10:00:00.000Z', amount: '250.00', paidOn: '2026-05-06', reference: 'VIR-1', balance: '1000.00' },
  ]);
  const withPayment: Dossier = { ...d, payments: [{ reference: 'VIR-1', amountCents: 25_000, paidOn: '2026-05-06', recordedAt: '2026-05-06T10:00:00.000Z' }] };
  const ld = build(withPayment);

  it('breaks the claim down with French sources, the indemnity and each payment with its allocation', () => {
    expect(ld.creditorReference).toBe('F-2026-0042');
    expect(ld.asOf).toBe('2026-05-13');
    expect(ld.claim.principal).toBe('1250.00');
    expect(ld.claim.interest.lines.map((l) => [l.from, l.to, l.basisAmount])).toEqual([
      ['2026-04-04', '2026-05-06', '1250.00'],
      ['2026-05-07', '2026-05-13', '1000.00'],
    ]);
    expect(ld.claim.interest.lines[0]!.source).toMatch(/^Taux de refinancement de la BCE en vigueur au 1er janvier 2026 \(2,15 %\) majoré de 10 points \(art\. L441-10 II C\. com\.\)$/);
    expect(ld.claim.indemnity).toMatchObject({ amount: '40.00', article: 'art. L441-10 II et D441-5 C. com.' });
    expect(ld.claim.payments).toEqual([{ paidOn: '2026-05-06', amount: '250.00', reference: 'VIR-1', allocated: { principal: '250.00', interest: '0.00', indemnity: '0.00', unallocated: '0.00' } }]);
    const due = ld.claim.due;
    expect(cents(due.total)).toBe(cents(due.principal) + cents(due.interest) + cents(due.indemnity));
    expect(due.principal).toBe('1000.00');
  });

  it('says what keeps running: rate, basis and the amount per day', () => {
    expect(ld.interestRunning).toMatchObject({ running: true, basis: 'l441-10', ratePercent: '12.15', basisAmount: '1000.00', perDay: '0.33' });
    expect(ld.interestRunning.note).toMatch(/0,33\u00a0€ par jour/);
  });

  it('runs prescription from the invoice date (performance), not the due date, and says why', () => {
    expect(ld.prescription).toMatchObject({ startsOn: '2026-03-04', prescribesOn: '2031-03-04', years: 5, level: 'ok' });
    expect(ld.prescription.startingPoint).toMatch(/18-25\.036/);
    expect(ld.prescription.startingPoint).toMatch(/L441-9/);
    expect(ld.prescription.notes.join(' ')).toMatch(/20-23\.204/);
    expect(ld.prescription.notes.join(' ')).toMatch(/1 paiement\(s\) partiel\(s\) reçu\(s\)/);
    const acknowledged = build({ ...withPayment, acknowledgments: [{ on: '2026-04-20', source: 'payment_plan', ref: 'pln_1' }] });
    expect(acknowledged.prescription).toMatchObject({ startsOn: '2026-04-20', prescribesOn: '2031-04-20', acknowledgedOn: ['2026-04-20'] });
  });

  it('lists the documents to file, each with its evidence record, and the proofs of sending and delivery', () => {
    expect(ld.documents.map((x) => [x.n, x.category])).toEqual([
      [1, 'invoice'],
      [2, 'contract'],
      [3, 'reminder'],
      [4, 'reminder'],
      [5, 'formal_notice'],
      [6, 'payment'],
    ]);
    expect(ld.documents[0]!.evidence).toMatchObject({ seq: 1, type: 'created', key: 'dossiers/dos_aaaaaaaaaaaaaaaaaaaaaaaaaa/invoice/received.json', sha256: 'a'.repeat(64) });
    expect(ld.documents[1]).toMatchObject({ evidence: null, toProvideByCreditor: true, note: 'Objet de la facture : Prestation de conseil, mars 2026' });
    const notice = ld.documents[4]!;
    expect(notice.evidence).toMatchObject({ seq: 5, sha256: '3'.repeat(64) });
    expect(notice.proofs.map((p) => [p.kind, p.seq])).toEqual([
      ['sending', 5],
      ['delivery', 6],
    ]);
    expect(ld.documents[3]!.proofs.map((p) => p.kind)).toEqual(['sending']);
    expect(ld.documents[3]!.note).toMatch(/Aucun accusé de remise/);
    // A fact without an object of its own: the canonical fact document, as the log stores it.
    const payment = ld.documents[5]!.evidence!;
    expect(payment.key).toBe(factKey(d.id, 7, 'payment_recorded'));
    expect(payment.sha256).toBe(sha256Hex(factDocument(d.id, 7, d.events[6]!)));
  });

  it('prefers the evidence log when given', () => {
    const records = d.events.map((fact, i) => ({
      seq: i + 1, type: fact.type, at: fact.at, sha256: 'f'.repeat(64), key: `k/${i + 1}`, versionId: null, retainUntil: null, fact, prevHash: '0'.repeat(64), hash: String(i).repeat(64).slice(0, 64),
    }));
    const fromLog = buildLitigationDossier({ dossier: withPayment, creditor, at: AT, records, describe: (e) => `libellé ${e.type}` });
    expect(fromLog.documents[5]!.evidence).toMatchObject({ seq: 7, key: 'k/7', sha256: 'f'.repeat(64) });
    expect(fromLog.evidenceHead).toEqual({ seq: 7, hash: records[6]!.hash });
    expect(fromLog.timeline.map((t) => [t.seq, t.label])).toEqual(d.events.map((e, i) => [i + 1, `libellé ${e.type}`]));
  });

  it('is deterministic and speaks French (no English calculation note)', () => {
    expect(build(withPayment)).toEqual(ld);
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk([ld.claim.method, ld.claim.interest, ld.claim.indemnity, ld.interestRunning, ld.prescription, ld.route, ld.priorAttempt, ld.documents.map((x) => [x.title, x.note])]);
    const text = strings.join('\n');
    expect(text).not.toMatch(/\b(the|and|from|payment|penalties|Day count|rounded)\b/);
  });
});

describe('special debtors in the litigation dossier', () => {
  it('a public buyer (segment public-sector): administrative court, moratory interest at ECB + 8 fixed, the CCP indemnity, the four-year rule', () => {
    const commune: Debtor = { ...parisTrader, name: 'Commune de Villeurbanne', segment: 'public-sector', address: { line1: 'Place Lazare-Goujon', postalCode: '69100', city: 'Villeurbanne', country: 'FR' } };
    const ld = build(dossier(commune, 125_000));
    expect(ld.route.code).toBe('administrative_court');
    expect(ld.route.rule).toMatch(/R541-1 CJA/);
    expect(ld.route.rule).toMatch(/L911-9 CJA/);
    expect(ld.parties.debtor.categoryLabel).toBe('acheteur public (personne publique)');
    expect(ld.claim.interest.basis).toBe('ccp-l2192-13');
    // ECB rate in force on 1 Jan 2026 (2.15 %) + 8 points, the same on every line.
    expect(new Set(ld.claim.interest.lines.map((l) => l.ratePercent))).toEqual(new Set(['10.15']));
    expect(ld.claim.interest.lines[0]!.source).toMatch(/majoré de 8 points, fixe pour tout le retard \(art\. L2192-13 et R2192-31 CCP\)/);
    expect(ld.claim.indemnity).toMatchObject({ amount: '40.00', article: 'art. L2192-13 et D2192-35 CCP' });
    expect(ld.interestRunning).toMatchObject({ running: true, basis: 'ccp-l2192-13', ratePercent: '10.15' });
    expect(ld.prescription).toMatchObject({ years: 4 });
    expect(ld.prescription.article).toMatch(/68-1250/);
    expect(ld.priorAttempt.conclusion).toMatch(/ne s'applique pas devant le juge administratif/);
    expect(JSON.stringify(ld)).not.toMatch(/Cerfa|injonction de payer \(/);
  });

  it('a performance date moves the start of prescription and the dossier says so', () => {
    const d = dossier(parisTrader, 125_000);
    const ld = build({ ...d, invoice: { ...d.invoice, performanceDate: '2026-02-10' } });
    expect(ld.prescription).toMatchObject({ startsOn: '2026-02-10', prescribesOn: '2031-02-10', years: 5 });
    expect(ld.prescription.startingPoint).toMatch(/le 2026-02-10/);
    expect(ld.prescription.startingPoint).toMatch(/20-12\.520/);
  });
});
