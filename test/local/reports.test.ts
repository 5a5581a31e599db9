import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * GET /reports/summary in local mode: the figures recomputed here from the dossiers themselves
 * (GET /invoices/{id}) agree to the cent; PUT /reports/receivables feeds DSO.
 */
const CLOCK_START = '2026-04-06T08:00:00Z'; // Monday

const cents = (s: string) => Math.round(Number(s) * 100);
const euros = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

describe('GET /reports/summary (local mode)', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('agrees with the dossiers to the cent, and answers 400 for a future asOf or an empty period', async () => {
    const { api } = local;
    const ids: string[] = [];
    for (const [n, due, amount] of [
      [1, '2026-01-15', '1000.00'],
      [2, '2026-03-20', '250.50'],
      [3, '2026-04-03', '99.99'],
      [4, '2026-05-30', '40.00'],
    ] as const) {
      const r = await api.createInvoice(invoice({ invoiceNumber: `REP-${n}`, issueDate: '2026-01-01', dueDate: due, amount }));
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    await api.advance('P10D');
    expect((await api.pay(ids[0], { amount: '300.00', paidOn: '2026-04-15', reference: 'V1' })).status).toBe(201);
    expect((await api.pay(ids[2], { amount: '99.99', paidOn: '2026-04-14', reference: 'V2' })).status).toBe(201);
    const now = (await api.now()).body.now as string;
    const today = now.slice(0, 10);

    const res = await api.call('GET', `/reports/summary?asOf=${today}&since=2026-04-06T00:00:00Z`);
    expect(res.status).toBe(200);
    const r = res.body;
    const views = await Promise.all(ids.map(async (id) => (await api.getInvoice(id)).body));
    const open = views.filter((v) => v.status !== 'paid' && v.status !== 'cancelled' && cents(v.balance) > 0);
    expect(r.portfolio.open).toEqual({ count: open.length, balance: euros(open.reduce((s, v) => s + cents(v.balance), 0)) });
    const bucket = (due: string) => {
      const d = (Date.parse(today) - Date.parse(due)) / 86_400_000;
      return d <= 0 ? 'not_due' : d <= 30 ? '1-30' : d <= 60 ? '31-60' : d <= 90 ? '61-90' : '90+';
    };
    for (const b of r.portfolio.aging) {
      const inB = open.filter((v) => bucket(v.dueDate) === b.bucket);
      expect(b, b.bucket).toEqual({ bucket: b.bucket, count: inB.length, balance: euros(inB.reduce((s, v) => s + cents(v.balance), 0)) });
    }
    // Collected: payments dated 2026-04-06 .. the day before today.
    expect(r.portfolio.collected).toMatchObject({ from: '2026-04-06', count: 2, amount: '399.99' });
    expect(r.happened.paymentsReceived.count).toBe(2);
    expect(r.portfolio.dso).toMatchObject({ days: null, reason: expect.stringContaining('PUT /reports/receivables') });
    expect(r.evidence.root).toMatch(/^[0-9a-f]{64}$/);

    expect((await api.call('GET', '/reports/summary?asOf=2099-01-01')).status).toBe(400);
    expect((await api.call('GET', `/reports/summary?since=2099-01-01T00:00:00Z`)).body.error.details[0].path).toBe('since');
    expect((await api.call('GET', '/reports/summary?nope=1')).body.error.details[0].path).toBe('nope');
  });

  it('computes DSO by the countback method from the months given', async () => {
    const { api } = local;
    expect((await api.call('PUT', '/reports/receivables/2026-03', { creditSales: '100000.00', totalReceivables: '212000.00' })).status).toBe(200);
    expect((await api.call('PUT', '/reports/receivables/2026-02', { creditSales: '80000.00' })).status).toBe(200);
    let r = (await api.call('GET', '/reports/summary')).body;
    expect(r.portfolio.dso).toMatchObject({ days: null, atEndOf: '2026-03', reason: expect.stringContaining('2026-01') });
    const put = await api.call('PUT', '/reports/receivables/2026-01', { creditSales: '70000.00' });
    expect(put.body).toEqual({ month: '2026-01', creditSales: '70000.00', totalReceivables: null });
    r = (await api.call('GET', '/reports/summary')).body;
    // 212,000 - 100,000 (31 d) - 80,000 (28 d) = 32,000; 32,000 / 70,000 x 31 = 14.17 -> 73.17.
    expect(r.portfolio.dso).toEqual({ days: '73.17', method: 'countback', atEndOf: '2026-03' });
    expect((await api.call('PUT', '/reports/receivables/2026-13', { creditSales: '1.00' })).status).toBe(400);
    expect((await api.call('PUT', '/reports/receivables/2026-01', { creditSales: '-1' })).body.error.details[0].path).toBe('creditSales');
  });
});
