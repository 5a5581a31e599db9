import { describe, expect, it } from 'vitest';
import { addBusinessDays, localTimeToInstant } from '../../lambdas/domain/calendar';
import { client, invoice, useLocalSystem } from '../support/local-client';

/**
 * Cancellation and disputes end to end: HTTP routes, the store, the synthesized state machine
 * under the simulated clock, and the SES emulator's outbox.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';

function sentOf(view: any): [string, string][] {
  return view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => [e.stage, e.at]);
}

async function mailsFor(api: ReturnType<typeof client>, invoiceNumber: string): Promise<any[]> {
  return (await api.emails()).filter((m: any) => String(m.subject).includes(invoiceNumber));
}

describe('cancellation in local mode', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('ends the dossier after the first reminder: execution aborted, nothing sent afterwards', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'CANCEL-1' }));
    await local.api.advanceTo('2026-04-08T12:00:00Z');
    expect(await mailsFor(local.api, 'CANCEL-1')).toHaveLength(1);

    const cancelled = await local.api.call('POST', `/invoices/${body.id}/cancel`, { reason: 'Avoir AV-2026-007' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.nextAction).toBeNull();
    expect(cancelled.body.events.at(-1)).toEqual({ type: 'cancelled', at: '2026-04-08T12:00:00.000Z', reason: 'Avoir AV-2026-007' });
    const execution = local.sys.engine.list()[0];
    expect(execution.status).toBe('ABORTED');
    expect(execution.cause).toBe('cancelled');

    await local.api.advance('P90D');
    const view = (await local.api.getInvoice(body.id)).body;
    expect(view.status).toBe('cancelled');
    expect(sentOf(view).map(([s]) => s)).toEqual(['first_reminder']);
    expect(await mailsFor(local.api, 'CANCEL-1')).toHaveLength(1);
    expect(local.sys.engine.list()).toHaveLength(1);
    expect(local.sys.engine.list()[0].status).toBe('ABORTED');

    const again = await local.api.call('POST', `/invoices/${body.id}/cancel`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });
});

describe('dispute rejected in local mode', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('pauses at once, resumes 5 business days after the rejection, then escalates to the hand-off', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'DISP-REJ-1' }));
    await local.api.advanceTo('2026-04-08T12:00:00Z');
    expect(await mailsFor(local.api, 'DISP-REJ-1')).toHaveLength(1);

    const opened = await local.api.call('POST', `/invoices/${body.id}/disputes`, {
      reason: 'La prestation de mars n’a pas été livrée en totalité.',
      disputedAmount: '250.00',
    });
    expect(opened.status).toBe(201);
    expect(opened.body.status).toBe('paused_dispute');
    expect(opened.body.nextAction).toBeNull();
    expect(opened.body.dispute).toEqual({ id: expect.stringMatching(/^dsp_/), status: 'open' });
    const disputeId = opened.body.dispute.id;
    expect(opened.body.events.at(-2)).toEqual({
      type: 'dispute_opened',
      at: '2026-04-08T12:00:00.000Z',
      disputeId,
      reason: 'La prestation de mars n’a pas été livrée en totalité.',
      disputedAmount: '250.00',
    });
    // The debtor gets an acknowledgment of the dispute, kept as evidence like every message.
    expect(opened.body.events.at(-1)).toMatchObject({ type: 'message_sent', kind: 'dispute_acknowledgment', disputeId });
    const ack = (await mailsFor(local.api, 'DISP-REJ-1')).filter((m) => /contestation/.test(m.subject));
    expect(ack).toHaveLength(1);
    expect(ack[0].body.text).toContain('La prestation de mars');
    const first = local.sys.engine.list()[0];
    expect(first.status).toBe('ABORTED');
    expect(first.cause).toBe('dispute');

    // Paused: nothing goes out, though the formal reminder was due on 20 April.
    await local.api.advance('P30D');
    let view = (await local.api.getInvoice(body.id)).body;
    expect(view.status).toBe('paused_dispute');
    expect(sentOf(view)).toHaveLength(1);
    expect(await mailsFor(local.api, 'DISP-REJ-1')).toHaveLength(2); // first reminder + acknowledgment

    const resolvedAt = (await local.api.now()).body.now as string; // 2026-05-08T12:00Z, a Friday (and a holiday)
    const resolved = await local.api.call('POST', `/invoices/${body.id}/disputes/${disputeId}/resolve`, { outcome: 'rejected', reasons: 'La prestation a été livrée conforme au bon de commande signé.' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('active');
    expect(resolved.body.dispute).toEqual({ id: disputeId, status: 'resolved', outcome: 'rejected' });
    const types = resolved.body.events.map((e: any) => e.type);
    // The debtor gets the answer with its reasons (dispute_rejection), kept as evidence like every message.
    expect(types.slice(types.indexOf('dispute_rejected'))).toEqual(['dispute_rejected', 'escalation_resumed', 'message_sent']);
    expect(resolved.body.events.at(-1)).toMatchObject({ kind: 'dispute_rejection', disputeId });
    const earliest = localTimeToInstant(addBusinessDays(resolvedAt.slice(0, 10), 5, 'FR'), '09:00', 'Europe/Paris');
    expect(earliest).toBe('2026-05-18T07:00:00.000Z'); // 11, 12, 13, (14 Ascension), 15, 18 May
    expect(resolved.body.nextAction.stage).toBe('formal_reminder');
    expect(Date.parse(resolved.body.nextAction.at)).toBeGreaterThanOrEqual(Date.parse(earliest));

    // A second execution runs, named "<name>-2".
    const second = local.sys.engine.list().find((r) => r.status === 'RUNNING');
    expect(second?.name).toBe(`${first.name}-2`);

    // Nothing but the answer before the earliest instant.
    await local.api.advanceTo(new Date(Date.parse(earliest) - 1000).toISOString());
    expect(await mailsFor(local.api, 'DISP-REJ-1')).toHaveLength(3);

    await local.api.advance('P90D');
    view = (await local.api.getInvoice(body.id)).body;
    expect(view.status).toBe('handed_off');
    const sent = sentOf(view);
    expect(sent.map(([s]) => s)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    expect(sent[1][1]).toBe(resolved.body.nextAction.at);
    expect(Date.parse(sent[1][1])).toBeGreaterThanOrEqual(Date.parse(earliest));
    for (let i = 1; i < sent.length; i++) expect(Date.parse(sent[i][1])).toBeGreaterThan(Date.parse(sent[i - 1][1]));
    expect(await mailsFor(local.api, 'DISP-REJ-1')).toHaveLength(6); // four stages + acknowledgment + answer

    const runs = local.sys.engine.list();
    expect(runs).toHaveLength(2);
    const resumed = runs.find((r) => r.name.endsWith('-2'));
    expect(resumed?.status).toBe('SUCCEEDED');
    expect(resumed?.trail).toContain('SendLitigationHandoff');
  });
});

describe('dispute upheld in local mode', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('a partial credit note reduces the balance and escalation resumes; upheld in full cancels', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'DISP-UPH-1' }));
    await local.api.advanceTo('2026-04-08T12:00:00Z');

    const opened = await local.api.call('POST', `/invoices/${body.id}/disputes`, { reason: 'Deux jours facturés en trop', disputedAmount: '250.00' });
    expect(opened.status).toBe(201);
    const partial = await local.api.call('POST', `/invoices/${body.id}/disputes/${opened.body.dispute.id}/resolve`, {
      outcome: 'upheld',
      creditNoteAmount: '250.00',
    });
    expect(partial.status).toBe(200);
    expect(partial.body.status).toBe('active');
    expect(partial.body.amount).toBe('1250.00');
    expect(partial.body.balance).toBe('1000.00');
    expect(partial.body.events.find((e: any) => e.type === 'dispute_upheld')).toMatchObject({
      creditNoteAmount: '250.00',
      balance: '1000.00',
    });
    // No extra delay: the formal reminder keeps its policy date.
    expect(partial.body.nextAction).toEqual({ stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' });
    expect(local.sys.engine.list().find((r) => r.status === 'RUNNING')?.name).toMatch(/-2$/);

    await local.api.advanceTo('2026-04-20T08:00:00Z');
    let view = (await local.api.getInvoice(body.id)).body;
    expect(sentOf(view).map(([s]) => s)).toEqual(['first_reminder', 'formal_reminder']);
    expect(await mailsFor(local.api, 'DISP-UPH-1')).toHaveLength(3); // two stages + acknowledgment

    // A second dispute, upheld in full: the dossier is closed.
    const second = await local.api.call('POST', `/invoices/${body.id}/disputes`, { reason: 'Prestation annulée' });
    expect(second.status).toBe(201);
    const full = await local.api.call('POST', `/invoices/${body.id}/disputes/${second.body.dispute.id}/resolve`, { outcome: 'upheld' });
    expect(full.status).toBe(200);
    expect(full.body.status).toBe('cancelled');
    expect(full.body.nextAction).toBeNull();
    expect(full.body.events.map((e: any) => e.type)).toContain('dispute_upheld');

    await local.api.advance('P90D');
    view = (await local.api.getInvoice(body.id)).body;
    expect(view.status).toBe('cancelled');
    expect(sentOf(view)).toHaveLength(2);
    expect(await mailsFor(local.api, 'DISP-UPH-1')).toHaveLength(4); // two stages + two acknowledgments
    expect(local.sys.engine.list().every((r) => r.status === 'ABORTED')).toBe(true);
  });

  it('a credit note equal to the balance closes the dossier', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'DISP-UPH-2', amount: '300.00' }));
    const opened = await local.api.call('POST', `/invoices/${body.id}/disputes`, { reason: 'Facture erronée' });
    const res = await local.api.call('POST', `/invoices/${body.id}/disputes/${opened.body.dispute.id}/resolve`, {
      outcome: 'upheld',
      creditNoteAmount: '300.00',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(res.body.balance).toBe('0.00');
  });
});

describe('cancellation and dispute errors', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('answers 400, 404 and 409 in the contract format', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'DISP-ERR-1' }));
    const id = body.id;

    let r = await local.api.call('POST', `/invoices/${id}/disputes`, { reason: '', disputedAmount: 'abc' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect([...new Set(r.body.error.details.map((d: any) => d.path))].sort()).toEqual(['disputedAmount', 'reason']);
    r = await local.api.call('POST', `/invoices/${id}/disputes`, { reason: 'x'.repeat(2001) });
    expect(r.status).toBe(400);
    r = await local.api.call('POST', `/invoices/${id}/disputes`, '{not json');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('malformed_json');
    r = await local.api.call('POST', `/invoices/${id}/cancel`, {});
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ path: 'reason', message: 'is required' }]);

    r = await local.api.call('POST', `/invoices/dos_aaaaaaaaaaaaaaaaaaaaaaaaaa/disputes`, { reason: 'x' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    r = await local.api.call('POST', `/invoices/dos_aaaaaaaaaaaaaaaaaaaaaaaaaa/cancel`, { reason: 'x' });
    expect(r.status).toBe(404);
    r = await local.api.call('POST', `/invoices/${id}/disputes/dsp_unknown/resolve`, { outcome: 'rejected', reasons: 'La prestation a été livrée conforme au bon de commande signé.' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');

    const opened = await local.api.call('POST', `/invoices/${id}/disputes`, { reason: 'Montant contesté' });
    expect(opened.status).toBe(201);
    const disputeId = opened.body.dispute.id;
    r = await local.api.call('POST', `/invoices/${id}/disputes`, { reason: 'Encore' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('conflict');

    r = await local.api.call('POST', `/invoices/${id}/disputes/${disputeId}/resolve`, { outcome: 'maybe' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: any) => d.path)).toEqual(['outcome']);
    r = await local.api.call('POST', `/invoices/${id}/disputes/${disputeId}/resolve`, { outcome: 'rejected' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: any) => d.path)).toEqual(['reasons']);
    r = await local.api.call('POST', `/invoices/${id}/disputes/${disputeId}/resolve`, { outcome: 'rejected', creditNoteAmount: '10.00' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: any) => d.path)).toEqual(['creditNoteAmount']);
    r = await local.api.call('POST', `/invoices/${id}/disputes/${disputeId}/resolve`, { outcome: 'upheld', creditNoteAmount: '5000.00' });
    expect(r.status).toBe(409);
    expect(r.body.error.details.map((d: any) => d.path)).toEqual(['creditNoteAmount']);

    r = await local.api.call('POST', `/invoices/${id}/disputes/${disputeId}/resolve`, { outcome: 'rejected', reasons: 'La prestation a été livrée conforme au bon de commande signé.' });
    expect(r.status).toBe(200);
    r = await local.api.call('POST', `/invoices/${id}/disputes/${disputeId}/resolve`, { outcome: 'rejected', reasons: 'La prestation a été livrée conforme au bon de commande signé.' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('conflict');

    r = await local.api.call('POST', `/invoices/${id}/cancel`, { reason: 'Avoir' });
    expect(r.status).toBe(200);
    r = await local.api.call('POST', `/invoices/${id}/cancel`, { reason: 'Avoir' });
    expect(r.status).toBe(409);
    r = await local.api.call('POST', `/invoices/${id}/disputes`, { reason: 'Trop tard' });
    expect(r.status).toBe(409);

    // Another creditor's (or no) key: the contract's 401.
    r = await local.api.call('POST', `/invoices/${id}/cancel`, { reason: 'x' }, { 'x-api-key': 'nope' });
    expect(r.status).toBe(401);
  });
});
