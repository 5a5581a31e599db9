/**
 * The local DynamoDB stream layer (local/dynamodb-stream.ts) in front of dynalite, reached by the
 * real SDK in-process (local/in-process.ts) or over loopback HTTP: each write's record carries the
 * old and new images the table really had, whichever way the layer obtained them (the write's own
 * ReturnValues, the last write of the key, a read), and the caller gets exactly the answer it asked
 * for (no Attributes it did not ask for, those it did).
 */
import type * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startLocalStream, type LocalStream, type StreamRecord } from '../../local/dynamodb-stream';
import { serveInProcess } from '../../local/in-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite');

const TABLE = 'stream-test';

describe.each([
  ['in-process', undefined],
  ['loopback HTTP', '1'],
])('local stream layer (%s)', (_name, loopback) => {
  let ddb: http.Server;
  let stream: LocalStream;
  let client: DynamoDBClient;
  const records: StreamRecord[] = [];
  const saved = process.env.AMIABLE_LOOPBACK_HTTP;

  beforeAll(async () => {
    if (loopback) process.env.AMIABLE_LOOPBACK_HTTP = loopback;
    else delete process.env.AMIABLE_LOOPBACK_HTTP;
    ddb = dynalite({ createTableMs: 0 });
    await new Promise<void>((r) => ddb.listen(0, '127.0.0.1', () => r()));
    serveInProcess(ddb);
    stream = await startLocalStream({
      upstream: `http://127.0.0.1:${(ddb.address() as AddressInfo).port}`,
      tableName: TABLE,
      streamArn: 'arn:aws:dynamodb:eu-west-3:000000000000:table/stream-test/stream/local',
      region: 'eu-west-3',
      consumers: [{ id: 'all', handler: 'recorder', patterns: [], batchSize: 100, maxRetries: 0, bisect: false }],
      invoke: async (_h, event: { Records: StreamRecord[] }) => void records.push(...event.Records),
      now: () => new Date('2026-04-04T10:00:00Z'),
    });
    client = new DynamoDBClient({ endpoint: stream.url, region: 'eu-west-3', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      }),
    );
    // dynalite makes the table ACTIVE on its next tick (createTableMs: 0).
    while ((await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
  });

  afterAll(async () => {
    client?.destroy();
    await stream?.close();
    await new Promise<void>((r) => ddb.close(() => r()));
    if (saved === undefined) delete process.env.AMIABLE_LOOPBACK_HTTP;
    else process.env.AMIABLE_LOOPBACK_HTTP = saved;
  });

  const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'D' } });
  const stored = async (pk: string) => (await client.send(new GetItemCommand({ TableName: TABLE, Key: key(pk), ConsistentRead: true }))).Item;
  const lastRecords = async (from: number) => {
    await stream.idle();
    return records.slice(from);
  };

  it('gives each write the images the table had before and after it, and the caller only what it asked for', async () => {
    const from = records.length;
    const put = await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('a'), n: { N: '1' }, s: { S: 'x' } } }));
    expect(put.Attributes).toBeUndefined();
    const v1 = await stored('a');
    const up = await client.send(new UpdateItemCommand({ TableName: TABLE, Key: key('a'), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    expect(up.Attributes).toBeUndefined();
    const v2 = await stored('a');
    // A caller that asks for images gets them, unchanged.
    const asked = await client.send(
      new UpdateItemCommand({ TableName: TABLE, Key: key('a'), UpdateExpression: 'SET s = :y', ExpressionAttributeValues: { ':y': { S: 'y' } }, ReturnValues: 'UPDATED_OLD' }),
    );
    expect(asked.Attributes).toEqual({ s: { S: 'x' } });
    const v3 = await stored('a');
    const replaced = await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('a'), n: { N: '9' } }, ReturnValues: 'ALL_OLD' }));
    expect(replaced.Attributes).toEqual(v3);
    const v4 = await stored('a');
    const del = await client.send(new DeleteItemCommand({ TableName: TABLE, Key: key('a') }));
    expect(del.Attributes).toBeUndefined();
    expect(await stored('a')).toBeUndefined();

    const got = await lastRecords(from);
    expect(got.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'MODIFY', 'REMOVE']);
    expect(got.map((r) => [r.dynamodb.OldImage, r.dynamodb.NewImage])).toEqual([
      [undefined, v1],
      [v1, v2],
      [v2, v3],
      [v3, v4],
      [v4, undefined],
    ]);
  });

  it('gives the images as dynalite keeps them: an update that creates the item, numbers normalized, writes racing on one key', async () => {
    const from = records.length;
    // One attempt: a layer error must fail the call, not be retried into success.
    const once = new DynamoDBClient({ endpoint: stream.url, region: 'eu-west-3', credentials: { accessKeyId: 'k', secretAccessKey: 's' }, maxAttempts: 1 });
    await once.send(new UpdateItemCommand({ TableName: TABLE, Key: key('c'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1.50' } } }));
    const v1 = await stored('c');
    expect(v1).toEqual({ ...key('c'), n: { N: '1.5' } });
    await once.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('c'), n: { N: '02' } } }));
    const v2 = await stored('c');
    expect(v2).toEqual({ ...key('c'), n: { N: '2' } });
    await Promise.all(
      [1, 2, 3, 4].map((i) => once.send(new UpdateItemCommand({ TableName: TABLE, Key: key('c'), UpdateExpression: 'ADD n :i', ExpressionAttributeValues: { ':i': { N: String(i) } } }))),
    );
    const got = await lastRecords(from);
    expect(got.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'MODIFY', 'MODIFY', 'MODIFY']);
    expect(got[0].dynamodb.NewImage).toEqual(v1);
    expect(got[1].dynamodb.OldImage).toEqual(v1);
    expect(got[1].dynamodb.NewImage).toEqual(v2);
    // Each racing write's old image is the one before it, whatever order dynalite ran them in.
    for (let i = 2; i < got.length; i++) expect(got[i].dynamodb.OldImage).toEqual(got[i - 1].dynamodb.NewImage);
    expect(got.at(-1)!.dynamodb.NewImage).toEqual({ ...key('c'), n: { N: '12' } });
    once.destroy();
  });

  it('emits nothing for a write that fails its condition or changes nothing, and keeps the right image after it', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('b'), n: { N: '1' } } }));
    const from = records.length;
    await expect(
      client.send(new UpdateItemCommand({ TableName: TABLE, Key: key('b'), UpdateExpression: 'SET n = :two', ConditionExpression: 'n = :zero', ExpressionAttributeValues: { ':two': { N: '2' }, ':zero': { N: '0' } } })),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await client.send(new UpdateItemCommand({ TableName: TABLE, Key: key('b'), UpdateExpression: 'SET n = :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    expect(await lastRecords(from)).toEqual([]);
    // A batch write bypasses the per-key order: the next write's old image is read again, not remembered.
    await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...key('b'), n: { N: '5' } } } }] } }));
    await client.send(new UpdateItemCommand({ TableName: TABLE, Key: key('b'), UpdateExpression: 'SET n = :six', ExpressionAttributeValues: { ':six': { N: '6' } } }));
    const got = await lastRecords(from);
    expect(got).toHaveLength(1);
    expect(got[0].dynamodb.OldImage).toEqual({ ...key('b'), n: { N: '5' } });
    expect(got[0].dynamodb.NewImage).toEqual(await stored('b'));
  });
});
