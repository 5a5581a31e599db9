/**
 * Queries and scans read in a loop (local/dynalite-query.ts) against dynalite's own streams: on the
 * same data (on disk, as local mode keeps it, and in memory), every request answered by both gives
 * the same bytes: key conditions of every kind, both directions, Limit and the 1 MB stop,
 * ExclusiveStartKey pages, filters, projections, Select COUNT, consumed capacity, the indexes
 * (keys only, included attributes, all, a local one fetching from the table), segments of a scan.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynalite, serveDynaliteInProcess } from '../../local/dynalite-direct';
import { fasterDynaliteQueries, originalQueryTable } from '../../local/dynalite-query';
import { requestInProcess, type PlainRequest } from '../../local/in-process';
import { seededRandom } from '../support/seed';

fasterDynaliteQueries();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const db = require('dynalite/db') as { queryTable: unknown };
const TABLE = 'query-test';
const AUTH = `AWS4-HMAC-SHA256 Credential=k/20260404/eu-west-3/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`;

function request(op: string, body: unknown): PlainRequest {
  return {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}`, 'x-amz-date': '20260404T100000Z', authorization: AUTH },
    body: new Uint8Array(Buffer.from(JSON.stringify(body))),
  };
}

describe.each([
  ['on disk', true],
  ['in memory', false],
])('dynalite queries read in a loop (%s)', (_name, onDisk) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-query-'));
  let ddb: http.Server;
  afterAll(async () => {
    await new Promise<void>((r) => ddb.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every query and scan as dynalite\'s streams do', async () => {
    const { random } = seededRandom('dynalite queries');
    ddb = createDynalite<http.Server>({ path: onDisk ? dir : undefined, createTableMs: 0 });
    await new Promise<void>((r) => ddb.listen(0, '127.0.0.1', () => r()));
    serveDynaliteInProcess(ddb);
    const url = new URL(`http://127.0.0.1:${(ddb.address() as { port: number }).port}`);
    const send = async (req: PlainRequest) => {
      const out = await requestInProcess(url, req)!;
      return { status: out.status, body: out.body.toString('utf8') };
    };
    const created = await send(
      request('CreateTable', {
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'at', AttributeType: 'S' },
          { AttributeName: 'n', AttributeType: 'N' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'keys', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
          { IndexName: 'some', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['amount'] } },
          { IndexName: 'all', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        ],
        LocalSecondaryIndexes: [{ IndexName: 'local', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      }),
    );
    expect(created.status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
    const big = 'x'.repeat(40_000);
    for (let i = 0; i < 80; i++) {
      const item: Record<string, unknown> = {
        pk: { S: pick(['a', 'b', 'c']) },
        sk: { S: `s${String(i).padStart(3, '0')}` },
        status: { S: pick(['open', 'paid', 'late']) },
        at: { S: `2026-04-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}` },
        n: { N: String(Math.floor(random() * 100)) },
        amount: { N: String(Math.floor(random() * 100_000)) },
        note: { S: random() < 0.3 ? big : 'short' },
        l: { L: [{ S: 'é' }, { M: { deep: { N: '1' } } }] },
      };
      if (random() < 0.2) delete item.status;
      expect((await send(request('PutItem', { TableName: TABLE, Item: item }))).status).toBe(200);
    }
    const queries: PlainRequest[] = [];
    for (const pk of ['a', 'b', 'zz']) {
      const values = { ':pk': { S: pk }, ':s': { S: 's02' }, ':t': { S: 's05' } };
      for (const cond of ['pk = :pk', 'pk = :pk AND sk = :s', 'pk = :pk AND sk < :s', 'pk = :pk AND sk <= :s', 'pk = :pk AND sk > :s', 'pk = :pk AND sk >= :s', 'pk = :pk AND begins_with(sk, :s)', 'pk = :pk AND sk BETWEEN :s AND :t']) {
        const used = Object.fromEntries(Object.entries(values).filter(([k]) => cond.includes(k)));
        for (const extra of [{}, { ScanIndexForward: false }, { Limit: 3 }, { Limit: 3, ScanIndexForward: false, ReturnConsumedCapacity: 'INDEXES' }, { Select: 'COUNT' }, { ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }]) {
          queries.push(request('Query', { TableName: TABLE, KeyConditionExpression: cond, ExpressionAttributeValues: used, ...extra }));
        }
      }
      queries.push(request('Query', { TableName: TABLE, KeyConditionExpression: 'pk = :pk', FilterExpression: 'n > :n', ExpressionAttributeValues: { ':pk': { S: pk }, ':n': { N: '50' } }, Limit: 5 }));
      queries.push(request('Query', { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ProjectionExpression: 'sk, l[1].M.deep, #s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':pk': { S: pk } } }));
      queries.push(request('Query', { TableName: TABLE, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: pk }] } }, QueryFilter: { n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '30' }] } }, AttributesToGet: ['sk', 'n'] }));
      queries.push(request('Query', { TableName: TABLE, IndexName: 'local', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, Select: 'ALL_ATTRIBUTES', Limit: 4 }));
      queries.push(request('Query', { TableName: TABLE, IndexName: 'local', KeyConditionExpression: 'pk = :pk AND #at > :at', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':pk': { S: pk }, ':at': { S: '2026-04-10' } } }));
    }
    for (const status of ['open', 'late', 'none']) {
      for (const index of ['keys', 'some', 'all']) {
        const range = index === 'keys' ? { cond: ' AND #at >= :at', names: { '#at': 'at' }, values: { ':at': { S: '2026-04-14' } } } : index === 'some' ? { cond: ' AND n < :n', names: {}, values: { ':n': { N: '40' } } } : { cond: '', names: {}, values: {} };
        for (const extra of [{}, { Limit: 2 }, { ScanIndexForward: false, Limit: 4, ReturnConsumedCapacity: 'INDEXES' }]) {
          queries.push(request('Query', { TableName: TABLE, IndexName: index, KeyConditionExpression: `#st = :st${range.cond}`, ExpressionAttributeNames: { '#st': 'status', ...range.names }, ExpressionAttributeValues: { ':st': { S: status }, ...range.values }, ...extra }));
        }
      }
    }
    for (const extra of [{}, { Limit: 7 }, { Segment: 1, TotalSegments: 3 }, { FilterExpression: 'amount > :a', ExpressionAttributeValues: { ':a': { N: '50000' } }, ReturnConsumedCapacity: 'TOTAL' }, { IndexName: 'keys' }, { IndexName: 'all', Limit: 5 }]) {
      queries.push(request('Scan', { TableName: TABLE, ...extra }));
    }

    let compared = 0;
    let pages = 0;
    const patched = db.queryTable;
    for (const first of queries) {
      // Every page of it, each page's start key from the page before (as both answered the same).
      for (let req: PlainRequest | undefined = first; req; ) {
        db.queryTable = originalQueryTable();
        const theirs = await send(req);
        db.queryTable = patched;
        const ours = await send(req);
        expect(ours, Buffer.from(req.body as Uint8Array).toString('utf8')).toEqual(theirs);
        compared++;
        const next = theirs.status === 200 ? JSON.parse(theirs.body).LastEvaluatedKey : undefined;
        req = next ? request(String(first.headers['x-amz-target']).split('.')[1], { ...JSON.parse(Buffer.from(first.body as Uint8Array).toString('utf8')), ExclusiveStartKey: next }) : undefined;
        if (next) pages++;
      }
    }
    db.queryTable = patched;
    expect(compared).toBeGreaterThan(queries.length);
    expect(pages).toBeGreaterThan(20);
  });
});
