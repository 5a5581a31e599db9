/**
 * What the stall sweep reads and keeps (services/stall-sweep.ts), in the dossier table:
 * - creditor ids, a page at a time, from the creditorRegistry index (ids only: no profile is read
 *   nor validated, so the sweep bundles no profile checks);
 * - a creditor's overdue dossiers: the byCreditorNextAction index (pk creditorId, sk nextActionAt,
 *   keys only, sparse: only waiting dossiers carry nextActionAt), `nextActionAt < cutoff`, oldest
 *   first. Per creditor, so one tenant's backlog is read (and bounded) apart from the others';
 * - where an unfinished run stopped: `SWEEP#stall` / `CURSOR` { after: <creditorId> }, written only
 *   when a run runs out of time, cleared by the run that finishes the pass (no stream consumer
 *   reads it: their filters take sk DOSSIER or DIGEST# only, lib/table-stream.ts, lib/accountant-mail.ts).
 */
import { GetCommand, PutCommand, QueryCommand } from './clients/dynamodb-documents';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { settings } from './env';
import { CREDITOR_REGISTRY } from './table-indexes';

/** The due index (lib/dossier-table.ts BY_CREDITOR_NEXT_ACTION; lib/ may not be imported here). */
const BY_CREDITOR_NEXT_ACTION = 'byCreditorNextAction';
const REGISTRY = 'creditor';
const CURSOR_KEY = { pk: 'SWEEP#stall', sk: 'CURSOR' };

export async function creditorIdsAfter(after: string | null, limit: number): Promise<{ ids: string[]; more: boolean }> {
  const out = await dynamodbDocuments().send(
    new QueryCommand({
      TableName: settings.tableName(),
      IndexName: CREDITOR_REGISTRY,
      KeyConditionExpression: after ? 'registry = :r AND registryId > :a' : 'registry = :r',
      ExpressionAttributeValues: after ? { ':r': REGISTRY, ':a': after } : { ':r': REGISTRY },
      ProjectionExpression: 'registryId',
      Limit: limit,
    }),
  );
  return { ids: (out.Items ?? []).map((i) => String(i.registryId)), more: out.LastEvaluatedKey !== undefined };
}

/** Ids of the creditor's dossiers whose next action is before `cutoff`, oldest first (one page). */
export async function overdueDossierIds(creditorId: string, cutoff: string, limit: number, after?: Record<string, string>): Promise<{ ids: string[]; next?: Record<string, string> }> {
  const out = await dynamodbDocuments().send(
    new QueryCommand({
      TableName: settings.tableName(),
      IndexName: BY_CREDITOR_NEXT_ACTION,
      KeyConditionExpression: 'creditorId = :c AND nextActionAt < :t',
      ExpressionAttributeValues: { ':c': creditorId, ':t': cutoff },
      Limit: limit,
      ExclusiveStartKey: after,
    }),
  );
  const ids = (out.Items ?? []).map((i) => String(i.pk)).filter((pk) => pk.startsWith('D#')).map((pk) => pk.slice(2));
  return { ids, next: out.LastEvaluatedKey as Record<string, string> | undefined };
}

export async function sweepCursor(): Promise<string | null> {
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: CURSOR_KEY }));
  return typeof out.Item?.after === 'string' ? out.Item.after : null;
}

/** Where the next run starts (after this creditor id); null: from the first. */
export async function saveSweepCursor(after: string | null, at: string): Promise<void> {
  await dynamodbDocuments().send(new PutCommand({ TableName: settings.tableName(), Item: { ...CURSOR_KEY, after, at } }));
}
