import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { putApiKey, putCreditor } from '../../lambdas/adapters/dossier-store';
import { DEMO_PROFILE_PATH, loadCreditorProfile } from '../../local/creditor-profile';
import { client, invoice, useLocalSystem } from '../support/local-client';

/**
 * Promises to pay and payment plans end to end: HTTP routes, the synthesized state machine under
 * the simulated clock (commitment checkpoints), and the SES emulator's outbox.
 * The invoice is due Friday 2026-04-03; the first reminder goes out Tuesday 7 April.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';

type Api = ReturnType<typeof client>;

function stagesSent(view: any): [string, string][] {
  return view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => [e.stage, e.at]);
}

function types(view: any): string[] {
  return view.events.map((e: any) => e.type);
}

async function mailsFor(api: Api, invoiceNumber: string): Promise<any[]> {
  return (await api.emails()).filter((m: any) => String(m.subject).includes(invoiceNumber));
}

async function afterFirstReminder(api: Api, invoiceNumber: string, overrides: Record<string, any> = {}) {
  const { body } = await api.createInvoice(invoice({ invoiceNumber, ...overrides }));
  await api.advanceTo('2026-04-08T12:00:00Z');
  expect(stagesSent((await api.getInvoice(body.id)).body).map(([s]) => s)).toEqual(['first_reminder']);
  return body.id as string;
}

describe('promise to pay, broken', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('pauses until the date plus 2 business days, then resumes the escalation in the same execution', async () => {
    const id = await afterFirstReminder(local.api, 'PRM-BROKEN');
    const res = await local.api.call('POST', `/invoices/${id}/promises`, { date: '2026-04-24', amount: '1250.00' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('promised');
    // Friday 24 April + 2 business days = Tuesday 28 April, at the send window's opening (09:00 Paris).
    expect(res.body.promise).toEqual({
      id: expect.stringMatching(/^prm_/),
      date: '2026-04-24',
      amount: '1250.00',
      checkAt: '2026-04-28T07:00:00.000Z',
      status: 'pending',
    });
    expect(res.body.nextAction).toEqual({ stage: 'promise_check', at: '2026-04-28T07:00:00.000Z' });
    expect(types(res.body).slice(-2)).toEqual(['promise_recorded', 'message_sent']);
    expect(res.body.events.at(-1)).toMatchObject({ kind: 'promise_confirmation', to: 'compta@boulangerie-dupont.example' });

    // The same promise again (a retried request): 200, nothing changes, nothing is sent.
    const again = await local.api.call('POST', `/invoices/${id}/promises`, { date: '2026-04-24', amount: '1250.00' });
    expect(again.status).toBe(200);
    expect(again.body.promise.id).toBe(res.body.promise.id);
    expect(again.body.events).toEqual(res.body.events);

    const runs = local.sys.engine.list();
    expect(runs).toHaveLength(2);
    expect(runs.find((r) => !r.name.endsWith('-2'))).toMatchObject({ status: 'ABORTED', cause: 'promise' });
    expect(runs.find((r) => r.name.endsWith('-2'))?.status).toBe('RUNNING');
    const confirmation = (await mailsFor(local.api, 'PRM-BROKEN')).filter((m) => /engagement de paiement/.test(m.subject));
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0].body.text).toContain('24 avril 2026');

    // The formal reminder was due on 20 April: nothing while the promise runs.
    await local.api.advanceTo('2026-04-28T06:59:00Z');
    let view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('promised');
    expect(stagesSent(view)).toHaveLength(1);

    await local.api.advanceTo('2026-04-28T12:00:00Z');
    view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('active');
    expect(view.promises[0].status).toBe('broken');
    const t = types(view);
    expect(t.slice(t.indexOf('promise_broken'))).toEqual(['promise_broken', 'escalation_resumed', 'notice_sent']);
    expect(stagesSent(view)).toEqual([
      ['first_reminder', '2026-04-07T07:00:00.000Z'],
      ['formal_reminder', '2026-04-28T07:00:00.000Z'],
    ]);

    await local.api.advance('P60D');
    view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    expect(stagesSent(view).map(([s]) => s)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    const resumed = local.sys.engine.list().find((r) => r.name.endsWith('-2'));
    expect(resumed?.status).toBe('SUCCEEDED');
    // One checkpoint planned (the promise's check): the route entered the chain of checkpoints at
    // its last review, which resumed the formal reminder; the route took it into the chain of stages.
    expect(resumed?.trail).toEqual([
      ...['RouteToNextStage', 'WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint', 'RouteToNextStage'],
      ...['WaitForFormalReminder', 'SendFormalReminder', 'WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff'],
    ]);
  });
});

describe('promise to pay, kept', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('kept in part: escalation continues on the remainder after the check', async () => {
    const id = await afterFirstReminder(local.api, 'PRM-KEPT-PART');
    const made = await local.api.call('POST', `/invoices/${id}/promises`, { date: '2026-04-15', amount: '500.00' });
    expect(made.status).toBe(201);
    await local.api.advanceTo('2026-04-14T10:00:00Z');
    const paid = await local.api.pay(id, { amount: '500.00', paidOn: '2026-04-14', reference: 'VIR-PRM-1' });
    expect(paid.status).toBe(201);
    expect(paid.body.status).toBe('promised');
    expect(paid.body.balance).toBe('750.00');

    // 15 April (Wed) + 2 business days = Friday 17 April.
    await local.api.advanceTo('2026-04-17T12:00:00Z');
    const view = (await local.api.getInvoice(id)).body;
    expect(view.promises[0]).toMatchObject({ status: 'kept', checkAt: '2026-04-17T07:00:00.000Z' });
    expect(view.status).toBe('active');
    expect(view.events.find((e: any) => e.type === 'promise_kept')).toMatchObject({ promised: '500.00', paid: '500.00' });
    // The formal reminder keeps its policy date (20 April) and states the remainder.
    expect(view.nextAction).toEqual({ stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' });
    await local.api.advanceTo('2026-04-20T12:00:00Z');
    const reminder = (await mailsFor(local.api, 'PRM-KEPT-PART')).filter((m) => /Relance/.test(m.subject) && !/Première/.test(m.subject));
    expect(reminder.length).toBeGreaterThanOrEqual(1);
    expect(reminder.at(-1).body.text).toContain('750,00');
  });

});

describe('promise to pay, kept in full', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('paid: the waiting execution stops at once, a receipt and nothing else', async () => {
    const id = await afterFirstReminder(local.api, 'PRM-KEPT-FULL');
    await local.api.call('POST', `/invoices/${id}/promises`, { date: '2026-04-22', amount: '1250.00' });
    await local.api.advanceTo('2026-04-21T10:00:00Z');
    const paid = await local.api.pay(id, { amount: '1250.00', paidOn: '2026-04-21', reference: 'VIR-PRM-2' });
    expect(paid.body.status).toBe('paid');
    expect(paid.body.promises[0].status).toBe('settled');
    const running = local.sys.engine.list().filter((r) => r.status === 'RUNNING');
    expect(running.map((r) => r.name)).not.toContain(expect.stringMatching(/PRM-KEPT-FULL/));

    await local.api.advance('P60D');
    const view = (await local.api.getInvoice(id)).body;
    const t = types(view);
    // No letter had claimed the accessories (only the first reminder went out): paying the principal
    // closes the dossier, and the waiver of the penalties and the 40 € is recorded (settlement.ts).
    expect(t.slice(t.indexOf('payment_recorded'))).toEqual(['payment_recorded', 'accessories_waived', 'promise_kept', 'paid', 'message_sent']);
    expect(view.events.find((e: any) => e.type === 'accessories_waived')).toMatchObject({ reason: 'not_claimed', indemnity: '40.00' });
    expect(stagesSent(view)).toHaveLength(1);
    const subjects = (await mailsFor(local.api, 'PRM-KEPT-FULL')).map((m) => m.subject);
    expect(subjects).toHaveLength(3); // first reminder, promise confirmation, receipt
    expect(subjects.filter((s) => /Reçu de paiement/.test(s))).toHaveLength(1);
  });
});

describe('promises and plans refuse bad input', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('answers 400 and 409 with the field at fault, and changes nothing', async () => {
    const id = await afterFirstReminder(local.api, 'PRM-BAD');
    const before = (await local.api.getInvoice(id)).body;
    const cases: [unknown, number, string][] = [
      [{ date: '2026-04-01', amount: '100.00' }, 400, 'date'],
      [{ date: '2026-09-01', amount: '100.00' }, 400, 'date'],
      [{ date: '2026-04-20', amount: '0.00' }, 400, 'amount'],
      [{ date: '2026-04-20' }, 400, 'amount'],
      [{ date: '2026-04-20', amount: '1250.01' }, 409, 'amount'],
    ];
    for (const [body, status, path] of cases) {
      const res = await local.api.call('POST', `/invoices/${id}/promises`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    }
    const plans: [unknown, string][] = [
      [{ instalments: [{ dueDate: '2026-05-05', amount: '600.00' }, { dueDate: '2026-06-05', amount: '600.00' }] }, 'instalments'],
      [{ instalments: [{ dueDate: '2026-06-05', amount: '625.00' }, { dueDate: '2026-05-05', amount: '625.00' }] }, 'instalments.1.dueDate'],
      [{ instalments: [{ dueDate: '2026-04-01', amount: '1250.00' }] }, 'instalments.0.dueDate'],
      [{ instalments: [] }, 'instalments'],
      [{ instalments: [{ dueDate: '2026-05-05', amount: '12,50' }] }, 'instalments.0.amount'],
    ];
    for (const [body, path] of plans) {
      const res = await local.api.call('POST', `/invoices/${id}/payment-plan`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    }
    // A wrong type is not reported as missing; a body that is not an object says so.
    const typed = await local.api.call('POST', `/invoices/${id}/promises`, { date: 20260420, amount: '1.00' });
    expect(typed.body.error.details).toEqual([{ path: 'date', message: 'must be a string' }]);
    const list = await local.api.call('POST', `/invoices/${id}/payment-plan`, []);
    expect(list.body.error.details).toEqual([{ path: '', message: 'the body must be a JSON object' }]);
    const notList = await local.api.call('POST', `/invoices/${id}/payment-plan`, { instalments: 'monthly' });
    expect(notList.body.error.details).toEqual([{ path: 'instalments', message: 'must be a list of { dueDate, amount }' }]);
    const after = (await local.api.getInvoice(id)).body;
    expect(after).toEqual(before);
    expect(local.sys.engine.list().filter((r) => r.status === 'RUNNING')).toHaveLength(1);

    await local.api.pay(id, { amount: '1250.00', paidOn: '2026-04-08', reference: 'VIR-BAD' });
    const closed = await local.api.call('POST', `/invoices/${id}/promises`, { date: '2026-04-20', amount: '10.00' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.details).toEqual([{ path: 'status', message: 'paid' }]);
  });
});

describe('payment plan kept to the end', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('confirms the schedule, reminds 3 days before each instalment, tracks payments, closes when paid', async () => {
    const id = await afterFirstReminder(local.api, 'PLAN-OK');
    const res = await local.api.call('POST', `/invoices/${id}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-05', amount: '416.67' },
        { dueDate: '2026-06-05', amount: '416.67' },
        { dueDate: '2026-07-06', amount: '416.66' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('on_payment_plan');
    // The same plan again (here with `date`, the alias of `dueDate`): 200, nothing changes.
    const same = await local.api.call('POST', `/invoices/${id}/payment-plan`, {
      instalments: res.body.paymentPlan.instalments.map((i: any) => ({ date: i.dueDate, amount: i.amount })),
    });
    expect(same.status).toBe(200);
    expect(same.body.events).toEqual(res.body.events);
    expect(res.body.paymentPlan.instalments.map((i: any) => i.status)).toEqual(['upcoming', 'upcoming', 'upcoming']);
    // C. civ. 2240: the plan alone is not the debtor's acknowledgment (it restarts nothing yet);
    // prescription runs from the issue date until the debtor acts.
    expect(res.body.events.find((e: any) => e.type === 'debt_acknowledged')).toBeUndefined();
    expect(res.body.prescription).toMatchObject({ prescribesOn: '2031-03-04', acknowledgedOn: [] });
    // 5 May - 3 days = Saturday 2 May: the reminder goes at the next opening, Monday 4 May 09:00.
    expect(res.body.nextAction).toEqual({ stage: 'instalment_reminder', at: '2026-05-04T07:00:00.000Z' });
    const confirmation = (await mailsFor(local.api, 'PLAN-OK')).filter((m) => /Échéancier/.test(m.subject));
    expect(confirmation).toHaveLength(1);
    for (const amount of ['416,67', '416,66']) expect(confirmation[0].body.text).toContain(amount);

    await local.api.advanceTo('2026-05-04T12:00:00Z');
    let view = (await local.api.getInvoice(id)).body;
    expect(view.events.at(-1)).toMatchObject({ type: 'message_sent', kind: 'instalment_reminder', instalment: 1 });
    expect(view.nextAction).toEqual({ stage: 'instalment_check', at: '2026-05-07T07:00:00.000Z' });
    await local.api.advanceTo('2026-05-05T10:00:00Z');
    const first = await local.api.pay(id, { amount: '416.67', paidOn: '2026-05-05', reference: 'ECH-1' });
    // The first instalment paid is the debtor's own act: it acknowledges the debt (C. civ. 2240).
    expect(first.body.events.find((e: any) => e.type === 'debt_acknowledged')).toMatchObject({ source: 'first_instalment', paymentReference: 'ECH-1', prescribesOn: '2031-05-05' });
    expect(first.body.prescription).toMatchObject({ prescribesOn: '2031-05-05', acknowledgedOn: ['2026-05-05'] });
    await local.api.advanceTo('2026-06-04T10:00:00Z');
    await local.api.pay(id, { amount: '416.67', paidOn: '2026-06-04', reference: 'ECH-2' });
    view = (await local.api.getInvoice(id)).body;
    expect(view.paymentPlan.instalments.map((i: any) => i.status)).toEqual(['paid', 'paid', 'upcoming']);
    await local.api.advanceTo('2026-07-06T10:00:00Z');
    const last = await local.api.pay(id, { amount: '416.66', paidOn: '2026-07-06', reference: 'ECH-3' });
    expect(last.body.status).toBe('paid');
    expect(last.body.paymentPlan.status).toBe('completed');

    await local.api.advance('P60D');
    view = (await local.api.getInvoice(id)).body;
    expect(stagesSent(view)).toHaveLength(1);
    const reminders = view.events.filter((e: any) => e.kind === 'instalment_reminder');
    // 2 May (Sat) -> 4 May; 2 June (Tue); 3 July (Fri).
    expect(reminders.map((e: any) => e.at)).toEqual(['2026-05-04T07:00:00.000Z', '2026-06-02T07:00:00.000Z', '2026-07-03T07:00:00.000Z']);
    const subjects = (await mailsFor(local.api, 'PLAN-OK')).map((m) => m.subject);
    expect(subjects.filter((s) => /Rappel d’échéance/.test(s))).toHaveLength(3);
    expect(subjects.filter((s) => /Reçu de paiement/.test(s))).toHaveLength(1);
    expect(subjects).toHaveLength(1 + 1 + 3 + 1);
    const plan = local.sys.engine.list().find((r) => r.name.endsWith('-2'));
    expect(plan?.status).toBe('ABORTED');
    expect(plan?.cause).toBe('paid');
    // Six checkpoints planned (three reminders, three checks): the route entered the chain of
    // checkpoints six reviews before its end, once; the last payment stopped the execution while it
    // waited for the third instalment's check, at the chain's last Wait.
    expect(plan?.input.next).toEqual({ stage: 'instalment_reminder', at: '2026-05-04T07:00:00.000Z', left: 6 });
    expect(plan?.trail).toEqual([
      ...['RouteToNextStage', 'WaitForCheckpoint7', 'ReviewCheckpoint7', 'WaitForCheckpoint8', 'ReviewCheckpoint8'],
      ...['WaitForInstalmentReminder', 'ReviewInstalmentReminder', 'WaitForInstalmentCheck', 'ReviewInstalmentCheck'],
      ...['WaitForCommitmentCheckpoint', 'ReviewCommitment', 'WaitForFollowingCheckpoint'],
    ]);
  });
});

describe('payment plan broken after the mise en demeure', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('resumes at the mise en demeure, sent again with a new deadline, then hands off', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'PLAN-BROKEN' }));
    await local.api.advanceTo('2026-05-06T10:00:00Z');
    let view = (await local.api.getInvoice(body.id)).body;
    expect(stagesSent(view).map(([s]) => s)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice']);
    expect(view.deadline).toBe('2026-05-12');
    const firstNotice = view.events.find((e: any) => e.type === 'notice_sent' && e.stage === 'formal_notice');

    const res = await local.api.call('POST', `/invoices/${body.id}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-20', amount: '625.00' },
        { dueDate: '2026-06-19', amount: '625.00' },
      ],
    });
    expect(res.status).toBe(201);
    // The deadline of 12 May passes: no hand-off while the plan runs.
    await local.api.advanceTo('2026-05-19T10:00:00Z');
    await local.api.pay(body.id, { amount: '625.00', paidOn: '2026-05-19', reference: 'ECH-1' });
    await local.api.advanceTo('2026-06-20T10:00:00Z');
    view = (await local.api.getInvoice(body.id)).body;
    expect(view.status).toBe('on_payment_plan');
    expect(view.paymentPlan.instalments.map((i: any) => i.status)).toEqual(['paid', 'due']);
    expect(stagesSent(view)).toHaveLength(3);

    // Friday 19 June + 2 business days = Tuesday 23 June: the plan is broken.
    await local.api.advanceTo('2026-06-23T12:00:00Z');
    view = (await local.api.getInvoice(body.id)).body;
    expect(view.status).toBe('active');
    expect(view.paymentPlan.status).toBe('broken');
    expect(view.paymentPlan.instalments.map((i: any) => i.status)).toEqual(['paid', 'missed']);
    const t = types(view);
    expect(t.slice(t.indexOf('payment_plan_broken'))).toEqual(['payment_plan_broken', 'stage_reopened', 'escalation_resumed', 'notice_sent']);
    expect(view.events.find((e: any) => e.type === 'payment_plan_broken')).toMatchObject({ instalment: 2, expected: '1250.00', paid: '625.00' });
    const notices = view.events.filter((e: any) => e.type === 'notice_sent' && e.stage === 'formal_notice');
    expect(notices.map((e: any) => e.at)).toEqual([firstNotice.at, '2026-06-23T07:00:00.000Z']);
    expect(notices[1].evidenceKey).not.toBe(notices[0].evidenceKey);
    // New deadline: 23 June + 8 days = 1 July.
    expect(view.deadline).toBe('2026-07-01');
    expect(view.balance).toBe('625.00');
    const med = (await mailsFor(local.api, 'PLAN-BROKEN')).filter((m) => /[Mm]ise en demeure/.test(m.subject));
    expect(med).toHaveLength(2);
    expect(med[1].body.text).toContain('au plus tard le 1er juillet 2026');

    await local.api.advance('P30D');
    view = (await local.api.getInvoice(body.id)).body;
    expect(view.status).toBe('handed_off');
    expect(view.events.find((e: any) => e.stage === 'litigation_handoff').at).toBe('2026-07-02T07:00:00.000Z');
    // Four checkpoints planned: the route entered the chain of checkpoints four reviews before its
    // end; the second instalment's check, the last, resumed the mise en demeure: the route jumped
    // into the chain of stages there; the hand-off ended the execution.
    const plan = local.sys.engine.list().find((r) => r.name.endsWith('-2'))!;
    expect(plan.trail).toEqual([
      ...['RouteToNextStage', 'WaitForInstalmentReminder', 'ReviewInstalmentReminder', 'WaitForInstalmentCheck', 'ReviewInstalmentCheck'],
      ...['WaitForCommitmentCheckpoint', 'ReviewCommitment', 'WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint'],
      ...['RouteToNextStage', 'WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff'],
    ]);
    expect(plan.status).toBe('SUCCEEDED');
    expect((plan.output as any).next.outcome).toBe('handed_off');
  });
});

describe('a dispute while a payment plan runs', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('ends the plan and pauses everything; rejected, the escalation resumes 5 business days later', async () => {
    const id = await afterFirstReminder(local.api, 'PLAN-DISPUTE');
    await local.api.call('POST', `/invoices/${id}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-05', amount: '625.00' },
        { dueDate: '2026-06-05', amount: '625.00' },
      ],
    });
    await local.api.advanceTo('2026-04-20T10:00:00Z');
    const opened = await local.api.call('POST', `/invoices/${id}/disputes`, { reason: 'Le lot livré était incomplet' });
    expect(opened.status).toBe(201);
    expect(opened.body.status).toBe('paused_dispute');
    expect(opened.body.paymentPlan.status).toBe('ended');
    expect(opened.body.nextAction).toBeNull();
    expect(local.sys.engine.list().filter((r) => r.status === 'RUNNING')).toHaveLength(0);

    // No instalment reminder while the dispute is open (it was due on 4 May).
    await local.api.advanceTo('2026-05-11T10:00:00Z');
    let view = (await local.api.getInvoice(id)).body;
    expect(view.events.filter((e: any) => e.kind === 'instalment_reminder')).toHaveLength(0);

    const rejected = await local.api.call('POST', `/invoices/${id}/disputes/${opened.body.dispute.id}/resolve`, { outcome: 'rejected', reasons: 'La prestation a été livrée conforme au bon de commande signé.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('active');
    // Monday 11 May + 5 business days (Ascension, Thursday 14 May, skipped) = Tuesday 19 May.
    expect(rejected.body.nextAction).toEqual({ stage: 'formal_reminder', at: '2026-05-19T07:00:00.000Z' });
    await local.api.advanceTo('2026-05-19T12:00:00Z');
    view = (await local.api.getInvoice(id)).body;
    expect(stagesSent(view).map(([s]) => s)).toEqual(['first_reminder', 'formal_reminder']);
  });
});

describe("the creditor's commitment terms", () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('are read from the creditor profile when the promise is made, and validated when the profile is loaded', async () => {
    const profile = loadCreditorProfile(DEMO_PROFILE_PATH);
    await putCreditor({ ...profile, id: 'strict-creditor', commitmentTerms: { promiseToleranceBusinessDays: 0 } });
    await putApiKey('amk_strict_creditor_key', 'strict-creditor');
    const strict = { 'x-api-key': 'amk_strict_creditor_key' };
    const created = await local.api.call('POST', '/invoices', invoice({ invoiceNumber: 'TERMS-1' }), strict);
    const made = await local.api.call('POST', `/invoices/${created.body.id}/promises`, { date: '2026-04-24', amount: '100.00' }, strict);
    expect(made.status).toBe(201);
    expect(made.body.promise.checkAt).toBe('2026-04-24T07:00:00.000Z');

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-terms-')), 'profile.json');
    fs.writeFileSync(file, JSON.stringify({ ...profile, commitmentTerms: { promiseToleranceBusinessDays: 30, graceDays: 1 } }));
    expect(() => loadCreditorProfile(file)).toThrow(/commitmentTerms\.promiseToleranceBusinessDays[\s\S]*commitmentTerms/);
  });
});
