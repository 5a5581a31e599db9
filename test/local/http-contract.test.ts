import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';

describe('HTTP contract (local mode, same handlers as API Gateway)', () => {
  // Every answer of this file is checked against docs/openapi.yaml (route, status, body schema).
  const local = useLocalSystem({ clockStart: '2026-06-01T10:00:00Z' }, 'enforce');

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

  it('answers 413 in the error format for a body over the route\'s limit, before any work', async () => {
    const over = JSON.stringify(invoice({ invoiceNumber: 'BIG-1', notes: 'x'.repeat(1024 * 1024) }));
    const r = await local.api.call('POST', '/invoices', over);
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual({
      code: 'payload_too_large',
      message: 'Request body exceeds 1048576 bytes.',
      details: [{ path: '', message: 'the body of this route may not exceed 1048576 bytes' }],
    });
    // Nothing was done: the invoice does not exist, and the server still answers on a new request.
    const list = await local.api.call('GET', '/invoices?q=BIG-1');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    // The acceptance route carries a document: its limit is larger (6 MiB - 64 KiB), a 1.5 MiB body passes the size check.
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'BIG-2' }));
    const doc = { acceptedOn: '2026-06-01', kind: 'email', document: { filename: 'a.eml', contentType: 'message/rfc822', contentBase64: 'QUFB'.repeat(400_000) } };
    expect((await local.api.call('POST', `/invoices/${body.id}/payment-plan/acceptance`, doc)).status).not.toBe(413);
    const tooBig = { ...doc, document: { ...doc.document, contentBase64: 'QUFB'.repeat(1_600_000) } };
    expect((await local.api.call('POST', `/invoices/${body.id}/payment-plan/acceptance`, tooBig)).status).toBe(413);
  });

  it('accepts an invoice not yet due and schedules it', async () => {
    const r = await local.api.createInvoice(invoice({ invoiceNumber: 'FUTURE-1', issueDate: '2026-06-01', dueDate: '2026-07-01' }));
    expect(r.status).toBe(201);
    expect(r.body.nextAction.stage).toBe('first_reminder');
    expect(r.body.nextAction.at > '2026-07-01').toBe(true);
    expect(r.body.schedule.map((s: any) => s.stage)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
  });

  it('records payments: 201 new, 200 same reference, 409 same reference with another amount, 409 above balance, 400 future or invalid', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'PAY-1', amount: '1000.00' }));
    const p1 = await local.api.pay(body.id, { amount: '400.00', paidOn: '2026-05-30', reference: 'R1' });
    expect(p1.status).toBe(201);
    expect(p1.body.balance).toBe('600.00');
    expect(p1.body.status).toBe('active');
    const dup = await local.api.pay(body.id, { amount: '400.00', paidOn: '2026-05-30', reference: 'R1' });
    expect(dup.status).toBe(200);
    expect(dup.body.balance).toBe('600.00');
    const sameRefOtherAmount = await local.api.pay(body.id, { amount: '450.00', paidOn: '2026-05-30', reference: 'R1' });
    expect(sameRefOtherAmount.status).toBe(409);
    expect(sameRefOtherAmount.body.error.details).toEqual([{ path: 'amount', message: 'payment R1 was recorded with amount 400.00' }]);
    expect((await local.api.getInvoice(body.id)).body.balance).toBe('600.00');
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
    // The clock stays within 2000-01-01 .. 2100-12-31 (a jump to year 275760 once broke every intake).
    for (const body of [{ to: '+275760-09-13T00:00:00Z' }, { to: '2101-01-01T00:00:00Z' }, { advance: 'P100Y' }]) {
      const far = await local.api.call('POST', '/_local/clock', body);
      expect(far.status, JSON.stringify(body)).toBe(400);
      expect(far.body.error.details[0].path).toBe(Object.keys(body)[0]);
    }
    expect((await local.api.now()).body.now).toBe(to.body.now);
    expect((await local.api.createInvoice(invoice({ invoiceNumber: 'CLOCK-1' }))).status).toBe(201);
  });
});
