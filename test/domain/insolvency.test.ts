import { describe, expect, it } from 'vitest';
import { claimFollowUp, Dossier, markNeedsAttention, newDossier } from '../../lambdas/domain/dossier';
import { claimAtJudgment, declarationDeadline, indemnityDropped, InsolvencyInput, openInsolvency } from '../../lambdas/domain/insolvency';
import type { CreditorProfile, Debtor } from '../../lambdas/domain/model';
import { claimDraftLetter } from '../../lambdas/notices/insolvency-claim';
import { buildLitigationDossier } from '../../lambdas/domain/litigation';
import { renderText } from '../../lambdas/notices/render-text';

const creditor = {
  id: 'c',
  legalName: 'Atelier Lumière SAS',
  address: { line1: '12 rue des Tanneurs', postalCode: '69002', city: 'Lyon', country: 'FR' },
  siren: '732829320',
  category: 'business',
  city: 'Lyon',
  contact: { name: 'Julie Martin', email: 'compta@atelier.example' },
  litigationContact: { name: 'Maître Claire Fontaine', email: 'c@avocats.example' },
} as CreditorProfile;
const debtor: Debtor = {
  kind: 'business',
  name: 'Boulangerie Dupont SARL',
  email: 'compta@dupont.example',
  language: 'fr',
  siren: '732829320',
  address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' },
};
const dossier = (over: Partial<Dossier> = {}, d: Debtor = debtor): Dossier => ({
  ...newDossier({
    id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    creditorId: 'c',
    executionName: 'x',
    now: new Date('2026-03-10T09:00:00Z'),
    invoice: { invoiceNumber: 'F-1', issueDate: '2026-03-04', dueDate: '2026-04-03', amountCents: 125_000, currency: 'EUR' },
    debtor: d,
  }),
  ...over,
});
const judgment: InsolvencyInput = { judgmentDate: '2026-05-18', procedure: 'redressement', court: 'Tribunal de commerce de Paris', mandataire: { name: 'Maître Anne Leroy' } };
const NOW = new Date('2026-05-20T09:00:00Z');

describe('declaration deadline (C. com. L622-24, R622-24)', () => {
  it('is two months from the BODACC publication', () => {
    expect(declarationDeadline({ judgmentDate: '2026-05-18', bodaccPublishedOn: '2026-06-01' })).toMatchObject({ date: '2026-08-01', provisional: false, from: '2026-06-01' });
  });
  it('is counted from the judgment, and provisional, while the publication is unknown (never later than the true one)', () => {
    const d = declarationDeadline({ judgmentDate: '2026-05-18' });
    expect(d).toMatchObject({ date: '2026-07-18', provisional: true, from: '2026-05-18' });
    expect(d.rule).toMatch(/BODACC/);
    expect(declarationDeadline({ judgmentDate: '2026-12-31' }).date).toBe('2027-02-28');
  });
});

describe('the claim at the judgment (L622-28, L441-10 II)', () => {
  it('stops interest at the judgment date whenever it is computed', () => {
    const b = claimAtJudgment(dossier(), creditor, '2026-05-18');
    expect(b.asOf).toBe('2026-05-18');
    expect(b.interest.lines.at(-1)!.to).toBe('2026-05-18');
  });
  it('keeps the 40 EUR of an invoice already late at the judgment, drops it when the judgment forbade paying at the due date', () => {
    expect(indemnityDropped('2026-05-18', '2026-04-03')).toBe(false);
    expect(claimAtJudgment(dossier(), creditor, '2026-05-18').indemnityCents).toBe(4000);
    expect(indemnityDropped('2026-04-03', '2026-04-03')).toBe(true);
    const early = dossier({ invoice: { ...dossier().invoice, dueDate: '2026-06-30' } });
    const b = claimAtJudgment(early, creditor, '2026-05-18');
    expect(b.indemnityCents).toBe(0);
    expect(b.interest.lines).toEqual([]);
    expect(b.totalDueCents).toBe(125_000);
  });
});

describe('openInsolvency', () => {
  it('stops the dossier: no next action, commitments ended, nothing more to the debtor', () => {
    const promised = dossier({
      status: 'promised',
      promises: [{ id: 'prm_1', date: '2026-05-30', amountCents: 125_000, status: 'pending', recordedAt: '2026-05-01T00:00:00Z', checkAt: '2026-06-02T07:00:00Z' } as never],
    });
    const r = openInsolvency(promised, judgment, NOW, 0);
    expect(r.kind).toBe('opened');
    expect(r.dossier).toMatchObject({ status: 'insolvency_proceedings', nextAction: null, sending: null });
    expect(r.dossier.promises![0]!.status).toBe('ended');
    expect(r.dossier.events.at(-1)).toMatchObject({
      type: 'insolvency_opened',
      judgmentDate: '2026-05-18',
      procedure: 'redressement',
      previousStatus: 'promised',
      declarationDeadline: '2026-07-18',
      deadlineProvisional: true,
    });
    expect(claimFollowUp(r.dossier, 'payment_receipt', 't', 0, 1000).kind).toBe('closed');
    expect(claimFollowUp(r.dossier, 'dispute_acknowledgment', 't', 0, 1000).kind).toBe('closed');
    expect(markNeedsAttention(r.dossier, 'bounce', NOW)).toBe(r.dossier);
  });
  it('is idempotent for the same judgment, refuses another, leaves a paid dossier, refuses a consumer', () => {
    const opened = openInsolvency(dossier(), judgment, NOW, 0).dossier;
    expect(openInsolvency(opened, judgment, NOW, 0)).toEqual({ kind: 'already', dossier: opened });
    expect(() => openInsolvency(opened, { ...judgment, judgmentDate: '2026-05-19' }, NOW, 0)).toThrow(/already recorded/);
    const paid = dossier({ status: 'paid' });
    expect(openInsolvency(paid, judgment, NOW, 0)).toEqual({ kind: 'closed', dossier: paid });
    expect(() => openInsolvency(dossier({}, { ...debtor, kind: 'consumer' }), judgment, NOW, 0)).toThrow(/surendettement/);
  });
});

describe('draft declaration of claim', () => {
  it('is addressed to the mandataire and states the amount at the judgment, the rules and the deadline', () => {
    const claim = claimAtJudgment(dossier(), creditor, '2026-05-18');
    const letter = claimDraftLetter({
      creditor,
      debtor,
      invoice: dossier().invoice,
      insolvency: { ...judgment, procedure: 'liquidation', mandataire: { name: 'Maître Anne Leroy', address: '10 rue de Rivoli, 75004 Paris' } },
      claim,
      indemnityDropped: false,
      deadline: declarationDeadline(judgment),
      documents: ['Facture n° F-1'],
      at: NOW.toISOString(),
    });
    const text = renderText(letter).replace(/\s+/g, ' ');
    expect(letter.title).toBe('DÉCLARATION DE CRÉANCE (PROJET)');
    expect(letter.letterhead!.recipient[0]).toBe('Maître Anne Leroy, liquidateur');
    expect(text).toContain('liquidation judiciaire');
    expect(text).toContain('L622-28');
    expect(text).toContain('L641-3');
    expect(text).toContain('18 juillet 2026');
    expect(text).toContain('créance chirographaire');
    expect(text).toContain('40,00');
  });
});

describe('the litigation dossier of an insolvent debtor', () => {
  it('routes to the declaration of claim, with the claim frozen at the judgment and nothing running', () => {
    const opened = openInsolvency(dossier(), judgment, NOW, 0).dossier;
    const later = buildLitigationDossier({ dossier: opened, creditor, at: '2026-09-01T08:00:00.000Z' });
    expect(later.route).toMatchObject({ code: 'claim_declaration', title: 'Déclaration de créance au mandataire judiciaire', court: 'Maître Anne Leroy, mandataire judiciaire' });
    expect(later.route.reason).toMatch(/L622-21/);
    expect(later.claim.interest.lines.at(-1)!.to).toBe('2026-05-18');
    expect(later.claim.due.total).toBe(buildLitigationDossier({ dossier: opened, creditor, at: '2026-05-20T08:00:00.000Z' }).claim.due.total);
    expect(later.interestRunning).toMatchObject({ running: false, perDay: '0.00' });
    expect(later.priorAttempt.conclusion).toMatch(/sans objet/);
  });
});
