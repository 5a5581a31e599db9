/**
 * The SDK clients as lambdas/adapters/aws-clients.ts `created` tunes them (the middleware stack
 * resolved once per command class where the endpoint is the same for every call, one SigV4 signer
 * per client) against the same clients as the SDK builds them: for the same calls at the same
 * instant, sequential and concurrent, the very same requests leave (method, host, path, query,
 * body, and every header the signature covers, the signature included). A request handler that
 * records each request and answers a canned response stands in for the service: what is under
 * test is what the client puts on the wire (test/local runs these clients on the emulators).
 */
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { created, type ClientService } from '../../lambdas/adapters/aws-clients';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The user agent headers are compared without the SDK's metrics token (`m/...`: it names the features
 * a client used, which may differ: a cached context keeps the ones earlier calls set), which only the
 * unsigned `user-agent` carries (`x-amz-user-agent` is signed). The random invocation id is numbered instead (randomUUID below), in the order calls reach
 * the retry middleware.
 */
const USER_AGENT = new Set(['user-agent', 'x-amz-user-agent']);
const withoutMetrics = (value: string) => value.replace(/(^| )m\/\S*/, '$1m/*');

function recorder(contentType: string, answer: string) {
  const sent: Sent[] = [];
  const requestHandler = {
    handle: async (request: { method: string; protocol: string; hostname: string; port?: number; path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown }) => {
      const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) || request.body instanceof Uint8Array ? Buffer.from(request.body).toString('base64') : String(request.body);
      const query = new URLSearchParams(Object.entries(request.query ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, USER_AGENT.has(k.toLowerCase()) ? withoutMetrics(v) : v]));
      sent.push({ method: request.method, url: `${request.protocol}//${request.hostname}:${request.port ?? ''}${request.path}?${query}`, headers, body });
      // Let concurrent calls interleave inside the client, as real I/O does.
      await new Promise((r) => setImmediate(r));
      return { response: { statusCode: 200, headers: { 'content-type': contentType }, body: Readable.from([Buffer.from(answer)]) } };
    },
  };
  return { sent, requestHandler };
}

/** The SDK's invocation ids (crypto.randomUUID), numbered from `from` + 1 instead. */
function numberInvocations(from = 0): void {
  vi.restoreAllMocks();
  let n = from;
  vi.spyOn(globalThis.crypto, 'randomUUID').mockImplementation(() => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`);
}

let accessKeyId = 'AKIDFIRST';
const base = {
  region: 'eu-west-3',
  maxAttempts: 5,
  // Read at each signing (the SDK re-reads an identity this close to its expiry): a refreshed role session.
  credentials: async () => ({ accessKeyId, secretAccessKey: `secret-of-${accessKeyId}`, expiration: new Date(Date.now() + 60_000) }),
};

type Make<C> = (handler: unknown) => C;
interface Case<C extends { send: (c: never) => Promise<unknown> }> {
  service: ClientService;
  make: Make<C>;
  contentType: string;
  answer: string;
  /** Calls one after the other (several command classes), then `concurrent` at once. */
  calls: (c: C) => Promise<unknown>[][];
}

function run<C extends { send: (c: never) => Promise<unknown> }>(k: Case<C>) {
  return async (tuned: boolean) => {
    const r = recorder(k.contentType, k.answer);
    const client = k.make(r.requestHandler);
    if (tuned) created(k.service, client);
    for (const batch of k.calls(client)) await Promise.all(batch);
    return r.sent;
  };
}

const ddb: Case<DynamoDBClient> = {
  service: 'dynamodb',
  make: (requestHandler) => new DynamoDBClient({ ...base, requestHandler: requestHandler as never }),
  contentType: 'application/x-amz-json-1.0',
  answer: '{}',
  calls: (c) => {
    const key = (i: number) => ({ pk: { S: `D#${i}` }, sk: { S: 'DOSSIER' } });
    return [
      [c.send(new GetItemCommand({ TableName: 'amiable', Key: key(1), ConsistentRead: true }))],
      [c.send(new UpdateItemCommand({ TableName: 'amiable', Key: key(1), UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':a': { N: '1' } } }))],
      [c.send(new GetItemCommand({ TableName: 'amiable', Key: key(2) }))],
      // Concurrent calls of one class (one shared context) and of another, each with its own input.
      [2, 3, 4, 5, 6].map((i) => c.send(new GetItemCommand({ TableName: i % 2 ? 'amiable' : 'other', Key: key(i) }))),
      [7, 8, 9].flatMap((i) => [
        c.send(new PutItemCommand({ TableName: 'amiable', Item: { ...key(i), body: { S: 'x'.repeat(i * 100) } } })),
        c.send(new GetItemCommand({ TableName: 'amiable', Key: key(i) })),
      ]),
    ];
  },
};

const ses: Case<SESv2Client> = {
  service: 'sesv2',
  make: (requestHandler) => new SESv2Client({ ...base, requestHandler: requestHandler as never }),
  contentType: 'application/json',
  answer: '{"MessageId":"m"}',
  calls: (c) => {
    const send = (i: number) =>
      c.send(new SendEmailCommand({ FromEmailAddress: 'a@example.fr', Destination: { ToAddresses: [`d${i}@example.fr`] }, Content: { Raw: { Data: Buffer.from(`message ${i}`.repeat(i)) } } }));
    return [[send(1)], [send(2)], [3, 4, 5].map(send)];
  },
};

const sfn: Case<SFNClient> = {
  service: 'sfn',
  make: (requestHandler) => new SFNClient({ ...base, requestHandler: requestHandler as never }),
  contentType: 'application/x-amz-json-1.0',
  answer: '{"executionArn":"arn:aws:states:eu-west-3:1:execution:m:x","startDate":1}',
  calls: (c) => [
    [c.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-3:111122223333:stateMachine:m', name: 'a', input: '{}' }))],
    [1, 2].map((i) => c.send(new StopExecutionCommand({ executionArn: `arn:aws:states:eu-west-3:111122223333:execution:m:${i}` }))),
  ],
};

const s3: Case<S3Client> = {
  service: 's3',
  make: (requestHandler) => new S3Client({ ...base, requestHandler: requestHandler as never }),
  contentType: 'application/xml',
  answer: '',
  calls: (c) => {
    const put = (bucket: string, i: number) =>
      c.send(new PutObjectCommand({ Bucket: bucket, Key: `dossiers/${i}.eml`, Body: Buffer.from(`bytes ${i}`), ChecksumSHA256: Buffer.alloc(32, i).toString('base64') }));
    return [[put('vault', 1)], [put('vault', 2), put('exports', 3), put('vault', 4)]];
  },
};

describe('SDK clients as created() tunes them', () => {
  beforeEach(() => {
    accessKeyId = 'AKIDFIRST';
    // Only Date: the signing instant is pinned; timers and promises run as usual.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-05-04T10:00:00Z') });
    numberInvocations();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it.each([
    ['dynamodb', ddb],
    ['sesv2', ses],
    ['sfn', sfn],
    ['s3', s3],
  ] as const)('%s: the same requests, signatures included, as the SDK left alone', async (_name, k) => {
    const go = run(k as unknown as Case<{ send: (c: never) => Promise<unknown> }>);
    const plain = await go(false);
    numberInvocations();
    const tuned = await go(true);
    expect(tuned.length).toBe(plain.length);
    const order = (s: Sent[]) => [...s].sort((a, b) => (a.url + a.body < b.url + b.body ? -1 : 1));
    expect(order(tuned)).toEqual(order(plain));
    for (const r of tuned) expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFIRST\/20260504\/eu-west-3\//);
  });

  it('caches the middleware stack where every call has the same endpoint, never for S3', () => {
    const caches = (client: { config: unknown }) => (client.config as { cacheMiddleware?: boolean }).cacheMiddleware;
    expect(caches(created('dynamodb', new DynamoDBClient({ ...base })))).toBe(true);
    expect(caches(created('sesv2', new SESv2Client({ ...base })))).toBe(true);
    expect(caches(created('sfn', new SFNClient({ ...base })))).toBe(true);
    expect(caches(created('s3', new S3Client({ ...base })))).toBe(false);
  });

  it('one signer per client still signs with refreshed credentials and a new day', async () => {
    const r = recorder('application/x-amz-json-1.0', '{}');
    const client = created('dynamodb', new DynamoDBClient({ ...base, requestHandler: r.requestHandler as never }));
    const get = () => client.send(new GetItemCommand({ TableName: 'amiable', Key: { pk: { S: 'D#1' } } }));
    await get();
    accessKeyId = 'AKIDSECOND';
    await get();
    vi.setSystemTime(new Date('2026-05-05T00:00:01Z'));
    await get();
    expect(r.sent.map((s) => /Credential=([^/]+)\/(\d+)\//.exec(s.headers.authorization!)!.slice(1).join(' '))).toEqual([
      'AKIDFIRST 20260504',
      'AKIDSECOND 20260504',
      'AKIDSECOND 20260505',
    ]);
    // And each is the signature the SDK left alone computes for that request.
    numberInvocations(2);
    const plainRecorder = recorder('application/x-amz-json-1.0', '{}');
    const plain = new DynamoDBClient({ ...base, requestHandler: plainRecorder.requestHandler as never });
    await plain.send(new GetItemCommand({ TableName: 'amiable', Key: { pk: { S: 'D#1' } } }));
    expect(plainRecorder.sent[0]).toEqual(r.sent[2]);
  });

  it('a middleware added when the client is created (local fault injection, test barriers) sees every call', async () => {
    const r = recorder('application/x-amz-json-1.0', '{}');
    const client = new DynamoDBClient({ ...base, requestHandler: r.requestHandler as never });
    const seen: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(`${context.commandName} ${JSON.stringify((args.input as { Key?: unknown }).Key)}`);
        return next(args);
      },
      { step: 'initialize', name: 'testSeesEveryCall' },
    );
    created('dynamodb', client);
    await Promise.all([1, 2, 3].map((i) => client.send(new GetItemCommand({ TableName: 'amiable', Key: { pk: { S: `D#${i}` } } }))));
    await client.send(new UpdateItemCommand({ TableName: 'amiable', Key: { pk: { S: 'D#4' } }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }));
    expect(seen).toEqual([
      'GetItemCommand {"pk":{"S":"D#1"}}',
      'GetItemCommand {"pk":{"S":"D#2"}}',
      'GetItemCommand {"pk":{"S":"D#3"}}',
      'UpdateItemCommand {"pk":{"S":"D#4"}}',
    ]);
  });

  it('gives every client config fast properties, and they stay fast through calls', async () => {
    // V8's own view of the object (a dictionary-mode config is what made each call's three copies slow).
    setFlagsFromString('--allow-natives-syntax');
    const fast = new Function('o', 'return %HasFastProperties(o)') as (o: unknown) => boolean;
    const make = () => [new DynamoDBClient({ ...base }), new SESv2Client({ ...base }), new SFNClient({ ...base }), new S3Client({ ...base })] as const;
    // As the SDK builds them: dictionary mode (were this ever false, the tuning would be moot, not wrong).
    expect(make().map((c) => fast(c.config))).toEqual([false, false, false, false]);
    const services: ClientService[] = ['dynamodb', 'sesv2', 'sfn', 's3'];
    const tuned = make().map((c, i) => created(services[i]!, c));
    expect(tuned.map((c) => fast(c.config))).toEqual([true, true, true, true]);
    // The first call adds the signing region and name to the config: still fast after it.
    const r = recorder('application/x-amz-json-1.0', '{}');
    const client = created('dynamodb', new DynamoDBClient({ ...base, requestHandler: r.requestHandler as never }));
    for (let i = 0; i < 3; i++) await client.send(new GetItemCommand({ TableName: 'amiable', Key: { pk: { S: `D#${i}` } } }));
    expect((client.config as { signingRegion?: string }).signingRegion).toBe('eu-west-3');
    expect(fast(client.config)).toBe(true);
  });
});
