/**
 * What the accountants' report reads, through indexes only (never a Scan), every page:
 * - the summaries of the creditor's dossiers in each open status (byCreditorStatus, the summary
 *   projection: no dossier item is read);
 * - the ids of the dossiers active since an instant (byCreditorActivity, a range on activityKey,
 *   keys only);
 * - those dossiers in full (BatchGetItem, 100 keys a call, consistent reads).
 * A creditor with 100,000 open dossiers is about 40 pages of summaries (1 MB each).
 */
import { BatchGetCommand, QueryCommand, type QueryCommandInput } from './clients/dynamodb-documents';
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { Dossier } from '../domain/dossier';
import type { DossierStatus, IsoInstant } from '../domain/model';
import type { IndexedSummary } from '../domain/report';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { fromItem } from './dossier-store';
import { settings } from './env';
import { BY_CREDITOR_ACTIVITY, BY_CREDITOR_STATUS } from './table-indexes';

/** Every item a query yields, page after page (plain values, through the document client). */
export async function* queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<Record<string, NativeAttributeValue>> {
  let start: Record<string, NativeAttributeValue> | undefined;
  do {
    const out = await dynamodbDocuments().send(new QueryCommand({ TableName: settings.tableName(), ...input, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) yield item;
    start = out.LastEvaluatedKey;
  } while (start);
}

/** The summaries of the creditor's dossiers in these statuses (one index partition per status). */
export async function summariesByStatus(creditorId: string, statuses: readonly DossierStatus[]): Promise<IndexedSummary[]> {
  const lists = await Promise.all(
    statuses.map(async (status) => {
      const found: IndexedSummary[] = [];
      for await (const item of queryAll({
        IndexName: BY_CREDITOR_STATUS,
        KeyConditionExpression: 'creditorStatus = :p',
        ExpressionAttributeValues: { ':p': `${creditorId}#${status}` },
        ProjectionExpression: 'summary',
      })) {
        const summary = item.summary as IndexedSummary | undefined;
        if (summary) found.push(summary);
      }
      return found;
    }),
  );
  return lists.flat();
}

/** Ids of the creditor's dossiers whose last activity is at or after `from`. */
export async function dossierIdsActiveSince(creditorId: string, from: IsoInstant): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of queryAll({
    IndexName: BY_CREDITOR_ACTIVITY,
    KeyConditionExpression: 'creditorId = :c AND activityKey >= :from',
    ExpressionAttributeValues: { ':c': creditorId, ':from': from },
    ProjectionExpression: 'pk',
  })) {
    const pk = item.pk;
    if (typeof pk === 'string' && pk.startsWith('D#')) ids.push(pk.slice(2));
  }
  return ids;
}

const BATCH = 100;
const CONCURRENCY = 4;

/** Dossiers by id, in full (missing ones are left out), 100 per BatchGetItem, unprocessed keys retried. */
export async function readDossiers(ids: readonly string[]): Promise<Dossier[]> {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += BATCH) batches.push(unique.slice(i, i + BATCH));
  const found: Dossier[] = [];
  for (let i = 0; i < batches.length; i += CONCURRENCY) {
    const results = await Promise.all(batches.slice(i, i + CONCURRENCY).map(readBatch));
    for (const r of results) found.push(...r);
  }
  return found;
}

/**
 * Through the document client, like the rest of this module: dossier items come back plain and
 * dossier-store's fromItem reads them (the dossier item's format is that module's).
 */
async function readBatch(ids: string[]): Promise<Dossier[]> {
  const table = settings.tableName();
  let keys: Record<string, NativeAttributeValue>[] = ids.map((id) => ({ pk: `D#${id}`, sk: 'DOSSIER' }));
  const found: Dossier[] = [];
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    if (attempt > 10) throw new Error(`BatchGetItem: ${keys.length} keys still unprocessed after 10 retries`);
    const out = await dynamodbDocuments().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    for (const item of out.Responses?.[table] ?? []) found.push(fromItem(item));
    keys = out.UnprocessedKeys?.[table]?.Keys ?? [];
  }
  return found;
}
