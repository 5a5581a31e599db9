/**
 * What local mode actually does, metered for the bench's cost table: every Lambda invocation and
 * its duration (through local/handlers.ts's observer), and every AWS SDK call the handlers make,
 * attributed to the function that made it (AsyncLocalStorage): DynamoDB requests and the capacity
 * units the emulator reports, S3 PUTs/GETs and the bytes put, SES messages and their bytes, and
 * the bytes each function writes to its log. Calls made outside a handler (seeding) are not
 * counted. Snapshots are subtracted to get one phase's share.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { observeInvocations } from '../local/handlers';

export interface FunctionMeter {
  invocations: number;
  ms: number;
  ddbReads: number;
  ddbWrites: number;
  readUnits: number;
  writeUnits: number;
  s3Puts: number;
  s3Gets: number;
  /** Sizes of the objects put in the vault (each kept for the retention period). */
  putSizes: number[];
  /** What each of those objects is (putKind of its key), in the same order. */
  putKinds: string[];
  sesMessages: number;
  sesBytes: number;
  logBytes: number;
}

export type Meter = Record<string, FunctionMeter>;

// The low-level commands and the document client's (lib-dynamodb), which does not go through
// DynamoDBClient.prototype.send (it shares the client's middleware stack, not its send).
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'GetCommand', 'BatchGetCommand', 'TransactGetCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand', 'PutCommand', 'UpdateCommand', 'DeleteCommand', 'BatchWriteCommand', 'TransactWriteCommand']);

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
const meter: Meter = {};

function of(handler: string): FunctionMeter {
  return (meter[handler] ??= {
    invocations: 0,
    ms: 0,
    ddbReads: 0,
    ddbWrites: 0,
    readUnits: 0,
    writeUnits: 0,
    s3Puts: 0,
    s3Gets: 0,
    putSizes: [],
    putKinds: [],
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
  if (what === 'litigation') return `litigation dossier ${key.split('.').pop()}`;
  if (what === 'facts') return 'fact (json)';
  if (what === 'delivery') return 'SES event';
  return what;
}

let installed = false;

/** Starts metering (once per process). */
export function installMeter(): void {
  if (installed) return;
  installed = true;
  observeInvocations(async (handler, invoke) => {
    const m = of(handler);
    m.invocations++;
    const t = performance.now();
    try {
      return await context.run({ handler }, invoke);
    } finally {
      m.ms += performance.now() - t;
    }
  });

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
        if (READS.has(name)) m.readUnits += units || 1;
        if (WRITES.has(name)) m.writeUnits += units || 1;
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
  DynamoDBDocumentClient.prototype.send = meterDynamoDb(DynamoDBDocumentClient.prototype.send) as any;

  const s3Send = S3Client.prototype.send;
  S3Client.prototype.send = function (this: S3Client, command: any, ...rest: any[]) {
    const m = current();
    const name: string = command?.constructor?.name ?? '';
    if (m && name === 'PutObjectCommand' && command.input?.Bucket === process.env.EXPORTS_BUCKET) {
      // An evidence bundle: a PUT paid, but kept a few days in the exports bucket, not ten years.
      m.s3Puts++;
    } else if (m && name === 'PutObjectCommand') {
      m.s3Puts++;
      m.putSizes.push(byteLength(command.input?.Body) || Number(command.input?.ContentLength ?? 0));
      m.putKinds.push(putKind(String(command.input?.Key ?? '')));
    } else if (m && (name === 'GetObjectCommand' || name === 'HeadObjectCommand')) m.s3Gets++;
    else if (m && /Multipart|UploadPart/.test(name)) m.s3Puts++;
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
      ddbReads: m.ddbReads - b.ddbReads,
      ddbWrites: m.ddbWrites - b.ddbWrites,
      readUnits: m.readUnits - b.readUnits,
      writeUnits: m.writeUnits - b.writeUnits,
      s3Puts: m.s3Puts - b.s3Puts,
      s3Gets: m.s3Gets - b.s3Gets,
      putSizes: m.putSizes.slice(b.putSizes.length),
      putKinds: m.putKinds.slice(b.putKinds.length),
      sesMessages: m.sesMessages - b.sesMessages,
      sesBytes: m.sesBytes - b.sesBytes,
      logBytes: m.logBytes - b.logBytes,
    };
    if (out[handler].invocations === 0) delete out[handler];
  }
  return out;
}
