/**
 * The local scheduler (local/scheduler.ts) driven as the clock drives it: ask for the next
 * instant, move there, fire what is due. Each schedule's next firing is remembered for the firing
 * it was computed from; every firing must still be the one the cron expression names after the
 * previous, and a schedule asked many times between firings must not fire twice.
 */
import { describe, expect, it } from 'vitest';
import { LocalScheduler, nextFire, type LocalSchedule } from '../../local/scheduler';

describe('local scheduler', () => {
  it('fires each schedule at the instants its cron expression names, once each, as the clock steps', async () => {
    const schedules: LocalSchedule[] = [
      { id: 'daily', expression: 'cron(30 7 ? * MON-FRI *)', timeZone: 'Europe/Paris', handler: 'digest', input: { kind: 'daily' } },
      { id: 'weekly', expression: 'cron(0 9 ? * 2 *)', timeZone: 'Europe/Paris', handler: 'weekly', input: {} },
    ];
    let now = new Date('2026-03-25T12:00:00Z');
    const fired: string[] = [];
    const scheduler = new LocalScheduler({
      schedules,
      now: () => now,
      invoke: async (handler) => void fired.push(`${handler} ${now.toISOString()}`),
    });
    // The clock: to the next instant, fire what is due (asked several times per step, as it does).
    for (let step = 0; step < 40; step++) {
      const next = scheduler.nextWakeAt();
      expect(scheduler.nextWakeAt()).toBe(next);
      now = new Date(next!);
      await scheduler.wakeDue(now);
      await scheduler.wakeDue(now);
    }
    // What the expressions name, one after the other, over the same span (DST change of 29 March included).
    const expected: string[] = [];
    for (const s of schedules) {
      for (let at = nextFire(s.expression, s.timeZone, new Date('2026-03-25T12:00:00Z')); at && at <= now; at = nextFire(s.expression, s.timeZone, at)) {
        expected.push(`${s.handler} ${at.toISOString()}`);
      }
    }
    expect(fired.sort()).toEqual(expected.sort());
    expect(fired).toHaveLength(40);
    expect(fired).toContain('digest 2026-03-27T06:30:00.000Z');
    expect(fired).toContain('digest 2026-03-30T05:30:00.000Z');
  });
});
