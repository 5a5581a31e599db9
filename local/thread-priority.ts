/**
 * The handler worker first: local mode's handlers all run in one worker thread (./handler-workers),
 * the bottleneck of a long run, on a machine of two cores shared with the main thread (emulators,
 * engine), V8's background threads (garbage collection, compilation) and libuv's pool (LevelDB,
 * files). Measured at 300-1,000 escalated dossiers: while executions are in flight the worker's
 * event loop is busy ~95 % of the wall time (event loop utilization, 16 invocations in flight,
 * replies from the main thread waiting ~40 ms in its queue), yet it ran on a core only ~70 % of
 * the time: the rest it waited, runnable, for a core the other threads held (Linux schedstat:
 * run-queue delay). The engine and the round trips to the main thread were not what it waited for.
 *
 * So every other thread of the process runs at a lower priority (a higher nice value, Linux only,
 * no privilege needed): when the worker and another thread want the same core, the worker gets
 * more of it. Nothing else changes (same work, same order, same outputs); the other threads still
 * run whenever a core is free. Threads the main thread creates later inherit its nice value.
 * AMIABLE_LOCAL_NICE sets the step (0: off; default DEFAULT_NICE).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

export const DEFAULT_NICE = 5;

export function niceStep(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AMIABLE_LOCAL_NICE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_NICE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`AMIABLE_LOCAL_NICE must be an integer from 0 to 19, got "${raw}"`);
  return n;
}

/** This thread's Linux task id, or undefined elsewhere. */
export function currentThreadId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the priority of every thread of this process but `keep` by `step` (from its nice value
 * when first seen; a thread already lowered is left as it is). Returns the threads lowered now.
 */
export function lowerOthers(keep: ReadonlySet<number>, step: number, lowered: Set<number>): number {
  if (process.platform !== 'linux' || step <= 0) return 0;
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let count = 0;
  for (const t of tids) {
    const tid = Number(t);
    if (keep.has(tid) || lowered.has(tid)) continue;
    try {
      os.setPriority(tid, Math.min(19, os.getPriority(tid) + step));
      lowered.add(tid);
      count++;
    } catch {
      // A thread that ended meanwhile, or a system that refuses: left as it is.
    }
  }
  return count;
}
