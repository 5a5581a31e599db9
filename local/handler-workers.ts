/**
 * Local mode's Lambda handlers in worker threads. Everything local mode runs used to share one
 * JavaScript thread: the emulators (dynalite and the stream layer, s3rver and the Object Lock layer,
 * the SES endpoint, the Step Functions engine) and every handler (PDF rendering, MIME, the AWS SDK
 * client side), about half the CPU each; a second core sat idle. Here the handlers run in a pool of
 * worker threads, each a warm "container" that loads the same handler modules as local/handlers.ts
 * on first use, while the emulators and the engine stay in the main thread.
 *
 * What a worker sees is what the handler would see in this thread:
 * - process.env as this thread has it when the invocation starts (only the changes since the
 *   worker's last invocation travel with it);
 * - the simulated clock: `clock().now()` reads this thread's simulated instant live, from a shared
 *   buffer the clock writes on every move (so a handler sees the clock move while it runs exactly
 *   as it would in-process); local mode's clock has no `pause` (no wait before an in-process retry),
 *   neither has the worker's;
 * - the SDK clients' quiet logger (lambdas/adapters/aws-clients.ts: the same module) and the polyfills;
 * - the emulators: an SDK request to an address this thread serves in-process (local/in-process.ts)
 *   is posted to this thread ({method, path, headers, body}), answered by the server's listener and
 *   posted back (bodies transferred, not copied, when they own their memory); anything else goes
 *   over loopback HTTP. AMIABLE_LOOPBACK_HTTP=1: real HTTP for everything, workers included.
 *
 * An invocation's result or error comes back to the caller (the engine's Retry and Catch match the
 * error's name; a DomainError stays one). A worker that dies (process.exit, out of memory, an
 * uncaught error) fails every invocation it was running as Lambda reports a dead runtime
 * (Runtime.ExitError) and is replaced; `stop()` terminates them all.
 *
 * AMIABLE_LOCAL_WORKERS sets the pool's size (0: every handler in the main thread, as before; unset:
 * one worker on two cores or more, see `defaultWorkerCount`).
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../lambdas/domain/errors';
import type { HandlerRunner, LambdaContext, WorkerObserver } from './handlers';
import { requestInProcess, servedAddresses, type PlainResponse } from './in-process';
import { batchedPoster, unbatch, type Batch } from './port-batch';

/** Worker → main: an invocation's end, or an SDK request for a server of this thread. */
export type FromWorker =
  | { type: 'result'; id: number; ok: true; value: unknown; recorded?: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError; recorded?: unknown }
  | { type: 'http'; id: number; url: string; method: string; path: string; headers: Record<string, string | string[] | undefined>; body?: Uint8Array };

/** Main → worker. */
export type ToWorker =
  | {
      type: 'invoke';
      id: number;
      name: string;
      event: unknown;
      context: { functionName: string; awsRequestId: string };
      env?: { set: Record<string, string>; unset: string[] };
      served?: string[];
    }
  | { type: 'http-result'; id: number; ok: true; status: number; headers: Record<string, string | string[] | undefined>; body: Uint8Array }
  | { type: 'http-result'; id: number; ok: false; message: string; code?: string };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable fields that survive a JSON round trip ($fault, $metadata, code...). */
  fields?: Record<string, unknown>;
  domain?: { status: number; code: string; details: unknown[] };
}

export interface WorkerData {
  /** The simulated instant (ms since epoch; 0 = none installed: real time), written by this thread. */
  clock: SharedArrayBuffer;
  env: Record<string, string>;
  served: string[];
  /** Absolute paths of the observer's worker part (local/handlers.ts WorkerObserver). */
  observer?: string;
  /** Extra handler modules by name (absolute paths): tests' failing handlers. */
  extraModules?: Record<string, string>;
}

/**
 * The pool's size when AMIABLE_LOCAL_WORKERS is unset: one worker on a machine of two cores or
 * more, none on one core (a worker there only adds the cost of its messages). Never more by
 * default, for memory: each worker is a second V8 heap with its own copy of the handler code,
 * the SDK, the PDF libraries and fonts, and its own malloc arena, ~60-75 MB resident at 300 to
 * 1,000 dossiers; local mode's budget is 500 MB of peak RSS for 1,000 dossiers, which the main
 * thread plus one worker fits and two do not (measured: README, "Handlers in worker threads").
 */
export const DEFAULT_WORKERS_MAX = 1;

export function defaultWorkerCount(cores: number = availableParallelism()): number {
  return Math.max(0, Math.min(DEFAULT_WORKERS_MAX, cores - 1));
}

/**
 * The pool's size: AMIABLE_LOCAL_WORKERS when set (0: every handler in the main thread), else
 * `defaultWorkerCount()`. The test suite sets 0 (test/setup.ts) and fault injection forces 0
 * (local/system.ts): their runs must keep one call order.
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env, cores?: number): number {
  const raw = env.AMIABLE_LOCAL_WORKERS;
  if (raw === undefined || raw.trim() === '') return defaultWorkerCount(cores);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error(`AMIABLE_LOCAL_WORKERS must be an integer from 0 to 64, got "${raw}"`);
  return n;
}

/**
 * The main thread's share of the invocations in flight when AMIABLE_LOCAL_MAIN_SHARE is unset
 * (see `mainShare`): none. Session 12, 1,000 dossiers on a quiet machine, heap growth 50 %: share
 * 0.1 took 74.5 s and peaked at 451 MiB, share 0 took 76.1 s at 388 MiB (within the noise of each
 * other): the main thread's copy of the handler modules, SDK, PDF libraries and fonts (and the
 * garbage of the letters it renders) costs ~60 MB for no measurable gain once the collector runs
 * less often; the memory is better spent on that (local/heap-growth.ts).
 */
export const DEFAULT_MAIN_SHARE = 0;

/**
 * How much of the handlers' work the main thread takes beside the workers: the largest share of
 * the invocations in flight it may hold (0 to 1; 0: none, every invocation goes to a worker).
 * AMIABLE_LOCAL_MAIN_SHARE when set, else DEFAULT_MAIN_SHARE. Why: with one worker, the worker
 * ran every handler and was the bottleneck while the main thread (emulators, engine, clock) sat
 * idle over half the time. The share counts invocations, not CPU: at 0.1 the main thread ran 13 %
 * of the invocations and ~30 % of the handlers' CPU (it answers its own SDK calls without a message
 * round trip), and the two threads' CPU came out even (31.7 / 29.1 s at 300 dossiers); at 0.25 the
 * main thread, which also answers every worker's SDK requests, became the bottleneck (36 / 26 s).
 * (Session 11's figures, heap growth 25 %; see DEFAULT_MAIN_SHARE for why the default is now 0.)
 */
export function mainShare(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AMIABLE_LOCAL_MAIN_SHARE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAIN_SHARE;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`AMIABLE_LOCAL_MAIN_SHARE must be a number from 0 to 1, got "${raw}"`);
  return n;
}

export interface HandlerPoolOptions {
  size: number;
  /**
   * The main thread as one more runner beside the workers: `run` runs an invocation in this
   * thread (local/handlers.ts loadHandler, as with AMIABLE_LOCAL_WORKERS=0), given one when that
   * keeps this thread's invocations in flight, counting the new one, within `share` of all in
   * flight. A lone invocation therefore always goes to a worker (share < 1).
   */
  here?: { share: number; run(name: string, event: unknown, context: LambdaContext): Promise<unknown> };
  /** The observer's part in workers (the bench meter), if any. */
  observer?: WorkerObserver;
  /** Handler modules beyond local/handlers.ts's, by name (absolute paths): tests only. */
  extraModules?: Record<string, string>;
  /** Per worker (tests: a worker that runs out of memory). */
  resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };
}

export interface HandlerPool extends HandlerRunner {
  readonly size: number;
  /** Workers started so far (a replaced worker counts again). */
  readonly started: number;
  /** How many invocations ran in this thread (opts.here) and in the workers so far. */
  readonly taken: { readonly here: number; readonly workers: number };
  /** Keeps the workers' simulated instant in step with this clock (called on every move). */
  clockMoved(at: Date): void;
  stop(): Promise<void>;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  context: { functionName: string; awsRequestId: string };
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** The environment as last sent to this worker. */
  env: Map<string, string>;
  servedVersion: number;
  dead: boolean;
  /** Posts to the worker, batched per turn of this thread's event loop (./port-batch). */
  post: (m: ToWorker, transfer?: ArrayBuffer[]) => void;
  /** The uncaught error that ended it, if any. */
  lastError?: Error;
}

/**
 * Each worker's young generation capped at 16 MB (V8 lets it grow to 48 MB): a worker's garbage is
 * mostly short-lived (a letter's PDF, a MIME message), and the cap kept ~30 MB off the process's
 * resident memory at the same CPU (40 dossiers, paired runs); local mode's peak RSS budget is 500 MB.
 * When node runs with `--max-semi-space-size` (npm start, demo, bench: local/heap-growth.ts) V8
 * takes that flag over this limit, in every isolate: the worker's semi-spaces are 4 MB too. (A
 * 16 MB semi-space for the worker cut its scavenges 4x but its full collections only 48 -> 40 per
 * 100 dossiers: what it promotes lives across several of its SDK round trips, not too briefly.)
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16 };

const THREAD_ENTRY = path.join(__dirname, 'handler-worker-thread.ts');

/**
 * The bootstrap each worker runs: tsx's loaders (ESM hooks for the handlers' lazy `import()`s,
 * CommonJS for `require`), registered inside the worker (Node 20 does not pass a parent's loader
 * hooks, nor `--import` in a worker's execArgv, to the worker), then the worker's module.
 */
function bootstrap(): URL {
  const tsxDir = path.dirname(require.resolve('tsx/package.json'));
  const esm = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const code = [
    `const { register } = await import(${JSON.stringify(esm)});`,
    'register();',
    `const { createRequire } = await import('node:module');`,
    `const require = createRequire(${JSON.stringify(THREAD_ENTRY)});`,
    `require('tsx/cjs/api').register();`,
    `require(${JSON.stringify(THREAD_ENTRY)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * The environment's entries, read at each invocation: a caller may change process.env and invoke
 * in the same turn of the event loop (tests do), so no reading is reused (~100 variables, tens of µs).
 */
function currentEnv(): Map<string, string> {
  const env = new Map<string, string>();
  for (const k in process.env) {
    const v = process.env[k];
    if (v !== undefined) env.set(k, v);
  }
  return env;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'name' || k === 'message' || k === 'stack') continue;
    try {
      fields[k] = v === undefined ? undefined : JSON.parse(JSON.stringify(v));
    } catch {
      // A field that does not survive JSON (a cycle, a function) stays behind, as on Lambda.
    }
  }
  const out: SerializedError = { name: e.name, message: e.message, stack: e.stack, fields };
  if (e instanceof DomainError) out.domain = { status: e.status, code: e.code, details: e.details };
  return out;
}

/** The error a handler threw in a worker, rebuilt here (a DomainError stays one). */
function deserializeError(s: SerializedError): Error {
  const e = s.domain ? new DomainError(s.domain.status as DomainError['status'], s.domain.code, s.message, s.domain.details as DomainError['details']) : new Error(s.message);
  Object.assign(e, s.fields ?? {});
  e.name = s.name;
  if (s.stack) e.stack = s.stack;
  return e;
}

/** The bytes of a body, as a Uint8Array to post (transferable when it owns its memory). */
function transferable(body: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  const owns = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && !(body.buffer instanceof SharedArrayBuffer);
  // A pooled Buffer (Node's small allocations share one 8 KiB slab) must not be detached: copied.
  if (owns && body.byteLength >= 4096) return { bytes: body, transfer: [body.buffer as ArrayBuffer] };
  return { bytes: new Uint8Array(body), transfer: [] };
}

export function startHandlerWorkers(opts: HandlerPoolOptions): HandlerPool {
  if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error('a handler worker pool has at least one worker');
  const clock = new SharedArrayBuffer(8);
  const instant = new BigInt64Array(clock);
  const slots: Slot[] = [];
  let nextId = 1;
  let started = 0;
  let stopped = false;

  const spawn = (): Slot => {
    const served = servedAddresses();
    const env = currentEnv();
    const data: WorkerData = { clock, env: Object.fromEntries(env), served: served.addresses, observer: opts.observer?.module, extraModules: opts.extraModules };
    const worker = new Worker(bootstrap(), { workerData: data, resourceLimits: opts.resourceLimits ?? WORKER_LIMITS, stdout: false, stderr: false });
    started++;
    const slot: Slot = {
      worker,
      pending: new Map(),
      env: new Map(env),
      servedVersion: served.version,
      dead: false,
      post: batchedPoster<ToWorker>((batch, transfer) => {
        if (slot.dead) return;
        try {
          worker.postMessage(batch, transfer);
        } catch {
          // A message the structured clone refuses (an event holding a function): sent apart, so
          // that only its own invocation fails, as when each was posted alone (not the whole batch,
          // nor the process from inside setImmediate).
          for (const m of batch.messages) {
            try {
              worker.postMessage(m);
            } catch (e) {
              if (m.type !== 'invoke') throw e;
              const p = slot.pending.get(m.id);
              slot.pending.delete(m.id);
              p?.reject(e);
            }
          }
        }
      }),
    };
    worker.on('message', (m: FromWorker | Batch<FromWorker>) => unbatch(m, (one) => onMessage(slot, one)));
    // An uncaught error ends the worker: 'exit' follows, where its invocations fail.
    worker.on('error', (e) => {
      slot.lastError = e;
    });
    worker.on('exit', (code) => died(slot, code));
    return slot;
  };

  const died = (slot: Slot, code: number) => {
    slot.dead = true;
    const i = slots.indexOf(slot);
    if (i >= 0) {
      if (stopped) slots.splice(i, 1);
      // A new warm container takes its place (the next invocations pay its cold start).
      else slots[i] = spawn();
    }
    const reason = slot.lastError ? `${slot.lastError.name}: ${slot.lastError.message}` : `exit status ${code}`;
    for (const [, p] of slot.pending) {
      // What Lambda reports when the runtime dies during an invocation.
      const e = new Error(`RequestId: ${p.context.awsRequestId} Error: Runtime exited with error: ${reason}`);
      e.name = 'Runtime.ExitError';
      p.reject(e);
    }
    slot.pending.clear();
  };

  const onMessage = (slot: Slot, m: FromWorker) => {
    if (m.type === 'result') {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (m.recorded !== undefined) opts.observer?.merge(m.recorded);
      if (m.ok) p.resolve(m.value);
      else p.reject(deserializeError(m.error));
    } else if (m.type === 'http') {
      void answerHttp(slot, m);
    }
  };

  const answerHttp = async (slot: Slot, m: Extract<FromWorker, { type: 'http' }>) => {
    let reply: ToWorker;
    let transfer: ArrayBuffer[] = [];
    try {
      const pending = requestInProcess(new URL(m.url), { method: m.method, path: m.path, headers: m.headers, body: m.body ? Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength) : undefined });
      if (!pending) {
        reply = { type: 'http-result', id: m.id, ok: false, message: `connect ECONNREFUSED ${m.url} (no longer served)`, code: 'ECONNREFUSED' };
      } else {
        const r: PlainResponse = await pending;
        const t = transferable(r.body);
        transfer = t.transfer;
        reply = { type: 'http-result', id: m.id, ok: true, status: r.status, headers: r.headers, body: t.bytes };
      }
    } catch (e) {
      reply = { type: 'http-result', id: m.id, ok: false, message: (e as Error)?.message ?? String(e), code: (e as NodeJS.ErrnoException)?.code };
    }
    if (!slot.dead) slot.post(reply, transfer);
  };

  for (let i = 0; i < opts.size; i++) slots.push(spawn());

  /** Invocations in flight in this thread (opts.here). */
  let hereInFlight = 0;
  let workersInFlight = 0;
  /** Invocations each runner took (tests: both threads take some). */
  const taken = { here: 0, workers: 0 };

  /** The least busy live worker. */
  const pick = (): Slot => {
    let best = slots[0];
    for (const s of slots) if (s.pending.size < best.pending.size) best = s;
    return best;
  };

  /** What changed in the environment since this worker's last invocation. */
  const envDelta = (slot: Slot): { set: Record<string, string>; unset: string[] } | undefined => {
    const now = currentEnv();
    let set: Record<string, string> | undefined;
    let unset: string[] | undefined;
    for (const [k, v] of now) {
      if (slot.env.get(k) !== v) {
        (set ??= {})[k] = v;
        slot.env.set(k, v);
      }
    }
    // Every key of `now` is in slot.env by now: more keys there means some were removed.
    if (slot.env.size !== now.size) {
      for (const k of [...slot.env.keys()]) {
        if (!now.has(k)) {
          (unset ??= []).push(k);
          slot.env.delete(k);
        }
      }
    }
    return set || unset ? { set: set ?? {}, unset: unset ?? [] } : undefined;
  };

  return {
    size: opts.size,
    get started() {
      return started;
    },
    clockMoved(at: Date) {
      Atomics.store(instant, 0, BigInt(at.getTime()));
    },
    taken,
    invoke(name: string, event: unknown, context: LambdaContext): Promise<unknown> {
      if (stopped) return Promise.reject(new Error('the local system is stopped: no handler worker runs'));
      const here = opts.here;
      if (here && hereInFlight + 1 <= here.share * (hereInFlight + workersInFlight + 1)) {
        hereInFlight++;
        taken.here++;
        const settle = () => void hereInFlight--;
        // Started synchronously as a worker's would be posted: the handler's first steps run now.
        let running: Promise<unknown>;
        try {
          running = here.run(name, event, context);
        } catch (e) {
          running = Promise.reject(e);
        }
        running.then(settle, settle);
        return running;
      }
      taken.workers++;
      workersInFlight++;
      const slot = pick();
      const id = nextId++;
      const served = servedAddresses();
      const message: ToWorker = {
        type: 'invoke',
        id,
        name,
        event,
        context: { functionName: context.functionName, awsRequestId: context.awsRequestId },
        env: envDelta(slot),
        served: served.version !== slot.servedVersion ? served.addresses : undefined,
      };
      slot.servedVersion = served.version;
      const done = new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject, context: message.context });
        slot.post(message);
      });
      const settle = () => void workersInFlight--;
      done.then(settle, settle);
      return done;
    },
    async stop() {
      stopped = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
