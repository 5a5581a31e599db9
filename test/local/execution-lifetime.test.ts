import { describe, expect, it } from 'vitest';
import { EXECUTION_HORIZON_DAYS } from '../../lambdas/domain/execution-horizon';
import { invoice, useLocalSystem } from '../support/local-client';
import type { LocalSystem } from '../../local/system';

/**
 * No silent end of a workflow, in local mode (same synthesized state machine, simulated clock):
 * a payment plan longer than an execution may last is carried to its end by successive
 * generations, and an execution that fails, or is stopped by anything but Amiable, flags its
 * dossier through the execution status rule (lib/execution-watch.ts -> execution-status).
 * The invoices are due Friday 2026-04-03; the first reminder goes out Tuesday 7 April.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';
const DAY_MS = 86_400_000;

function executionsOf(sys: LocalSystem, dossierId: string) {
  return sys.engine
    .list()
    .filter((r) => r.input?.dossierId === dossierId)
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
}

/** 2026-05-05, 2026-06-05 ... n monthly dates from May 2026. */
function monthlyDates(n: number): string[] {
  return Array.from({ length: n }, (_, k) => {
    const month = 4 + k; // 0-based month index from January 2026
    return `${2026 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-05`;
  });
}

describe('a 23-month payment plan, followed to its last instalment', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('runs in successive executions, none older than the horizon, and closes the dossier when paid', async () => {
    const { api, sys } = local;
    const created = await api.createInvoice(invoice({ invoiceNumber: 'PLAN-23', amount: '2300.00' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await api.advanceTo('2026-04-08T12:00:00Z');
    const dates = monthlyDates(23);
    expect(dates.at(-1)).toBe('2028-03-05');
    const plan = await api.call('POST', `/invoices/${id}/payment-plan`, { instalments: dates.map((dueDate) => ({ dueDate, amount: '100.00' })) });
    expect(plan.status).toBe(201);

    for (const [k, dueDate] of dates.entries()) {
      await api.advanceTo(`${dueDate}T10:00:00Z`);
      const before = (await api.getInvoice(id)).body;
      // Still waiting for this instalment: nothing stalled on the way.
      expect(before.status, dueDate).toBe('on_payment_plan');
      expect(before.nextAction?.stage, dueDate).toBe('instalment_check');
      const paid = await api.pay(id, { amount: '100.00', paidOn: dueDate, reference: `ECH-${k + 1}` });
      expect(paid.status).toBe(201);
      expect(paid.body.status).toBe(k === dates.length - 1 ? 'paid' : 'on_payment_plan');
    }
    await api.advance('P30D');
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('paid');
    expect(view.paymentPlan.status).toBe('completed');
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(view.events.filter((e: any) => e.kind === 'instalment_reminder')).toHaveLength(23);

    const runs = executionsOf(sys, id);
    const summary = runs.map((r) => ({
      name: r.name.replace(/^dun-[a-z0-9]+/, 'dun'),
      status: r.status,
      days: Math.round((Date.parse(r.stopDate!) - Date.parse(r.startDate)) / DAY_MS),
    }));
    console.log(`23-month plan: ${JSON.stringify(summary)}`);
    // Generation 1 escalated until the plan; the plan ran across 2026-04 .. 2028-03 in three.
    expect(summary.map((s) => s.name)).toEqual(['dun', 'dun-2', 'dun-3', 'dun-4']);
    expect(summary.map((s) => s.status)).toEqual(['ABORTED', 'SUCCEEDED', 'SUCCEEDED', 'ABORTED']);
    expect(runs.at(-1)?.cause).toBe('paid');
    for (const s of summary) expect(s.days).toBeLessThanOrEqual(EXECUTION_HORIZON_DAYS);
    // Nothing the status rule had to flag: the stops were the product's own.
    const verdicts = sys.executionEvents.delivered.filter((d) => d.event.detail.input.includes(id)).map((d) => (d.outcome as any)?.outcome);
    expect(verdicts).toEqual(['superseded', 'not_waiting']);
  }, 240_000);
});

describe('a commitment further away than one execution may wait', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('waits for a relay at the horizon, then for the commitment in the next execution', async () => {
    const { api, sys } = local;
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'PLAN-FAR', amount: '1300.00' }))).body.id as string;
    await api.advanceTo('2026-04-08T12:00:00Z');
    const plan = await api.call('POST', `/invoices/${id}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-05', amount: '1000.00' },
        { dueDate: '2027-09-06', amount: '300.00' },
      ],
    });
    expect(plan.status).toBe(201);
    await api.advanceTo('2026-05-05T10:00:00Z');
    await api.pay(id, { amount: '1000.00', paidOn: '2026-05-05', reference: 'FAR-1' });
    // The first check (7 May) finds the next step (the reminder of 3 Sep 2027) beyond the horizon.
    await api.advanceTo('2026-05-08T10:00:00Z');
    let runs = executionsOf(sys, id);
    expect(runs.map((r) => r.status)).toEqual(['ABORTED', 'SUCCEEDED', 'RUNNING']);
    const third = runs[2];
    // Started at the check, it waits for the relay at its own horizon, not for September 2027.
    expect(third.input.next).toEqual({ stage: 'execution_relay', at: new Date(Date.parse(third.startDate) + EXECUTION_HORIZON_DAYS * DAY_MS).toISOString(), left: 1 });
    // The plan's execution planned the two checkpoints before its horizon (the reminder of 2027 lies
    // beyond): it entered the chain of checkpoints two reviews before its end, and the second, the
    // check that handed over, was the last: nothing passed through.
    expect(runs[1].input.next).toEqual({ stage: 'instalment_reminder', at: '2026-05-04T07:00:00.000Z', left: 2 });
    expect(runs[1].trail).toEqual(['RouteToNextStage', 'WaitForCommitmentCheckpoint', 'ReviewCommitment', 'WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint', 'RouteToNextStage', 'DossierNoLongerActive']);
    expect((runs[1].output as any).next).toMatchObject({ outcome: 'continued', left: 0 });
    // The dossier still shows its real next step.
    expect((await api.getInvoice(id)).body.nextAction).toEqual({ stage: 'instalment_reminder', at: '2027-09-03T07:00:00.000Z' });

    await api.advanceTo('2027-09-06T10:00:00Z');
    runs = executionsOf(sys, id);
    expect(runs.map((r) => r.status)).toEqual(['ABORTED', 'SUCCEEDED', 'SUCCEEDED', 'RUNNING']);
    expect(runs[3].input.next).toEqual({ stage: 'instalment_reminder', at: '2027-09-03T07:00:00.000Z', left: 2 });
    // The relay is one checkpoint planned: the chain's last review, then the route ends the execution.
    expect(runs[2].trail).toEqual(['RouteToNextStage', 'WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint', 'RouteToNextStage', 'DossierNoLongerActive']);
    const view = (await api.getInvoice(id)).body;
    expect(view.events.filter((e: any) => e.kind === 'instalment_reminder').map((e: any) => e.at)).toEqual(['2026-05-04T07:00:00.000Z', '2027-09-03T07:00:00.000Z']);
    const last = await api.pay(id, { amount: '300.00', paidOn: '2027-09-06', reference: 'FAR-2' });
    expect(last.body.status).toBe('paid');
    for (const r of executionsOf(sys, id)) expect(Date.parse(r.stopDate!) - Date.parse(r.startDate)).toBeLessThanOrEqual(EXECUTION_HORIZON_DAYS * DAY_MS);
  });
});

describe('executions that end other than by the product', () => {
  // With the accountants' mail: a flag alerts them at once (lambdas/domain/accountant-alerts.ts).
  const local = useLocalSystem({ clockStart: CLOCK_START, accountantMail: true });

  it('a task that keeps failing, and the Catch that fails too: the execution FAILED, the dossier is flagged with the reason', async () => {
    const { api, sys } = local;
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'FAIL-1' }))).body.id as string;
    const restore = sys.failTasks(['SendFirstReminder', 'MarkNeedsAttention'], { name: 'InjectedFault', message: 'simulated outage' });
    try {
      await api.advanceTo('2026-04-07T12:00:00Z');
    } finally {
      restore();
    }
    const [run] = executionsOf(sys, id);
    expect(run.status).toBe('FAILED');
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('needs_attention');
    const flag = view.events.filter((e: any) => e.type === 'needs_attention');
    expect(flag).toHaveLength(1);
    expect(flag[0].reason).toMatch(new RegExp(`^workflow execution ${run.name} ended FAILED: InjectedFault \\(simulated outage`));
    const alerts = (await api.emails()).filter((m: any) => /^\[Amiable\] Dossier à traiter — FAIL-1/.test(m.subject));
    expect(alerts).toHaveLength(1);
  });

  it('a stop from outside Amiable (console, CLI) flags the dossier; the product\'s own stops do not', async () => {
    const { api, sys } = local;
    const stopped = (await api.createInvoice(invoice({ invoiceNumber: 'STOP-1' }))).body.id as string;
    const settled = (await api.createInvoice(invoice({ invoiceNumber: 'STOP-2' }))).body.id as string;
    await sys.clock.settle(); // the first reminders, due at once, are sent and both executions wait
    const [run] = executionsOf(sys, stopped).filter((r) => r.status === 'RUNNING');
    sys.engine.stop(run.arn, 'Operator', 'stopped by hand in the console');
    await sys.clock.settle();
    let view = (await api.getInvoice(stopped)).body;
    expect(view.status).toBe('needs_attention');
    expect(view.events.at(-1).reason).toBe(`workflow execution ${run.name} ended ABORTED: Operator (stopped by hand in the console)`);

    const paid = await api.pay(settled, { amount: '1250.00', paidOn: '2026-04-07', reference: 'VIR-STOP-2' });
    expect(paid.body.status).toBe('paid');
    await sys.clock.settle();
    view = (await api.getInvoice(settled)).body;
    expect(view.status).toBe('paid');
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    const outcomes = sys.executionEvents.delivered.filter((d) => d.event.detail.input.includes(settled)).map((d) => (d.outcome as any)?.outcome);
    expect(outcomes).toEqual(['not_waiting']);
  });
});
