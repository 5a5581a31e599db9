/**
 * The evidence log's storage: one DynamoDB item per record beside the dossier (pk D#<id>,
 * sk E#<seq, 10 digits>), so a long history never weighs on the dossier item's 400 KB; and, for
 * facts that have no stored object of their own, a small canonical JSON document in the Object
 * Lock vault. Appending uses conditional writes only: the put of record n with
 * attribute_not_exists is what orders the log, and records are written in seq order, so record n
 * existing means records 1..n exist (the log has no holes). The head is therefore the record at
 * the history's length (logTip): it is not written back here. The dossier item carries the head
 * its last change found (evidenceHead, set by that change's own write: dossier-store.ts), which
 * saves a write of the whole dossier item per change (issue 15: a write costs 1 WRU per KiB of
 * the item). Through the document client (plain values; clients/dynamodb-documents.ts).
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
import { conditionalPutDocument } from './conditional-put';
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
 * returns the head. Safe to call any number of times, from any number of writers:
 * record n is always history entry n-1, so a writer that loses the conditional put on a seq takes
 * the winner's record (same fact, same object) and goes on from it.
 */
export async function appendEvidence(
  d: Pick<Dossier, 'id' | 'events' | 'evidenceHead'> & HistoryWindow,
  now: Date,
  /**
   * The last record's seq and hash when the caller knows them (saves a query); null: the caller
   * knows the log is empty (a dossier it just created). Either way a lost put adopts the record
   * that is there, so a wrong guess costs requests, never a wrong record.
   */
  knownLast?: ChainHead | null,
): Promise<ChainHead | null> {
  let prev: Pick<EvidenceRecord, 'seq' | 'hash'> | null = knownLast === undefined ? await lastRecord(d.id) : knownLast;
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
  return prev ? { seq: prev.seq, hash: prev.hash } : null;
}

/**
 * The head of the log of a dossier whose history is `d`'s, read with as little as possible: the
 * dossier's own evidenceHead when it covers the whole history; else the record at the history's
 * length (one GetItem: if it exists, every record before it does); else (the log fell behind: a
 * crash between a change and its records) the last record there is (one Query). Null: no record.
 */
export async function logTip(d: Pick<Dossier, 'id' | 'evidenceHead'> & HistoryWindow): Promise<ChainHead | null> {
  const length = historyLength(d);
  if (d.evidenceHead && d.evidenceHead.seq >= length) return d.evidenceHead;
  const read = tipsRead.get(d);
  if (read) return read;
  const atLength = length > 0 ? await getRecord(d.id, length) : null;
  const last = atLength ?? (await lastRecord(d.id));
  return last ? { seq: last.seq, hash: last.hash } : (d.evidenceHead ?? null);
}

/**
 * The head a reader shows (GET /invoices/{id}): the dossier's when it covers the history, else the
 * record at the history's length, else the dossier's (the log is catching up). One GetItem at most.
 */
export async function shownHead(d: Pick<Dossier, 'id' | 'evidenceHead'> & HistoryWindow): Promise<ChainHead | null> {
  const length = historyLength(d);
  if (d.evidenceHead && d.evidenceHead.seq >= length) return d.evidenceHead;
  const atLength = length > 0 ? await getRecord(d.id, length) : null;
  return atLength ? { seq: atLength.seq, hash: atLength.hash } : (d.evidenceHead ?? null);
}

async function storeFact(dossierId: string, seq: number, fact: EvidenceRecord['fact'], now: Date) {
  const stored = await putEvidence(factKey(dossierId, seq, fact.type), factDocument(dossierId, seq, fact), 'application/json', now);
  return { key: stored.key, sha256: stored.sha256, versionId: stored.versionId, retainUntil: stored.retainUntil };
}

/**
 * Records read for a dossier object before its change (a send reads the one logTip would look for
 * together with the debtor's pause key, in one BatchGetItem: mail-tracking.ts). Records never
 * change, so what was read stays true; keyed by the object, so it goes with that invocation's copy.
 */
const tipsRead = new WeakMap<object, ChainHead>();

/** The key of the record logTip(d) would read, or null when `d`'s own head covers its history. */
export function tipKey(d: Pick<Dossier, 'id' | 'evidenceHead'> & HistoryWindow): { pk: string; sk: string } | null {
  const length = historyLength(d);
  if (length === 0 || (d.evidenceHead && d.evidenceHead.seq >= length)) return null;
  return { pk: `D#${d.id}`, sk: recordSk(length) };
}

/** Remembers the record read at tipKey(d) (absent: logTip reads as usual). */
export function rememberTip(d: Pick<Dossier, 'id' | 'evidenceHead'> & HistoryWindow, item: Record<string, unknown> | undefined): void {
  if (!item) return;
  const record = fromItem(item);
  if (record.seq === historyLength(d)) tipsRead.set(d, { seq: record.seq, hash: record.hash });
}
