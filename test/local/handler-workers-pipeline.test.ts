import { describe, expect, it } from 'vitest';
import { verifyZip } from '../../cli/verify';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { client, invoice } from '../support/local-client';

/**
 * The real pipeline with the handlers in worker threads (local/handler-workers.ts) against the
 * same pipeline with them in the main thread: the same dossiers (full escalations, one paid after
 * its first reminder, the accountants' stream consumers and digest schedule on) give the same
 * e-mails, the same histories and executions, and evidence bundles whose chains verify; and so
 * with the main thread running its share of the invocations beside the worker (mainShare).
 */
const threads: ({ main: number; workers: number } | undefined)[] = [];

async function drive(workers: number, mainShare?: number) {
  const sys: LocalSystem = await startLocalSystem({ clockStart: '2026-04-04T10:00:00Z', accountantMail: true, workers, mainShare });
  try {
    expect(sys.workers).toBe(workers);
    const api = client(sys);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api.createInvoice(invoice({ invoiceNumber: `W-${i}` }));
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const paid = await api.createInvoice(invoice({ invoiceNumber: 'W-PAID' }));
    ids.push(paid.body.id);
    await api.advanceTo('2026-04-08T12:00:00Z');
    expect((await api.pay(paid.body.id, { amount: '1250.00', paidOn: '2026-04-08', reference: 'VIR-W' })).status).toBe(201);
    expect((await api.advance('P60D')).status).toBe(200);

    const emails = (await api.emails()).map((m: any) => `${m.subject} -> ${JSON.stringify(m.destination ?? m.to)}`).sort();
    const views: unknown[] = [];
    const evidence: unknown[] = [];
    for (const id of ids) {
      const v = (await api.getInvoice(id)).body;
      views.push({ invoiceNumber: v.invoiceNumber, status: v.status, stage: v.stage, events: v.events.map((e: any) => [e.type, e.stage ?? e.kind ?? null, e.at]) });
      const issued = await api.call('POST', `/invoices/${id}/evidence-bundle`);
      expect(issued.status).toBe(201);
      const zip = new Uint8Array(await (await fetch(issued.body.url)).arrayBuffer());
      const verified = verifyZip(zip, issued.body.head.hash);
      evidence.push({ exitCode: verified.exitCode, records: issued.body.records });
    }
    const executions = sys.engine.list().map((r) => `${r.status} ${r.trail.join('>')}`).sort();
    threads.push(sys.handlerThreads());
    return { emails, views, evidence, executions, events: sys.events().length };
  } finally {
    await sys.stop();
  }
}

describe('handlers in worker threads, end to end', () => {
  it('drive dossiers through the real pipeline to the same outcome as in the main thread', async () => {
    const inWorkers = await drive(1, 0);
    const inProcess = await drive(0);
    expect(inWorkers.evidence.every((e: any) => e.exitCode === 0)).toBe(true);
    expect(inWorkers.emails.length).toBeGreaterThanOrEqual(3 * 4 + 2);
    expect(inWorkers.views.filter((v: any) => v.status === 'handed_off')).toHaveLength(3);
    expect(inWorkers).toEqual(inProcess);
    // With the main thread taking half of those in flight, both threads run handlers: same outcome.
    const shared = await drive(1, 0.5);
    expect(shared).toEqual(inProcess);
    expect(threads[0]).toMatchObject({ main: 0 });
    expect(threads[2]!.main).toBeGreaterThan(0);
    expect(threads[2]!.workers).toBeGreaterThan(0);
  }, 600_000);
});
