/**
 * The handler worker first (local/thread-priority.ts): every other thread of the process is given
 * a lower priority, the worker's own is left as it is; AMIABLE_LOCAL_NICE is checked.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { currentThreadId, DEFAULT_NICE, lowerOthers, niceStep } from '../../local/thread-priority';

describe('thread priority: the handler worker first', () => {
  it('reads AMIABLE_LOCAL_NICE (default, 0 = off, a bad value refused)', () => {
    expect(niceStep({})).toBe(DEFAULT_NICE);
    expect(niceStep({ AMIABLE_LOCAL_NICE: '0' })).toBe(0);
    expect(niceStep({ AMIABLE_LOCAL_NICE: '7' })).toBe(7);
    expect(() => niceStep({ AMIABLE_LOCAL_NICE: '-1' })).toThrow(/AMIABLE_LOCAL_NICE/);
    expect(() => niceStep({ AMIABLE_LOCAL_NICE: 'x' })).toThrow(/AMIABLE_LOCAL_NICE/);
  });

  it.runIf(process.platform === 'linux')('lowers every thread but the kept one, once each', async () => {
    // A thread of its own to keep (as the handler worker), alive until told to end.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads'); const fs = require('node:fs');
       parentPort.postMessage(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()));
       parentPort.on('message', () => process.exit(0));`,
      { eval: true },
    );
    try {
      const tid = await new Promise<number>((resolve) => worker.once('message', resolve));
      expect(tid).not.toBe(currentThreadId());
      const main = currentThreadId()!;
      const before = { main: os.getPriority(main), worker: os.getPriority(tid) };
      const lowered = new Set<number>();
      expect(lowerOthers(new Set([tid]), 0, lowered)).toBe(0);
      const n = lowerOthers(new Set([tid]), 2, lowered);
      expect(n).toBeGreaterThan(0);
      expect(lowered.has(main)).toBe(true);
      expect(lowered.has(tid)).toBe(false);
      expect(os.getPriority(tid)).toBe(before.worker);
      expect(os.getPriority(main)).toBe(Math.min(19, before.main + 2));
      // Seen again: not lowered twice.
      lowerOthers(new Set([tid]), 2, lowered);
      expect(os.getPriority(main)).toBe(Math.min(19, before.main + 2));
    } finally {
      worker.postMessage('end');
      await new Promise((r) => worker.once('exit', r));
    }
  });
});
