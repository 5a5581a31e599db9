import { describe, expect, it } from 'vitest';
import { CHECKPOINT_CHAIN } from '../../lib/dunning-workflow';
import { metricTotal } from '../../lambdas/adapters/telemetry';
import { resetClients, setClientHook } from '../../lambdas/adapters/aws-clients';
import { loadHandler } from '../../local/handlers';
import { client, invoice, useLocalSystem } from '../support/local-client';
import type { LocalSystem } from '../../local/system';

/**
 * The commitment checkpoints are one chain (lib/dunning-workflow.ts): RouteToNextStage once, then
 * 12 Wait/Review pairs with no Choice in between, the route again after the last. The route enters
 * where as many reviews are left as the execution plans to run (`next.left`). What that design must
 * keep, run on the synthesized state machine under the simulated clock:
 * - a plan kept to the end runs every reminder and check, one route per 12 checkpoints, entered at
 *   whatever checkpoint is due (a reminder, a check), and resumed after the chain by the count the
 *   last review answers;
 * - an early end (a broken plan) leaves the chain at once: the review hands the dossier to a new
 *   execution, whose route takes the escalation back into the chain of stages, and stops its own
 *   (services/execution-continuation.ts endChainEarly), so no pair is passed through; should that
 *   stop fail, the rest of the chain passes the hand-over through, as before;
 * - a payment, a dispute or a cancellation in the middle of the chain stops the execution: nothing
 *   more is sent, nothing is flagged.
 * The invoices (1,250.00) are due Friday 2026-04-03; the plans are agreed on Saturday 4 April,
 * before the first reminder.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';

/** The chain's states, first to last (the last four pairs keep the names of the definition before). */
const CHAIN = [
  ...Array.from({ length: CHECKPOINT_CHAIN - 4 }, (_, i) => [`WaitForCheckpoint${i + 1}`, `ReviewCheckpoint${i + 1}`]).flat(),
  ...['WaitForInstalmentReminder', 'ReviewInstalmentReminder', 'WaitForInstalmentCheck', 'ReviewInstalmentCheck'],
  ...['WaitForCommitmentCheckpoint', 'ReviewCommitment', 'WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint'],
];
const STAGE_CHAIN = [
  ...['WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder', 'SendFormalReminder'],
  ...['WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff'],
];
/** The chain entered with `left` reviews to go. */
const enteredWith = (left: number) => CHAIN.slice(2 * (CHECKPOINT_CHAIN - Math.min(left, CHECKPOINT_CHAIN)));

const SIX = ['2026-05-05', '2026-06-05', '2026-07-06', '2026-08-05', '2026-09-07', '2026-10-05'];
const EIGHT = [...SIX, '2026-11-05', '2026-12-07'];

type Api = ReturnType<typeof client>;

function instalments(dates: string[], totalCents = 125_000) {
  const each = Math.floor(totalCents / dates.length);
  return dates.map((dueDate, k) => ({ dueDate, amount: ((k === dates.length - 1 ? totalCents - each * (dates.length - 1) : each) / 100).toFixed(2) }));
}

async function onPlan(api: Api, invoiceNumber: string, plan: { dueDate: string; amount: string }[]): Promise<string> {
  const id = (await api.createInvoice(invoice({ invoiceNumber }))).body.id as string;
  const res = await api.call('POST', `/invoices/${id}/payment-plan`, { instalments: plan });
  expect(res.status, invoiceNumber).toBe(201);
  return id;
}

function runsOf(sys: LocalSystem, id: string) {
  return sys.engine
    .list()
    .filter((r) => r.input?.dossierId === id)
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
}

async function mailsFor(api: Api, invoiceNumber: string): Promise<any[]> {
  return (await api.emails()).filter((m: any) => String(m.subject).includes(invoiceNumber));
}

describe('payment plans kept to the end, along the chain of checkpoints', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('runs every reminder and check with one route per 12 checkpoints, entered at the checkpoint due', async () => {
    const { api, sys } = local;
    const plans = {
      // 6 reminders and 6 checks: the budgeted plan (issue 15), the whole chain in one entry.
      'CHK-SIX': instalments(SIX),
      // 16 checkpoints: the whole chain, then the route enters it again four reviews before its end.
      'CHK-EIGHT': instalments(EIGHT),
      // The first reminder (3 April) already past: the plan starts at its first check (1 + 2 planned).
      'CHK-CHECK': instalments(['2026-04-06', '2026-05-06']),
    };
    const ids: Record<string, string> = {};
    for (const [number, plan] of Object.entries(plans)) ids[number] = await onPlan(api, number, plan);
    const payments = Object.entries(plans)
      .flatMap(([number, plan]) => plan.map((i, k) => ({ number, ...i, reference: `${number}-${k + 1}` })))
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
    for (const p of payments) {
      await api.advanceTo(`${p.dueDate}T10:00:00Z`);
      const view = (await api.getInvoice(ids[p.number])).body;
      // Nothing stalled: the plan waits for this instalment's check.
      expect(view.status, p.reference).toBe('on_payment_plan');
      expect(view.nextAction?.stage, p.reference).toBe('instalment_check');
      expect((await api.pay(ids[p.number], { amount: p.amount, paidOn: p.dueDate, reference: p.reference })).status, p.reference).toBe(201);
    }
    await api.advance('P30D');

    const expected: Record<string, { left: number; trail: string[]; reminders: number }> = {
      // Route, 11 pairs, and the last Wait, where the last payment stopped it: 24 (26 for the
      // dossier with its first execution's route and wait; the runs of four before took 26 and 28).
      'CHK-SIX': { left: 12, trail: ['RouteToNextStage', ...CHAIN.slice(0, -1)], reminders: 6 },
      'CHK-EIGHT': { left: 16, trail: ['RouteToNextStage', ...CHAIN, 'RouteToNextStage', ...enteredWith(4).slice(0, -1)], reminders: 8 },
      'CHK-CHECK': { left: 3, trail: ['RouteToNextStage', ...enteredWith(3).slice(0, -1)], reminders: 1 },
    };
    for (const [number, e] of Object.entries(expected)) {
      const view = (await api.getInvoice(ids[number])).body;
      expect(view.status, number).toBe('paid');
      expect(view.paymentPlan.status, number).toBe('completed');
      expect(view.events.filter((x: any) => x.kind === 'instalment_reminder'), number).toHaveLength(e.reminders);
      expect(view.events.filter((x: any) => x.type === 'needs_attention'), number).toEqual([]);
      const [first, plan, ...more] = runsOf(sys, ids[number]);
      expect(more, number).toEqual([]);
      expect(first.trail, number).toEqual(['RouteToNextStage', 'WaitForFirstReminder']);
      expect(plan.input.next.left, number).toBe(e.left);
      expect(plan.trail, number).toEqual(e.trail);
      expect(plan, number).toMatchObject({ status: 'ABORTED', cause: 'paid' });
    }
    expect(expected['CHK-SIX'].trail.length + 2).toBe(26);
    // The 12th review of CHK-EIGHT answered how many were left (reminder and check of the last two instalments).
    expect(enteredWith(4)[0]).toBe('WaitForInstalmentReminder');
    expect(enteredWith(3)[0]).toBe('WaitForInstalmentCheck');
  }, 240_000);

  it('an input without a count (the definition before) enters at the last review; a stale execution stops itself, starting nothing', async () => {
    const { api, sys } = local;
    const id = await onPlan(api, 'CHK-STALE', instalments(['2027-03-05', '2027-04-05']));
    const before = (await api.getInvoice(id)).body;
    const now = (await api.now()).body.now as string;
    // Not the dossier's execution: each finds its checkpoint stale and ends, touching nothing.
    const legacy = sys.engine.start('chk-legacy', { dossierId: id, next: { stage: 'instalment_reminder', at: now } });
    const planned = sys.engine.start('chk-planned', { dossierId: id, next: { stage: 'instalment_reminder', at: now, left: 5 } });
    await sys.engine.idle();
    // At the last review: nothing after it to pass through, it ends by the route.
    expect(legacy.trail).toEqual(['RouteToNextStage', 'WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint', 'RouteToNextStage', 'DossierNoLongerActive']);
    expect(legacy.status).toBe('SUCCEEDED');
    expect((legacy.output as any).next).toMatchObject({ outcome: 'not_active', left: 0 });
    // Five planned: its first review stops it (4 pairs and the route not run: 10 transitions fewer).
    expect(planned.trail).toEqual(['RouteToNextStage', ...enteredWith(5).slice(0, 2)]);
    expect(planned).toMatchObject({ status: 'ABORTED', cause: 'not_active' });
    // Nothing started (the dossier's own execution, the plan's, still waits), nothing flagged.
    const runs = runsOf(sys, id);
    expect(runs.map((r) => r.name)).toEqual([runs[0].name, `${runs[0].name}-2`, 'chk-legacy', 'chk-planned']);
    expect(runs[1].status).toBe('RUNNING');
    await sys.executionEvents.idle();
    const verdict = sys.executionEvents.delivered.find((d) => d.event.detail.name === 'chk-planned')?.outcome;
    expect(verdict).toEqual({ outcome: 'superseded', dossierId: id });
    expect((await api.getInvoice(id)).body.events).toEqual(before.events);
    // The pair's second review of the definition before (`prior`, `at`) is still answered, with a count.
    const review = await loadHandler('review-commitment');
    expect(await review({ dossierId: id, executionName: 'any', action: null, prior: 'not_active', at: now })).toEqual({ outcome: 'not_active', nextStage: null, nextAt: now, left: 0 });
  });
});

describe('a plan that ends in the middle of the chain of checkpoints', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('broken: the review hands the dossier to a new execution and stops its own; paid, disputed, cancelled: the execution stops', async () => {
    const { api, sys } = local;
    const unexpected = metricTotal('ExecutionsEndedUnexpectedly', { Status: 'ABORTED' });
    const numbers = ['MID-BROKEN', 'MID-PAID', 'MID-DISPUTE', 'MID-CANCEL'];
    const ids: Record<string, string> = {};
    for (const n of numbers) ids[n] = await onPlan(api, n, instalments(SIX));
    await api.advanceTo('2026-05-05T10:00:00Z');
    for (const n of numbers.slice(1)) await api.pay(ids[n], { amount: '208.33', paidOn: '2026-05-05', reference: `${n}-1` });
    const beforeCheck = (await api.getInvoice(ids['MID-BROKEN'])).body;

    // The first check (Thursday 7 May, 09:00 Paris) breaks MID-BROKEN's plan, second of 12 planned:
    // its review hands the dossier to a new execution (the next generation) and stops its own, so
    // none of the ten pairs after it runs; the new execution's route takes the dossier into the
    // chain of stages, whose first reminder goes out at once.
    await api.advanceTo('2026-05-07T12:00:00Z');
    const broken = (await api.getInvoice(ids['MID-BROKEN'])).body;
    expect(broken.paymentPlan.status).toBe('broken');
    expect(broken.events.slice(beforeCheck.events.length).map((e: any) => e.type)).toEqual(['payment_plan_broken', 'escalation_resumed', 'notice_sent']);
    const [, brokenRun, resumed, ...others] = runsOf(sys, ids['MID-BROKEN']);
    expect(others).toEqual([]);
    expect(brokenRun.input.next.left).toBe(12);
    // Route and two pairs: 5 transitions (the pass-through made it 25, and the route 26).
    expect(brokenRun.trail).toEqual(['RouteToNextStage', ...CHAIN.slice(0, 4)]);
    expect(brokenRun).toMatchObject({ status: 'ABORTED', cause: 'new_generation' });
    expect(resumed.name).toBe(brokenRun.name.replace(/-2$/, '-3'));
    expect(resumed.input).toEqual({ dossierId: ids['MID-BROKEN'], next: { stage: 'first_reminder', at: broken.schedule[0].at } });
    expect(resumed.status).toBe('RUNNING');
    expect(resumed.parked?.state).toBe('WaitForFormalReminder');
    expect(resumed.trail).toEqual(['RouteToNextStage', 'WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder']);
    // The execution-status rule saw a new generation's stop: the dossier points at the new one.
    const brokenVerdict = sys.executionEvents.delivered.find((d) => d.event.detail.name === brokenRun.name)?.outcome;
    expect(brokenVerdict).toEqual({ outcome: 'superseded', dossierId: ids['MID-BROKEN'] });
    // Confirmation, the first instalment's reminder, the first reminder: nothing from the pass-through.
    expect((await mailsFor(api, 'MID-BROKEN')).map((m) => m.subject)).toEqual([
      expect.stringMatching(/Échéancier/),
      expect.stringMatching(/Rappel d’échéance/),
      expect.stringMatching(/MID-BROKEN/),
    ]);

    // The others kept their first instalment: each waits for the second one's reminder, third pair of the chain.
    for (const n of numbers.slice(1)) expect(runsOf(sys, ids[n])[1].parked?.state, n).toBe('WaitForCheckpoint3');
    const mailsBefore = Object.fromEntries(await Promise.all(numbers.slice(1).map(async (n) => [n, (await mailsFor(api, n)).length])));
    expect((await api.pay(ids['MID-PAID'], { amount: '1041.67', paidOn: '2026-05-07', reference: 'MID-PAID-ALL' })).body.status).toBe('paid');
    const dispute = await api.call('POST', `/invoices/${ids['MID-DISPUTE']}/disputes`, { reason: 'Le lot livré était incomplet' });
    expect(dispute.body.status).toBe('paused_dispute');
    const cancel = await api.call('POST', `/invoices/${ids['MID-CANCEL']}/cancel`, { reason: 'Avoir AV-2026-019' });
    expect(cancel.body.status).toBe('cancelled');

    await api.advance('P200D');
    for (const n of numbers.slice(1)) {
      const [, plan, ...more] = runsOf(sys, ids[n]);
      expect(more, n).toEqual([]);
      expect(plan.status, n).toBe('ABORTED');
      expect(plan.trail, n).toEqual(['RouteToNextStage', ...CHAIN.slice(0, 5)]);
      const view = (await api.getInvoice(ids[n])).body;
      expect(view.events.filter((e: any) => e.type === 'needs_attention'), n).toEqual([]);
      expect(view.events.filter((e: any) => e.kind === 'instalment_reminder'), n).toHaveLength(1);
      // A receipt for the payment, an acknowledgment of the dispute or cancellation at most: no reminder, no notice.
      const after = (await mailsFor(api, n)).slice(mailsBefore[n]);
      expect(after.filter((m) => /Rappel|[Mm]ise en demeure|Relance/.test(m.subject)), n).toEqual([]);
      // The execution-status rule saw the product's own stops: nothing flagged.
      const verdicts = sys.executionEvents.delivered.filter((d) => d.event.detail.input.includes(ids[n])).map((d) => (d.outcome as any)?.outcome);
      expect(verdicts, n).not.toContain('flagged');
    }
    expect(runsOf(sys, ids['MID-PAID'])[1].cause).toBe('paid');
    // The broken plan's escalation went on to its hand-off in the new execution, each stage once.
    const handedOff = (await api.getInvoice(ids['MID-BROKEN'])).body;
    expect(handedOff.status).toBe('handed_off');
    expect(handedOff.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(handedOff.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    expect(runsOf(sys, ids['MID-BROKEN'])[2]).toMatchObject({ status: 'SUCCEEDED', trail: ['RouteToNextStage', ...STAGE_CHAIN] });
    // Every stop here was the product's own: none counted as an unexpected end.
    expect(metricTotal('ExecutionsEndedUnexpectedly', { Status: 'ABORTED' })).toBe(unexpected);
  }, 240_000);
});

describe('a broken plan whose review cannot stop its own execution', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('passes the hand-over through the rest of the chain, as before: the new execution carries on, nothing twice, nothing flagged', async () => {
    const { api, sys } = local;
    const id = await onPlan(api, 'MID-NOSTOP', instalments(SIX));
    const plan = runsOf(sys, id)[1];
    // StopExecution of the plan's execution fails (throttled); every other request goes through.
    setClientHook((service, client: any) => {
      if (service !== 'sfn') return;
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input?: any }) => {
          if (context.commandName === 'StopExecutionCommand' && String(args.input?.executionArn).endsWith(`:${plan.name}`)) {
            throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          }
          return next(args);
        },
        { step: 'initialize', name: 'failPlanStop' },
      );
    });
    resetClients();
    try {
      await api.advanceTo('2026-05-07T12:00:00Z');
    } finally {
      setClientHook(undefined);
      resetClients();
    }
    const [, broken, resumed, ...more] = runsOf(sys, id);
    expect(more).toEqual([]);
    expect(broken.status).toBe('SUCCEEDED');
    expect(broken.trail).toEqual(['RouteToNextStage', ...CHAIN, 'RouteToNextStage', 'DossierNoLongerActive']);
    expect((broken.output as any).next).toMatchObject({ outcome: 'continued', left: 0 });
    expect(resumed).toMatchObject({ name: `${plan.name.replace(/-2$/, '')}-3`, status: 'RUNNING', input: { next: { stage: 'first_reminder' } } });
    expect(resumed.parked?.state).toBe('WaitForFormalReminder');
    const view = (await api.getInvoice(id)).body;
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage)).toEqual(['first_reminder']);
    expect(await mailsFor(api, 'MID-NOSTOP')).toHaveLength(3);

    // The same review retried late (its first attempt died after the hand-over): the dossier is no
    // longer its execution's; it answers not_active and starts nothing.
    const review = await loadHandler('review-commitment');
    const out = await review({
      dossierId: id,
      executionName: plan.name,
      executionStartTime: plan.startDate,
      stateMachineArn: sys.synthesized.stateMachineArn,
      action: 'instalment_check',
      next: { outcome: 'continue', stage: 'instalment_check', at: '2026-05-07T07:00:00.000Z', left: 11 },
      pairsAfter: 10,
    });
    expect(out).toMatchObject({ outcome: 'not_active', left: 0 });
    expect(runsOf(sys, id)).toHaveLength(3);
    expect(sys.engine.describe(resumed.arn).status).toBe('RUNNING');
    expect((await api.getInvoice(id)).body.events).toEqual(view.events);
  }, 120_000);
});
