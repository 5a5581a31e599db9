import { describe, expect, it } from 'vitest';
import { passedThrough } from '../../lambdas/services/step-outcome';

/**
 * The one pass-through rule shared by the runs of commitment checkpoints and the chain of stages
 * (lib/dunning-workflow.ts): act, pass an ending on with "now", or pass a going-on step along.
 */
describe('passedThrough', () => {
  const now = new Date('2026-04-20T07:00:00.000Z');
  const isFormalReminder = (s: string) => s === 'formal_reminder';

  it('acts when entered from the route (no outcome yet) or when the step before goes on to this step', () => {
    expect(passedThrough(undefined, isFormalReminder, now)).toBeNull();
    expect(passedThrough(null, isFormalReminder, now)).toBeNull();
    expect(passedThrough({ stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' }, isFormalReminder, now)).toBeNull();
    expect(passedThrough({ outcome: 'sent', stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' }, isFormalReminder, now)).toBeNull();
    // A commitment's last review resuming this stage.
    expect(passedThrough({ outcome: 'continue', stage: 'formal_reminder', at: '2026-04-20T07:00:00.000Z' }, isFormalReminder, now)).toBeNull();
  });

  it('passes an ending on as it is, with "now" so the next Wait lets it through', () => {
    for (const outcome of ['not_active', 'continued']) {
      expect(passedThrough({ outcome, stage: null, at: '2026-04-07T07:00:00.000Z' }, isFormalReminder, now)).toEqual({ outcome, nextStage: null, nextAt: now.toISOString() });
    }
    // Going on to nothing is an ending; so is an outcome given as null.
    expect(passedThrough({ outcome: 'sent', stage: null, at: null }, isFormalReminder, now)).toEqual({ outcome: 'not_active', nextStage: null, nextAt: now.toISOString() });
    expect(passedThrough({ outcome: null, stage: 'formal_reminder', at: null }, isFormalReminder, now)).toEqual({ outcome: 'not_active', nextStage: null, nextAt: now.toISOString() });
  });

  it('passes a step going on to something else along, at its own instant', () => {
    expect(passedThrough({ outcome: 'continue', stage: 'formal_notice', at: '2026-05-04T07:00:00.000Z' }, isFormalReminder, now)).toEqual({
      outcome: 'continue',
      nextStage: 'formal_notice',
      nextAt: '2026-05-04T07:00:00.000Z',
    });
  });
});
