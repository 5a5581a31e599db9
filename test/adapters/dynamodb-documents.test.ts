/**
 * The document commands of lambdas/adapters/clients/dynamodb-documents.ts against lib-dynamodb's
 * DynamoDBDocumentClient (the oracle, which the adapters used before): for the same input, the very
 * same request bytes reach DynamoDB, and the same response comes back as the same values. A
 * DynamoDBClient whose request handler records the request body and answers a canned response
 * stands in for DynamoDB (the wire is what matters here; test/local runs the adapters on dynalite).
 * Seeded fast-check values: AMIABLE_SEED replays a run.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as lib from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ours from '../../lambdas/adapters/clients/dynamodb-documents';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`dynamodb-documents.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);

/** A client that records each request's body and answers `response` (a low-level output, as JSON). */
function recordingClient(response: () => unknown): { client: DynamoDBClient; bodies: string[] } {
  const bodies: string[] = [];
  const client = new DynamoDBClient({
    region: 'eu-west-3',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        bodies.push(String(request.body));
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(JSON.stringify(response() ?? {}))]),
          },
        };
      },
    } as never,
  });
  return { client, bodies };
}

/** Sends the same input both ways; returns each side's request body and output. */
async function both<In extends object>(
  make: { ours: (input: In) => ours.DocumentCommand<object, object>; lib: (input: In) => unknown },
  input: () => In,
  response: () => unknown = () => ({}),
): Promise<{ ours: { body: string; out: unknown }; lib: { body: string; out: unknown } }> {
  const a = recordingClient(response);
  const b = recordingClient(response);
  const outA = await ours.documentsOver(a.client).send(make.ours(input()));
  const docB = lib.DynamoDBDocumentClient.from(b.client, { marshallOptions: { removeUndefinedValues: true } });
  const outB = await docB.send(make.lib(input()) as never);
  const strip = (o: unknown) => {
    const { $metadata: _, ...rest } = o as Record<string, unknown>;
    return rest;
  };
  return { ours: { body: a.bodies[0]!, out: strip(outA) }, lib: { body: b.bodies[0]!, out: strip(outB) } };
}

// Values a stored item may hold (no empty strings, sets or binaries: both refuse them alike, tested apart).
const scalar = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ minLength: 1, maxLength: 8 }),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('v'), { maxKeys: 4 }),
    fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }).map((xs) => new Set(xs)),
  ),
})).v;
const item = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { minKeys: 1, maxKeys: 6 }).map((o) => ({ ...o, pk: 'DOSSIER#1', sk: 'META' }));
const runs = { seed, numRuns: 60 };

describe('document commands: the same bytes as lib-dynamodb, both ways', () => {
  it('PutCommand: the item and the condition values, as sent', async () => {
    await fc.assert(
      fc.asyncProperty(item, value, async (it, v) => {
        const input = () => ({
          TableName: 't',
          Item: it,
          ConditionExpression: 'attribute_not_exists(pk) OR #v = :v',
          ExpressionAttributeNames: { '#v': 'v' },
          ExpressionAttributeValues: { ':v': v ?? 'x' },
        });
        const r = await both({ ours: (i) => new ours.PutCommand(i), lib: (i) => new lib.PutCommand(i) }, input);
        expect(r.ours.body).toBe(r.lib.body);
      }),
      runs,
    );
  });

  it('GetCommand: the key out, the item back', async () => {
    await fc.assert(
      fc.asyncProperty(item, async (stored) => {
        const response = () => ({ Item: marshall(stored, { removeUndefinedValues: true }) });
        const r = await both({ ours: (i) => new ours.GetCommand(i), lib: (i) => new lib.GetCommand(i) }, () => ({ TableName: 't', Key: { pk: 'DOSSIER#1', sk: 'META' }, ConsistentRead: true }), response);
        expect(r.ours.body).toBe(r.lib.body);
        expect(r.ours.out).toEqual(r.lib.out);
      }),
      runs,
    );
  });

  it('UpdateCommand: values set, and the attributes returned', async () => {
    await fc.assert(
      fc.asyncProperty(item, value, async (stored, v) => {
        const input = () => ({
          TableName: 't',
          Key: { pk: 'DOSSIER#1', sk: 'META' },
          UpdateExpression: 'SET #a = :a, #n = if_not_exists(#n, :zero) + :one',
          ExpressionAttributeNames: { '#a': 'a', '#n': 'n' },
          ExpressionAttributeValues: { ':a': v ?? null, ':zero': 0, ':one': 1 },
          ReturnValues: 'ALL_NEW' as const,
        });
        const response = () => ({ Attributes: marshall(stored, { removeUndefinedValues: true }) });
        const r = await both({ ours: (i) => new ours.UpdateCommand(i), lib: (i) => new lib.UpdateCommand(i) }, input, response);
        expect(r.ours.body).toBe(r.lib.body);
        expect(r.ours.out).toEqual(r.lib.out);
      }),
      runs,
    );
  });

  it('QueryCommand, DeleteCommand, BatchGetCommand, BatchWriteCommand: requests and responses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 3 }), async (items) => {
        const low = items.map((x) => marshall(x, { removeUndefinedValues: true }));
        const key = { pk: 'DOSSIER#1', sk: 'META' };
        const query = await both(
          { ours: (i) => new ours.QueryCommand(i), lib: (i) => new lib.QueryCommand(i) },
          () => ({ TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'DOSSIER#1' }, ExclusiveStartKey: key, Limit: 5 }),
          () => ({ Items: low, Count: low.length, LastEvaluatedKey: marshall(key) }),
        );
        expect(query.ours.body).toBe(query.lib.body);
        expect(query.ours.out).toEqual(query.lib.out);
        const del = await both(
          { ours: (i) => new ours.DeleteCommand(i), lib: (i) => new lib.DeleteCommand(i) },
          () => ({ TableName: 't', Key: key, ConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 's' }, ExpressionAttributeValues: { ':s': 'x' }, ReturnValues: 'ALL_OLD' as const }),
          () => ({ Attributes: low[0] }),
        );
        expect(del.ours.body).toBe(del.lib.body);
        expect(del.ours.out).toEqual(del.lib.out);
        const get = await both(
          { ours: (i) => new ours.BatchGetCommand(i), lib: (i) => new lib.BatchGetCommand(i) },
          () => ({ RequestItems: { t: { Keys: [key, { pk: 'DOSSIER#2', sk: 'META' }] } } }),
          () => ({ Responses: { t: low }, UnprocessedKeys: { t: { Keys: [marshall({ pk: 'DOSSIER#2', sk: 'META' })] } } }),
        );
        expect(get.ours.body).toBe(get.lib.body);
        expect(get.ours.out).toEqual(get.lib.out);
        const write = await both(
          { ours: (i) => new ours.BatchWriteCommand(i), lib: (i) => new lib.BatchWriteCommand(i) },
          () => ({ RequestItems: { t: [...items.map((x) => ({ PutRequest: { Item: x } })), { DeleteRequest: { Key: key } }] } }),
          () => ({ UnprocessedItems: { t: [{ PutRequest: { Item: low[0] } }, { DeleteRequest: { Key: marshall(key) } }] } }),
        );
        expect(write.ours.body).toBe(write.lib.body);
        expect(write.ours.out).toEqual(write.lib.out);
      }),
      { ...runs, numRuns: 30 },
    );
  });

  it('refuses what lib-dynamodb refuses: an empty string, a class instance', async () => {
    const { client } = recordingClient(() => ({}));
    const docs = ours.documentsOver(client);
    await expect(docs.send(new ours.PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b', name: '' } }))).resolves.toBeDefined();
    const libDocs = lib.DynamoDBDocumentClient.from(recordingClient(() => ({})).client, { marshallOptions: { removeUndefinedValues: true } });
    // Both send an empty string as is (DynamoDB refuses it in a key only); both refuse a class instance.
    await expect(libDocs.send(new lib.PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b', name: '' } }))).resolves.toBeDefined();
    const instance = { TableName: 't', Item: { pk: 'a', sk: 'b', at: new Date(0) } };
    await expect(docs.send(new ours.PutCommand(instance))).rejects.toThrow(/convertClassInstanceToMap/);
    await expect(libDocs.send(new lib.PutCommand(instance))).rejects.toThrow(/convertClassInstanceToMap/);
  });
});
