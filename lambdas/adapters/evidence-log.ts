/**
 * The evidence log's storage: one DynamoDB item per record beside the dossier (pk D#<id>,
 * sk E#<seq, 10 digits>), so a long history never weighs on the dossier item's 400 KB; the head
 * (seq, hash) on the dossier item; and, for facts that have no stored object of their own, a small
 * canonical JSON document in the Object Lock vault. Appending uses conditional writes only.
 * Through the document client (plain values; clients/dynamodb-documents.ts).
 */
import { GetCommand, QueryCommand } from './clients/dynamodb-documents';
import type { Dossier } from '../domain/dossier';
import {
  ChainHead,
  chainRecord,
  EvidenceRecord,
  factDocument,
  factKey,
  ownEvidence,
} from '../domain/evidence-chain';
import { entryAt, historyLength, type HistoryWindow } from '../domain/history-window';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { conditionalPutDocument, conditionalUpdateDocument } from './conditional-put';
import { settings } from './env';
import { putEvidence } from './evidence-store';

const RECORD_PREFIX = 'E#';
const recordSk = (seq: number) => `${RECORD_PREFIX}${String(seq).padStart(10, '0')}`;

type StartKey = Record<string, unknown> | undefined;

function fromItem(item: Record<string, unknown>): EvidenceRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as EvidenceRecord;
}

async function queryRecords(dossierId: string, extra: { ScanIndexForward?: boolean; Limit?: number; ExclusiveStartKey?: StartKey }) {
  return dynamodbDocuments().send(
    new QueryCommand({
      TableName: settings.tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': `D#${dossierId}`, ':e': RECORD_PREFIX },
      ConsistentRead: true,
      ...extra,
    }),
  );
}

export async function lastRecord(dossierId: string): Promise<EvidenceRecord | null> {
  const out = await queryRecords(dossierId, { ScanIndexForward: false, Limit: 1 });
  return out.Items?.[0] ? fromItem(out.Items[0]) : null;
}

/** Every record, in seq order (all pages). */
export async function listRecords(dossierId: string): Promise<EvidenceRecord[]> {
  const records: EvidenceRecord[] = [];
  let start: StartKey;
  do {
    const out = await queryRecords(dossierId, { ExclusiveStartKey: start });
    records.push(...(out.Items ?? []).map(fromItem));
    start = out.LastEvaluatedKey;
  } while (start);
  return records;
}

/** Up to `limit` records after seq `after`, in seq order (a page of the log). */
export async function recordsAfter(dossierId: string, after: number, limit: number): Promise<EvidenceRecord[]> {
  const records: EvidenceRecord[] = [];
  let start: StartKey = { pk: `D#${dossierId}`, sk: recordSk(after) };
  do {
    const out = await queryRecords(dossierId, { ExclusiveStartKey: start, Limit: limit - records.length });
    records.push(...(out.Items ?? []).map(fromItem));
    start = out.LastEvaluatedKey;
  } while (start && records.length < limit);
  return records;
}

async function getRecord(dossierId: string, seq: number): Promise<EvidenceRecord | null> {
  const out = await dynamodbDocuments().send(
    new GetCommand({ TableName: settings.tableName(), Key: { pk: `D#${dossierId}`, sk: recordSk(seq) }, ConsistentRead: true }),
  );
  return out.Item ? fromItem(out.Item) : null;
}

/**
 * Appends a record for every history entry of `d` that the log does not have yet, in order, and
 * moves the head on the dossier. Safe to call any number of times, from any number of writers:
 * record n is always history entry n-1, so a writer that loses the conditional put on a seq takes
 * the winner's record (same fact, same object) and goes on from it.
 */
export async function appendEvidence(
  d: Pick<Dossier, 'id' | 'events' | 'evidenceHead'> & HistoryWindow,
  now: Date,
  /** The last record's seq and hash when the caller knows them (saves a query). */
  knownLast?: ChainHead,
): Promise<ChainHead | null> {
  let prev: Pick<EvidenceRecord, 'seq' | 'hash'> | null = knownLast ?? (await lastRecord(d.id));
  const total = historyLength(d);
  for (let seq = (prev?.seq ?? 0) + 1; seq <= total; seq++) {
    // Entries above the evidence head are always held by the dossier item (history-window.ts).
    const fact = entryAt(d, seq);
    if (!fact) throw new Error(`dossier ${d.id}: history entry ${seq} is neither logged nor held by the item`);
    const own = ownEvidence(fact);
    const object = own
      ? { key: own.evidenceKey, sha256: own.sha256, versionId: own.evidenceVersionId ?? null, retainUntil: own.retainUntil ?? null }
      : await storeFact(d.id, seq, fact, now);
    const record = chainRecord(prev, seq, fact, object);
    const written = await conditionalPutDocument({
      Item: { pk: `D#${d.id}`, sk: recordSk(seq), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    prev = written ? record : await getRecord(d.id, seq);
    if (!prev) throw new Error(`evidence record ${seq} of ${d.id} vanished after a lost conditional put`);
  }
  if (!prev) return null;
  const head = { seq: prev.seq, hash: prev.hash };
  if ((d.evidenceHead?.seq ?? 0) < head.seq) await advanceHead(d.id, head);
  return head;
}

async function storeFact(dossierId: string, seq: number, fact: EvidenceRecord['fact'], now: Date) {
  const stored = await putEvidence(factKey(dossierId, seq, fact.type), factDocument(dossierId, seq, fact), 'application/json', now);
  return { key: stored.key, sha256: stored.sha256, versionId: stored.versionId, retainUntil: stored.retainUntil };
}

/** The head only moves forward; a slower writer with an older head leaves it alone. */
async function advanceHead(dossierId: string, head: ChainHead): Promise<void> {
  await conditionalUpdateDocument({
    Key: { pk: `D#${dossierId}`, sk: 'DOSSIER' },
    UpdateExpression: 'SET evidenceHead = :h',
    ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(evidenceHead) OR evidenceHead.seq < :seq)',
    ExpressionAttributeValues: { ':h': { seq: head.seq, hash: head.hash }, ':seq': head.seq },
  });
}
