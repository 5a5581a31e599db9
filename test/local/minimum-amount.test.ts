import { describe, expect, it } from 'vitest';
import { adminClient } from '../support/admin-client';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * The minimum amount a creditor pursues (profile `minimumAmount`, else the policy's
 * minimumAmountCents; domain/policy.ts assertPursued), through the real pipeline: an invoice below
 * it is refused at intake with 422 below_minimum on `amount` (per item in a batch), leaves no
 * dossier, and no letter ever goes out for it; a dossier opened before the minimum was set keeps
 * going.
 */
describe('minimum amount pursued', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('refuses below the minimum at intake (single and batch), sends nothing for it, and keeps earlier dossiers going', async () => {
    const { api, sys } = local;
    const admin = adminClient(sys);
    // Opened before the creditor sets a minimum: pursued to the end whatever its amount.
    const earlier = await api.createInvoice(invoice({ invoiceNumber: 'MIN-EARLIER', amount: '10.00' }));
    expect(earlier.status).toBe(201);

    const profile = (await admin.call('GET', `/admin/creditors/${sys.creditorId}`)).body.creditor;
    const bad = await admin.call('PUT', `/admin/creditors/${sys.creditorId}`, { ...profile, minimumAmount: '0' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'minimumAmount', message: 'must be greater than 0' }]);
    const set = await admin.call('PUT', `/admin/creditors/${sys.creditorId}`, { ...profile, minimumAmount: '50.00' });
    expect(set.status).toBe(200);
    expect(set.body.creditor.minimumAmount).toBe('50.00');

    const below = await api.createInvoice(invoice({ invoiceNumber: 'MIN-BELOW', amount: '49.99' }));
    expect(below.status).toBe(422);
    expect(below.body.error.code).toBe('below_minimum');
    expect(below.body.error.details).toEqual([{ path: 'amount', message: 'is below the minimum amount pursued, 50.00' }]);
    // The same invoice again: the same answer (nothing was stored the first time).
    expect((await api.createInvoice(invoice({ invoiceNumber: 'MIN-BELOW', amount: '49.99' }))).status).toBe(422);
    const atMinimum = await api.createInvoice(invoice({ invoiceNumber: 'MIN-AT', amount: '50.00' }));
    expect(atMinimum.status).toBe(201);

    const batch = await api.call('POST', '/invoices/batch', {
      invoices: [invoice({ invoiceNumber: 'MIN-BATCH-LOW', amount: '12.00' }), invoice({ invoiceNumber: 'MIN-BATCH-OK', amount: '80.00' })],
    });
    expect(batch.status).toBe(207);
    expect(batch.body.results.map((r: any) => r.status)).toEqual(['invalid', 'created']);
    expect(batch.body.results[0].error.code).toBe('below_minimum');
    expect(batch.body.results[0].error.details[0].path).toBe('amount');

    // Through the whole escalation: letters for the pursued dossiers only.
    await api.advance('P60D');
    const listed = (await api.call('GET', '/invoices?limit=100')).body.items.map((d: any) => d.invoiceNumber).sort();
    expect(listed).toEqual(['MIN-AT', 'MIN-BATCH-OK', 'MIN-EARLIER']);
    const subjects: string[] = (await api.emails()).map((m: any) => m.subject);
    for (const refused of ['MIN-BELOW', 'MIN-BATCH-LOW']) expect(subjects.filter((s) => s.includes(refused))).toEqual([]);
    for (const pursued of ['MIN-EARLIER', 'MIN-AT', 'MIN-BATCH-OK']) {
      expect(subjects.filter((s) => s.includes(pursued)).length).toBeGreaterThanOrEqual(3);
    }
  });
});
