import { describe, expect, it } from 'vitest';
import { resetClients, setClientHook } from '../../lambdas/adapters/aws-clients';
import { loadHandler } from '../../local/handlers';
import { client, invoice, useLocalSystem } from '../support/local-client';
import type { LocalSystem } from '../../local/system';

/**
 * A hand-over records the successor's name on the dossier, then calls StartExecution
 * (services/execution-continuation.ts). A Lambda that dies between the two must not leave the
 * dossier waiting on an execution that never started: the task's retry finds its execution stale
 * and starts the successor the dossier records (same name, the hand-over's input), unless the
 * dossier no longer waits. The death is simulated on the real pipeline by failing the successor's
 * StartExecution once with an error the SDK does not retry (as a killed Lambda: the task fails, the
 * state machine's Retry runs it again).
 *
 * A 6-instalment plan agreed Saturday 4 April 2026 on an invoice due Friday 3 April; the first
 * instalment (5 May) is not paid, so its check (Thursday 7 May, 09:00 Paris) breaks the plan and
 * hands the dossier to generation 3, whose route resumes the escalation at the first reminder.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';
const SIX = ['2026-05-05', '2026-06-05', '2026-07-06', '2026-08-05', '2026-09-07', '2026-10-05'];
const plan = SIX.map((dueDate, k) => ({ dueDate, amount: k === 5 ? '208.35' : '208.33' }));

type Api = ReturnType<typeof client>;

async function onPlan(api: Api, invoiceNumber: string): Promise<string> {
  const id = (await api.createInvoice(invoice({ invoiceNumber }))).body.id as string;
  expect((await api.call('POST', `/invoices/${id}/payment-plan`, { instalments: plan })).status).toBe(201);
  return id;
}

function runsOf(sys: LocalSystem, id: string) {
  return sys.engine
    .list()
    .filter((r) => r.input?.dossierId === id)
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
}

/**
 * Fails the first StartExecution of `name` (the Lambda "dies" after the hand-over's write), after
 * `meanwhile` (what happens before the retry: the local engine retries a task at once); counts every attempt.
 */
function dieBeforeStarting(name: string, meanwhile: () => Promise<void> = async () => undefined): { attempts: number; failed: number } {
  const seen = { attempts: 0, failed: 0 };
  setClientHook((service, c: any) => {
    if (service !== 'sfn') return;
    c.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input?: any }) => {
        if (context.commandName === 'StartExecutionCommand' && args.input?.name === name) {
          seen.attempts += 1;
          if (seen.failed === 0) {
            seen.failed += 1;
            await meanwhile();
            throw Object.assign(new Error('Lambda killed after the hand-over was written'), { name: 'SimulatedLambdaDeath', $fault: 'server' });
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'dieBeforeStarting' },
    );
  });
  resetClients();
  return seen;
}

function heal(): void {
  setClientHook(undefined);
  resetClients();
}

describe('a hand-over whose Lambda dies between the dossier write and StartExecution', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('the retried review starts the recorded successor, which carries the escalation on: each letter once, nothing flagged', async () => {
    const { api, sys } = local;
    const id = await onPlan(api, 'SUCC-DIES');
    const [, second] = runsOf(sys, id);
    const third = second.name.replace(/-2$/, '-3');
    const seen = dieBeforeStarting(third);
    try {
      await api.advanceTo('2026-05-07T12:00:00Z');
    } finally {
      heal();
    }
    // The first attempt failed after writing -3 on the dossier; its retry found -2 stale and started
    // -3. The third: the execution-status rule, hearing of -2's stop (superseded), makes sure -3
    // runs (services/execution-status.ts ensureSuccessor): it does, so nothing new (checked below).
    expect(seen).toEqual({ attempts: 3, failed: 1 });
    const [, broken, resumed, ...more] = runsOf(sys, id);
    expect(more).toEqual([]);
    // The retry stopped its own execution once the dossier pointed elsewhere (not a failure, not flagged).
    expect(broken).toMatchObject({ name: second.name, status: 'ABORTED', cause: 'not_active' });
    const view = (await api.getInvoice(id)).body;
    expect(view.paymentPlan.status).toBe('broken');
    expect(resumed).toMatchObject({ name: third, status: 'RUNNING', input: { dossierId: id, next: { stage: 'first_reminder', at: view.schedule[0].at } } });
    expect(resumed.trail).toEqual(['RouteToNextStage', 'WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder']);
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(view.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage)).toEqual(['first_reminder']);
    const verdict = sys.executionEvents.delivered.find((d) => d.event.detail.name === second.name)?.outcome;
    expect(verdict).toEqual({ outcome: 'superseded', dossierId: id });

    // The same review retried once more, late: -3 runs, StartExecution of that name starts nothing new.
    const review = await loadHandler('review-commitment');
    const out = await review({
      dossierId: id,
      executionName: second.name,
      executionStartTime: second.startDate,
      stateMachineArn: sys.synthesized.stateMachineArn,
      action: 'instalment_check',
      next: { outcome: 'continue', stage: 'instalment_check', at: '2026-05-07T07:00:00.000Z', left: 11 },
      pairsAfter: 10,
    });
    expect(out).toMatchObject({ outcome: 'not_active', left: 0 });
    expect(runsOf(sys, id)).toHaveLength(3);
    expect(sys.engine.describe(resumed.arn).status).toBe('RUNNING');

    // The successor carries the escalation to its hand-off, each stage once.
    await api.advance('P120D');
    const end = (await api.getInvoice(id)).body;
    expect(end.status).toBe('handed_off');
    expect(end.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(end.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage)).toEqual(['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff']);
    const subjects = (await api.emails()).filter((m: any) => String(m.subject).includes('SUCC-DIES')).map((m: any) => m.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(runsOf(sys, id)).toHaveLength(3);
  }, 240_000);
});

describe('a hand-over that died, on a dossier paused before its retry', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('starts nothing: the stale review only stops its own execution', async () => {
    const { api, sys } = local;
    const id = await onPlan(api, 'SUCC-PAUSED');
    const [, second] = runsOf(sys, id);
    const third = second.name.replace(/-2$/, '-3');
    // The debtor disputes the invoice between the dead attempt and its retry.
    let disputed = 0;
    const seen = dieBeforeStarting(third, async () => {
      disputed = (await api.call('POST', `/invoices/${id}/disputes`, { reason: 'Le lot livré était incomplet' })).status;
    });
    try {
      await api.advanceTo('2026-05-07T12:00:00Z');
    } finally {
      heal();
    }
    expect(disputed).toBe(201);
    expect(seen).toEqual({ attempts: 1, failed: 1 });
    const [, stale, ...more] = runsOf(sys, id);
    expect(more).toEqual([]);
    expect(stale.status).toBe('ABORTED');
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('paused_dispute');
    expect(view.events.filter((e: any) => e.type === 'needs_attention')).toEqual([]);
    expect(view.events.filter((e: any) => e.type === 'notice_sent')).toEqual([]);
  }, 120_000);
});
