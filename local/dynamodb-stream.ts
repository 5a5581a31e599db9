/**
 * DynamoDB Streams for local mode. dynalite has no streams, so this small loopback layer sits in
 * front of it (AWS_ENDPOINT_URL_DYNAMODB points here, as the Object Lock layer does for S3) and
 * produces the stream records the table's StreamSpecification (NEW_AND_OLD_IMAGES) would, then
 * hands them to the Lambda event source mappings of the synthesized template that read the
 * table's stream: same filter patterns (FilterCriteria, matched as AWS does: event-pattern.ts),
 * batch size, retries and bisection, and the same handler modules, invoked with Lambda's
 * DynamoDBStreamEvent shape.
 *
 * How: a PutItem, UpdateItem or DeleteItem on the table is serialized per key; the item's image
 * before (old) and after (new) the write is taken — from dynalite itself when it runs in this
 * process (./dynalite-write-images: what its write action read under its key lock and stored; the
 * request and the answer pass through untouched), else from the write's own answer where the
 * caller asked for none (ALL_OLD, ALL_NEW), from the last write of a recently written key, or
 * read — and a record is emitted when the two differ (DynamoDB emits none for a write that changes
 * nothing): INSERT, MODIFY or REMOVE.
 * Everything else (reads, queries, table operations) is forwarded untouched. In this process, the
 * layer answers the SDK's requests without request and response objects, parses a write once and
 * hands dynalite that parsed body, and reads go to dynalite as they came (./dynalite-direct).
 *
 * Differences from AWS, on purpose or by necessity:
 * - Records are delivered as soon as the write is answered, consumer by consumer in stream order;
 *   `idle()` resolves when every delivered record has been processed, so local mode (the clock,
 *   the HTTP front) can wait for the consequences of a change before moving on: a bounce posted at
 *   an instant reaches the accountants at that same simulated instant.
 * - BatchWriteItem is forwarded without records (no handler uses it; tools that seed the table
 *   directly, like `npm run bench`, do not trigger the consumers). No TransactWriteItems (dynalite
 *   has none).
 * - A batch that still fails after its retries is logged and dropped (AWS would send its metadata
 *   to the on-failure destination, a dead-letter queue).
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { keepIdleConnections } from './loopback';
import { inProcessListener, requestInProcess, serveInProcess, type DirectAnswer, type PlainRequest, type PlainResponse } from './in-process';
import { dynaliteAt, dynaliteDirectEnabled } from './dynalite-direct';
import { compilePattern, matchesPattern } from './event-pattern';
import { forgetWriteImages, recordDynaliteWriteImages, recordWritesTo, takeWriteImages, writeId } from './dynalite-write-images';

// Before dynalite loads (./emulators requires it after this module): its write actions then
// record the images they read and write (./dynalite-write-images).
recordDynaliteWriteImages();

type Json = any;
type Item = Record<string, Json>;

export interface StreamConsumer {
  /** Logical id of the event source mapping. */
  id: string;
  /** Handler module name (lambdas/<name>.ts). */
  handler: string;
  patterns: Json[];
  batchSize: number;
  maxRetries: number;
  bisect: boolean;
}

/** The template's event source mappings that read the table's stream. */
export function streamConsumers(template: Json, functions: Map<string, { handler: string }>): StreamConsumer[] {
  const out: StreamConsumer[] = [];
  for (const [id, r] of Object.entries<Json>(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const source = r.Properties.EventSourceArn?.['Fn::GetAtt'];
    if (!source || source[1] !== 'StreamArn' || template.Resources[source[0]]?.Type !== 'AWS::DynamoDB::Table') continue;
    const fnId = r.Properties.FunctionName?.Ref ?? r.Properties.FunctionName?.['Fn::GetAtt']?.[0];
    const fn = functions.get(fnId);
    if (!fn) throw new Error(`local streams: no local function ${fnId} for ${id}`);
    out.push({
      id,
      handler: fn.handler,
      // Read (and checked: an operator local mode does not implement fails here) once, at start.
      patterns: (r.Properties.FilterCriteria?.Filters ?? []).map((f: Json) => {
        const pattern = JSON.parse(f.Pattern);
        compilePattern(pattern);
        return pattern;
      }),
      batchSize: r.Properties.BatchSize ?? 100,
      maxRetries: r.Properties.MaximumRetryAttempts ?? 3,
      bisect: r.Properties.BisectBatchOnFunctionError === true,
    });
  }
  return out;
}

export { matchesPattern } from './event-pattern';

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: 'NEW_AND_OLD_IMAGES';
  };
}

/**
 * JSON.stringify(record), given its images' texts: the record's members in the order emit sets
 * them (test/local/dynalite-direct.test.ts compares the events both ways).
 */
function recordText(record: StreamRecord, key: Item, beforeJson: string, afterJson: string): string {
  const d = record.dynamodb;
  const s = JSON.stringify;
  return (
    `{"eventID":${s(record.eventID)},"eventName":${s(record.eventName)},"eventVersion":${s(record.eventVersion)},"eventSource":${s(record.eventSource)},` +
    `"awsRegion":${s(record.awsRegion)},"eventSourceARN":${s(record.eventSourceARN)},"dynamodb":{"ApproximateCreationDateTime":${s(d.ApproximateCreationDateTime)},` +
    `"Keys":${s(key)}${d.NewImage ? `,"NewImage":${afterJson}` : ''}${d.OldImage ? `,"OldImage":${beforeJson}` : ''},` +
    `"SequenceNumber":${s(d.SequenceNumber)},"SizeBytes":${s(d.SizeBytes)},"StreamViewType":${s(d.StreamViewType)}}}`
  );
}

export interface LocalStreamOptions {
  /** dynalite's URL. */
  upstream: string;
  tableName: string;
  streamArn: string;
  region: string;
  consumers: StreamConsumer[];
  /** Runs a consumer's handler (the same module a Lambda is built from) with an event. */
  invoke: (handler: string, event: Json) => Promise<unknown>;
  /** The instant stamped on records (local mode: the simulated clock). */
  now: () => Date;
  /**
   * Told of every record emitted, with the handlers whose filters let it through (tests: what the
   * consumers would decide without their filters, local/system.ts `onStreamRecord`).
   */
  onRecord?: (record: StreamRecord, deliveredTo: string[]) => void;
  /**
   * In this process, answer SDK requests without request and response objects and hand dynalite
   * each write parsed once (./dynalite-direct); default: unless AMIABLE_DYNAMODB_DIRECT=0 (tests
   * compare both ways).
   */
  direct?: boolean;
}

export interface LocalStream {
  url: string;
  /** Resolves once every record emitted so far has been processed by every consumer. */
  idle(): Promise<void>;
  /** Records waiting or in processing. */
  readonly busy: number;
  /** Records emitted so far: every write that changed an item of the table (tests: "did this change anything?"). */
  readonly changes: number;
  close(): Promise<void>;
}

const WRITES: Record<string, (body: Json) => Item | undefined> = {
  PutItem: (b) => (b.Item ? { pk: b.Item.pk, sk: b.Item.sk } : undefined),
  UpdateItem: (b) => b.Key,
  DeleteItem: (b) => b.Key,
};

/** Operations that change items without passing through the per-key order of WRITES. */
const BYPASSING = new Set(['BatchWriteItem', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction', 'CreateTable', 'DeleteTable', 'UpdateTable']);

export async function startLocalStream(opts: LocalStreamOptions): Promise<LocalStream> {
  const upstream = new URL(opts.upstream);
  /**
   * dynalite runs in this process with its write actions recording their images: a write's
   * images come from dynalite itself, and the caller's request and answer pass through untouched.
   */
  const recorded = recordDynaliteWriteImages() && (upstream.hostname === '127.0.0.1' || upstream.hostname === 'localhost');
  if (recorded) recordWritesTo(opts.tableName);
  /** Requests answered without request and response objects, writes parsed once (AMIABLE_DYNAMODB_DIRECT=0: as before). */
  const direct_ = opts.direct ?? dynaliteDirectEnabled();
  const keyLocks = new Map<string, Promise<unknown>>();
  let sequence = 0;
  let changes = 0;

  const queues = opts.consumers.map((c) => ({ consumer: c, records: [] as StreamRecord[], running: null as Promise<void> | null }));
  let pending = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (pending > 0) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  /**
   * One request to dynalite. In this process, its listener's steps run on the request as it is,
   * given the body this layer parsed if it did (./dynalite-direct), or its listener answers it
   * (./in-process); else over loopback HTTP.
   */
  function forward(target: string, headers: http.IncomingHttpHeaders, body: Buffer, parsed?: Json): Promise<PlainResponse> {
    const sent = { ...headers, host: upstream.host, 'x-amz-target': target, 'content-length': String(body.length) };
    const request: PlainRequest = { method: 'POST', path: '/', headers: sent, body };
    const direct = (direct_ ? dynaliteAt(upstream)?.(request, parsed) : undefined) ?? requestInProcess(upstream, request);
    if (direct) return direct;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: upstream.hostname, port: upstream.port, method: 'POST', path: '/', headers: sent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async function getItem(headers: http.IncomingHttpHeaders, key: Item): Promise<Item | undefined> {
    const { 'content-length': _l, 'x-amz-content-sha256': _s, 'amz-sdk-invocation-id': _i, ...rest } = headers;
    const out = await forward('DynamoDB_20120810.GetItem', rest, Buffer.from(JSON.stringify({ TableName: opts.tableName, Key: key, ConsistentRead: true })));
    if (out.status !== 200) throw new Error(`local streams: GetItem ${out.status} ${out.body.toString('utf8').slice(0, 200)}`);
    return JSON.parse(out.body.toString('utf8')).Item;
  }

  /**
   * The image each of the most recently written keys was left with by its last write through this
   * layer (null: no item), which is the next write's old image: writes to a key are serialized
   * here and every write to the table passes through (BatchWriteItem and table operations, which
   * bypass the per-key order, empty it). Bounded, so the table is never mirrored in memory; a
   * key not remembered is read, as before.
   */
  const images = new Map<string, Item | null>();
  // Sixteen executions woken at once (AMIABLE_WAKE_CONCURRENCY) write two or three keys each; a
  // dossier's image (its history window, as attribute-value objects) is large: 64 keys keep that
  // working set (with 256, the 60-dossier bench peaked 10 MB higher than without any).
  const IMAGES_KEPT = 64;
  const remember = (id: string, image: Item | undefined) => {
    images.delete(id);
    images.set(id, image ?? null);
    if (images.size > IMAGES_KEPT) images.delete(images.keys().next().value as string);
  };
  const imageBefore = async (id: string, headers: http.IncomingHttpHeaders, key: Item): Promise<Item | undefined> => {
    const known = images.get(id);
    return known === undefined ? getItem(headers, key) : (known ?? undefined);
  };

  /** Each record's JSON text (what JSON.stringify gives), made from its images' texts, which emit has already. */
  const texts = new WeakMap<StreamRecord, string>();

  /** Emits the record of a write, given its images (and their JSON texts when known: ./dynalite-write-images). */
  function emit(key: Item, before: Item | undefined, after: Item | undefined, beforeText?: string, afterText?: string): void {
    const beforeJson = before === undefined ? 'null' : (beforeText ?? JSON.stringify(before));
    const afterJson = after === undefined ? 'null' : (afterText ?? JSON.stringify(after));
    if (beforeJson === afterJson) return;
    const seq = ++sequence;
    changes++;
    const record: StreamRecord = {
      eventID: `local-${seq}`,
      eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: opts.region,
      eventSourceARN: opts.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(opts.now().getTime() / 1000),
        Keys: key,
        ...(after ? { NewImage: after } : {}),
        ...(before ? { OldImage: before } : {}),
        SequenceNumber: String(seq).padStart(21, '0'),
        SizeBytes: (after ? afterJson : beforeJson).length,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    if (direct_) texts.set(record, recordText(record, key, beforeJson, afterJson));
    const deliveredTo: string[] = [];
    for (const q of queues) {
      const c = q.consumer;
      // FilterCriteria: the filters are ORed; a mapping without any gets every record.
      if (c.patterns.length > 0 && !c.patterns.some((p) => matchesPattern(p, record))) continue;
      deliveredTo.push(c.handler);
      q.records.push(record);
      pending++;
      if (!q.running) q.running = drain(q);
    }
    opts.onRecord?.(record, deliveredTo);
  }

  async function drain(q: (typeof queues)[number]): Promise<void> {
    try {
      while (q.records.length > 0) {
        const batch = q.records.splice(0, q.consumer.batchSize);
        await deliver(q.consumer, batch);
        pending -= batch.length;
      }
    } finally {
      q.running = null;
      settle();
    }
  }

  async function deliver(c: StreamConsumer, batch: StreamRecord[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        // Payloads cross a JSON boundary on AWS; do the same here (each record's text made once, when emitted).
        await opts.invoke(c.handler, JSON.parse(`{"Records":[${batch.map((r) => texts.get(r) ?? JSON.stringify(r)).join(',')}]}`));
        return;
      } catch (e) {
        if (process.env.AMIABLE_DEBUG) console.error(`[${c.handler}] stream batch failed (attempt ${attempt + 1})`, (e as Error)?.stack ?? e);
        if (attempt < c.maxRetries) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        if (c.bisect && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await deliver(c, batch.slice(0, half));
          await deliver(c, batch.slice(half));
          return;
        }
        console.error(`local streams: ${c.handler} failed on ${batch.length} record(s) after ${c.maxRetries} retries; on AWS they would go to the on-failure destination: ${String((e as Error)?.message ?? e)}`);
        return;
      }
    }
  }

  async function handleWrite(op: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<PlainResponse> {
    const parsed = JSON.parse(body.toString('utf8') || '{}');
    const key = parsed.TableName === opts.tableName && opts.consumers.length > 0 ? WRITES[op]?.(parsed) : undefined;
    // dynalite is given the body parsed here (it only reads it: its type check copies what it keeps).
    if (!key) return normalized(await forward(`DynamoDB_20120810.${op}`, headers, body, parsed));
    const id = JSON.stringify(key);
    const previous = keyLocks.get(id) ?? Promise.resolve();
    // Keys of strings only: dynalite keeps a key as sent (a number key would be normalized, and not found by this id).
    if (recorded && Object.values(key).every((v: Json) => v === undefined || typeof v?.S === 'string')) {
      const wid = writeId(opts.tableName, key);
      // The record's Keys are this body's objects: dynalite, given it parsed, may drop members of
      // an attribute value it does not know (its type check), which a key of {S} alone has none of.
      const given = Object.values(key).every((v: Json) => v === undefined || Object.keys(v).length === 1) ? parsed : undefined;
      return lockedWrite(id, previous, async () => {
        forgetWriteImages(wid);
        const out = await forward(`DynamoDB_20120810.${op}`, headers, body, given);
        if (out.status !== 200) return out;
        const written = takeWriteImages(wid);
        // Cannot happen while dynalite answers from this process; said loudly, not papered over.
        if (!written) throw new Error(`local streams: dynalite recorded no images for ${op} ${id}`);
        // The images' texts as LevelDB held and stored them (the listener path, to compare, encodes them again).
        if (direct_) emit(key, written.before ?? undefined, written.after ?? undefined, written.beforeText, written.afterText);
        else emit(key, written.before ?? undefined, written.after ?? undefined);
        return out;
      });
    }
    // One image comes back with the write itself when the caller asked for none (ReturnValues
    // NONE, the default): the old item for a put or a delete (ALL_OLD), the new one for an
    // update (ALL_NEW); the caller's answer is given back without it. Saves one read per write.
    const own = parsed.ReturnValues === undefined || parsed.ReturnValues === 'NONE';
    const returned = !own ? undefined : op === 'UpdateItem' ? 'ALL_NEW' : 'ALL_OLD';
    const sent = returned ? Buffer.from(JSON.stringify({ ...parsed, ReturnValues: returned })) : body;
    const write = async () => {
      const before = returned === 'ALL_OLD' ? undefined : await imageBefore(id, headers, key);
      const out = await forward(`DynamoDB_20120810.${op}`, headers, sent);
      if (out.status !== 200) {
        images.delete(id);
        return out;
      }
      if (!returned) {
        const after = await getItem(headers, key);
        emit(key, before, after);
        remember(id, after);
        return out;
      }
      const { Attributes: image, ...answer } = JSON.parse(out.body.toString('utf8')) as { Attributes?: Item };
      const [old, after] = returned === 'ALL_NEW' ? [before, image] : [image, op === 'DeleteItem' ? undefined : await getItem(headers, key)];
      emit(key, old, after);
      remember(id, after);
      return withBody(out, Buffer.from(JSON.stringify(answer)));
    };
    return lockedWrite(id, previous, write);
  }

  /** Runs a write after the previous one to its key (and before the next); its answer. */
  function lockedWrite(id: string, previous: Promise<unknown>, write: () => Promise<PlainResponse>): Promise<PlainResponse> {
    const run = previous.then(write);
    const settled = run.catch(() => undefined);
    keyLocks.set(id, settled);
    void settled.then(() => keyLocks.get(id) === settled && keyLocks.delete(id));
    return run.then(normalized);
  }

  /** An answer with another body (its length and dynalite's CRC32 of it follow). */
  function withBody(out: PlainResponse, body: Buffer): PlainResponse {
    return { ...out, headers: { ...out.headers, 'x-amz-crc32': String(crc32(body)) }, body };
  }

  /** dynalite's answer as this layer gives it back: its own length, no hop-by-hop headers. */
  function normalized(out: PlainResponse): PlainResponse {
    const { 'transfer-encoding': _t, connection: _c, ...headers } = out.headers;
    return { status: out.status, headers: { ...headers, 'content-length': String(out.body.length) }, body: out.body };
  }

  /** A write, or an operation that bypasses the per-key order: its answer, a layer error answered 500. */
  function answerWrite(headers: http.IncomingHttpHeaders, body: Buffer): Promise<PlainResponse> {
    const target = String(headers['x-amz-target'] ?? '');
    const op = target.replace(/^DynamoDB_20120810\./, '');
    // Writes that bypass the per-key order leave the remembered images unknown (before and after them).
    const unordered = BYPASSING.has(op);
    if (unordered) images.clear();
    const work = WRITES[op]
      ? handleWrite(op, headers, body)
      : forward(target, headers, body).then((out) => {
          if (unordered) images.clear();
          return normalized(out);
        });
    return work.catch((e): PlainResponse => {
      console.error('local streams layer:', e);
      const message = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String((e as Error)?.message ?? e) });
      return { status: 500, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(message) };
    });
  }

  /**
   * The layer's answer to an SDK request of this process, without request and response objects
   * (./in-process): a write is parsed once, here, and handed to dynalite parsed; anything else
   * goes to dynalite as it came. A body given as a stream goes through the listener below.
   */
  const answerInProcess: DirectAnswer = (req) => {
    const headers: http.IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = v as string;
    const op = String(headers['x-amz-target'] ?? '').replace(/^DynamoDB_20120810\./, '');
    if (!WRITES[op] && !BYPASSING.has(op)) return requestInProcess(upstream, req);
    const body = req.body;
    if (body === undefined) return answerWrite(headers, Buffer.alloc(0));
    if (typeof body === 'string') return answerWrite(headers, Buffer.from(body, 'utf8'));
    if (body instanceof Uint8Array) return answerWrite(headers, Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    return undefined;
  };

  const server = keepIdleConnections(http.createServer((req, res) => {
    const op = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_20120810\./, '');
    // Reads (most requests) need nothing of this layer: dynalite, in this process, answers them itself.
    const direct = WRITES[op] || BYPASSING.has(op) ? undefined : inProcessListener(upstream);
    if (direct) return direct(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void answerWrite(req.headers, Buffer.concat(chunks)).then((out) => {
        res.writeHead(out.status, out.headers as http.OutgoingHttpHeaders);
        res.end(out.body);
      });
    });
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serveInProcess(server, direct_ ? answerInProcess : undefined);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    get busy() {
      return pending;
    },
    get changes() {
      return changes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
