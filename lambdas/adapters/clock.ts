/**
 * The Clock port. Lambdas use the system clock; local mode installs a simulated clock so weeks
 * pass in seconds. The global Date and timers are never patched: SDK retries, the emulators and
 * s3rver's 15-minute signature-skew check all rely on real time.
 */
export interface Clock {
  /** The current business instant (simulated in local mode). */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

export function clock(): Clock {
  return current;
}

/** Composition root only (local mode, tests). */
export function installClock(c: Clock): void {
  current = c;
}
