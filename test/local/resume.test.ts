import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * Out of needs_attention: a hard bounce pauses e-mail to the debtor; the creditor corrects the
 * address and resumes. The pause is lifted for that debtor, the escalation goes on in a new
 * execution, and the next notice goes to the corrected address.
 */
describe('resume after a hard bounce', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('requires a corrected address, lifts the pause, and mails the new address from then on', async () => {
    const { api, sys } = local;
    const { body } = await api.createInvoice(invoice({ invoiceNumber: 'RESUME-1' }));
    const other = (await api.createInvoice(invoice({ invoiceNumber: 'RESUME-2', dueDate: '2026-04-10' }))).body;
    await api.advanceTo('2026-04-08T12:00:00Z');
    const first = (await api.getInvoice(body.id)).body.events.find((e: any) => e.type === 'notice_sent');
    const bounced = await api.call('POST', '/_local/ses/events', { messageId: first.messageId, type: 'Bounce', bounceType: 'Permanent' });
    expect(bounced.status).toBe(202);
    expect((await api.getInvoice(body.id)).body.status).toBe('needs_attention');

    // Same debtor (SIREN), second invoice: its first reminder is held and flags it too.
    await api.advanceTo('2026-04-14T12:00:00Z');
    expect((await api.getInvoice(other.id)).body.status).toBe('needs_attention');

    const active = await api.call('POST', `/invoices/${body.id}/resume`, {});
    expect(active.status).toBe(409);
    expect(active.body.error.details).toEqual([
      { path: 'debtorEmail', message: 'required and different from compta@boulangerie-dupont.example' },
    ]);
    const bad = await api.call('POST', `/invoices/${body.id}/resume`, { debtorEmail: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('debtorEmail');

    const resumed = await api.call('POST', `/invoices/${body.id}/resume`, {
      debtorEmail: 'factures@boulangerie-dupont.example',
      note: 'Adresse corrigée au téléphone avec M. Dupont',
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('active');
    const types = resumed.body.events.map((e: any) => e.type);
    expect(types.slice(-3)).toEqual(['debtor_email_changed', 'email_pause_lifted', 'escalation_resumed']);
    expect(resumed.body.events.at(-1)).toMatchObject({ note: 'Adresse corrigée au téléphone avec M. Dupont', nextStage: 'formal_reminder' });
    expect(resumed.body.nextAction).toEqual({ stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' });
    expect(sys.engine.list().find((r) => r.input?.dossierId === body.id && r.status === 'RUNNING')?.name).toMatch(/-2$/);

    // The pause is lifted for the debtor: the second invoice resumes without a new address.
    const second = await api.call('POST', `/invoices/${other.id}/resume`, {});
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('active');

    await api.advanceTo('2026-04-20T12:00:00Z');
    const view = (await api.getInvoice(body.id)).body;
    const reminder = view.events.filter((e: any) => e.type === 'notice_sent').at(-1);
    expect(reminder).toMatchObject({ stage: 'formal_reminder', to: 'factures@boulangerie-dupont.example' });
    const mails = (await api.emails()).filter((m: any) => /RESUME-1/.test(m.subject));
    expect(mails.at(-1).destination.to).toEqual(['"Boulangerie Dupont SARL" <factures@boulangerie-dupont.example>']);

    const again = await api.call('POST', `/invoices/${body.id}/resume`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ path: 'status', message: 'active' }]);
  });
});

describe('a workflow that cannot be started', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('flags the dossier instead of leaving it stalled; resume starts it', async () => {
    const { api, sys } = local;
    const { body } = await api.createInvoice(invoice({ invoiceNumber: 'NOSTART-1' }));
    await api.advanceTo('2026-04-08T12:00:00Z');
    // Fault injection by configuration: the handlers address a state machine that does not exist.
    const arn = process.env.STATE_MACHINE_ARN!;
    process.env.STATE_MACHINE_ARN = `${arn}-missing`;
    let made;
    try {
      made = await api.call('POST', `/invoices/${body.id}/promises`, { date: '2026-04-24', amount: '1250.00' });
    } finally {
      process.env.STATE_MACHINE_ARN = arn;
    }
    expect(made.status).toBe(503);
    expect(made.body.error.code).toBe('workflow_not_started');
    let view = (await api.getInvoice(body.id)).body;
    expect(view.status).toBe('needs_attention');
    expect(view.events.at(-1).reason).toMatch(/could not be started: StateMachineDoesNotExist/);
    // The injected fault hid the first execution from the stop too: it still waits.
    const first = sys.engine.list().filter((r) => r.status === 'RUNNING');
    expect(first.map((r) => r.name)).toEqual([expect.not.stringMatching(/-\d$/)]);

    const resumed = await api.call('POST', `/invoices/${body.id}/resume`, { note: 'relance du workflow' });
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('promised');
    expect(resumed.body.nextAction).toEqual({ stage: 'promise_check', at: '2026-04-28T07:00:00.000Z' });
    // One running execution per dossier: the resume stopped the first and started "-2" (the name
    // that never started).
    const runs = sys.engine.list();
    expect(runs.find((r) => r.name === first[0].name)).toMatchObject({ status: 'ABORTED', cause: 'resumed' });
    expect(runs.filter((r) => r.status === 'RUNNING').map((r) => r.name)).toEqual([`${first[0].name}-2`]);
    await api.advanceTo('2026-04-28T12:00:00Z');
    view = (await api.getInvoice(body.id)).body;
    expect(view.events.map((e: any) => e.type)).toContain('promise_broken');
  });
});
