import { describe, expect, it } from 'vitest';
import { Dossier, newDossier } from '../../lambdas/domain/dossier';
import type { DossierEvent } from '../../lambdas/domain/model';
import { earlierWork } from '../../lambdas/services/litigation';

/**
 * A retried hand-off reuses what its failed attempt stored under Object Lock (the litigation
 * dossier, then the bundle issued to counsel) only while those are the last entries of the
 * history and the litigation dossier is as of today: anything recorded since, or another day,
 * and the work starts over (lambdas/services/litigation.ts earlierWork).
 */
const NOW = new Date('2026-05-13T07:00:00.000Z'); // 13 May in Paris
const AT = NOW.toISOString();
const ref = (key: string) => ({ evidenceKey: key, sha256: 'a'.repeat(64), retainUntil: '2036-05-13T07:00:00.000Z' });
const json = (asOf = '2026-05-13'): DossierEvent => ({ type: 'litigation_dossier_stored', at: AT, format: 'json', asOf, ...ref(`dossiers/d/litigation/${asOf}-1.json`) });
const pdf = (asOf = '2026-05-13'): DossierEvent => ({ type: 'litigation_dossier_stored', at: AT, format: 'pdf', asOf, ...ref(`dossiers/d/litigation/${asOf}-1.pdf`) });
const bundle = (id: string, issuedTo?: string): DossierEvent => ({
  type: 'evidence_bundle_issued',
  at: AT,
  bundleId: id,
  bundleKey: `bundles/d/${id}.zip`,
  bundleSha256: 'b'.repeat(64),
  size: 1234,
  records: 9,
  head: { seq: 9, hash: 'c'.repeat(64) },
  ...(issuedTo ? { issuedTo } : {}),
});

function dossier(events: DossierEvent[]): Dossier {
  const d = newDossier({
    id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    creditorId: 'c',
    executionName: 'exec-1',
    now: new Date('2026-04-04T10:00:00Z'),
    invoice: { invoiceNumber: 'F1', issueDate: '2026-03-04', dueDate: '2026-04-03', amountCents: 125_000, currency: 'EUR' },
    debtor: { kind: 'business', name: 'D', email: 'd@example.com', language: 'fr', address: { line1: 'l', postalCode: '75011', city: 'Paris', country: 'FR' } },
  });
  const notice: DossierEvent = { type: 'notice_sent', at: '2026-05-04T07:00:00.000Z', stage: 'formal_notice', messageId: 'm', to: 'd@example.com', ...ref('n') };
  return { ...d, events: [...d.events, notice, ...events], version: 1 };
}

describe('a retried hand-off resumes the work its failed attempt stored', () => {
  it('reuses the litigation dossier stored today and the bundle issued to counsel after it', () => {
    const w = earlierWork(dossier([json(), pdf(), bundle('bnd_1', 'litigation_contact')]), NOW)!;
    expect(w.json.evidenceKey).toBe('dossiers/d/litigation/2026-05-13-1.json');
    // An entry without the exports marker and basis (a bundle an earlier version kept in the vault): no basis to rebuild it from.
    expect(w.bundle).toEqual({ bundleId: 'bnd_1', bundleKey: 'bundles/d/bnd_1.zip', sha256: 'b'.repeat(64), size: 1234, records: 9, head: { seq: 9, hash: 'c'.repeat(64) }, at: AT, basis: null });
  });

  it('the latest of several attempts, and only a bundle issued to counsel', () => {
    const w = earlierWork(dossier([json('2026-05-13'), pdf(), bundle('bnd_1', 'litigation_contact'), json(), pdf(), bundle('bnd_2')]), NOW)!;
    expect(w.bundle).toBeNull();
    const v = earlierWork(dossier([json(), pdf(), bundle('bnd_1', 'litigation_contact'), bundle('bnd_2', 'litigation_contact')]), NOW)!;
    expect(v.bundle?.bundleId).toBe('bnd_2');
  });

  it('the litigation dossier alone when the attempt failed before its bundle', () => {
    expect(earlierWork(dossier([json(), pdf()]), NOW)?.bundle).toBeNull();
  });

  it('starts over when anything was recorded since, when it is another day, or when the PDF is missing', () => {
    const paid: DossierEvent = { type: 'payment_recorded', at: AT, amount: '10.00', paidOn: '2026-05-13', reference: 'V' };
    expect(earlierWork(dossier([json(), pdf(), paid]), NOW)).toBeNull();
    expect(earlierWork(dossier([json(), pdf(), paid, bundle('bnd_1', 'litigation_contact')]), NOW)).toBeNull();
    expect(earlierWork(dossier([json('2026-05-12'), pdf('2026-05-12')]), NOW)).toBeNull();
    expect(earlierWork(dossier([json()]), NOW)).toBeNull();
    expect(earlierWork(dossier([]), NOW)).toBeNull();
  });
});
