/**
 * What local mode actually does, metered for the bench's cost table: every Lambda invocation and
 * its duration (through local/handlers.ts's observer; see `durations` below for the duration the
 * cost table bills), and every AWS SDK call the handlers make,
 * attributed to the function that made it (AsyncLocalStorage): DynamoDB requests and the capacity
 * units the emulator reports, S3 PUTs/GETs and the bytes put, SES messages and their bytes, and
 * the bytes each function writes to its log. Calls made outside a handler (seeding) are not
 * counted. Snapshots are subtracted to get one phase's share.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { observeInvocations } from '../local/handlers';
import { indexWriteUnits, type Item, type TableIndexes } from './gsi-writes';

export interface FunctionMeter {
  invocations: number;
  /** Wall ms of every invocation, measured while others ran in the same process (not billed). */
  ms: number;
  /**
   * The sampled invocations, each run with no other invocation in flight (see `durations`): how
   * many, their wall ms, their billed ms (each rounded up to the millisecond, as Lambda bills),
   * and the process CPU ms while they ran (the handler's work plus the emulators' answering it).
   */
  samples: number;
  sampleMs: number;
  sampleBilledMs: number;
  sampleCpuMs: number;
  ddbReads: number;
  ddbWrites: number;
  readUnits: number;
  /** Table and index write units (dynalite reports the table's; the indexes' are counted here: scripts/gsi-writes.ts). */
  writeUnits: number;
  /** Of writeUnits, those of the global secondary indexes. */
  indexWriteUnits: number;
  s3Puts: number;
  s3Gets: number;
  /** Sizes of the objects put in the vault (each kept for the retention period). */
  putSizes: number[];
  /** What each of those objects is (putKind of its key), in the same order. */
  putKinds: string[];
  /** The storage class each was PUT in (STANDARD unless the PUT named one), in the same order (absent in older results: all STANDARD). */
  putClasses?: string[];
  /** Of s3Gets, reads of objects PUT in Glacier IR (billed per request and per GB retrieved). */
  glacierIrGets?: number;
  glacierIrGetBytes?: number;
  sesMessages: number;
  sesBytes: number;
  logBytes: number;
}

export type Meter = Record<string, FunctionMeter>;

// The low-level commands: the adapters' document commands (lambdas/adapters/clients/dynamodb-documents.ts)
// are sent as these through DynamoDBClient.prototype.send.
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/**
 * BENCH_DDB_TRACE=<file>: one JSON line per metered DynamoDB request (function, command, key,
 * units), to see which request of which function costs what.
 */
const traceFile = process.env.BENCH_DDB_TRACE;
function trace(handler: string, name: string, input: any, units: number): void {
  if (!traceFile) return;
  const key = input?.Key ?? input?.Item ?? input?.TransactItems ?? input?.RequestItems ?? input?.KeyConditionExpression;
  const plain = (v: any) => (v && typeof v === 'object' && 'S' in v ? v.S : v);
  const k = key && typeof key === 'object' && !Array.isArray(key) && ('pk' in key) ? `${plain(key.pk)}|${plain(key.sk)}` : JSON.stringify(key)?.slice(0, 120);
  // The size of each attribute an update sets (its value as sent), to find what makes an item big.
  const sizes: Record<string, number> = {};
  const names = input?.ExpressionAttributeNames ?? {};
  for (const [placeholder, value] of Object.entries(input?.ExpressionAttributeValues ?? {})) {
    const name = names[placeholder.replace(':', '#')] ?? placeholder;
    sizes[name] = JSON.stringify(value).length;
  }
  fs.appendFileSync(traceFile, `${JSON.stringify({ handler, name, key: k, units, sizes })}\n`);
}

const context = new AsyncLocalStorage<{ handler: string }>();
/** Vault keys PUT in Glacier IR (their size): a GET of one is a Glacier IR request and retrieval. */
const glacierIrObjects = new Map<string, number>();
const meter: Meter = {};

function of(handler: string): FunctionMeter {
  return (meter[handler] ??= {
    invocations: 0,
    ms: 0,
    samples: 0,
    sampleMs: 0,
    sampleBilledMs: 0,
    sampleCpuMs: 0,
    ddbReads: 0,
    ddbWrites: 0,
    readUnits: 0,
    writeUnits: 0,
    indexWriteUnits: 0,
    s3Puts: 0,
    s3Gets: 0,
    putSizes: [],
    putKinds: [],
    putClasses: [],
    glacierIrGets: 0,
    glacierIrGetBytes: 0,
    sesMessages: 0,
    sesBytes: 0,
    logBytes: 0,
  });
}

function current(): FunctionMeter | undefined {
  const c = context.getStore();
  return c ? of(c.handler) : undefined;
}

function byteLength(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

/**
 * What a vault key holds, for the bytes-kept breakdown: "message formal_notice", "litigation
 * dossier pdf", "fact (json)", "invoice", "SES event"... (evidence bundles are not kept: they go to
 * the exports bucket, see installMeter).
 */
export function putKind(key: string): string {
  const parts = key.split('/');
  if (parts[0] !== 'dossiers') return parts[0] ?? key;
  const what = parts[2] ?? '';
  if (what === 'notices') return `message ${parts[3]}`;
  if (what === 'litigation') return key.endsWith('.gz') ? `litigation dossier ${key.split('.').at(-2)} (gzip)` : `litigation dossier ${key.split('.').pop()}`;
  if (what === 'facts') return 'fact (json)';
  if (what === 'delivery') return 'SES event';
  return what;
}

let installed = false;

/**
 * Durations. Local mode runs many invocations at once in one Node process (N dossiers, the
 * emulators, the engine), so an invocation's wall time there includes the CPU the others used and
 * the event-loop turns it waited for: at N=100 that billed ~5.7 s per invocation. Lambda bills an
 * invocation's own duration, in an execution environment that runs one invocation at a time. So
 * the cost table bills a sample: every `BENCH_LAMBDA_SAMPLE`-th invocation of each function
 * (default 4; 1 = all; from its second invocation on, the first one warming the code as a cold
 * start's init would) waits until no other invocation is in flight, holds the others back while
 * it runs, and its wall time is measured then. What it still includes: the emulators answering its
 * own requests in-process (dynalite, S3, SES). A sample that cannot get the process to itself
 * within `DRAIN_LIMIT_MS` (an invocation waiting for another) runs with the others, is not counted,
 * and the function's next invocation is sampled instead.
 * The table's stream consumers (`meterStreamConsumers`) are never held back: holding them would
 * let records pile up and reach them in larger batches, fewer invocations than without the meter.
 * They run during a sample when its writes feed them (their CPU then counts in the sample: an
 * overestimate), and are sampled only when one happens to run with nothing else in flight.
 */
export const SAMPLE_EVERY = Math.max(0, Number(process.env.BENCH_LAMBDA_SAMPLE ?? 4));
let sampleEvery = SAMPLE_EVERY;

/**
 * Samples every `k`-th invocation of each function from now on (0: none). Each sample stops the
 * process to itself, so samples throttle what runs beside them: the bench samples a bounded
 * number per phase (a longer stride for more dossiers), and none while it measures throughput.
 */
export function sampleEveryNth(k: number): void {
  sampleEvery = Math.max(0, k);
}
const DRAIN_LIMIT_MS = 30_000;
const ungated = new Set<string>();
/** Functions whose container in this thread has run (handlers in worker threads: see installMeter). */
const warmedHere = new Set<string>();
/** Functions owed a sample (their sampled invocation could not run alone). */
const owed = new Set<string>();
/** Invocations started so far (an invocation that sees none start while it runs, from an idle process, ran alone). */
let started = 0;

/** The table's stream consumers, by handler name: never held back by a sample (see above). */
export function meterStreamConsumers(handlers: Iterable<string>): void {
  for (const h of handlers) ungated.add(h);
}
let inFlight = 0;
let gate: Promise<void> | undefined;
let drainWaiters: (() => void)[] = [];
const calls = new Map<string, number>();
/** Samples that gave up waiting for the process to themselves. */
export let samplesAbandoned = 0;

function finished(): void {
  inFlight--;
  if (inFlight === 0) {
    const waiters = drainWaiters;
    drainWaiters = [];
    waiters.forEach((w) => w());
  }
}

/** Resolves when no invocation is in flight, or false after `limit` ms. */
function drained(limit: number): Promise<boolean> {
  if (inFlight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      drainWaiters = drainWaiters.filter((w) => w !== done);
      resolve(false);
    }, limit);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    drainWaiters.push(done);
  });
}

/** Global secondary indexes of the metered table(s), by table name (meterIndexWrites). */
const indexesByTable = new Map<string, TableIndexes>();

/**
 * Counts the index writes of every metered write to `tableName` (dynalite reports the table's units
 * only): from the item before and after the write, which dynalite holds when it computes the
 * consumed capacity, by AWS's rules (scripts/gsi-writes.ts).
 */
export function meterIndexWrites(tableName: string, indexes: TableIndexes): void {
  indexesByTable.set(tableName, indexes);
}

/**
 * Handler worker threads (local/handler-workers.ts): the handlers' SDK calls and log lines happen
 * there, so each worker meters them with the same code (`installInWorker`) into its own counters,
 * which come back with every invocation's result and are added here (`mergeRecorded`) before the
 * invocation ends. Invocations, durations and samples are metered here, around the whole round trip
 * (the process CPU covers every thread). A GET is billed as a Glacier IR read from the vault keys
 * PUT in Glacier IR, known here only: workers report the keys they read.
 */
interface Recorded {
  meter: Meter;
  glacierPuts: [string, number][];
  reads: [handler: string, command: string, key: string][];
}
let recording: Recorded | undefined;

function mergeRecorded(r: unknown): void {
  const rec = r as Recorded;
  for (const [handler, w] of Object.entries(rec.meter)) {
    const m = of(handler);
    for (const [k, v] of Object.entries(w) as [keyof FunctionMeter, unknown][]) {
      if (typeof v === 'number') (m as unknown as Record<string, number>)[k] = ((m[k] as number | undefined) ?? 0) + v;
      else if (Array.isArray(v)) ((m[k] as unknown[] | undefined) ?? ((m as unknown as Record<string, unknown[]>)[k] = [])).push(...v);
    }
  }
  for (const [key, size] of rec.glacierPuts) glacierIrObjects.set(key, size);
  for (const [handler, command, key] of rec.reads) glacierRead(of(handler), command, key);
}

function glacierRead(m: FunctionMeter, command: string, key: string): void {
  const archived = glacierIrObjects.get(key);
  if (archived === undefined) return;
  m.glacierIrGets = (m.glacierIrGets ?? 0) + 1;
  if (command === 'GetObjectCommand') m.glacierIrGetBytes = (m.glacierIrGetBytes ?? 0) + archived;
}

/**
 * In a handler worker thread (local/handlers.ts WorkerObserver): meters the handlers' SDK calls and
 * log lines there; returns what was recorded since the last call, for `mergeRecorded`.
 */
export function installInWorker(): () => Recorded {
  recording = { meter, glacierPuts: [], reads: [] };
  observeInvocations((handler, invoke) => context.run({ handler }, invoke));
  meterClients();
  return () => {
    // Emptied in place: a call still in flight holds its function's counters and adds to them
    // after this (its units come back after its request): that goes with the next drain.
    const out: Recorded = { meter: {}, glacierPuts: recording!.glacierPuts, reads: recording!.reads };
    for (const [handler, m] of Object.entries(meter)) {
      const d: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m)) {
        if (typeof v === 'number') {
          d[k] = v;
          (m as unknown as Record<string, number>)[k] = 0;
        } else if (Array.isArray(v)) d[k] = v.splice(0);
      }
      out.meter[handler] = d as unknown as FunctionMeter;
    }
    recording!.glacierPuts = [];
    recording!.reads = [];
    return out;
  };
}

/** Starts metering (once per process). */
export function installMeter(): void {
  if (installed) return;
  installed = true;
  observeInvocations(async (handler, invoke, here) => {
    const m = of(handler);
    m.invocations++;
    const k = calls.get(handler) ?? 0;
    calls.set(handler, k + 1);
    const free = ungated.has(handler);
    // Nobody (but the stream consumers) starts while a sample runs alone.
    while (gate && !free) await gate;
    let sample = !free && sampleEvery > 0 && k >= 1 && ((k - 1) % sampleEvery === 0 || owed.has(handler));
    let open: (() => void) | undefined;
    if (sample) {
      gate = new Promise((r) => (open = r));
      sample = await drained(DRAIN_LIMIT_MS);
      if (sample) owed.delete(handler);
      else {
        samplesAbandoned++;
        owed.add(handler);
        gate = undefined;
        open!();
      }
    }
    // With handlers in worker threads, a sample runs in this thread (loaded first, untimed): alone,
    // exactly as when every handler ran here, without the round trips between threads.
    // The first such run of a function in this thread warms its container here (lazy imports, fonts,
    // caches), as the first invocation does in-process: run alone but not counted; the next is sampled.
    let warmup = false;
    if (sample && here) {
      await here.load();
      invoke = here.run;
      warmup = !warmedHere.has(handler);
      warmedHere.add(handler);
    }
    const idle = inFlight === 0;
    const startedBefore = ++started;
    inFlight++;
    const cpu = process.cpuUsage();
    const t = performance.now();
    try {
      return await context.run({ handler }, invoke);
    } finally {
      const ms = performance.now() - t;
      m.ms += ms;
      // A stream consumer that ran alone as it happened (nothing in flight, nothing started meanwhile).
      if (free && idle && started === startedBefore && k >= 1) sample = true;
      if (sample && warmup) {
        owed.add(handler);
        if (open) {
          gate = undefined;
          open();
        }
      } else if (sample) {
        const used = process.cpuUsage(cpu);
        m.samples++;
        m.sampleMs += ms;
        m.sampleBilledMs += Math.ceil(ms);
        m.sampleCpuMs += (used.user + used.system) / 1000;
        if (open) {
          gate = undefined;
          open();
        }
      }
      finished();
    }
  }, { module: __filename, merge: mergeRecorded });

  // dynalite's consumed capacity, plus the index writes (the items before and after are at hand).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynaliteDb = require('dynalite/db');
  const tableCapacity = dynaliteDb.addConsumedCapacity;
  dynaliteDb.addConsumedCapacity = (data: any, isRead: boolean, before?: Item, after?: Item) => {
    const out = tableCapacity(data, isRead, before, after);
    const spec = indexesByTable.get(data?.TableName);
    if (!out || isRead || !spec) return out;
    const byIndex = indexWriteUnits(spec, before, after);
    const names = Object.keys(byIndex);
    if (names.length === 0) return out;
    return {
      ...out,
      CapacityUnits: out.CapacityUnits + names.reduce((n, name) => n + byIndex[name], 0),
      Table: { CapacityUnits: out.CapacityUnits },
      GlobalSecondaryIndexes: Object.fromEntries(names.map((name) => [name, { CapacityUnits: byIndex[name] }])),
    };
  };

  meterClients();
}

/** Meters the SDK calls and log lines of the handlers running in this thread. */
function meterClients(): void {
  const meterDynamoDb = (original: (...args: any[]) => Promise<any>) =>
    async function (this: unknown, command: any, ...rest: any[]) {
      const m = current();
      const name: string = command?.constructor?.name ?? '';
      if (!m) return original.call(this, command, ...rest);
      if (command?.input && !command.input.ReturnConsumedCapacity && (READS.has(name) || WRITES.has(name))) command.input.ReturnConsumedCapacity = 'TOTAL';
      if (READS.has(name)) m.ddbReads++;
      if (WRITES.has(name)) m.ddbWrites++;
      try {
        const out = await original.call(this, command, ...rest);
        const consumed = [out?.ConsumedCapacity].flat().filter(Boolean);
        const units = consumed.reduce((n: number, c: any) => n + (c.CapacityUnits ?? 0), 0);
        const indexUnits = consumed.reduce((n: number, c: any) => n + Object.values<any>(c.GlobalSecondaryIndexes ?? {}).reduce((k, i) => k + (i.CapacityUnits ?? 0), 0), 0);
        if (READS.has(name)) m.readUnits += units || 1;
        if (WRITES.has(name)) {
          m.writeUnits += units || 1;
          m.indexWriteUnits += indexUnits;
        }
        trace(context.getStore()!.handler, name, command.input, units || 1);
        return out;
      } catch (e) {
        // A failed conditional write still consumes write capacity (at least one unit).
        if (WRITES.has(name)) m.writeUnits += 1;
        trace(context.getStore()!.handler, `${name} (failed)`, command.input, 1);
        throw e;
      }
    };
  DynamoDBClient.prototype.send = meterDynamoDb(DynamoDBClient.prototype.send) as any;

  const s3Send = S3Client.prototype.send;
  S3Client.prototype.send = function (this: S3Client, command: any, ...rest: any[]) {
    const m = current();
    const name: string = command?.constructor?.name ?? '';
    if (m && name === 'PutObjectCommand' && command.input?.Bucket === process.env.EXPORTS_BUCKET) {
      // An evidence bundle: a PUT paid, but kept a few days in the exports bucket, not ten years.
      m.s3Puts++;
    } else if (m && name === 'PutObjectCommand') {
      m.s3Puts++;
      const size = byteLength(command.input?.Body) || Number(command.input?.ContentLength ?? 0);
      m.putSizes.push(size);
      m.putKinds.push(putKind(String(command.input?.Key ?? '')));
      const storageClass = String(command.input?.StorageClass ?? 'STANDARD');
      m.putClasses!.push(storageClass);
      if (storageClass === 'GLACIER_IR') {
        if (recording) recording.glacierPuts.push([String(command.input?.Key), size]);
        else glacierIrObjects.set(String(command.input?.Key), size);
      }
    } else if (m && (name === 'GetObjectCommand' || name === 'HeadObjectCommand')) {
      m.s3Gets++;
      if (recording) recording.reads.push([context.getStore()!.handler, name, String(command.input?.Key)]);
      else glacierRead(m, name, String(command.input?.Key));
    } else if (m && /Multipart|UploadPart/.test(name)) m.s3Puts++;
    return (s3Send as any).call(this, command, ...rest);
  } as any;

  const sesSend = SESv2Client.prototype.send;
  SESv2Client.prototype.send = function (this: SESv2Client, command: any, ...rest: any[]) {
    const m = current();
    if (m && command?.constructor?.name === 'SendEmailCommand') {
      m.sesMessages++;
      m.sesBytes += byteLength(command.input?.Content?.Raw?.Data);
    }
    return (sesSend as any).call(this, command, ...rest);
  } as any;

  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: any, ...rest: any[]) => {
      const m = current();
      if (m) {
        // What CloudWatch Logs would ingest; the bench does not print handlers' lines.
        m.logBytes += byteLength(chunk);
        return true;
      }
      return (write as any)(chunk, ...rest);
    }) as any;
  }
}

/** A deep copy of the counters so far. */
export function snapshot(): Meter {
  return JSON.parse(JSON.stringify(meter));
}

/** What happened between two snapshots. */
export function since(before: Meter): Meter {
  const now = snapshot();
  const out: Meter = {};
  for (const [handler, m] of Object.entries(now)) {
    const b = before[handler];
    if (!b) {
      out[handler] = m;
      continue;
    }
    out[handler] = {
      invocations: m.invocations - b.invocations,
      ms: m.ms - b.ms,
      samples: m.samples - b.samples,
      sampleMs: m.sampleMs - b.sampleMs,
      sampleBilledMs: m.sampleBilledMs - b.sampleBilledMs,
      sampleCpuMs: m.sampleCpuMs - b.sampleCpuMs,
      ddbReads: m.ddbReads - b.ddbReads,
      ddbWrites: m.ddbWrites - b.ddbWrites,
      readUnits: m.readUnits - b.readUnits,
      writeUnits: m.writeUnits - b.writeUnits,
      indexWriteUnits: m.indexWriteUnits - b.indexWriteUnits,
      s3Puts: m.s3Puts - b.s3Puts,
      s3Gets: m.s3Gets - b.s3Gets,
      putSizes: m.putSizes.slice(b.putSizes.length),
      putKinds: m.putKinds.slice(b.putKinds.length),
      putClasses: (m.putClasses ?? []).slice((b.putClasses ?? []).length),
      glacierIrGets: (m.glacierIrGets ?? 0) - (b.glacierIrGets ?? 0),
      glacierIrGetBytes: (m.glacierIrGetBytes ?? 0) - (b.glacierIrGetBytes ?? 0),
      sesMessages: m.sesMessages - b.sesMessages,
      sesBytes: m.sesBytes - b.sesBytes,
      logBytes: m.logBytes - b.logBytes,
    };
    if (out[handler].invocations === 0) delete out[handler];
  }
  return out;
}
