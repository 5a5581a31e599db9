import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';

describe('HTTP contract (local mode, same handlers as API Gateway)', () => {
  const local = useLocalSystem({ clockStart: '2026-06-01T10:00:00Z' });

  it('answers 401 in the error format without a key or with an unknown one', async () => {
    for (const key of ['', 'nope']) {
      const r = await local.api.call('POST', '/invoices', invoice(), { 'x-api-key': key });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
      expect(r.body.error.details).toEqual([]);
    }
  });

  it('answers 404 for unknown routes and unknown dossiers', async () => {
    expect((await local.api.call('GET', '/nothing-here')).status).toBe(404);
    expect((await local.api.call('DELETE', '/invoices')).status).toBe(404);
    const r = await local.api.getInvoice('dos_aaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it('answers 400 on malformed JSON', async () => {
    const r = await local.api.call('POST', '/invoices', '{"invoiceNumber": ');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('malformed_json');
  });

  it('lists every invalid field with a dotted path', async () => {
    const bad = invoice({
      amount: '12.345',
      dueDate: '2026-02-30',
      currency: 'USD',
      debtor: { ...invoice().debtor, email: 'not-an-email', siren: '123456789', address: { line1: 'x', postalCode: 'ABC', city: 'Paris' } },
    });
    const r = await local.api.createInvoice(bad);
    expect(r.status).toBe(400);
    const paths = r.body.error.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['amount', 'dueDate', 'currency', 'debtor.email', 'debtor.siren', 'debtor.address.postalCode']));
    for (const d of r.body.error.details) expect(typeof d.message).toBe('string');
    const missing = await local.api.createInvoice({ invoiceNumber: 'X' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual(expect.arrayContaining([{ path: 'debtor', message: 'is required' }]));
  });

  it('is idempotent on the invoice: same content 200 (even "1250.0"), different content 409', async () => {
    const first = await local.api.createInvoice(invoice({ invoiceNumber: 'IDEM-1' }));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ invoiceNumber: 'IDEM-1', status: 'active', stage: null, balance: '1250.00' });
    const again = await local.api.createInvoice(invoice({ invoiceNumber: 'IDEM-1', amount: '1250.0' }));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const different = await local.api.createInvoice(invoice({ invoiceNumber: 'IDEM-1', amount: '1300.00' }));
    expect(different.status).toBe(409);
    expect(different.body.error.details[0].path).toBe('invoiceNumber');
  });

  it('accepts an invoice not yet due and schedules it', async () => {
    const r = await local.api.createInvoice(invoice({ invoiceNumber: 'FUTURE-1', issueDate: '2026-06-01', dueDate: '2026-07-01' }));
    expect(r.status).toBe(201);
    expect(r.body.nextAction.stage).toBe('first_reminder');
    expect(r.body.nextAction.at > '2026-07-01').toBe(true);
    expect(r.body.schedule.map((s: any) => s.stage)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
  });

  it('records payments: 201 new, 200 same reference, 409 above balance, 400 future or invalid', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'PAY-1', amount: '1000.00' }));
    const p1 = await local.api.pay(body.id, { amount: '400.00', paidOn: '2026-05-30', reference: 'R1' });
    expect(p1.status).toBe(201);
    expect(p1.body.balance).toBe('600.00');
    expect(p1.body.status).toBe('active');
    const dup = await local.api.pay(body.id, { amount: '400.00', paidOn: '2026-05-30', reference: 'R1' });
    expect(dup.status).toBe(200);
    expect(dup.body.balance).toBe('600.00');
    const over = await local.api.pay(body.id, { amount: '600.01', paidOn: '2026-05-30', reference: 'R2' });
    expect(over.status).toBe(409);
    const future = await local.api.pay(body.id, { amount: '1.00', paidOn: '2026-06-02', reference: 'R3' });
    expect(future.status).toBe(400);
    expect(future.body.error.details[0].path).toBe('paidOn');
    const invalid = await local.api.pay(body.id, { amount: '-5', paidOn: '2026-05-30', reference: 'R4' });
    expect(invalid.status).toBe(400);
    const rest = await local.api.pay(body.id, { amount: '600', paidOn: '2026-06-01', reference: 'R5' });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ status: 'paid', balance: '0.00', nextAction: null });
    const closed = await local.api.pay(body.id, { amount: '1.00', paidOn: '2026-06-01', reference: 'R6' });
    expect(closed.status).toBe(409);
  });

  it('isolates creditors: another key cannot see the dossier', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'ISO-1' }));
    const { putApiKey } = await import('../../lambdas/adapters/dossier-store');
    await putApiKey('other-creditor-key', 'other-creditor');
    const r = await local.api.call('GET', `/invoices/${body.id}`, undefined, { 'x-api-key': 'other-creditor-key' });
    expect(r.status).toBe(404);
  });

  it('drives the simulated clock: GET, advance, to, PT0S, and refuses going back', async () => {
    const start = (await local.api.now()).body.now;
    const later = await local.api.advance('PT2H');
    expect(later.status).toBe(200);
    expect(Date.parse(later.body.now) - Date.parse(start)).toBe(2 * 3600_000);
    expect((await local.api.now()).body.now).toBe(later.body.now); // frozen between calls
    expect((await local.api.advance('PT0S')).body.now).toBe(later.body.now);
    const back = await local.api.advanceTo('2020-01-01T00:00:00Z');
    expect(back.status).toBe(409);
    expect((await local.api.call('POST', '/_local/clock', { advance: 'ten days' })).status).toBe(400);
    expect((await local.api.call('POST', '/_local/clock', {})).status).toBe(400);
    const to = await local.api.advanceTo('2026-06-10T09:30:00+02:00');
    expect(to.body.now).toBe('2026-06-10T07:30:00.000Z');
  });
});
