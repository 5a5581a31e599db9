/**
 * The dossier listing (GET /invoices) over the listing indexes (table-indexes.ts): each dossier
 * item carries its summary and search attributes (written by dossier-store's toItem), so a page is
 * one Query on byCreditorActivity, or on byCreditorStatus when a status is asked for; never a Scan.
 * `stage`, `debtor`, `q` and `dueBefore` are filters over the index: DynamoDB applies them after
 * reading, so a filtered page may come back shorter than `limit` (even empty) with a nextCursor —
 * keep following nextCursor until it is null.
 */
import { QueryCommand, type QueryCommandInput } from './clients/dynamodb-documents';
import type { Dossier } from '../domain/dossier';
import { debtorRefs, dossierSummary, lastActivityAt, searchText, type DossierSummary } from '../domain/dossier-summary';
import type { DossierStatus, IsoDate, Stage } from '../domain/model';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { decodeCursor, encodeCursor, type CursorShape, type DynamoKey } from './cursor';
import { settings } from './env';
import { BY_CREDITOR_ACTIVITY, BY_CREDITOR_STATUS } from './table-indexes';

/** The attributes toItem adds to a dossier item for the listing indexes. */
export function listingAttributes(d: Dossier) {
  return {
    activityKey: `${lastActivityAt(d)}#${d.id}`,
    creditorStatus: `${d.creditorId}#${d.status}`,
    summary: dossierSummary(d),
    searchText: searchText(d),
    debtorRefs: new Set(debtorRefs(d.debtor)),
  };
}

export interface DossierQuery {
  status?: DossierStatus;
  /** Last stage sent. */
  stage?: Stage;
  /** A reference from debtorRefOf ("siren:…" or "email:…"). */
  debtorRef?: string;
  /** Case-insensitive substring of the invoice number or the debtor's name. */
  q?: string;
  /** Due strictly before this date. */
  dueBefore?: IsoDate;
  limit: number;
  cursor?: string;
}

export interface DossierPage {
  items: DossierSummary[];
  nextCursor: string | null;
}

const DOSSIER_PK = /^D#dos_[a-z2-7]{26}$/;
const ACTIVITY_KEY = /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z#dos_[a-z2-7]{26}$/;
/** How many index reads one filtered page may take before it answers (with a cursor). */
const MAX_ROUNDS = 10;

export async function queryDossiers(creditorId: string, query: DossierQuery): Promise<DossierPage> {
  const byStatus = query.status !== undefined;
  const partition = byStatus
    ? { index: BY_CREDITOR_STATUS, attribute: 'creditorStatus', value: `${creditorId}#${query.status}` }
    : { index: BY_CREDITOR_ACTIVITY, attribute: 'creditorId', value: creditorId };
  const shape: CursorShape = { pk: DOSSIER_PK, sk: 'DOSSIER', [partition.attribute]: partition.value, activityKey: ACTIVITY_KEY };
  let start = decodeCursor(query.cursor, shape);

  const filters: string[] = [];
  const names: Record<string, string> = { '#p': partition.attribute };
  const values: Record<string, unknown> = { ':p': partition.value };
  if (query.stage !== undefined || query.dueBefore !== undefined) names['#summary'] = 'summary';
  if (query.stage !== undefined) {
    filters.push('#summary.#stage = :stage');
    names['#stage'] = 'stage';
    values[':stage'] = query.stage;
  }
  if (query.dueBefore !== undefined) {
    filters.push('#summary.#dueDate < :dueBefore');
    names['#dueDate'] = 'dueDate';
    values[':dueBefore'] = query.dueBefore;
  }
  if (query.debtorRef !== undefined) {
    filters.push('contains(debtorRefs, :debtor)');
    values[':debtor'] = query.debtorRef;
  }
  if (query.q !== undefined) {
    filters.push('contains(searchText, :q)');
    values[':q'] = query.q.toLowerCase();
  }
  const filtered = filters.length > 0;

  const items: Record<string, unknown>[] = [];
  for (let round = 0; ; round++) {
    const remaining = query.limit - items.length;
    const input: QueryCommandInput = {
      TableName: settings.tableName(),
      IndexName: partition.index,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      // One more than needed tells whether a next page exists; filters read wider.
      Limit: filtered ? Math.min(1000, Math.max(100, 4 * (remaining + 1))) : remaining + 1,
      ExclusiveStartKey: start,
      ...(filtered ? { FilterExpression: filters.join(' AND ') } : {}),
    };
    const out = await dynamodbDocuments().send(new QueryCommand(input));
    items.push(...(out.Items ?? []));
    if (items.length > query.limit) {
      const page = items.slice(0, query.limit);
      return { items: page.map(summaryOf), nextCursor: encodeCursor(keyOf(page[page.length - 1], partition.attribute)) };
    }
    start = out.LastEvaluatedKey;
    if (!start || round + 1 >= MAX_ROUNDS) return { items: items.map(summaryOf), nextCursor: encodeCursor(start) };
  }
}

function summaryOf(item: Record<string, unknown>): DossierSummary {
  return item.summary as DossierSummary;
}

function keyOf(item: Record<string, unknown>, partitionAttribute: string): DynamoKey {
  const key = { pk: item.pk, sk: item.sk, [partitionAttribute]: item[partitionAttribute], activityKey: item.activityKey };
  return key as DynamoKey;
}
