import { describe, expect, it } from 'vitest';
import { adminClient, creditorProfile, keyClient } from '../support/admin-client';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * GET /invoices over the listing indexes: 1,000 dossiers created through the intake API, paged
 * through by cursor (no duplicate, no miss, newest activity first), filtered by status, stage,
 * debtor, text and due date; cursors are checked.
 */
const CLOCK_START = '2026-06-01T10:00:00Z';
const TOTAL = 1000;
const CONCURRENCY = 8;

type Summary = { id: string; invoiceNumber: string; status: string; lastActivityAt: string; debtorName: string; dueDate: string };

describe('GET /invoices (local mode)', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  // 1,000 intakes (each one starts a workflow execution) measured at 25-50 s on a loaded 2-core
  // machine, 10-15 s unloaded; the paging itself takes about a second. With the two cores shared
  // by a dozen other test runs (load average ~20) it went past 240 s: 600 s leaves room for that.
  it(
    'pages through 1,000 dossiers by activity with no duplicate or miss, and filters by status',
    async () => {
      const admin = adminClient(local.sys);
      // A creditor of its own on the default policy (no call tasks: intake stays light).
      const created = await admin.call('POST', '/admin/creditors', creditorProfile({ id: 'bulk-creditor' }));
      expect(created.status).toBe(201);
      const call = keyClient(local.sys, created.body.apiKey.key);

      const started = Date.now();
      const ids: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < TOTAL) {
            const i = next++;
            const debtor =
              i % 10 === 0
                ? { ...invoice().debtor, name: `Hôtel des Vosges n°${i}`, email: `factures${i}@hotel-vosges.example`, siren: undefined }
                : invoice().debtor;
            // Not yet due: nothing is sent while the test runs.
            const r = await call('POST', '/invoices', invoice({ invoiceNumber: `INV-${String(i).padStart(4, '0')}`, issueDate: '2026-05-01', dueDate: i < 500 ? '2026-07-01' : '2026-08-01', debtor }));
            expect(r.status).toBe(201);
            ids[i] = r.body.id;
          }
        }),
      );
      const intakeMs = Date.now() - started;

      // Some later activity: 30 cancelled and 20 partly paid, one simulated minute later.
      await local.api.advance('PT1M');
      const cancelled = ids.filter((_, i) => i % 33 === 7).slice(0, 30);
      const paidPartly = ids.filter((_, i) => i % 41 === 5).slice(0, 20);
      for (const id of cancelled) expect((await call('POST', `/invoices/${id}/cancel`, { reason: 'avoir' })).status).toBe(200);
      await local.api.advance('PT1M');
      for (const id of paidPartly) {
        expect((await call('POST', `/invoices/${id}/payments`, { amount: '100.00', paidOn: '2026-06-01', reference: `VIR-${id}` })).status).toBe(201);
      }

      const pageStarted = Date.now();
      const all = await pages(call, '/invoices?limit=100');
      const pageMs = Date.now() - pageStarted;
      expect(all.length).toBe(TOTAL);
      expect(new Set(all.map((s) => s.id)).size).toBe(TOTAL);
      expect(new Set(all.map((s) => s.id))).toEqual(new Set(ids));
      // Newest activity first (ties: by id, descending).
      const keys = all.map((s) => `${s.lastActivityAt}#${s.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
      expect(new Set(all.slice(0, 20).map((s) => s.id))).toEqual(new Set(paidPartly));
      expect(new Set(all.slice(20, 50).map((s) => s.id))).toEqual(new Set(cancelled));
      expect(all[0]).toEqual({
        id: expect.stringMatching(/^dos_/),
        invoiceNumber: expect.stringMatching(/^INV-/),
        debtorName: expect.any(String),
        status: 'active',
        stage: null,
        amount: expect.stringMatching(/^\d+\.\d{2}$/),
        balance: '1150.00',
        currency: 'EUR',
        dueDate: expect.stringMatching(/^2026-0[78]-01$/),
        nextAction: { stage: 'first_reminder', at: expect.any(String) },
        lastActivityAt: '2026-06-01T10:02:00.000Z',
      });

      // The default page size, and an odd one: the same sequence.
      expect((await call('GET', '/invoices')).body.items).toHaveLength(25);
      expect((await pages(call, '/invoices?limit=37')).map((s) => s.id)).toEqual(all.map((s) => s.id));

      // By status (its own index), paged too.
      const byStatus = await pages(call, '/invoices?status=cancelled&limit=7');
      expect(new Set(byStatus.map((s) => s.id))).toEqual(new Set(cancelled));
      expect(byStatus.every((s) => s.status === 'cancelled')).toBe(true);
      expect(await pages(call, '/invoices?status=needs_attention')).toEqual([]);
      expect((await pages(call, '/invoices?status=active&limit=100')).length).toBe(TOTAL - cancelled.length);

      // Filters over the index: a filtered page may be short, the sequence is complete.
      const hotels = await pages(call, '/invoices?q=h%C3%94tel%20DES&limit=10');
      expect(hotels.map((s) => s.id).sort()).toEqual(ids.filter((_, i) => i % 10 === 0).sort());
      expect((await pages(call, '/invoices?q=inv-0042')).map((s) => s.invoiceNumber)).toEqual(['INV-0042']);
      expect((await pages(call, '/invoices?debtor=factures120@hotel-vosges.example')).map((s) => s.invoiceNumber)).toEqual(['INV-0120']);
      expect((await pages(call, '/invoices?debtor=732829320&limit=100')).length).toBe(TOTAL - TOTAL / 10);
      expect((await pages(call, '/invoices?dueBefore=2026-07-15&limit=100')).length).toBe(500);
      expect(await pages(call, '/invoices?stage=formal_notice')).toEqual([]);
      expect((await pages(call, '/invoices?status=cancelled&dueBefore=2026-07-15&q=inv-0')).every((s) => s.status === 'cancelled' && s.dueDate < '2026-07-15')).toBe(true);

      console.log(`GET /invoices: ${TOTAL} intakes in ${intakeMs} ms; ${TOTAL} dossiers paged (limit 100) in ${pageMs} ms`);
    },
    600_000,
  );

  it('refuses a tampered or foreign cursor (400 on cursor) and bad filters (400 naming each)', async () => {
    const admin = adminClient(local.sys);
    const key = (await admin.call('GET', '/admin/creditors/bulk-creditor/keys')).body.items[0];
    expect(key).toBeDefined();
    const demo = local.api;
    for (const n of [1, 2, 3]) await demo.createInvoice(invoice({ invoiceNumber: `CUR-${n}`, issueDate: '2026-05-01', dueDate: '2026-07-01' }));
    const first = await demo.call('GET', '/invoices?limit=1');
    const cursor: string = first.body.nextCursor;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((await demo.call('GET', `/invoices?limit=1&cursor=${cursor}`)).status).toBe(200);

    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forged = (patch: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...decoded, ...patch })).toString('base64url');
    for (const bad of [
      'not-a-cursor!',
      cursor.slice(0, -3),
      forged({ creditorId: 'bulk-creditor' }), // another creditor's partition
      forged({ activityKey: 'x' }),
      forged({ extra: '1' }),
      Buffer.from('[]').toString('base64url'),
    ]) {
      const r = await demo.call('GET', `/invoices?cursor=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.details, bad).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    }
    // A cursor of the unfiltered list is not one of a status list.
    expect((await demo.call('GET', `/invoices?status=active&cursor=${cursor}`)).body.error.details[0].path).toBe('cursor');

    const r = await demo.call('GET', '/invoices?status=late&stage=first&debtor=someone&limit=101&dueBefore=2026-02-30&sort=asc&q=');
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: any) => d.path).sort()).toEqual(['debtor', 'dueBefore', 'limit', 'q', 'sort', 'stage', 'status']);
  });
});

async function pages(call: ReturnType<typeof keyClient>, path: string): Promise<Summary[]> {
  const out: Summary[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 2000; n++) {
    const r: any = await call('GET', cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}` : path);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('too many pages');
}
