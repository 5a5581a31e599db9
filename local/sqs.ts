/**
 * SQS for local mode: a loopback endpoint speaking the AWS JSON 1.0 protocol of SendMessage (what
 * lambdas/adapters/queue.ts sends, through AWS_ENDPOINT_URL_SQS), and the template's SQS event
 * source mappings: a message is handed to its queue's function (Lambda's SQSEvent shape, the
 * mapping's batch size) once visible — at once, or after its DelaySeconds in *simulated* time (the
 * clock controller drives it as a ClockActivity, so `{"advance":"PT1H"}` runs an hour of webhook
 * retries). A batch item failure (or a throw) makes the message visible again after the queue's
 * visibility timeout; past the redrive policy's maxReceiveCount it moves to the dead-letter queue.
 * Queues without a consumer (dead-letter queues) keep their messages: `messages(name)` lists them.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import type { ClockActivity } from './clock-controller';

type Json = any;

export interface SqsConsumer {
  /** Logical id of the queue (its local name). */
  queue: string;
  handler: string;
  batchSize: number;
}

interface QueueSpec {
  visibilityTimeoutSeconds: number;
  deadLetterQueue?: string;
  maxReceiveCount?: number;
}

export interface LocalMessage {
  messageId: string;
  body: string;
  sentAt: string;
  visibleAt: number;
  receiveCount: number;
}

/** The template's queues and the functions reading them. */
export function sqsOf(template: Json, functions: Map<string, { handler: string }>): { consumers: SqsConsumer[]; queues: Map<string, QueueSpec> } {
  const queues = new Map<string, QueueSpec>();
  for (const [id, r] of Object.entries<Json>(template.Resources)) {
    if (r.Type !== 'AWS::SQS::Queue') continue;
    const redrive = r.Properties?.RedrivePolicy;
    queues.set(id, {
      visibilityTimeoutSeconds: r.Properties?.VisibilityTimeout ?? 30,
      ...(redrive ? { deadLetterQueue: redrive.deadLetterTargetArn?.['Fn::GetAtt']?.[0], maxReceiveCount: redrive.maxReceiveCount } : {}),
    });
  }
  const consumers: SqsConsumer[] = [];
  for (const r of Object.values<Json>(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const source = r.Properties.EventSourceArn?.['Fn::GetAtt'];
    if (!source || !queues.has(source[0])) continue;
    const fnId = r.Properties.FunctionName?.Ref ?? r.Properties.FunctionName?.['Fn::GetAtt']?.[0];
    const fn = functions.get(fnId);
    if (!fn) throw new Error(`local sqs: no local function ${fnId}`);
    consumers.push({ queue: source[0], handler: fn.handler, batchSize: r.Properties.BatchSize ?? 10 });
  }
  return { consumers, queues };
}

export interface LocalSqs extends ClockActivity {
  url: string;
  messages(queue: string): LocalMessage[];
  close(): Promise<void>;
}

export async function startLocalSqs(opts: {
  consumers: SqsConsumer[];
  queues: Map<string, QueueSpec>;
  invoke: (handler: string, event: Json) => Promise<unknown>;
  now: () => Date;
  region: string;
  account: string;
}): Promise<LocalSqs> {
  const stored = new Map<string, LocalMessage[]>();
  const list = (q: string) => stored.get(q) ?? (stored.set(q, []), stored.get(q)!);
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (inFlight > 0) return;
    const w = waiters;
    waiters = [];
    for (const r of w) r();
  };

  /** Hands every visible message of a consumed queue to its function, batch by batch. */
  async function drain(queue: string): Promise<void> {
    const consumer = opts.consumers.find((c) => c.queue === queue);
    if (!consumer) return;
    for (;;) {
      const now = opts.now().getTime();
      const batch = list(queue).filter((m) => m.visibleAt <= now).slice(0, consumer.batchSize);
      if (batch.length === 0) return;
      stored.set(queue, list(queue).filter((m) => !batch.includes(m)));
      for (const m of batch) m.receiveCount++;
      const event = {
        Records: batch.map((m) => ({
          messageId: m.messageId,
          receiptHandle: m.messageId,
          body: m.body,
          attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(Date.parse(m.sentAt)) },
          messageAttributes: {},
          md5OfBody: createHash('md5').update(m.body).digest('hex'),
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${opts.region}:${opts.account}:${queue}`,
          awsRegion: opts.region,
        })),
      };
      let failed: string[];
      try {
        const out = (await opts.invoke(consumer.handler, JSON.parse(JSON.stringify(event)))) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
        failed = (out?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      } catch (e) {
        if (process.env.AMIABLE_DEBUG) console.error(`[${consumer.handler}] sqs batch failed`, (e as Error)?.stack ?? e);
        failed = batch.map((m) => m.messageId);
      }
      const spec = opts.queues.get(queue)!;
      for (const m of batch.filter((x) => failed.includes(x.messageId))) {
        if (spec.deadLetterQueue && spec.maxReceiveCount && m.receiveCount >= spec.maxReceiveCount) list(spec.deadLetterQueue).push(m);
        else list(queue).push({ ...m, visibleAt: opts.now().getTime() + spec.visibilityTimeoutSeconds * 1000 });
      }
    }
  }

  function run(queue: string): void {
    inFlight++;
    void drain(queue)
      .catch((e) => console.error('local sqs:', e))
      .finally(() => {
        inFlight--;
        settle();
      });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target !== 'AmazonSQS.SendMessage') return void reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `not supported locally: ${target}` });
      try {
        const b = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const queue = String(b.QueueUrl ?? '').split('/').pop() ?? '';
        if (!opts.queues.has(queue)) return void reply(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: `no queue ${queue}` });
        const delay = Number(b.DelaySeconds ?? 0);
        if (typeof b.MessageBody !== 'string' || !Number.isInteger(delay) || delay < 0 || delay > 900) {
          return void reply(400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'MessageBody is required; DelaySeconds 0-900' });
        }
        const now = opts.now();
        const m: LocalMessage = { messageId: randomUUID(), body: b.MessageBody, sentAt: now.toISOString(), visibleAt: now.getTime() + delay * 1000, receiveCount: 0 };
        list(queue).push(m);
        reply(200, { MessageId: m.messageId, MD5OfMessageBody: createHash('md5').update(m.body).digest('hex') });
        if (delay === 0) run(queue);
      } catch (e) {
        reply(400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: String((e as Error).message) });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages: (queue) => [...list(queue)],
    nextWakeAt() {
      let next: number | null = null;
      for (const c of opts.consumers) for (const m of list(c.queue)) if (next === null || m.visibleAt < next) next = m.visibleAt;
      return next === null ? null : new Date(next).toISOString();
    },
    async wakeDue() {
      for (const c of opts.consumers) run(c.queue);
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    get busy() {
      return inFlight;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
