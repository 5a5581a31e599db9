/**
 * The local engine's wake-up queue (local/sfn/wake-queue.ts) against what it replaced: a scan of
 * every execution at every clock step (the earliest wake-up instant; the due ones sorted by instant,
 * ties in the order the executions were first known). A seeded random run of parks, wake-ups,
 * stops and parks again (at a handful of instants, so ties are common) must give the same answers.
 */
import { describe, expect, it } from 'vitest';
import { WakeQueue, type WakeEntry } from '../../local/sfn/wake-queue';
import { seededRandom } from '../support/seed';

interface Exec {
  id: number;
  status: 'RUNNING' | 'ABORTED';
  parked?: { wakeAt: string };
}

describe('the wake-up queue of parked executions', () => {
  it('gives the same earliest instant and the same due executions, in the same order, as a scan', () => {
    const { random } = seededRandom('wake queue');
    const execs: Exec[] = [];
    const current = new Map<Exec, WakeEntry<Exec>>();
    const queue = new WakeQueue<Exec>((e) => current.get(e.item) === e && e.item.status === 'RUNNING' && e.item.parked?.wakeAt === e.wakeAt);
    const base = Date.parse('2026-04-04T10:00:00.000Z');
    const instant = () => new Date(base + Math.floor(random() * 12) * 3_600_000).toISOString();
    const park = (x: Exec) => {
      x.parked = { wakeAt: instant() };
      const entry = { item: x, wakeAt: x.parked.wakeAt, seq: x.id };
      current.set(x, entry);
      queue.push(entry);
    };
    // What the engine did before: scan, filter, stable sort by instant.
    const scanNext = () => {
      let min: string | null = null;
      for (const x of execs) if (x.status === 'RUNNING' && x.parked && (min === null || x.parked.wakeAt < min)) min = x.parked.wakeAt;
      return min;
    };
    const scanDue = (at: number) => execs.filter((x) => x.status === 'RUNNING' && x.parked && Date.parse(x.parked.wakeAt) <= at).sort((a, b) => a.parked!.wakeAt.localeCompare(b.parked!.wakeAt));

    let woken = 0;
    for (let step = 0; step < 3000; step++) {
      const r = random();
      if (r < 0.3 || execs.length === 0) {
        const x: Exec = { id: execs.length, status: 'RUNNING' };
        execs.push(x);
        park(x);
      } else if (r < 0.45) {
        // Parked again (a due wait run at once, then the next Wait), or woken by other means.
        const x = execs[Math.floor(random() * execs.length)];
        if (x.status === 'RUNNING') {
          if (random() < 0.5) park(x);
          else delete x.parked;
        }
      } else if (r < 0.5) {
        const x = execs[Math.floor(random() * execs.length)];
        x.status = 'ABORTED';
      } else if (r < 0.8) {
        expect(queue.peek()?.wakeAt ?? null).toBe(scanNext());
      } else {
        const at = Date.parse(instant());
        const expected = scanDue(at);
        const got = queue.takeDue(at).map((e) => e.item);
        expect(got.map((x) => x.id)).toEqual(expected.map((x) => x.id));
        // The engine wakes them: no longer parked (some park again later).
        for (const x of got) delete x.parked;
        woken += got.length;
      }
    }
    expect(woken).toBeGreaterThan(100);
    // Stale entries are dropped as they reach the top: what is left is bounded by what was pushed.
    queue.takeDue(Number.MAX_SAFE_INTEGER);
    expect(queue.size).toBe(0);
  });
});
