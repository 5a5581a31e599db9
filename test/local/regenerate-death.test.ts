import { describe, expect, it } from 'vitest';
import { resetClients, setClientHook } from '../../lambdas/adapters/aws-clients';
import { dieBeforeStarting, heal, runsOf } from '../support/lambda-death';
import { client, invoice, useLocalSystem } from '../support/local-client';
import type { LocalSystem } from '../../local/system';

/**
 * A new generation (services/generations.ts regenerate: a promise, a payment plan here) writes the successor's
 * name on the dossier, stops the waiting execution, then starts the successor. A Lambda that dies
 * between the stop and the start used to leave the dossier waiting on an execution that never
 * started, the stop judged "superseded" (the dossier names the successor) by the execution-status
 * rule: a silent stall. The rule now starts that successor (services/execution-status.ts
 * ensureSuccessor), unless the dossier no longer waits.
 *
 * The death is simulated on the real pipeline: the successor's first StartExecution fails with an
 * error the SDK does not retry, and every DynamoDB write fails from then on until the API call
 * returns (a dead Lambda writes nothing more: the flag of an unstarted workflow is lost), so the
 * API answers 500 and only the rule can start the successor. The rule itself writes nothing on a
 * superseded stop (its verdict leaves the dossier as it is).
 */
const CLOCK_START = '2026-04-04T10:00:00Z';

type Api = ReturnType<typeof client>;

async function regenerateDying(api: Api, sys: LocalSystem, invoiceNumber: string, path: string, body: unknown, beforeStop?: (id: string) => Promise<void>) {
  const id = (await api.createInvoice(invoice({ invoiceNumber }))).body.id as string;
  await api.advanceTo('2026-04-08T12:00:00Z');
  const [first, ...others] = runsOf(sys, id);
  expect(others).toEqual([]);
  const successor = `${first.name}-2`;
  const { seen, revive } = dieBeforeStarting(successor, beforeStop && { name: first.name, run: () => beforeStop(id) });
  let made;
  try {
    made = await api.call('POST', `/invoices/${id}${path}`, body);
    revive();
    await sys.executionEvents.idle();
  } finally {
    heal();
  }
  return { id, first, successor, seen, made };
}

const promiseDying = (api: Api, sys: LocalSystem, invoiceNumber: string, beforeStop?: (id: string) => Promise<void>) =>
  regenerateDying(api, sys, invoiceNumber, '/promises', { date: '2026-04-24', amount: '1250.00' }, beforeStop);

describe('a promise whose Lambda dies between stopping the old execution and starting the new one', () => {
  // 'report': the simulated death answers 500, which a crashed Lambda gives and no contract documents.
  const local = useLocalSystem({ clockStart: CLOCK_START }, 'report');

  it('the execution-status rule starts the recorded successor: the promise is checked, nothing sent twice, nothing flagged', async () => {
    const { api, sys } = local;
    const { id, first, successor, seen, made } = await promiseDying(api, sys, 'DIES-PROMISE');
    // The regenerate died (its start failed, its flag write too): the API answered a server error.
    expect(made.status).toBe(500);
    expect(seen.flagsBlocked).toBeGreaterThan(0);
    // One failed start (the regenerate's), one that went through: the rule's.
    expect(seen).toEqual({ starts: 2, failed: 1, flagsBlocked: expect.any(Number) });
    const verdict = sys.executionEvents.delivered.find((d) => d.event.detail.name === first.name);
    expect(verdict?.outcome).toEqual({ outcome: 'superseded', dossierId: id });
    let view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('promised');
    expect(view.nextAction).toEqual({ stage: 'promise_check', at: '2026-04-28T07:00:00.000Z' });
    const runs = runsOf(sys, id);
    expect(runs.map((r) => [r.name, r.status])).toEqual([
      [first.name, 'ABORTED'],
      [successor, 'RUNNING'],
    ]);
    // The input the hand-over gives: the dossier's next action (one checkpoint to run).
    expect(runs[1].input).toEqual({ dossierId: id, next: { stage: 'promise_check', at: '2026-04-28T07:00:00.000Z', left: 1 } });

    // The successor carries the dossier on: the promise check finds it unpaid, the escalation resumes.
    await api.advanceTo('2026-05-20T12:00:00Z');
    view = (await api.getInvoice(id)).body;
    const types = view.events.map((e: any) => e.type);
    expect(types).toContain('promise_broken');
    expect(types).not.toContain('needs_attention');
    const stages = view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);
    expect(stages.length).toBeGreaterThan(1);
    expect(new Set(stages).size).toBe(stages.length);
    const subjects = (await api.emails()).filter((m: any) => String(m.subject).includes('DIES-PROMISE')).map((m: any) => m.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    // Never a second execution beside the successor.
    expect(runsOf(sys, id).filter((r) => r.status === 'RUNNING').length).toBeLessThanOrEqual(1);
    expect(runsOf(sys, id).filter((r) => r.name === successor)).toHaveLength(1);
  }, 240_000);
});

describe('a payment plan whose Lambda dies between stopping the old execution and starting the new one', () => {
  // 'report': the simulated death answers 500, which a crashed Lambda gives and no contract documents.
  const local = useLocalSystem({ clockStart: CLOCK_START }, 'report');

  it('the execution-status rule starts the recorded successor: the instalments are reminded and checked, nothing flagged', async () => {
    const { api, sys } = local;
    const instalments = [
      { dueDate: '2026-05-05', amount: '416.67' },
      { dueDate: '2026-06-05', amount: '416.67' },
      { dueDate: '2026-07-06', amount: '416.66' },
    ];
    const { id, first, successor, seen, made } = await regenerateDying(api, sys, 'DIES-PLAN', '/payment-plan', { instalments });
    expect(made.status).toBe(500);
    expect(seen).toEqual({ starts: 2, failed: 1, flagsBlocked: expect.any(Number) });
    expect(seen.flagsBlocked).toBeGreaterThan(0);
    const verdict = sys.executionEvents.delivered.find((d) => d.event.detail.name === first.name);
    expect(verdict?.outcome).toEqual({ outcome: 'superseded', dossierId: id });
    let view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('on_payment_plan');
    // 5 May - 3 days = Saturday 2 May: the reminder goes at the next opening, Monday 4 May 09:00.
    expect(view.nextAction).toEqual({ stage: 'instalment_reminder', at: '2026-05-04T07:00:00.000Z' });
    const runs = runsOf(sys, id);
    expect(runs.map((r) => [r.name, r.status])).toEqual([
      [first.name, 'ABORTED'],
      [successor, 'RUNNING'],
    ]);
    // The input the hand-over gives: six checkpoints planned (three reminders, three checks).
    expect(runs[1].input).toEqual({ dossierId: id, next: { stage: 'instalment_reminder', at: '2026-05-04T07:00:00.000Z', left: 6 } });

    // The successor carries the plan: the first instalment is reminded, paid, the second reminded.
    await api.advanceTo('2026-05-05T10:00:00Z');
    expect((await api.pay(id, { amount: '416.67', paidOn: '2026-05-05', reference: 'DIES-PLAN-1' })).status).toBe(201);
    await api.advanceTo('2026-06-03T12:00:00Z');
    view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('on_payment_plan');
    expect(view.events.filter((e: any) => e.kind === 'instalment_reminder').map((e: any) => e.instalment)).toEqual([1, 2]);
    expect(view.events.map((e: any) => e.type)).not.toContain('needs_attention');
    expect(view.paymentPlan.instalments.map((i: any) => i.status)).toEqual(['paid', 'upcoming', 'upcoming']);
    expect(runsOf(sys, id).filter((r) => r.name === successor)).toHaveLength(1);
    expect(runsOf(sys, id).filter((r) => r.status === 'RUNNING').map((r) => r.name)).toEqual([successor]);
  }, 240_000);
});

describe('a promise whose Lambda dies, on a dossier paid before the stop is heard of', () => {
  // 'report': the simulated death answers 500, which a crashed Lambda gives and no contract documents.
  const local = useLocalSystem({ clockStart: CLOCK_START }, 'report');

  it('starts nothing: the superseded stop finds a dossier that no longer waits', async () => {
    const { api, sys } = local;
    let paid = 0;
    const { id, first, successor, seen, made } = await promiseDying(api, sys, 'DIES-PAID', async (dossierId) => {
      paid = (await api.call('POST', `/invoices/${dossierId}/payments`, { amount: '1250.00', paidOn: '2026-04-08', reference: 'DIES-PAID-1' })).status;
    });
    expect(paid).toBe(201);
    expect(made.status).toBe(500);
    // Only the regenerate's own (failed) start: the rule started nothing.
    expect(seen).toEqual({ starts: 1, failed: 1, flagsBlocked: expect.any(Number) });
    const verdict = sys.executionEvents.delivered.find((d) => d.event.detail.name === first.name);
    expect(verdict?.outcome).toEqual({ outcome: 'superseded', dossierId: id });
    expect(runsOf(sys, id).map((r) => [r.name, r.status])).toEqual([[first.name, 'ABORTED']]);
    expect(sys.engine.list().some((r) => r.name === successor)).toBe(false);
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('paid');
    expect(view.events.map((e: any) => e.type)).not.toContain('needs_attention');
  }, 120_000);
});

describe('a regenerate whose start fails while the rule starts the successor (no death: the dossier is flagged)', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('the flagged dossier keeps naming the successor the rule started, so a later resume moves to the next generation', async () => {
    const { api, sys } = local;
    const id = (await api.createInvoice(invoice({ invoiceNumber: 'RACE-FLAG' }))).body.id as string;
    await api.advanceTo('2026-04-08T12:00:00Z');
    const [first] = runsOf(sys, id);
    const successor = `${first.name}-2`;
    // The regenerate's start fails, but only once the rule has heard of the stop and started the
    // successor (it reads the dossier before the flag): the worst interleaving, made certain.
    let starts = 0;
    setClientHook((service, c: any) => {
      if (service !== 'sfn') return;
      c.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input?: any }) => {
          if (context.commandName === 'StartExecutionCommand' && args.input?.name === successor && ++starts === 1) {
            await sys.executionEvents.idle();
            throw Object.assign(new Error('StartExecution failed'), { name: 'ServiceUnavailable', $fault: 'client' });
          }
          return next(args);
        },
        { step: 'initialize', name: 'failAfterTheRule' },
      );
    });
    resetClients();
    let made;
    try {
      made = await api.call('POST', `/invoices/${id}/promises`, { date: '2026-04-24', amount: '1250.00' });
    } finally {
      heal();
    }
    expect(made.status).toBe(503);
    expect(made.body.error.code).toBe('workflow_not_started');
    expect(starts).toBe(2);
    let view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('needs_attention');
    expect(runsOf(sys, id).map((r) => [r.name, r.status])).toEqual([
      [first.name, 'ABORTED'],
      [successor, 'RUNNING'],
    ]);
    // The successor the rule started wakes for the promise check, finds the dossier flagged and
    // acts on nothing; only then does a person resume.
    await api.advanceTo('2026-04-29T12:00:00Z');
    expect(sys.engine.list().find((r) => r.name === successor)?.status).not.toBe('RUNNING');
    view = (await api.getInvoice(id)).body;
    expect(view.events.filter((e: any) => e.type === 'promise_broken')).toEqual([]);
    const resumed = await api.call('POST', `/invoices/${id}/resume`, { note: 'relance du workflow' });
    expect(resumed.status).toBe(200);
    // Pointing back at the first execution, the resume would have reused the name the rule took
    // (StartExecution: ExecutionAlreadyExists, nothing started, a silent stall).
    const running = runsOf(sys, id).filter((r) => r.status === 'RUNNING');
    expect(running.map((r) => r.name)).toEqual([`${first.name}-3`]);
    await api.advanceTo('2026-05-20T12:00:00Z');
    view = (await api.getInvoice(id)).body;
    const stages = view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);
    expect(stages.length).toBeGreaterThan(1);
    expect(new Set(stages).size).toBe(stages.length);
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toHaveLength(1);
  }, 240_000);
});
