/**
 * POST /invoices/batch in local mode: the same validation and idempotency as POST /invoices, one
 * result per item in input order, and every accepted dossier's workflow started through the
 * (local) SQS queue — or, when starts fail, the dossier visibly waiting and started once its
 * invoice is sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, invoice } from '../support/local-client';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { MAX_BATCH_INVOICES } from '../../lambdas/http/batch-validation';

describe('POST /invoices/batch', () => {
  const local = {} as { sys: LocalSystem; api: ReturnType<typeof client> };
  // Started here rather than with useLocalSystem: a loaded machine may need more than the default hook timeout.
  beforeAll(async () => {
    local.sys = await startLocalSystem({ accountantMail: false, clockStart: '2026-04-06T08:00:00Z' });
    local.api = client(local.sys);
  }, 300_000);
  afterAll(async () => local.sys?.stop(), 300_000);
  const batch = (invoices: unknown[]) => local.api.call('POST', '/invoices/batch', { invoices });
  const runsOf = (id: string) => local.sys.engine.list().filter((e) => e.input?.dossierId === id);

  it('answers 207 with one result per item, in input order, and starts each new workflow once', async () => {
    const single = await local.api.createInvoice(invoice({ invoiceNumber: 'B-SINGLE' }));
    expect(single.status).toBe(201);
    const items = [
      invoice({ invoiceNumber: 'B-1' }),
      invoice({ invoiceNumber: 'B-2', amount: '12,50' }),
      invoice({ invoiceNumber: 'B-SINGLE' }),
      invoice({ invoiceNumber: 'B-SINGLE', amount: '99.00' }),
      invoice({ invoiceNumber: 'B-3', debtor: { ...invoice().debtor, email: 'not-an-email' } }),
      invoice({ invoiceNumber: 'B-1' }),
      invoice({ invoiceNumber: 'B-4' }),
    ];
    const r = await batch(items);
    expect(r.status).toBe(207);
    expect(r.body.results.map((x: any) => [x.index, x.invoiceNumber, x.status])).toEqual([
      [0, 'B-1', 'created'],
      [1, 'B-2', 'invalid'],
      [2, 'B-SINGLE', 'unchanged'],
      [3, 'B-SINGLE', 'conflict'],
      [4, 'B-3', 'invalid'],
      [5, 'B-1', 'unchanged'],
      [6, 'B-4', 'created'],
    ]);
    expect(r.body.summary).toEqual({ created: 2, unchanged: 2, conflict: 1, invalid: 2, failed: 0 });
    // Field paths relative to the item, as POST /invoices gives them.
    expect(r.body.results[1].error.details).toContainEqual({ path: 'amount', message: expect.stringContaining('decimal string') });
    expect(r.body.results[4].error.details.map((d: any) => d.path)).toEqual(['debtor.email']);
    expect(r.body.results[3].error.code).toBe('conflict');
    // The same dossier id as the single route would give.
    expect(r.body.results[2].id).toBe(single.body.id);
    expect(r.body.results[2].workflow).toBe('started');
    expect(r.body.results[0].workflow).toBe('pending_start');

    await local.sys.clock.settle();
    for (const i of [0, 6]) {
      const id = r.body.results[i].id;
      const view = await local.api.getInvoice(id);
      expect(view.status).toBe(200);
      expect(view.body.pendingStart).toBeUndefined();
      expect(view.body.status).toBe('active');
      const runs = runsOf(id);
      expect(runs.length, id).toBe(1);
      expect(runs[0].status).toBe('RUNNING');
    }
  });

  it('refuses a malformed envelope (400) and more than the documented maximum (413), creating nothing', async () => {
    await local.sys.clock.settle();
    const before = local.sys.engine.list().length;
    const empty = await batch([]);
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ path: 'invoices', message: 'must list at least one invoice' }]);
    const notList = await local.api.call('POST', '/invoices/batch', { invoices: { a: 1 } });
    expect(notList.status).toBe(400);
    const tooMany = await batch(Array.from({ length: MAX_BATCH_INVOICES + 1 }, (_, i) => invoice({ invoiceNumber: `TOO-${i}` })));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.code).toBe('batch_too_large');
    expect(tooMany.body.error.details[0].path).toBe('invoices');
    expect((await local.api.getInvoice('x')).status).toBe(404);
    await local.sys.clock.settle();
    expect(local.sys.engine.list().length).toBe(before);
  });

  it('never half-creates: a start that keeps failing leaves the dossier visibly pending (DLQ), and sending the invoice again starts it', async () => {
    const arn = process.env.STATE_MACHINE_ARN!;
    // A real fault, not a mock: the starter names a state machine the local endpoint does not know.
    process.env.STATE_MACHINE_ARN = `${arn}-missing`;
    let first;
    try {
      first = await batch([invoice({ invoiceNumber: 'B-FAULT' })]);
      expect(first.body.results[0]).toMatchObject({ status: 'created', workflow: 'pending_start' });
      await local.sys.clock.settle();
    } finally {
      process.env.STATE_MACHINE_ARN = arn;
    }
    const id = first.body.results[0].id;
    const pending = await local.api.getInvoice(id);
    expect(pending.body.pendingStart).toEqual({ queuedAt: expect.any(String) });
    expect(runsOf(id)).toEqual([]);
    const dlq = Object.keys(local.sys.synthesized.template.Resources).find((r) => /^BulkDeadLetterQueue/.test(r))!;
    expect(local.sys.queues.messages(dlq).map((m) => [JSON.parse(m.body).dossierId, m.receives])).toEqual([[id, 5]]);

    const again = await batch([invoice({ invoiceNumber: 'B-FAULT' })]);
    expect(again.body.results[0]).toMatchObject({ status: 'unchanged', id, workflow: 'pending_start' });
    await local.sys.clock.settle();
    const started = await local.api.getInvoice(id);
    expect(started.body.pendingStart).toBeUndefined();
    expect(runsOf(id).map((e) => e.status)).toEqual(['RUNNING']);
  });
});
