/**
 * SQS for local mode: a loopback endpoint speaking the AWS JSON 1.0 protocol of SendMessage and
 * SendMessageBatch (what lambdas/adapters/bulk-queue.ts and lambdas/adapters/queue.ts send, through
 * AWS_ENDPOINT_URL_SQS), and the template's SQS event source mappings run in-process with the same
 * handler modules: batch size, maximum concurrency, ReportBatchItemFailures, and the queue's redrive
 * policy (maxReceiveCount, then its dead-letter queue), as lambdas/start-workflows.ts and
 * lambdas/webhook-delivery.ts see on AWS. A message's DelaySeconds runs in *simulated* time: the
 * queues are a ClockActivity, so `{"advance":"PT1H"}` runs an hour of webhook retries.
 *
 * Differences from AWS, on purpose:
 * - A failed message comes back after a short real-time backoff (100 ms x receives), not after the
 *   queue's visibility timeout (6 min): local mode would otherwise sit idle.
 * - `idle()` resolves once no consumed queue holds a message that is due (delayed ones wait for
 *   the clock), so the clock (like the table's stream) can wait for the starts before moving time.
 * - With a data dir, messages are kept in <data dir>/sqs.jsonl (an append-only log of puts and
 *   deletes), so a restart delivers what was still queued; the dead-letter queue too.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import type { ClockActivity } from './clock-controller';
import { keepIdleConnections } from './loopback';
import { serveInProcess } from './in-process';

type Json = any;

export interface QueueConsumer {
  /** Logical id of the event source mapping. */
  id: string;
  handler: string;
  batchSize: number;
  maxConcurrency: number;
  reportBatchItemFailures: boolean;
}

export interface LocalQueueDef {
  /** Logical id of the AWS::SQS::Queue (its local URL ends with it). */
  id: string;
  arn: string;
  deadLetter?: { queueId: string; maxReceiveCount: number };
  consumer?: QueueConsumer;
}

/** The template's queues, their redrive policies and the event source mappings that read them. */
export function queuesOf(template: Json, functions: Map<string, { handler: string }>, arnOf: (id: string) => string): LocalQueueDef[] {
  const resources: Record<string, Json> = template.Resources;
  const defs = new Map<string, LocalQueueDef>();
  for (const [id, r] of Object.entries<Json>(resources)) {
    if (r.Type !== 'AWS::SQS::Queue') continue;
    const redrive = r.Properties?.RedrivePolicy;
    const target = redrive?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
    defs.set(id, { id, arn: arnOf(id), ...(target ? { deadLetter: { queueId: target, maxReceiveCount: Number(redrive.maxReceiveCount) } } : {}) });
  }
  for (const [id, r] of Object.entries<Json>(resources)) {
    if (r.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const source = r.Properties.EventSourceArn?.['Fn::GetAtt'];
    const queue = source && source[1] === 'Arn' ? defs.get(source[0]) : undefined;
    if (!queue) continue;
    const fnId = r.Properties.FunctionName?.Ref ?? r.Properties.FunctionName?.['Fn::GetAtt']?.[0];
    const fn = functions.get(fnId);
    if (!fn) throw new Error(`local SQS: no local function ${fnId} for ${id}`);
    queue.consumer = {
      id,
      handler: fn.handler,
      batchSize: r.Properties.BatchSize ?? 10,
      maxConcurrency: r.Properties.ScalingConfig?.MaximumConcurrency ?? 2,
      reportBatchItemFailures: (r.Properties.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    };
  }
  return [...defs.values()];
}

interface Message {
  id: string;
  queueId: string;
  body: string;
  sentAt: number;
  receives: number;
  /** Real epoch ms before which it is not delivered again. */
  visibleAt: number;
  /** Simulated epoch ms before which it is not delivered (SendMessage's DelaySeconds). */
  delayedUntil?: number;
}

export interface LocalQueues extends ClockActivity {
  url: string;
  /** Resolves once every queue with a consumer is empty (nothing queued or in flight). */
  idle(): Promise<void>;
  readonly busy: number;
  /** Messages in a queue (e.g. a dead-letter queue), oldest first. */
  messages(queueId: string): { id: string; body: string; receives: number }[];
  close(): Promise<void>;
}

export async function startLocalQueues(opts: {
  queues: LocalQueueDef[];
  region: string;
  invoke: (handler: string, event: Json) => Promise<unknown>;
  file?: string;
  /** The simulated clock, for DelaySeconds (default: real time). */
  now?: () => Date;
}): Promise<LocalQueues> {
  const simNow = () => (opts.now ? opts.now().getTime() : Date.now());
  const defs = new Map(opts.queues.map((q) => [q.id, q]));
  const stored = new Map<string, Message>();
  if (opts.file && fs.existsSync(opts.file)) {
    for (const line of fs.readFileSync(opts.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const op = JSON.parse(line) as { put?: Message; del?: string };
      if (op.put) stored.set(op.put.id, { ...op.put, visibleAt: 0 });
      if (op.del) stored.delete(op.del);
    }
  }
  // Compacted at start: only what is still queued is kept.
  if (opts.file) fs.writeFileSync(opts.file, [...stored.values()].map((m) => `${JSON.stringify({ put: m })}\n`).join(''));
  const log = (op: { put?: Message; del?: string }) => {
    if (opts.file) fs.appendFileSync(opts.file, `${JSON.stringify(op)}\n`);
  };
  const inFlight = new Map<string, number>(); // queue id -> running invocations
  let waiters: (() => void)[] = [];
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const consumed = (m: Message) => defs.get(m.queueId)?.consumer !== undefined;
  const delayed = (m: Message) => m.delayedUntil !== undefined && m.delayedUntil > simNow() && m.visibleAt !== Infinity;
  const busyCount = () => [...stored.values()].filter((m) => consumed(m) && !delayed(m)).length;
  const wakeWaiters = () => {
    if (busyCount() > 0) return;
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };

  const put = (queueId: string, body: string, receives = 0, delaySeconds = 0): Message => {
    const m: Message = {
      id: randomUUID(),
      queueId,
      body,
      sentAt: Date.now(),
      receives,
      visibleAt: 0,
      ...(delaySeconds > 0 ? { delayedUntil: simNow() + delaySeconds * 1000 } : {}),
    };
    stored.set(m.id, m);
    log({ put: m });
    return m;
  };
  const remove = (m: Message) => {
    stored.delete(m.id);
    log({ del: m.id });
  };

  const pump = () => {
    if (closed) return;
    const now = Date.now();
    let nextVisible = Infinity;
    for (const q of defs.values()) {
      const c = q.consumer;
      if (!c) continue;
      while ((inFlight.get(q.id) ?? 0) < c.maxConcurrency) {
        const ready: Message[] = [];
        for (const m of stored.values()) {
          if (m.queueId !== q.id || m.visibleAt === Infinity || delayed(m)) continue;
          if (m.visibleAt > now) {
            nextVisible = Math.min(nextVisible, m.visibleAt);
            continue;
          }
          ready.push(m);
          if (ready.length === c.batchSize) break;
        }
        if (ready.length === 0) break;
        for (const m of ready) {
          m.receives++;
          m.visibleAt = Infinity; // in flight
        }
        inFlight.set(q.id, (inFlight.get(q.id) ?? 0) + 1);
        void deliver(q, c, ready).finally(() => {
          inFlight.set(q.id, (inFlight.get(q.id) ?? 0) - 1);
          pump();
          wakeWaiters();
        });
      }
    }
    if (timer) clearTimeout(timer);
    timer = nextVisible < Infinity ? setTimeout(pump, Math.max(1, nextVisible - Date.now())) : undefined;
  };

  const deliver = async (q: LocalQueueDef, c: QueueConsumer, batch: Message[]) => {
    const event = {
      Records: batch.map((m) => ({
        messageId: m.id,
        receiptHandle: m.id,
        body: m.body,
        attributes: { ApproximateReceiveCount: String(m.receives), SentTimestamp: String(m.sentAt), SenderId: 'local', ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: md5(m.body),
        eventSource: 'aws:sqs',
        eventSourceARN: q.arn,
        awsRegion: opts.region,
      })),
    };
    let failed: Set<string>;
    try {
      const out = (await opts.invoke(c.handler, event)) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
      failed = new Set(c.reportBatchItemFailures ? (out?.batchItemFailures ?? []).map((f) => f.itemIdentifier) : []);
    } catch (e) {
      // The whole batch failed (the function threw): every message comes back.
      if (process.env.AMIABLE_DEBUG) console.error(`[local SQS ${c.handler}]`, (e as Error)?.stack ?? e);
      failed = new Set(batch.map((m) => m.id));
    }
    for (const m of batch) {
      if (!failed.has(m.id)) {
        remove(m);
      } else if (q.deadLetter && m.receives >= q.deadLetter.maxReceiveCount) {
        remove(m);
        put(q.deadLetter.queueId, m.body, m.receives);
      } else {
        m.visibleAt = Date.now() + 100 * m.receives;
      }
    }
  };

  const server = keepIdleConnections(http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
      };
      const fail = (type: string, message: string) => reply(400, { __type: `com.amazonaws.sqs#${type}`, message });
      const target = String(req.headers['x-amz-target'] ?? '');
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
        const queueId = String(body.QueueUrl ?? '').split('/').pop() ?? '';
        if (!defs.has(queueId)) return fail('QueueDoesNotExist', `no local queue for ${body.QueueUrl}`);
        if (target === 'AmazonSQS.SendMessage') {
          const delay = Number(body.DelaySeconds ?? 0);
          if (typeof body.MessageBody !== 'string' || !Number.isInteger(delay) || delay < 0 || delay > 900) {
            return fail('InvalidParameterValue', 'MessageBody is required; DelaySeconds 0-900');
          }
          const m = put(queueId, body.MessageBody, 0, delay);
          setImmediate(pump);
          return reply(200, { MessageId: m.id, MD5OfMessageBody: md5(m.body) });
        }
        if (target === 'AmazonSQS.SendMessageBatch') {
          const entries = (body.Entries ?? []) as { Id: string; MessageBody: string }[];
          if (entries.length === 0 || entries.length > 10) return fail('TooManyEntriesInBatchRequest', 'between 1 and 10 entries');
          const Successful = entries.map((e) => {
            const m = put(queueId, String(e.MessageBody));
            return { Id: e.Id, MessageId: m.id, MD5OfMessageBody: md5(m.body) };
          });
          setImmediate(pump);
          return reply(200, { Successful, Failed: [] });
        }
        return fail('UnsupportedOperation', `not supported locally: ${target}`);
      } catch (e) {
        return fail('InvalidParameterValue', String((e as Error).message));
      }
    });
  }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveInProcess(server);
  const { port } = server.address() as AddressInfo;
  // Whatever a previous run left queued is delivered now.
  setImmediate(pump);
  return {
    url: `http://127.0.0.1:${port}`,
    idle: () => {
      // Messages whose delay ran out as the clock moved are due now: hand them over before waiting
      // (nothing else would, and waiting for them would never end).
      pump();
      return busyCount() === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    get busy() {
      return busyCount();
    },
    messages: (queueId) => [...stored.values()].filter((m) => m.queueId === queueId).map((m) => ({ id: m.id, body: m.body, receives: m.receives })),
    nextWakeAt() {
      let next: number | null = null;
      for (const m of stored.values()) if (consumed(m) && delayed(m) && (next === null || m.delayedUntil! < next)) next = m.delayedUntil!;
      return next === null ? null : new Date(next).toISOString();
    },
    async wakeDue() {
      pump();
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function md5(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}
