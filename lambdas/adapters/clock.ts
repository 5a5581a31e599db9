/**
 * The Clock port. Lambdas use the system clock; local mode installs a simulated clock so weeks
 * pass in seconds. The global Date and timers are never patched: SDK retries, the emulators and
 * s3rver's 15-minute signature-skew check all rely on real time.
 */
export interface Clock {
  /** The current business instant (simulated in local mode). */
  now(): Date;
  /**
   * Waits before an in-process retry of a failed call (lambdas/adapters/transient-retry.ts): real
   * time on AWS, where a throttled service recovers in real time. Absent: no wait (local mode,
   * where simulated time does not pass during a retry, as for the SDK's and the state machine's).
   */
  pause?(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date(), pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

let current: Clock = systemClock;

export function clock(): Clock {
  return current;
}

/** Composition root only (local mode, tests). */
export function installClock(c: Clock): void {
  current = c;
}
