/**
 * Spacing calls evenly at a given rate within one invocation. The bulk starter waits on it before
 * each StartExecution, so (rate per invocation) x (the event source mapping's maximum concurrency)
 * bounds the starts per second, whatever the call latency (lib/bulk-intake.ts documents the figures).
 */
export interface Pacer {
  /** Resolves when the next call may be made. */
  next(): Promise<void>;
}

export function pacer(perSecond: number, now: () => number = Date.now, sleep: (ms: number) => Promise<void> = defaultSleep): Pacer {
  if (!(perSecond > 0)) return { next: async () => undefined }; // 0: unpaced (local mode, no quota)
  const interval = 1000 / perSecond;
  let nextAt = -Infinity;
  return {
    async next() {
      const t = now();
      const at = Math.max(t, nextAt);
      nextAt = at + interval;
      if (at > t) await sleep(at - t);
    },
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
