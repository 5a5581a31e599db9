import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DETAIL_TYPES } from '../../lambdas/domain/dossier-events';
import { SIGNATURE_HEADER, verifySignature } from '../../lambdas/domain/webhooks';
import { adminClient, creditorProfile, keyClient } from '../support/admin-client';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * Events out, end to end in local mode: a webhook receiver (a local HTTP server, as a creditor's
 * ERP would run) is registered, dossiers are driven through the real pipeline (intake, the state
 * machine on the simulated clock, payments, promises, plans, disputes, a bounce, a hand-off), and
 * the receiver checks the signature of every delivery with the recipe of docs/events.md. Every
 * detail-type arrives; the bus gets the same events; the delivery log pages with a cursor; a
 * receiver that fails is retried on the documented schedule.
 */
// Synthesizing the stack for local mode takes over a minute on a loaded 2-core machine.
vi.setConfig({ hookTimeout: 240_000, testTimeout: 240_000 });

const CLOCK_START = '2026-04-04T10:00:00Z';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

function startReceiver(secrets: Map<string, string>, failFirst: number) {
  const received: Received[] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (failures < failFirst) {
        failures++;
        res.writeHead(500).end('try later');
        return;
      }
      const secret = secrets.get(req.url ?? '') ?? '';
      const verified = verifySignature(secret, req.headers[SIGNATURE_HEADER] as string | undefined, body, Math.floor(Date.now() / 1000));
      received.push({ path: req.url ?? '', headers: req.headers, body, verified });
      res.writeHead(verified ? 204 : 400).end();
    });
  });
  return {
    received,
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('events out: EventBridge and signed webhooks (local mode)', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });
  const secrets = new Map<string, string>();
  const receiver = startReceiver(secrets, 2);
  let base = '';
  beforeAll(async () => {
    base = await receiver.start();
  });
  afterAll(() => receiver.close());

  it('registers webhooks: secret once, https only on AWS (local URLs here), bad input is a 400 with its field', async () => {
    const { api } = local;
    const bad = await api.call('POST', '/webhooks', { url: 'ftp://x.example', events: ['Nope'], extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['events.0', 'extra', 'url']);
    const all = await api.call('POST', '/webhooks', { url: `${base}/all`, events: ['*'] });
    expect(all.status).toBe(201);
    expect(all.body.secret).toMatch(/^whsec_/);
    secrets.set('/all', all.body.secret);
    const payments = await api.call('POST', '/webhooks', { url: `${base}/payments`, events: ['PaymentRecorded'] });
    secrets.set('/payments', payments.body.secret);
    const listed = await api.call('GET', '/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    // Tenant isolation: another creditor sees none of them and cannot read or delete them.
    const admin = adminClient(local.sys);
    expect((await admin.call('POST', '/admin/creditors', creditorProfile({ id: 'other-creditor' }))).status).toBe(201);
    const otherKey = (await admin.call('POST', '/admin/creditors/other-creditor/keys', { role: 'operator', label: 'test' })).body.key;
    const other = keyClient(local.sys, otherKey);
    expect((await other('GET', '/webhooks')).body.items).toEqual([]);
    expect((await other('GET', `/webhooks/${all.body.id}/deliveries`)).status).toBe(404);
    expect((await other('DELETE', `/webhooks/${all.body.id}`)).status).toBe(404);
  });

  it('delivers every event type, signed, and puts them on the bus', async () => {
    const { api, sys } = local;
    const create = async (n: string, debtor: Record<string, unknown> = {}) => (await api.createInvoice(invoice({ invoiceNumber: n, debtor: { ...invoice().debtor, ...debtor } }))).body.id as string;
    const d1 = await create('WH-1');
    const d4 = await create('WH-4'); // runs to the hand-off
    // Its first reminder bounces (another debtor: a hard bounce pauses e-mail to that debtor).
    const d5 = await create('WH-5', { name: 'Autre Client SAS', email: 'compta@autre-client.example', siren: undefined });
    await api.advanceTo('2026-04-08T12:00:00Z');
    const reminder = (await api.getInvoice(d5)).body.events.find((e: any) => e.type === 'notice_sent');
    expect((await api.call('POST', '/_local/ses/events', { messageId: reminder.messageId, type: 'Bounce', bounceType: 'Permanent' })).status).toBe(202);

    // D1: a promise kept in part, then a dispute upheld (cancelled).
    expect((await api.call('POST', `/invoices/${d1}/promises`, { date: '2026-04-15', amount: '500.00' })).status).toBe(201);
    await api.advanceTo('2026-04-14T10:00:00Z');
    expect((await api.pay(d1, { amount: '500.00', paidOn: '2026-04-14', reference: 'VIR-WH-1' })).status).toBe(201);
    await api.advanceTo('2026-04-17T12:00:00Z');
    const opened = await api.call('POST', `/invoices/${d1}/disputes`, { reason: 'Livraison incomplète' });
    expect(opened.status).toBe(201);
    const disputeId = opened.body.dispute.id;
    const upheld = await api.call('POST', `/invoices/${d1}/disputes/${disputeId}/resolve`, { outcome: 'upheld' });
    expect(upheld.status).toBe(200);

    // D2: a promise broken, then a plan broken. D3: a plan kept (paid in full).
    const d2 = await create('WH-2');
    const d3 = await create('WH-3');
    expect((await api.call('POST', `/invoices/${d2}/promises`, { date: '2026-04-21', amount: '100.00' })).status).toBe(201);
    expect((await api.call('POST', `/invoices/${d3}/payment-plan`, { instalments: [{ dueDate: '2026-05-15', amount: '1250.00' }] })).status).toBe(201);
    await api.advanceTo('2026-04-27T12:00:00Z');
    expect((await api.getInvoice(d2)).body.events.map((e: any) => e.type)).toContain('promise_broken');
    expect((await api.call('POST', `/invoices/${d2}/payment-plan`, { instalments: [{ dueDate: '2026-04-30', amount: '1250.00' }] })).status).toBe(201);
    expect((await api.pay(d3, { amount: '1250.00', paidOn: '2026-04-27', reference: 'VIR-WH-3' })).status).toBe(201);
    await api.advanceTo('2026-05-25T12:00:00Z');
    expect((await api.getInvoice(d4)).body.status).toBe('handed_off');
    expect((await api.getInvoice(d2)).body.events.map((e: any) => e.type)).toContain('payment_plan_broken');
    // The receiver's first two answers were 500s: their retries come 30 s and 2 min later.
    await api.advance('PT1H');

    const all = receiver.received.filter((r) => r.path === '/all');
    expect(all.every((r) => r.verified)).toBe(true);
    const types = new Set(all.map((r) => JSON.parse(r.body)['detail-type']));
    expect([...types].sort()).toEqual([...DETAIL_TYPES].sort());
    for (const r of all) {
      const body = JSON.parse(r.body);
      expect(r.headers['amiable-event-type']).toBe(body['detail-type']);
      expect(r.headers['amiable-event-id']).toBe(body.detail.eventId);
      expect(body.detail.creditorId).toBe(sys.creditorId);
    }
    // Each event once per webhook (the stream may redeliver; deliveries are recorded once).
    const ids = all.map((r) => JSON.parse(r.body).id);
    expect(new Set(ids).size).toBe(ids.length);
    const payments = receiver.received.filter((r) => r.path === '/payments');
    expect(payments.length).toBeGreaterThan(0);
    expect(payments.every((r) => r.verified && JSON.parse(r.body)['detail-type'] === 'PaymentRecorded')).toBe(true);

    // The bus: the same events (DossierHandedOff once, by the hand-off itself, with its figures).
    const bus = sys.events().filter((e) => e.source === 'amiable');
    const busIds = new Set(bus.map((e) => (e.detail as any).eventId).filter(Boolean));
    for (const id of ids.filter((x) => !all.find((r) => JSON.parse(r.body).id === x && JSON.parse(r.body)['detail-type'] === 'DossierHandedOff'))) expect(busIds.has(id)).toBe(true);
    expect(bus.filter((e) => e['detail-type'] === 'DossierHandedOff')).toHaveLength(1);

    // A tampered body or an old timestamp fails the receiver's check.
    const sample = all[0];
    const secret = secrets.get('/all')!;
    const header = sample.headers[SIGNATURE_HEADER] as string;
    expect(verifySignature(secret, header, sample.body.replace('"version":1', '"version":2'), Math.floor(Date.now() / 1000))).toBe(false);
    expect(verifySignature(secret, header, sample.body, Math.floor(Date.now() / 1000) + 3600)).toBe(false);
  });

  it('keeps a delivery log per webhook, newest first, paginated, with each attempt', async () => {
    const { api } = local;
    const hook = (await api.call('GET', '/webhooks')).body.items.find((w: any) => w.url.endsWith('/all'));
    const seen: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await api.call('GET', `/webhooks/${hook.id}/deliveries?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    expect(seen.length).toBe(receiver.received.filter((r) => r.path === '/all').length);
    expect(seen.every((d) => d.status === 'delivered')).toBe(true);
    const retried = seen.filter((d) => d.attempts.length > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const d of retried) expect(d.attempts.slice(0, -1).every((a: any) => a.status === 500)).toBe(true);
    expect((await api.call('GET', `/webhooks/${hook.id}/deliveries?cursor=bad!`)).status).toBe(400);

    // Deleted: no more deliveries, its log is gone from the API.
    expect((await api.call('DELETE', `/webhooks/${hook.id}`)).status).toBe(204);
    expect((await api.call('DELETE', `/webhooks/${hook.id}`)).status).toBe(404);
    const toAll = () => receiver.received.filter((r) => r.path === '/all').length;
    const before = toAll();
    expect((await api.createInvoice(invoice({ invoiceNumber: 'WH-AFTER' }))).status).toBe(201);
    expect(toAll()).toBe(before);
  });
});
