/**
 * Upgrades a local data dir's table when the synthesized template has indexes it lacks (a data dir
 * made by an older version). dynalite cannot add an index to an existing table (UpdateTable has no
 * GlobalSecondaryIndexUpdates Create), so the table is rebuilt: every item is saved to a file in
 * the data dir, the table is re-created from the template, and the items are written back — dossiers
 * with their listing attributes, profiles with their registry attributes, as the current adapters
 * write them. A crash midway leaves the file, and the next start finishes the job from it.
 * Local mode only: on AWS, CloudFormation adds the indexes and DynamoDB backfills them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { listingAttributes } from '../lambdas/adapters/dossier-index';
import { fromItem } from '../lambdas/adapters/dossier-store';

type Item = Record<string, AttributeValue>;

export interface TableSpec {
  TableName: string;
  KeySchema: any;
  AttributeDefinitions: any;
  GlobalSecondaryIndexes?: { IndexName: string }[];
}

/** Creates the table and waits until it is ACTIVE. */
export async function createTable(ddb: DynamoDBClient, spec: TableSpec): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName: spec.TableName,
      KeySchema: spec.KeySchema,
      AttributeDefinitions: spec.AttributeDefinitions,
      GlobalSecondaryIndexes: spec.GlobalSecondaryIndexes as any,
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitFor(ddb, spec.TableName, (status) => status === 'ACTIVE');
}

/** Deletes the table (if there) and waits until it is gone (dynalite deletes asynchronously). */
export async function deleteTable(ddb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await ddb.send(new DeleteTableCommand({ TableName: tableName }));
  } catch {
    // not there (an interrupted upgrade may have deleted it already)
  }
  await waitFor(ddb, tableName, (status) => status === undefined);
}

async function waitFor(ddb: DynamoDBClient, tableName: string, done: (status: string | undefined) => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    let status: string | undefined;
    try {
      status = (await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus;
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
    if (done(status)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`table ${tableName} did not settle`);
}

/** Creates the table, or rebuilds it when it lacks an index of `spec`. Returns what was done. */
export async function ensureTable(ddb: DynamoDBClient, spec: TableSpec, dataDir: string | undefined): Promise<'created' | 'kept' | 'upgraded'> {
  const backup = dataDir ? path.join(dataDir, 'dynamodb-upgrade.json') : undefined;
  if (backup && fs.existsSync(backup)) {
    // An upgrade was interrupted: the file holds every item.
    await rebuild(ddb, spec, JSON.parse(fs.readFileSync(backup, 'utf8')) as Item[]);
    fs.rmSync(backup);
    return 'upgraded';
  }
  let existing;
  try {
    existing = (await ddb.send(new DescribeTableCommand({ TableName: spec.TableName }))).Table;
  } catch {
    await createTable(ddb, spec);
    return 'created';
  }
  const have = new Set((existing?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = (spec.GlobalSecondaryIndexes ?? []).filter((i) => !have.has(i.IndexName));
  if (missing.length === 0) return 'kept';

  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: spec.TableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map(upgradeItem));
    start = page.LastEvaluatedKey;
  } while (start);
  if (backup) {
    fs.writeFileSync(`${backup}.tmp`, JSON.stringify(items));
    fs.renameSync(`${backup}.tmp`, backup);
  }
  await rebuild(ddb, spec, items);
  if (backup) fs.rmSync(backup);
  console.log(`Local table upgraded: added index${missing.length > 1 ? 'es' : ''} ${missing.map((i) => i.IndexName).join(', ')} (${items.length} items rewritten).`);
  return 'upgraded';
}

/** An item as the current adapters would write it. */
function upgradeItem(item: Item): Item {
  const plain = unmarshall(item);
  if (typeof plain.pk === 'string' && plain.pk.startsWith('D#') && plain.sk === 'DOSSIER') {
    // fromItem: the stored history may be deflated (eventsZ), which the summary reads.
    return marshall({ ...plain, ...listingAttributes(fromItem(plain)) }, { removeUndefinedValues: true, convertClassInstanceToMap: false });
  }
  if (typeof plain.pk === 'string' && plain.pk.startsWith('C#') && plain.sk === 'PROFILE' && plain.registry === undefined) {
    const id = plain.pk.slice(2);
    return marshall({ ...plain, registry: 'creditor', registryId: id }, { removeUndefinedValues: true });
  }
  return item;
}

async function rebuild(ddb: DynamoDBClient, spec: TableSpec, items: Item[]): Promise<void> {
  await deleteTable(ddb, spec.TableName);
  await createTable(ddb, spec);
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const out = await ddb.send(new BatchWriteItemCommand({ RequestItems: { [spec.TableName]: requests } }));
      requests = (out.UnprocessedItems?.[spec.TableName] ?? []) as typeof requests;
    }
  }
}
