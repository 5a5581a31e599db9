import { describe, expect, it } from 'vitest';
import { claimSend, completeSend, Dossier, newDossier } from '../../lambdas/domain/dossier';
import { recordPayment } from '../../lambdas/domain/settlement';
import { dossierSummary } from '../../lambdas/domain/dossier-summary';
import { localDate } from '../../lambdas/domain/calendar';
import { buildReport, dsoOf, evidenceRoot, ledgerAt, ReportSources } from '../../lambdas/domain/report';
import { sha256Hex } from '../../lambdas/domain/identity';

const clock = { dateOf: (at: string) => localDate(at, 'Europe/Paris') };

function dossier(n: number, dueDate: string, amountCents: number, createdAt: string): Dossier {
  return newDossier({
    id: `dos_${String(n).padStart(26, 'a')}`.slice(0, 30),
    creditorId: 'c',
    executionName: `x${n}`,
    now: new Date(createdAt),
    invoice: { invoiceNumber: `F-${n}`, issueDate: '2026-01-01', dueDate, amountCents, currency: 'EUR' },
    debtor: { kind: 'business', name: `Debtor ${n}`, email: `d${n}@example.com`, language: 'fr', address: { line1: 'l', postalCode: '75001', city: 'Paris', country: 'FR' } },
  });
}

const sent = { messageId: 'm', to: 'd@example.com', evidenceKey: 'k', sha256: '0'.repeat(64), retainUntil: '2036-01-01T00:00:00.000Z' };

function send(d: Dossier, at: string): Dossier {
  const claimed = claimSend(d, d.nextAction!.stage as any, 't', 0, 1000);
  if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
  return completeSend(claimed.dossier, d.nextAction!.stage as any, 't', new Date(at), sent);
}

function pay(d: Dossier, cents: number, paidOn: string, at: string, ref: string): Dossier {
  const r = recordPayment(d, { amountCents: cents, paidOn, reference: ref }, new Date(at), 0);
  return r.dossier;
}

function sources(over: Partial<ReportSources>): ReportSources {
  return {
    creditorId: 'c',
    asOf: '2026-05-06',
    since: '2026-05-05T05:30:00.000Z',
    until: '2026-05-06T05:30:00.000Z',
    builtAt: '2026-05-06T05:30:00.000Z',
    nextUntil: '2026-05-07T22:00:00.000Z',
    openSummaries: [],
    full: [],
    readFrom: '2026-05-04T22:00:00.000Z',
    tasks: [],
    receivables: [],
    deferredAlerts: [],
    ...over,
  };
}

describe('ledgerAt: the dossier replayed at an instant', () => {
  it('agrees with the stored state after each change, and with the past before it', () => {
    let d = dossier(1, '2026-04-03', 100_000, '2026-04-04T10:00:00.000Z');
    expect(ledgerAt(d, '2026-04-04T09:59:59.999Z').exists).toBe(false);
    const created = ledgerAt(d, '2026-04-04T10:00:00.000Z');
    expect(created).toMatchObject({ exists: true, open: true, balanceCents: 100_000, stage: null });
    d = send(d, '2026-04-07T07:00:00.000Z');
    d = pay(d, 30_000, '2026-04-10', '2026-04-10T12:00:00.000Z', 'P1');
    d = pay(d, 70_000, '2026-04-12', '2026-04-13T08:00:00.000Z', 'P2');
    expect(d.status).toBe('paid');
    expect(ledgerAt(d, '2026-04-13T08:00:00.000Z')).toMatchObject({ open: false, balanceCents: 0, stage: 'first_reminder' });
    expect(ledgerAt(d, '2026-04-11T00:00:00.000Z')).toMatchObject({ open: true, balanceCents: 70_000, stage: 'first_reminder', payments: [{ amountCents: 30_000, paidOn: '2026-04-10' }] });
    expect(ledgerAt(d, '2026-04-07T06:59:00.000Z')).toMatchObject({ open: true, balanceCents: 100_000, stage: null });
  });
});

describe('buildReport', () => {
  it('gives the same figures from summaries (unchanged dossiers) and from full dossiers, cent for cent', () => {
    const ds = [
      dossier(1, '2026-05-10', 12_345, '2026-04-01T08:00:00.000Z'), // not yet due
      dossier(2, '2026-04-20', 50_000, '2026-04-21T08:00:00.000Z'), // 16 days
      dossier(3, '2026-02-01', 99_999, '2026-02-02T08:00:00.000Z'), // 94 days
    ];
    const fromSummaries = buildReport(sources({ openSummaries: ds.map(dossierSummary) }), clock).report;
    const fromFull = buildReport(sources({ openSummaries: ds.map(dossierSummary), full: ds, readFrom: '2026-01-01T00:00:00.000Z' }), clock).report;
    expect(fromFull.portfolio).toEqual(fromSummaries.portfolio);
    expect(fromSummaries.portfolio.open).toEqual({ count: 3, balance: '1623.44' });
    expect(fromSummaries.portfolio.aging).toEqual([
      { bucket: 'not_due', count: 1, balance: '123.45' },
      { bucket: '1-30', count: 1, balance: '500.00' },
      { bucket: '31-60', count: 0, balance: '0.00' },
      { bucket: '61-90', count: 0, balance: '0.00' },
      { bucket: '90+', count: 1, balance: '999.99' },
    ]);
    expect(fromSummaries.portfolio.atRiskPercent).toBe('61.60');
    expect(fromSummaries.portfolio.byStage.find((s) => s.stage === 'none')).toEqual({ stage: 'none', count: 3, balance: '1623.44' });
  });

  it('counts the period: payments by payment date over complete days, events in [since, until), the heads that moved', () => {
    let a = dossier(1, '2026-04-01', 100_000, '2026-04-02T08:00:00.000Z');
    a = pay(a, 10_000, '2026-05-04', '2026-05-05T06:00:00.000Z', 'A1'); // recorded in the period, dated before it
    a = pay(a, 20_000, '2026-05-05', '2026-05-05T15:00:00.000Z', 'A2'); // in the period, dated in it
    a = pay(a, 5_000, '2026-05-06', '2026-05-06T06:00:00.000Z', 'A3'); // after until
    a = { ...a, evidenceHead: { seq: 5, hash: 'a'.repeat(64) } };
    let b = dossier(2, '2026-04-15', 40_000, '2026-04-16T08:00:00.000Z');
    b = send(b, '2026-05-05T07:00:00.000Z');
    b = pay(b, 40_000, '2026-05-05', '2026-05-05T16:00:00.000Z', 'B1'); // settles it within the period
    b = { ...b, evidenceHead: { seq: 4, hash: 'b'.repeat(64) } };
    const c = dossier(3, '2026-05-20', 7_000, '2026-05-06T05:00:00.000Z'); // created just before until (05:30Z)
    const { report, openRows, evidenceLines } = buildReport(sources({ full: [a, b, c], openSummaries: [a, c].map(dossierSummary) }), clock);
    // Open at until: a (100000 - 10000 - 20000), c; b was paid in the period.
    expect(report.portfolio.open).toEqual({ count: 2, balance: '770.00' });
    expect(openRows.map((r) => r.invoiceNumber)).toEqual(['F-1', 'F-3']);
    // Collected: paidOn in [2026-05-05 (day of since), 2026-05-05 (day before until)].
    expect(report.portfolio.collected).toMatchObject({ from: '2026-05-05', to: '2026-05-05', count: 2, amount: '600.00' });
    // Received (by recording time, in [since, until)): A1, A2, B1.
    expect(report.happened.paymentsReceived).toMatchObject({ count: 3, total: '700.00' });
    expect(report.happened.noticesSent).toMatchObject({ count: 1, byStage: { first_reminder: 1 } });
    expect(report.happened.empty).toBe(false);
    expect(evidenceLines).toEqual([`${a.id}:${'a'.repeat(64)}`, `${b.id}:${'b'.repeat(64)}`].sort());
    expect(report.evidence.root).toBe(sha256Hex(evidenceLines.map((l) => `${l}\n`).join('')));
    expect(report.evidence.root).toBe(evidenceRoot([...evidenceLines].reverse()));
  });

  it('an empty period is empty', () => {
    const d = dossier(1, '2026-05-10', 12_345, '2026-04-01T08:00:00.000Z');
    const { report } = buildReport(sources({ openSummaries: [dossierSummary(d)] }), clock);
    expect(report.happened.empty).toBe(true);
    expect(report.evidence).toMatchObject({ dossiers: 0, root: sha256Hex('') });
  });
});

describe('DSO from the creditor figures', () => {
  it('works the metrics.md example and says why it is left out otherwise', () => {
    const months = [
      { month: '2025-10', creditSalesCents: 10_000_000, totalReceivablesCents: 21_200_000 },
      { month: '2025-09', creditSalesCents: 8_000_000 },
      { month: '2025-08', creditSalesCents: 7_000_000 },
    ];
    expect(dsoOf(months, '2025-11-05')).toEqual({ days: '75.17', method: 'countback', atEndOf: '2025-10' });
    // October is not over on 30 October: no month end with receivables yet.
    expect(dsoOf(months, '2025-10-30')).toMatchObject({ days: null, atEndOf: null, reason: expect.stringContaining('PUT /reports/receivables') });
    expect(dsoOf(months.slice(0, 2), '2025-11-05')).toMatchObject({ days: null, atEndOf: '2025-10', reason: expect.stringContaining('2025-08') });
    expect(dsoOf([], '2025-11-05').days).toBeNull();
  });
});
