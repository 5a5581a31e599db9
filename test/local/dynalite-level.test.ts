/**
 * dynalite reads its LevelDB class once, when its db module loads; local mode gives it the bounded,
 * read-cached class first (local/dynalite-level.ts). The stream layer loads dynalite's write
 * actions before local/emulators.ts requires dynalite (local/system.ts imports it first): the
 * class must be in place by then too, or the read cache and the memory bounds silently go.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
// First, as in local/system.ts: this module loads dynalite's actions (and so its db module).
import '../../local/dynamodb-stream';
import { readCacheTotals } from '../../local/level-read-cache';
import { serveInProcess } from '../../local/in-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite');

describe('dynalite on disk, whichever local module loads it first', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-dynalite-level-'));
  let ddb: http.Server;
  let client: DynamoDBClient;
  afterAll(async () => {
    client?.destroy();
    if (ddb) await new Promise<void>((r) => ddb.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads through the bounded, cached LevelDB class', async () => {
    ddb = dynalite({ path: dir, createTableMs: 0 });
    await new Promise<void>((r) => ddb.listen(0, '127.0.0.1', () => r()));
    serveInProcess(ddb);
    client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${(ddb.address() as AddressInfo).port}`, region: 'eu-west-3', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
    await client.send(
      new CreateTableCommand({ TableName: 'level-t', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }),
    );
    while ((await client.send(new DescribeTableCommand({ TableName: 'level-t' }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
    await client.send(new PutItemCommand({ TableName: 'level-t', Item: { pk: { S: 'a' } } }));
    const hits = readCacheTotals.hits;
    for (let i = 0; i < 3; i++) expect((await client.send(new GetItemCommand({ TableName: 'level-t', Key: { pk: { S: 'a' } } }))).Item).toEqual({ pk: { S: 'a' } });
    // The table description and the item, answered from memory.
    expect(readCacheTotals.hits - hits).toBeGreaterThanOrEqual(6);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect((require('level') as { bounded?: boolean }).bounded).toBe(true);
  });
});
