import { describe, expect, it } from 'vitest';
import { client, invoice, useLocalSystem } from '../support/local-client';

/**
 * The synthesized state machine executed by the local engine against the emulators, under the
 * simulated clock: the worked example of the schedule end to end.
 */
describe('full escalation in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('sends the three notices and hands off at the scheduled instants, nothing else', async () => {
    const created = await local.api.createInvoice(invoice());
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.schedule).toEqual([
      { stage: 'first_reminder', at: '2026-04-07T07:00:00.000Z' },
      { stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' },
      { stage: 'formal_notice', at: '2026-05-04T07:00:00.000Z' },
      { stage: 'litigation_handoff', at: '2026-05-13T07:00:00.000Z' },
    ]);
    expect(created.body.nextAction).toEqual({ stage: 'first_reminder', at: '2026-04-07T07:00:00.000Z' });

    // Just before the first reminder: nothing sent.
    await local.api.advanceTo('2026-04-07T06:59:59Z');
    expect(await local.api.emails()).toHaveLength(0);

    await local.api.advanceTo('2026-04-07T07:00:00Z');
    let view = (await local.api.getInvoice(id)).body;
    expect(view.stage).toBe('first_reminder');
    expect(view.events.filter((e: any) => e.type === 'notice_sent')).toEqual([
      expect.objectContaining({ stage: 'first_reminder', at: '2026-04-07T07:00:00.000Z' }),
    ]);
    expect(await local.api.emails()).toHaveLength(1);

    const done = await local.api.advance('P60D');
    expect(done.status).toBe(200);
    view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    expect(view.nextAction).toBeNull();
    const sent = view.events.filter((e: any) => e.type === 'notice_sent');
    expect(sent.map((e: any) => [e.stage, e.at])).toEqual([
      ['first_reminder', '2026-04-07T07:00:00.000Z'],
      ['formal_reminder', '2026-04-20T07:00:00.000Z'],
      ['formal_notice', '2026-05-04T07:00:00.000Z'],
      ['litigation_handoff', '2026-05-13T07:00:00.000Z'],
    ]);
    expect(view.deadline).toBe('2026-05-12');

    const mails = await local.api.emails();
    expect(mails).toHaveLength(4);
    const subjects = mails.map((m: any) => m.subject);
    for (const s of subjects) expect(s).toContain('F-2026-0042');
    expect(subjects[2]).toMatch(/Mise en demeure/);
    // The hand-off goes to the creditor's litigation contact, never to the debtor.
    expect(JSON.stringify(mails[3].destination ?? mails[3].to)).toContain('contentieux@fontaine-avocats.example');
    expect(JSON.stringify(mails[3].destination ?? mails[3].to)).not.toContain('boulangerie-dupont');

    const execution = local.sys.engine.list()[0];
    expect(execution.status).toBe('SUCCEEDED');
    // 9 transitions: the route once, then the chain of stages (no choice between a send and the
    // following wait); the hand-off step ends the execution itself (no terminal state after it).
    expect(execution.trail).toEqual([
      ...['RouteToNextStage', 'WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder', 'SendFormalReminder'],
      ...['WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff'],
    ]);
    expect((execution.output as any).next.outcome).toBe('handed_off');
  });
});

describe('early full payment in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('stops the execution at once and never sends anything after the payment', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'F-EARLY-1' }));
    await local.api.advanceTo('2026-04-08T12:00:00Z');
    expect(await local.api.emails()).toHaveLength(1);

    const paid = await local.api.pay(body.id, { amount: '1250.0', paidOn: '2026-04-08', reference: 'VIR-778' });
    expect(paid.status).toBe(201);
    expect(paid.body.status).toBe('paid');
    expect(paid.body.balance).toBe('0.00');
    expect(paid.body.nextAction).toBeNull();
    const execution = local.sys.engine.list()[0];
    expect(execution.status).toBe('ABORTED');
    expect(execution.cause).toBe('paid');

    await local.api.advance('P90D');
    const view = (await local.api.getInvoice(body.id)).body;
    expect(view.events.filter((e: any) => e.type === 'notice_sent')).toHaveLength(1);
    const types = view.events.map((e: any) => e.type);
    // After the settling payment: only the receipt, which the issue requires.
    // Only the first reminder (principal only) went out: the accessories were never claimed, so the
    // principal closes the dossier and their waiver is recorded, and stated on the receipt.
    expect(types.slice(types.indexOf('payment_recorded'))).toEqual(['payment_recorded', 'accessories_waived', 'paid', 'message_sent']);
    expect(view.events.at(-1)).toMatchObject({ kind: 'payment_receipt', reference: 'VIR-778', to: 'compta@boulangerie-dupont.example' });
    const mails = await local.api.emails();
    expect(mails).toHaveLength(2);
    const receipts = mails.filter((m: any) => /Accusé de réception de votre paiement|reçu/i.test(m.subject));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].body.text.replace(/\s+/g, ' ')).toMatch(/dues de plein droit, nous y renonçons : elles ne vous sont pas réclamées/);
  });
});

describe('a step that cannot succeed', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('is caught by the generic Catch: the dossier is flagged needs_attention, nothing is sent', async () => {
    // A creditor whose profile was never set up: the send cannot render a lawful notice.
    const { putApiKey } = await import('../../lambdas/adapters/dossier-store');
    await putApiKey('ghost-key', 'ghost-creditor');
    const ghost = client({ ...local.sys, apiKey: 'ghost-key' });
    const { body } = await ghost.createInvoice(invoice({ invoiceNumber: 'GHOST-1' }));
    await ghost.advance('P10D');
    const v = (await ghost.getInvoice(body.id)).body;
    expect(v.status).toBe('needs_attention');
    expect(v.nextAction).toBeNull();
    const flagged = v.events.find((e: any) => e.type === 'needs_attention');
    expect(flagged.reason).toMatch(/DossierNotFound/);
    expect(await ghost.emails()).toHaveLength(0);
    const execution = local.sys.engine.list()[0];
    expect(execution.status).toBe('FAILED');
    expect(execution.trail.slice(-3)).toEqual(['SendFirstReminder', 'MarkNeedsAttention', 'EscalationFailed']);

    // A payment still settles it; the receipt cannot be written (no creditor profile), which is
    // recorded for a person to follow up without undoing the payment.
    const paid = await ghost.pay(body.id, { amount: '1250.00', paidOn: '2026-04-14', reference: 'VIR-GHOST' });
    expect(paid.status).toBe(201);
    expect(paid.body.status).toBe('paid');
    expect(paid.body.events.at(-1)).toMatchObject({ type: 'message_failed', kind: 'payment_receipt', reason: expect.stringMatching(/creditor ghost-creditor not found/) });
    expect(await ghost.emails()).toHaveLength(0);
  });
});
