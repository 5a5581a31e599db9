/**
 * dynalite answered directly (local/dynalite-direct.ts) behind the stream layer answering
 * directly (local/dynamodb-stream.ts, one parse per write), against the way it ran before: every
 * request through the stream layer's listener, each write forwarded again to dynalite's own HTTP
 * listener (in-process request objects). The same requests, call by call, get the same status,
 * headers and body bytes (all but the random request id), and the two streams carry the same
 * records; in the direct setup dynalite's listener sees only what it alone answers (CORS, GET).
 * Requests: fixed cases (every write and read the application makes, ReturnValues, conditions,
 * number normalization, errors dynalite answers at each of its checks) and a seeded random run.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStream, type LocalStream, type StreamRecord } from '../../local/dynamodb-stream';
import { createDynalite, dynaliteStoreOf, serveDynaliteInProcess } from '../../local/dynalite-direct';
import { tableMemoIntact } from '../../local/dynalite-table-memo';
import { requestInProcess, serveInProcess, type PlainRequest, type PlainResponse } from '../../local/in-process';
import { seededRandom } from '../support/seed';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Level } = require('level') as { Level: new (location: string, options?: Record<string, unknown>) => { iterator(): { all(): Promise<[string, string][]> }; close(): Promise<void> } };

const TABLE = 'direct-test';
const OTHER = 'direct-other';

interface Setup {
  url: URL;
  stream: LocalStream;
  records: StreamRecord[];
  /** What each consumer was handed, record by record, as text. */
  delivered: string[];
  /** Requests dynalite's HTTP listener handled. */
  listened: number;
  /** Whether the table descriptions the direct answers keep still encode to their stored texts. */
  memoIntact(): boolean;
  close(): Promise<void>;
}

async function setup(direct: boolean, dir: string): Promise<Setup> {
  const ddb = createDynalite<http.Server>({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const listener = ddb.listeners('request')[0] as (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const s = { listened: 0 } as Setup;
  ddb.removeAllListeners('request');
  ddb.on('request', (req, res) => {
    s.listened++;
    listener(req, res);
  });
  await new Promise<void>((r) => ddb.listen(0, '127.0.0.1', () => r()));
  if (direct) serveDynaliteInProcess(ddb);
  else serveInProcess(ddb);
  const records: StreamRecord[] = [];
  const delivered: string[] = [];
  const stream = await startLocalStream({
    upstream: `http://127.0.0.1:${(ddb.address() as { port: number }).port}`,
    tableName: TABLE,
    streamArn: `arn:aws:dynamodb:eu-west-3:000000000000:table/${TABLE}/stream/local`,
    region: 'eu-west-3',
    consumers: [
      { id: 'all', handler: 'all', patterns: [], batchSize: 100, maxRetries: 0, bisect: false },
      { id: 'removes', handler: 'removes', patterns: [{ eventName: ['REMOVE'] }], batchSize: 2, maxRetries: 0, bisect: false },
    ],
    invoke: async (handler, event: { Records: StreamRecord[] }) => {
      if (handler === 'all') records.push(...event.Records);
      // Each record as the consumer got it, member order included.
      for (const r of event.Records) delivered.push(`${handler} ${JSON.stringify(r)}`);
    },
    now: () => new Date('2026-04-04T10:00:00Z'),
    direct,
  });
  return Object.assign(s, {
    url: new URL(stream.url),
    memoIntact: () => tableMemoIntact(dynaliteStoreOf(ddb)),
    stream,
    records,
    delivered,
    close: async () => {
      await stream.close();
      await new Promise<void>((r) => ddb.close(() => r()));
    },
  });
}

const AUTH = `AWS4-HMAC-SHA256 Credential=k/20260404/eu-west-3/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`;

function request(op: string, body: unknown, headers: Record<string, string> = {}, raw?: string): PlainRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${op}`,
      'x-amz-date': '20260404T100000Z',
      authorization: AUTH,
      'amz-sdk-invocation-id': 'test',
      ...headers,
    },
    // The SDK hands its JSON body as a Uint8Array.
    body: new Uint8Array(Buffer.from(raw ?? JSON.stringify(body))),
  };
}

describe('dynalite answered directly, writes parsed once, against the listener path', () => {
  let dir: string;
  let before: Setup;
  let after: Setup;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-direct-'));
    before = await setup(false, path.join(dir, 'before'));
    after = await setup(true, path.join(dir, 'after'));
    for (const table of [TABLE, OTHER]) {
      await both(
        request('CreateTable', {
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'status', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        }),
        { creation: true },
      );
    }
    // dynalite makes a table ACTIVE on its next tick (createTableMs: 0).
    await new Promise((r) => setTimeout(r, 20));
  });

  let closed = false;
  afterAll(async () => {
    if (!closed) {
      await before?.close();
      await after?.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const send = (s: Setup, req: PlainRequest) => requestInProcess(s.url, req)!;

  /** The answer but its request id (random on both sides: its form is checked). */
  function comparable(out: PlainResponse) {
    const { 'x-amzn-requestid': id, ...headers } = out.headers;
    if (id !== undefined) expect(id).toMatch(/^[A-Z0-9]{52}$/);
    return { status: out.status, headers, body: out.body.toString('latin1') };
  }

  /** One request to each setup in turn: the same answer; returns it. */
  async function both(req: PlainRequest, opts: { creation?: boolean } = {}): Promise<PlainResponse> {
    const a = await send(before, req);
    const b = await send(after, req);
    if (opts.creation) {
      // A table's instants and id differ (dynalite stamps them): every other byte is compared.
      const strip = (o: PlainResponse) => ({
        ...comparable(o),
        body: o.body.toString('utf8').replace(/DateTime":[0-9.]+/g, '').replace(/"TableId":"[0-9a-f-]+"/, ''),
        headers: { ...o.headers, 'x-amz-crc32': '', 'x-amzn-requestid': '', 'content-length': String(o.body.toString('utf8').replace(/DateTime":[0-9.]+/g, '').length) },
      });
      expect(strip(b)).toEqual(strip(a));
      return b;
    }
    const what = `${String(req.headers['x-amz-target'])} ${(req.body === undefined ? '' : Buffer.from(req.body as Uint8Array).toString('utf8')).slice(0, 300)}`;
    if (req.headers['x-amz-target'] === 'DynamoDB_20120810.BatchGetItem' && a.status === 200) {
      // dynalite answers a batch's items in the order its reads end (as DynamoDB, in no set order):
      // compared as sets, each answer's checksum its own body's.
      const items = (o: PlainResponse) => {
        const { Responses, ...rest } = JSON.parse(o.body.toString('utf8'));
        return { rest, items: Object.fromEntries(Object.entries<unknown[]>(Responses).map(([t, xs]) => [t, xs.map((x) => JSON.stringify(x)).sort()])) };
      };
      expect(items(b), what).toEqual(items(a));
      for (const o of [a, b]) expect(o.headers['x-amz-crc32']).toBe(String(crc32(o.body)));
      const { 'x-amz-crc32': _a, ...ha } = comparable(a).headers;
      const { 'x-amz-crc32': _b, ...hb } = comparable(b).headers;
      expect(hb).toEqual(ha);
      return b;
    }
    expect(comparable(b), what).toEqual(comparable(a));
    return b;
  }

  async function sameRecords(): Promise<void> {
    await before.stream.idle();
    await after.stream.idle();
    expect(after.records).toEqual(before.records);
    expect(after.delivered).toEqual(before.delivered);
  }

  const key = (pk: string, sk = 'D') => ({ pk: { S: pk }, sk: { S: sk } });

  it('answers the application\'s writes and reads byte for byte, and emits the same records', async () => {
    const listened = after.listened;
    const cases: PlainRequest[] = [
      request('PutItem', { TableName: TABLE, Item: { ...key('a'), n: { N: '01.50' }, s: { S: 'x' }, status: { S: 'open' }, l: { L: [{ S: 'é€' }, { M: { m: { BOOL: true } } }] } } }),
      request('PutItem', { TableName: TABLE, Item: { ...key('a'), n: { N: '2' } }, ConditionExpression: 'attribute_not_exists(pk)' }),
      request('PutItem', { TableName: TABLE, Item: { ...key('a'), n: { N: '2' }, status: { S: 'open' } }, ReturnValues: 'ALL_OLD' }),
      request('UpdateItem', {
        TableName: TABLE,
        Key: key('a'),
        UpdateExpression: 'SET #s = :s, n = n + :one REMOVE l',
        ConditionExpression: 'attribute_exists(pk) AND n < :lim',
        ExpressionAttributeNames: { '#s': 's' },
        ExpressionAttributeValues: { ':s': { S: 'y' }, ':one': { N: '1' }, ':lim': { N: '100' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      request('UpdateItem', { TableName: TABLE, Key: key('a'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '3' } }, ReturnValues: 'UPDATED_OLD' }),
      request('UpdateItem', { TableName: TABLE, Key: key('a'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '3' } }, ReturnValues: 'ALL_NEW' }),
      request('UpdateItem', { TableName: TABLE, Key: key('b'), UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' }),
      request('UpdateItem', { TableName: TABLE, Key: key('b'), UpdateExpression: 'SET n = :n', ConditionExpression: 'c = :zero', ExpressionAttributeValues: { ':n': { N: '1' }, ':zero': { N: '0' } } }),
      request('GetItem', { TableName: TABLE, Key: key('a'), ConsistentRead: true }),
      request('GetItem', { TableName: TABLE, Key: key('a'), ProjectionExpression: '#n, s', ExpressionAttributeNames: { '#n': 'n' } }),
      request('Query', { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'a' } } }),
      request('Query', { TableName: TABLE, IndexName: 'byStatus', KeyConditionExpression: '#st = :st', ExpressionAttributeNames: { '#st': 'status' }, ExpressionAttributeValues: { ':st': { S: 'open' } } }),
      request('BatchGetItem', { RequestItems: { [TABLE]: { Keys: [key('a'), key('b'), key('zz')] } } }),
      request('PutItem', { TableName: OTHER, Item: { ...key('o'), n: { N: '1' } } }),
      request('UpdateItem', { TableName: OTHER, Key: key('o'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } }, ReturnValues: 'ALL_OLD' }),
      request('DeleteItem', { TableName: TABLE, Key: key('b'), ReturnValues: 'ALL_OLD' }),
      request('DeleteItem', { TableName: TABLE, Key: key('a') }),
      request('DeleteItem', { TableName: TABLE, Key: key('never') }),
      request('BatchWriteItem', { RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...key('w'), n: { N: '5' } } } }] } }),
      request('UpdateItem', { TableName: TABLE, Key: key('w'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '6' } } }),
      request('DescribeTable', { TableName: TABLE }),
      request('Scan', { TableName: OTHER }),
    ];
    for (const req of cases) {
      await both(req, { creation: req.headers['x-amz-target'] === 'DynamoDB_20120810.DescribeTable' });
      await sameRecords();
    }
    // (Two updates change nothing: n is already 3; a failed condition writes nothing.)
    expect(before.records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'INSERT', 'REMOVE', 'REMOVE', 'MODIFY']);
    // One pass: dynalite's listener handled none of them.
    expect(after.listened).toBe(listened);
    expect(before.listened).toBeGreaterThanOrEqual(cases.length);
  });

  it('answers every error dynalite answers, at each of its checks, the same way', async () => {
    const put = { TableName: TABLE, Item: { ...key('e'), n: { N: '1' } } };
    const cases: PlainRequest[] = [
      request('PutItem', undefined, {}, '{"TableName": '),
      request('PutItem', undefined, {}, '   '),
      request('NoSuchOperation', put),
      request('PutItem', put, { 'x-amz-target': 'DynamoDB_20120810' }),
      request('PutItem', put, { 'x-amz-target': 'Other_1.PutItem' }),
      request('PutItem', put, { authorization: '' }),
      request('PutItem', put, { authorization: 'Basic abc' }),
      request('PutItem', put, { authorization: 'AWS4-HMAC-SHA256 Credential=k' }),
      request('PutItem', put, { 'x-amz-date': '' }),
      request('PutItem', { ...put, TableName: 5 }),
      request('PutItem', { TableName: TABLE }),
      request('PutItem', { ...put, TableName: 'nope' }),
      request('PutItem', { ...put, Item: { pk: { S: 'e' } } }),
      request('UpdateItem', { TableName: TABLE, Key: key('e'), UpdateExpression: 'SET n = :missing' }),
      request('UpdateItem', { TableName: TABLE, Key: key('e'), UpdateExpression: 'SET = broken', ExpressionAttributeValues: { ':v': { S: 'v' } } }),
      request('Query', { TableName: TABLE, KeyConditionExpression: 'sk = :sk', ExpressionAttributeValues: { ':sk': { S: 'D' } } }),
      request('GetItem', { TableName: TABLE, Key: { pk: { N: '1' }, sk: { S: 'D' } } }),
      request('PutItem', put, { 'content-type': 'application/json' }),
      request('PutItem', put, { 'content-type': 'text/plain' }),
      request('GetItem', { TableName: TABLE, Key: key('e') }, { origin: 'http://localhost' }),
      { ...request('GetItem', {}), method: 'GET', body: undefined },
      { ...request('PutItem', put), body: new Uint8Array(0) },
      { ...request('PutItem', put), body: JSON.stringify(put) },
    ];
    const listened = after.listened;
    for (const req of cases) await both(req);
    await sameRecords();
    // Only what dynalite's listener alone answers reached it: a foreign content type, CORS, a GET, an empty body.
    expect(after.listened - listened).toBe(4);
  });

  it('gives the same answers and records over a seeded run of writes and reads, and under writes racing on one key', async () => {
    const { random } = seededRandom('dynalite direct');
    const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
    const keys = ['r0', 'r1', 'r2'];
    const num = () => pick(['0', '1', '2.50', '007', '-3', '1e2', String(Math.floor(random() * 1000))]);
    const returns = () => pick([undefined, 'NONE', 'ALL_OLD', 'ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW']);
    for (let i = 0; i < 150; i++) {
      const k = key(pick(keys));
      const r = random();
      let req: PlainRequest;
      if (r < 0.25) {
        const cond = random() < 0.3 ? { ConditionExpression: 'attribute_not_exists(pk)' } : {};
        req = request('PutItem', { TableName: TABLE, Item: { ...k, n: { N: num() }, ...(random() < 0.5 ? { status: { S: pick(['open', 'paid']) } } : {}) }, ReturnValues: pick([undefined, 'NONE', 'ALL_OLD']), ...cond });
      } else if (r < 0.55) {
        const expr = pick(['SET n = :v', 'ADD n :v', 'SET m = if_not_exists(m, :v)', 'REMOVE n', 'SET #st = :st']);
        const values: Record<string, unknown> = expr.includes(':v') ? { ':v': { N: num() } } : expr.includes(':st') ? { ':st': { S: pick(['open', 'paid']) } } : {};
        const cond = random() < 0.3 ? { ConditionExpression: 'attribute_exists(pk)' } : {};
        req = request('UpdateItem', {
          TableName: TABLE,
          Key: k,
          UpdateExpression: expr,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
          ...(expr.includes('#st') ? { ExpressionAttributeNames: { '#st': 'status' } } : {}),
          ReturnValues: returns(),
          ...cond,
        });
      } else if (r < 0.65) {
        req = request('DeleteItem', { TableName: TABLE, Key: k, ReturnValues: pick([undefined, 'NONE', 'ALL_OLD']) });
      } else if (r < 0.8) {
        req = request('GetItem', { TableName: TABLE, Key: k, ConsistentRead: random() < 0.5 });
      } else if (r < 0.9) {
        req = request('Query', { TableName: TABLE, IndexName: 'byStatus', KeyConditionExpression: '#st = :st', ExpressionAttributeNames: { '#st': 'status' }, ExpressionAttributeValues: { ':st': { S: 'open' } } });
      } else {
        req = request('BatchGetItem', { RequestItems: { [TABLE]: { Keys: keys.map((x) => key(x)), ConsistentRead: true } } });
      }
      await both(req);
    }
    await sameRecords();

    // Racing writes to one key: each setup runs its own race (dynalite may order them either way);
    // both chains of images hold together and end at the same item.
    const race = (s: Setup) =>
      Promise.all([1, 2, 3, 4, 5].map((i) => send(s, request('UpdateItem', { TableName: TABLE, Key: key('race'), UpdateExpression: 'ADD n :i', ExpressionAttributeValues: { ':i': { N: String(i) } } }))));
    const from = before.records.length;
    for (const s of [before, after]) {
      const answers = await race(s);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      await s.stream.idle();
      const got = s.records.slice(from);
      expect(got).toHaveLength(5);
      for (let i = 1; i < got.length; i++) expect(got[i].dynamodb.OldImage).toEqual(got[i - 1].dynamodb.NewImage);
      expect(got.at(-1)!.dynamodb.NewImage).toEqual({ ...key('race'), n: { N: '15' } });
    }
    expect(after.records.map((r) => r.dynamodb.SequenceNumber)).toEqual(before.records.map((r) => r.dynamodb.SequenceNumber));
    // The descriptions the item actions shared (local/dynalite-table-memo.ts): none was changed by them.
    expect(after.memoIntact()).toBe(true);
  });

  it('sees a change of a table description at the next request (the table deleted, made again with an index)', async () => {
    const CHANGING = 'direct-changing';
    const create = (indexed: boolean) =>
      request('CreateTable', {
        TableName: CHANGING,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, ...(indexed ? [{ AttributeName: 'kind', AttributeType: 'S' }] : [])],
        ...(indexed ? { GlobalSecondaryIndexes: [{ IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] } : {}),
      });
    const tick = () => new Promise((r) => setTimeout(r, 20));
    const byKind = request('Query', { TableName: CHANGING, IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'x' } } });
    const put = request('PutItem', { TableName: CHANGING, Item: { ...key('c'), kind: { S: 'x' } } });
    expect((await both(create(false), { creation: true })).status).toBe(200);
    await tick();
    expect((await both(put)).status).toBe(200);
    // No such index: the description read (and kept) says so.
    expect((await both(byKind)).status).toBe(400);
    expect((await both(request('DeleteTable', { TableName: CHANGING }), { creation: true })).status).toBe(200);
    await tick();
    expect((await both(request('GetItem', { TableName: CHANGING, Key: key('c') }))).status).toBe(400);
    expect((await both(create(true), { creation: true })).status).toBe(200);
    await tick();
    expect((await both(put)).status).toBe(200);
    const found = await both(byKind);
    expect(found.status, found.body.toString('utf8')).toBe(200);
    expect(JSON.parse(found.body.toString('utf8')).Count).toBe(1);
    expect(after.memoIntact()).toBe(true);
  });

  it('leaves the same data on disk, key by key and byte by byte', async () => {
    // The stream layer's table is written as text (local/dynalite-write-images.ts), the other table by
    // dynalite's own json encoding: the same writes leave the same bytes under both.
    const item = { ...key('same'), n: { N: '01.50' }, s: { S: 'é€ "q" \\ \u2028' }, l: { L: [{ NULL: true }, { M: { b: { BOOL: false } } }] }, status: { S: 'open' } };
    for (const table of [TABLE, OTHER]) {
      await both(request('PutItem', { TableName: table, Item: item }));
      await both(request('UpdateItem', { TableName: table, Key: key('same'), UpdateExpression: 'SET n = n + :one, z = :z', ExpressionAttributeValues: { ':one': { N: '1' }, ':z': { SS: ['b', 'a'] } } }));
    }
    closed = true;
    await before.close();
    await after.close();
    // What dynalite keeps in LevelDB (the table descriptions but their creation instants and ids).
    const held = async (where: string) => {
      const db = new Level(where, { valueEncoding: 'utf8' });
      try {
        return (await db.iterator().all()).map(([k, v]) => `${k} ${k.startsWith('table~') ? v.replace(/DateTime":[0-9.]+/g, '').replace(/"TableId":"[0-9a-f-]+"/, '') : v}`);
      } finally {
        await db.close();
      }
    };
    const kept = await held(path.join(dir, 'before'));
    expect(kept.length).toBeGreaterThan(5);
    const same = (t: string) => kept.find((e) => e.startsWith(`item-${t}~`) && e.includes('"same"'))?.replace(/^\S+ /, '');
    expect(same(TABLE)).toBeDefined();
    expect(same(TABLE)).toBe(same(OTHER));
    expect(await held(path.join(dir, 'after'))).toEqual(kept);
  });
});
