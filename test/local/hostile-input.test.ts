import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { API_ROUTES, type ApiRoute } from '../../lib/api-routes';
import { creditorProfile } from '../support/admin-client';
import { invoice, useLocalSystem } from '../support/local-client';
import { Body, hostileBody, pathParam } from '../support/hostile';

/**
 * Hostile input at scale: at least AMIABLE_FUZZ_RUNS (default 10,000) generated malformed or
 * hostile requests, shared between every write route of the route table (lambdas/http/routes.ts:
 * a route added later is fuzzed too, and this test fails until it has a sample body below), sent
 * to the local HTTP front with the same handlers as on AWS. Each must be answered without a 5xx,
 * the process must not crash, and a rejected request (4xx) must change nothing: no item of the
 * table written (the local stream counts every write that changes an item) and no execution
 * started or stopped. Seeded: the seed is printed; AMIABLE_FUZZ_SEED=<seed> replays a run.
 */
// Synthesizing the stack for local mode takes over a minute on a loaded 2-core machine.
vi.setConfig({ hookTimeout: 240_000 });

const CLOCK_START = '2026-06-01T10:00:00Z'; // Monday
const TODAY = '2026-06-01';
const RUNS = Number(process.env.AMIABLE_FUZZ_RUNS ?? 10_000);
// Each request is a real HTTP round trip through the local handlers: ~20 ms on idle cores, and
// 10,000 of them went past a fixed 600 s when the two cores were shared by a dozen other test
// runs (load average ~20, i.e. > 60 ms each). The timeout grows with the count: 150 ms a request
// (twice the worst rate seen), never under 10 minutes.
const FUZZ_TIMEOUT_MS = Math.max(600_000, RUNS * 150);
const SEED = Number(process.env.AMIABLE_FUZZ_SEED ?? Date.now() % 2 ** 31);

const label = (r: ApiRoute) => `${r.method} ${r.path}`;

/**
 * A valid body per write route, mutated by the generators (one line per route: a route added to
 * the table needs its line here, e.g. engineer F's `'POST /invoices/batch': { invoices: [invoice()] }`).
 */
const SAMPLES: Record<string, unknown> = {
  'POST /invoices': invoice({ invoiceNumber: 'FUZZ-NEW', issueDate: '2026-05-01', dueDate: '2026-06-30' }),
  'POST /invoices/{id}/payments': { amount: '1.00', paidOn: TODAY, reference: 'FUZZ-PAY' },
  'POST /invoices/{id}/cancel': { reason: 'fuzz' },
  'POST /invoices/{id}/disputes': { reason: 'fuzz', disputedAmount: '10.00' },
  'POST /invoices/{id}/disputes/{disputeId}/resolve': { outcome: 'rejected', reasons: 'Livraison conforme au bon signé le 2 mars.' },
  'POST /invoices/{id}/promises': { date: '2026-06-20', amount: '100.00' },
  'POST /invoices/{id}/payment-plan': { instalments: [{ dueDate: '2026-07-01', amount: '625.00' }, { dueDate: '2026-08-01', amount: '625.00' }] },
  'POST /invoices/{id}/payment-plan/acceptance': {
    acceptedOn: TODAY,
    kind: 'email',
    document: { filename: 'acceptation.eml', contentType: 'message/rfc822', contentBase64: Buffer.from('Subject: OK\r\n\r\nBon pour accord.').toString('base64') },
  },
  'POST /invoices/{id}/resume': { debtorEmail: 'compta@boulangerie-dupont.example' },
  'POST /invoices/{id}/handoff': { approvedBy: 'fuzz' },
  'POST /invoices/{id}/insolvency': { judgmentDate: TODAY, procedure: 'redressement', court: 'Tribunal de commerce de Lyon', mandataire: { name: 'Me Fuzz' } },
  'POST /tasks/{taskId}/complete': { outcome: 'reached', notes: 'fuzz' },
  'PUT /reports/receivables/{month}': { creditSales: '1000.00', totalReceivables: '2000.00' },
  'POST /admin/creditors': creditorProfile({ id: 'fuzz-creditor' }),
  'PUT /admin/creditors/{id}': creditorProfile({ id: 'fuzz-target' }),
  'POST /admin/creditors/{id}/keys': { role: 'auditor', label: 'fuzz' },
  'DELETE /admin/creditors/{id}/keys/{keyId}': undefined,
  'POST /invoices/batch': { invoices: [invoice({ invoiceNumber: 'FUZZ-BATCH', issueDate: '2026-05-01', dueDate: '2026-06-30' })] },
  // The e-invoice route reads a file (PDF or XML): a JSON body of any shape is a 415, hostile XML is test/local/einvoice-import.test.ts's.
  'POST /invoices/import': { file: 'not an e-invoice' },
  'POST /invoices/{id}/registered-letter/posting': { trackingNumber: '1A12345678901', postedOn: TODAY },
  'POST /invoices/{id}/registered-letter/receipt': {
    presentedOn: TODAY,
    outcome: 'signed',
    document: { filename: 'ar.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 fuzz').toString('base64') },
  },
  'POST /webhooks': { url: 'http://127.0.0.1:9/hook', events: ['PaymentRecorded'] },
  'DELETE /webhooks/{id}': undefined,
};

/** The write routes (POST /invoices/{id}/evidence-bundle is a read: it only issues a bundle of what exists). */
const WRITE_ROUTES = API_ROUTES.filter((r) => r.access === 'write');

/** A path segment as sent; a lone surrogate (not encodable) goes as the bytes of an invalid UTF-8 sequence. */
function encodePathParam(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return `%ED%A0%80${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd"))}`;
  }
}

describe('hostile input at scale (local mode)', () => {
  // The local stream (always on: events out reads it) is what counts the table's changes.
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('every write route has a sample body to mutate', () => {
    const missing = WRITE_ROUTES.map(label).filter((l) => !(l in SAMPLES));
    expect(missing, 'add a line to SAMPLES for each').toEqual([]);
  });

  it(`answers ${RUNS} hostile requests without a 5xx, and a rejected one changes nothing`, async () => {
    console.log(`hostile-input fuzz: seed ${SEED} (replay: AMIABLE_FUZZ_SEED=${SEED}), ${RUNS} requests over ${WRITE_ROUTES.length} write routes`);
    const { sys, api } = local;
    // Real things for the path parameters to name, so most requests reach body validation.
    const dossiers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await api.createInvoice(invoice({ invoiceNumber: `FUZZ-${i}` }));
      expect(r.status).toBe(201);
      dossiers.push(r.body.id);
    }
    const disputed = await api.call('POST', `/invoices/${dossiers[3]}/disputes`, { reason: 'fuzz base' });
    const disputeIds = [disputed.body?.disputeId ?? disputed.body?.dispute?.id ?? 'dsp_none'].filter(Boolean);
    const real: Record<string, string[]> = {
      id: dossiers,
      disputeId: disputeIds,
      taskId: ['tsk_' + '0'.repeat(32)],
      month: ['2026-05', '2026-04'],
      keyId: ['key_0000000000000000'],
    };
    const adminReal: Record<string, string[]> = { id: [sys.creditorId, 'fuzz-target'], keyId: ['key_0000000000000000'] };
    const webhookIds = ['whk_' + '0'.repeat(26)];

    const statuses: Record<string, Record<number, number>> = {};
    let sent = 0;
    const perRoute = Math.ceil(RUNS / WRITE_ROUTES.length);
    const timings: Record<string, number> = {};
    // The handlers' structured logs (one line per admin action, per alert...) would be thousands of lines.
    const quiet = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    for (const [i, route] of WRITE_ROUTES.entries()) {
      const started = Date.now();
      const ids = route.auth === 'admin' ? adminReal : route.path.startsWith('/webhooks') ? { id: webhookIds } : real;
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const request = fc.record({
        params: fc.tuple(...params.map((p) => pathParam(ids[p] ?? ['x']))),
        body: route.method === 'DELETE' ? fc.constant(new Body(undefined)) : hostileBody(SAMPLES[label(route)]),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ params: values, body: { text: body } }) => {
          let k = 0;
          const path = route.path.replace(/\{(\w+)\}/g, () => encodePathParam(values[k++]));
          const changesBefore = sys.tableChanges();
          const executionsBefore = JSON.stringify(sys.engine.list().map((e) => [e.name, e.status]));
          const res = await fetch(sys.apiUrl + path, {
            method: route.method,
            headers: { 'content-type': 'application/json', ...(route.auth === 'admin' ? { 'x-admin-key': sys.adminKey } : { 'x-api-key': sys.apiKey }) },
            body,
          });
          const text = await res.text();
          sent++;
          (statuses[label(route)] ??= {})[res.status] = (statuses[label(route)][res.status] ?? 0) + 1;
          const context = `${route.method} ${path.slice(0, 200)} body ${String(body).slice(0, 300)} -> ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, context).toBeLessThan(500);
          if (res.status >= 400) {
            expect(JSON.parse(text).error?.code, context).toEqual(expect.any(String));
            expect(sys.tableChanges(), `a rejected request changed the table: ${context}`).toBe(changesBefore);
            expect(JSON.stringify(sys.engine.list().map((e) => [e.name, e.status])), `a rejected request changed an execution: ${context}`).toBe(executionsBefore);
          }
        }),
        { numRuns: perRoute, seed: SEED + i, endOnFailure: true },
      );
      timings[label(route)] = Date.now() - started;
    }
    quiet.mockRestore();
    console.log(`hostile-input fuzz: ${sent} requests; statuses by route: ${JSON.stringify(statuses)}; ms by route: ${JSON.stringify(timings)}`);
    expect(sent).toBeGreaterThanOrEqual(RUNS);
  }, FUZZ_TIMEOUT_MS);
});
