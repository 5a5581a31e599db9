import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../lambdas/domain/dossier';
import { beyondHorizon, boundedStart, EXECUTION_HORIZON_DAYS, EXECUTION_RELAY, executionStart, handOver, horizonOf } from '../../lambdas/domain/execution-horizon';
import { dossierIdOf, endIsExpected, endReason, judgeExecutionEnd, type ExecutionStatusDetail } from '../../lambdas/domain/execution-status';

/** Seeded property runs: the seed is printed on failure; replay with AMIABLE_SEED=<seed>. */
const SEED = Number(process.env.AMIABLE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const DAY = 86_400_000;
const nameFor = (g: number) => (g <= 1 ? 'dun-abc' : `dun-abc-${g}`);

function dossier(overrides: Partial<Dossier> = {}): Dossier {
  return {
    id: 'dos_1',
    creditorId: 'c1',
    invoice: { invoiceNumber: 'F-1' },
    status: 'on_payment_plan',
    nextAction: { stage: 'instalment_check', at: '2027-06-01T07:00:00.000Z' },
    execution: { name: 'dun-abc-2', generation: 2 },
    events: [],
    sending: null,
    ...overrides,
  } as unknown as Dossier;
}

describe('execution horizon', () => {
  it('is 300 days, below the 365-day Standard maximum with a margin for retries', () => {
    expect(EXECUTION_HORIZON_DAYS).toBe(300);
    expect(horizonOf(new Date('2026-04-08T10:00:00Z')).toISOString()).toBe('2027-02-02T10:00:00.000Z');
    expect(beyondHorizon(new Date('2026-04-08T10:00:00Z'), '2027-02-02T10:00:00.000Z')).toBe(false);
    expect(beyondHorizon(new Date('2026-04-08T10:00:00Z'), '2027-02-02T10:00:00.001Z')).toBe(true);
    // No next step, or an execution started by an older definition (no start time): no hand-over.
    expect(beyondHorizon(new Date('2026-04-08T10:00:00Z'), null)).toBe(false);
    expect(beyondHorizon(null, '2030-01-01T00:00:00Z')).toBe(false);
    expect(executionStart('2026-04-08T10:00:00.123Z')?.toISOString()).toBe('2026-04-08T10:00:00.123Z');
    expect(executionStart(undefined)).toBeNull();
    expect(executionStart('yesterday')).toBeNull();
  });

  it('a new execution never waits past its horizon: the action itself, or a relay at the horizon (property)', () => {
    const instant = fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2030-01-01') });
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 3 * 365 * DAY }), (now, ahead) => {
        const next = { stage: 'instalment_check' as const, at: new Date(now + ahead).toISOString() };
        const start = boundedStart({ dossierId: 'dos_1', next }, new Date(now))!;
        expect(Date.parse(start.next.at)).toBeLessThanOrEqual(now + EXECUTION_HORIZON_DAYS * DAY);
        if (ahead <= EXECUTION_HORIZON_DAYS * DAY) expect(start.next).toEqual(next);
        else expect(start.next).toEqual({ stage: EXECUTION_RELAY, at: new Date(now + EXECUTION_HORIZON_DAYS * DAY).toISOString() });
        // The relay itself is never beyond the horizon of the execution it starts.
        expect(beyondHorizon(new Date(now), start.next.at)).toBe(false);
      }),
      { seed: SEED },
    );
    expect(boundedStart(null, new Date())).toBeNull();
  });

  it('hands a dossier over to the next generation once, and a retried task finds its successor', () => {
    const first = handOver(dossier(), 'dun-abc-2', nameFor);
    expect(first.successor).toBe('dun-abc-3');
    expect(first.dossier.execution).toEqual({ name: 'dun-abc-3', generation: 3 });
    const retried = handOver(first.dossier, 'dun-abc-2', nameFor);
    expect(retried).toEqual({ dossier: first.dossier, successor: 'dun-abc-3' });
    // From generation 1 (the bare name).
    expect(handOver(dossier({ execution: { name: 'dun-abc', generation: 1 } }), 'dun-abc', nameFor).successor).toBe('dun-abc-2');
  });

  it('does not hand over a dossier that is no longer this execution\'s or no longer waits', () => {
    for (const d of [
      dossier({ execution: { name: 'dun-abc-4', generation: 4 } }), // moved on since (plan, resume)
      dossier({ status: 'paid' as Dossier['status'] }),
      dossier({ status: 'needs_attention' as Dossier['status'] }),
      dossier({ nextAction: null }),
    ]) {
      const out = handOver(d, 'dun-abc-2', nameFor);
      expect(out.successor).toBeNull();
      expect(out.dossier).toBe(d);
    }
  });
});

describe('executions that end unexpectedly', () => {
  const now = new Date('2027-04-09T10:00:00Z');
  const detail = (over: Partial<ExecutionStatusDetail> = {}): ExecutionStatusDetail => ({
    executionArn: 'arn:aws:states:eu-west-3:000000000000:execution:sm:dun-abc-2',
    stateMachineArn: 'arn:aws:states:eu-west-3:000000000000:stateMachine:sm',
    name: 'dun-abc-2',
    status: 'TIMED_OUT',
    input: JSON.stringify({ dossierId: 'dos_1', next: { stage: 'instalment_check', at: '2027-06-01T07:00:00.000Z' } }),
    error: 'States.Timeout',
    cause: null,
    ...over,
  });

  it('flags a waiting dossier whose current execution ended, with the reason', () => {
    const out = judgeExecutionEnd(dossier(), detail(), now);
    expect(out.verdict).toBe('flagged');
    expect(out.dossier.status).toBe('needs_attention');
    expect(out.dossier.nextAction).toBeNull();
    expect(out.dossier.events.at(-1)).toEqual({ type: 'needs_attention', at: now.toISOString(), reason: 'workflow execution dun-abc-2 ended TIMED_OUT: States.Timeout' });
  });

  it("leaves alone what the product ended itself: a superseded generation, a dossier paid, paused or already flagged", () => {
    const superseded = dossier({ execution: { name: 'dun-abc-3', generation: 3 } });
    expect(judgeExecutionEnd(superseded, detail({ status: 'ABORTED' }), now)).toEqual({ dossier: superseded, verdict: 'superseded' });
    for (const status of ['paid', 'cancelled', 'paused_dispute', 'needs_attention', 'handed_off', 'insolvency_proceedings'] as const) {
      const d = dossier({ status: status as Dossier['status'] });
      expect(judgeExecutionEnd(d, detail({ status: 'ABORTED' }), now), status).toEqual({ dossier: d, verdict: 'not_waiting' });
    }
  });

  it('a task stops its own execution only when the rule will not flag that stop (endIsExpected)', () => {
    // Every status, this execution's dossier or a later generation's: the task's check and the
    // rule's verdict agree, so an execution that ends its own course early is never flagged.
    const statuses = ['active', 'promised', 'on_payment_plan', 'paid', 'cancelled', 'paused_dispute', 'needs_attention', 'handed_off', 'insolvency_proceedings'] as const;
    for (const status of statuses) {
      for (const execution of [{ name: 'dun-abc-2', generation: 2 }, { name: 'dun-abc-3', generation: 3 }, null]) {
        const d = dossier({ status: status as Dossier['status'], execution });
        const verdict = judgeExecutionEnd(d, detail({ status: 'ABORTED' }), now).verdict;
        expect(endIsExpected(d, 'dun-abc-2'), `${status} ${execution?.name}`).toBe(verdict !== 'flagged');
      }
    }
    expect(endIsExpected(dossier(), 'dun-abc-2')).toBe(false);
  });

  it('reads the dossier from the execution input, and keeps reasons bounded', () => {
    expect(dossierIdOf(detail())).toBe('dos_1');
    expect(dossierIdOf({ input: null })).toBeNull();
    expect(dossierIdOf({ input: '{not json' })).toBeNull();
    expect(dossierIdOf({ input: '{"dossierId":42}' })).toBeNull();
    expect(endReason(detail({ status: 'FAILED', error: 'X', cause: 'y'.repeat(2000) })).length).toBeLessThanOrEqual(500);
    expect(endReason(detail({ status: 'FAILED', error: 'E'.repeat(2000) })).length).toBe(500);
  });
});
