import { DateTime, Duration } from 'luxon';
import { DomainError } from '../lambdas/domain/errors';
import { clockMoved } from '../lambdas/adapters/telemetry';
import { LocalStepFunctions } from './sfn/local-step-functions';
import { SimulatedClock } from './sim-clock';

/**
 * Something else the clock drives besides the state machine's parked executions: a schedule
 * (local/scheduler.ts) has instants to fire; a stream (local/dynamodb-stream.ts) has work in flight.
 */
export interface ClockActivity {
  /** The next instant it has something to run at, or null. */
  nextWakeAt(): string | null;
  /** Runs what is due at or before `at` (the clock already stands at `at`). */
  wakeDue(at: Date): Promise<unknown>;
  /** Resolves once its work in flight is done. */
  idle(): Promise<void>;
  readonly busy: number;
}

/**
 * The instants the simulated clock may stand at: 2000-01-01T00:00:00Z up to 2100-12-31T23:59:59.999Z.
 * A wide, round range: every date the product prints or stores has a four-digit year and the
 * French holiday calendar is computed there; far beyond it (the clock once jumped to year 275760,
 * JavaScript's last Date) every intake answered 500. A jump outside the range is a 400.
 */
export const CLOCK_MIN = new Date('2000-01-01T00:00:00.000Z');
export const CLOCK_MAX = new Date('2100-12-31T23:59:59.999Z');

/** Refuses an instant outside [CLOCK_MIN, CLOCK_MAX] with 400 naming `field`. */
export function assertClockRange(at: Date, field: string): void {
  if (Number.isNaN(at.getTime()) || at < CLOCK_MIN || at > CLOCK_MAX) {
    throw new DomainError(400, 'validation_failed', 'The simulated clock stays between 2000-01-01 and 2100-12-31 (UTC).', [
      { path: field, message: `must lead to an instant from ${CLOCK_MIN.toISOString()} to ${CLOCK_MAX.toISOString()}` },
    ]);
  }
}

/**
 * Moves simulated time. Every step that falls due runs in timestamp order with "now" set to its
 * scheduled instant — including steps scheduled during the advance — and then now = target.
 * Steps are the parked executions' wake-ups and the activities' (schedules); after each, the
 * clock waits until the engine and every activity are idle (e.g. stream consumers).
 * Clock calls are serialized; each first waits for work already in flight.
 */
export class ClockController {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: SimulatedClock,
    private readonly engine: LocalStepFunctions,
    private readonly activities: readonly ClockActivity[] = [],
  ) {}

  /** Waits until the engine and every activity are idle (work started by work included). */
  async settle(): Promise<void> {
    for (;;) {
      await this.engine.idle();
      for (const a of this.activities) await a.idle();
      if (this.engine.busy === 0 && this.activities.every((a) => a.busy === 0)) return;
    }
  }

  private nextWakeAt(): string | null {
    const all = [this.engine.nextWakeAt(), ...this.activities.map((a) => a.nextWakeAt())].filter((x): x is string => x !== null);
    return all.length ? all.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) : null;
  }

  now(): Date {
    return this.clock.now();
  }

  /** Parses a clock request body ({ advance: "P10D" } or { to: "<ISO>" }) into a target instant. */
  targetOf(body: unknown): Date {
    const b = (body ?? {}) as Record<string, unknown>;
    const hasAdvance = b.advance !== undefined;
    const hasTo = b.to !== undefined;
    if (hasAdvance === hasTo) {
      throw new DomainError(400, 'validation_failed', 'Give exactly one of "advance" (ISO 8601 duration) or "to" (ISO 8601 instant).', [
        { path: hasAdvance ? 'to' : 'advance', message: hasAdvance ? 'must not be given with advance' : 'is required (or give "to")' },
      ]);
    }
    const now = this.clock.now();
    if (hasAdvance) {
      const d = typeof b.advance === 'string' ? Duration.fromISO(b.advance) : Duration.invalid('not a string');
      if (!d.isValid || Object.values(d.toObject()).some((v) => (v ?? 0) < 0)) {
        throw new DomainError(400, 'validation_failed', 'Invalid duration.', [
          { path: 'advance', message: 'must be a non-negative ISO 8601 duration such as "P10D" or "PT12H"' },
        ]);
      }
      // Calendar-aware in Europe/Paris: "P1D" across a DST change is one calendar day.
      const target = DateTime.fromJSDate(now, { zone: 'Europe/Paris' }).plus(d).toJSDate();
      assertClockRange(target, 'advance');
      return target;
    }
    const to = typeof b.to === 'string' ? DateTime.fromISO(b.to, { setZone: true }) : DateTime.invalid('not a string');
    if (!to.isValid || !/(Z|[+-]\d{2}:?\d{2})$/.test(String(b.to)) || !String(b.to).includes('T')) {
      throw new DomainError(400, 'validation_failed', 'Invalid instant.', [
        { path: 'to', message: 'must be an ISO 8601 instant with a time zone, e.g. "2026-05-01T09:00:00Z"' },
      ]);
    }
    assertClockRange(to.toJSDate(), 'to');
    if (to.toMillis() < now.getTime()) {
      throw new DomainError(409, 'clock_backwards', `The simulated clock is at ${now.toISOString()}; it cannot go back.`, [
        { path: 'to', message: 'must not be earlier than now' },
      ]);
    }
    return to.toJSDate();
  }

  /** Runs `work` at the current instant, after any clock advance in flight (and before the next). */
  atNow<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.settle();
      const out = await work();
      await this.settle();
      return out;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  advanceTo(target: Date): Promise<Date> {
    const run = this.queue.then(() => this.run(target));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(target: Date): Promise<Date> {
    await this.settle();
    const from = this.clock.now();
    let steps = 0;
    for (;;) {
      const next = this.nextWakeAt();
      if (!next || Date.parse(next) > target.getTime()) break;
      const at = new Date(Math.max(Date.parse(next), this.clock.now().getTime()));
      this.clock.set(at);
      steps++;
      await this.wakeAll(at);
    }
    if (target.getTime() > this.clock.now().getTime()) this.clock.set(target);
    // Anything made due exactly at the target by the last steps.
    await this.wakeAll(this.clock.now());
    if (this.clock.now().getTime() !== from.getTime()) clockMoved(from, this.clock.now(), steps);
    return this.clock.now();
  }

  private async wakeAll(at: Date): Promise<void> {
    await this.engine.wakeDue(at);
    await this.settle();
    for (const a of this.activities) {
      const due = a.nextWakeAt();
      if (due !== null && Date.parse(due) <= at.getTime()) {
        await a.wakeDue(at);
        await this.settle();
      }
    }
  }
}
