/** The bulk starter's pacing: N calls at R/s take (N-1)/R seconds at least, whatever the call latency. */
import { describe, expect, it } from 'vitest';
import { pacer } from '../../lambdas/services/start-pacing';
import { BULK_START_RATE } from '../../lib/bulk-intake';

/** A simulated clock: sleeping moves it (no real waiting). */
function simulated() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), advance: (ms: number) => void (t += ms) };
}

describe('start pacing', () => {
  it('spaces calls evenly: 25/s means 40 ms apart, and a slow call is not followed by a burst beyond the rate', async () => {
    const clock = simulated();
    const pace = pacer(25, clock.now, clock.sleep);
    const at: number[] = [];
    for (let i = 0; i < 10; i++) {
      await pace.next();
      at.push(clock.now());
      clock.advance(i === 3 ? 200 : 5); // the 4th call is slow
    }
    expect(at.slice(0, 4)).toEqual([0, 40, 80, 120]);
    // After the slow call, the next goes at once; the ones after it are again 40 ms apart.
    expect(at.slice(4)).toEqual([320, 360, 400, 440, 480, 520]);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(40);
  });

  it('0 is unpaced (local mode: no quota)', async () => {
    const clock = simulated();
    const pace = pacer(0, clock.now, clock.sleep);
    for (let i = 0; i < 100; i++) await pace.next();
    expect(clock.now()).toBe(0);
  });

  it('the deployed ceiling stays at a third of the smallest StartExecution refill rate (150/s)', () => {
    expect(BULK_START_RATE.perInvocation * BULK_START_RATE.maxConcurrency).toBeLessThanOrEqual(150 / 3);
  });
});
