import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, type ExecutionRecord } from '../../local/sfn/local-step-functions';

/**
 * An execution stopped by its own running task (services/execution-continuation.ts endChainEarly:
 * a chain's task ends its execution rather than pass an ending through the pairs left). On AWS the
 * execution is ABORTED at once and the task's result is discarded: no later state is entered (so no
 * transition is billed) and the execution has no output. The local engine must do the same, or the
 * bench would count transitions that AWS does not bill.
 */
describe('local engine: an execution stopped by its own task', () => {
  it('ends ABORTED at that task: its result discarded, no later state entered, one status change', async () => {
    const definition = {
      StartAt: 'Act',
      States: {
        Act: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultPath: '$.next', Next: 'WaitAfter' },
        WaitAfter: { Type: 'Wait', TimestampPath: '$.next.at', Next: 'PassOn' },
        PassOn: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true },
      },
    };
    const now = new Date('2026-04-04T10:00:00Z');
    const invoked: string[] = [];
    const statuses: string[] = [];
    const engine: LocalStepFunctions = new LocalStepFunctions({
      definition,
      stateMachineArn: 'arn:aws:states:eu-west-3:000000000000:stateMachine:sm',
      now: () => now,
      onStatusChange: (r: ExecutionRecord) => statuses.push(`${r.name}:${r.status}`),
      task: async (state) => {
        invoked.push(state);
        if (state === 'Act') {
          // As StopExecution from inside the Lambda: the stop lands while the task still runs.
          engine.stop(engine.executionArn('self'), 'new_generation', 'new_generation');
          await new Promise((r) => setTimeout(r, 20));
        }
        return { at: now.toISOString() };
      },
    });
    const record = engine.start('self', { dossierId: 'd' });
    await engine.idle();
    await new Promise((r) => setTimeout(r, 50));
    await engine.idle();
    expect(record).toMatchObject({ status: 'ABORTED', cause: 'new_generation', stopDate: now.toISOString() });
    expect(record.output).toBeUndefined();
    expect(record.parked).toBeUndefined();
    expect(record.trail).toEqual(['Act']);
    expect(invoked).toEqual(['Act']);
    expect(statuses).toEqual(['self:RUNNING', 'self:ABORTED']);
  });
});
