/**
 * What the accountants' reports keep per creditor, next to its profile (pk "C#<creditorId>"):
 * - `RECEIVABLES#<YYYY-MM>`: the creditor's own figures for a month (credit sales, total
 *   receivables at its end), which DSO needs and Amiable cannot know (PUT /reports/receivables).
 * - `DIGEST`: the last digest sent ({ lastUntil, lastAsOf, lastMessageId, count }); the next digest
 *   covers (lastUntil, now], so a day without a digest (weekend, holiday, outage) is covered by the
 *   next one, never lost and never counted twice.
 * - `DIGEST#<asOf>`: the scheduled digest of a day (a job): written once by the fan-out
 *   (create-if-absent: a retried schedule adds nothing), then marked sent (or skipped) by the
 *   digest function that the table's stream hands it to.
 * - `ALERT#<at>#<dossierId>#<seq>`: one immediate alert per dossier history entry (the key is
 *   the entry's own instant and position: a redelivered stream record finds it), sent or deferred.
 * - `ALERTS#<hour>`: how many alerts went out in that clock hour (UTC), the hourly limit's counter.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from './clients/dynamodb-documents';
import type { IsoDate, IsoInstant } from '../domain/model';
import type { DeferredAlert, ReceivablesMonth } from '../domain/report';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { conditionalPutDocument, conditionalUpdateDocument } from './conditional-put';
import { settings } from './env';
import { queryAll } from './report-source';

// Plain items and values through the document client (clients/dynamodb-documents.ts: undefined
// fields left out); the requests it sends are the ones this adapter built by hand before
// (test/local/accountant-store-requests.test.ts compares them body by body).
const pk = (creditorId: string) => `C#${creditorId}`;

// --- receivables ----------------------------------------------------------------------------

export async function putReceivables(creditorId: string, m: ReceivablesMonth, now: Date): Promise<void> {
  await dynamodbDocuments().send(
    new PutCommand({ TableName: settings.tableName(), Item: { pk: pk(creditorId), sk: `RECEIVABLES#${m.month}`, ...m, updatedAt: now.toISOString() } }),
  );
}

export async function listReceivables(creditorId: string): Promise<ReceivablesMonth[]> {
  const months: ReceivablesMonth[] = [];
  for await (const x of queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
    ExpressionAttributeValues: { ':pk': `C#${creditorId}`, ':r': 'RECEIVABLES#' },
  })) {
    months.push({ month: x.month, creditSalesCents: x.creditSalesCents, ...(typeof x.totalReceivablesCents === 'number' ? { totalReceivablesCents: x.totalReceivablesCents } : {}) });
  }
  return months;
}

// --- digests ------------------------------------------------------------------------------------

export interface DigestState {
  lastUntil: IsoInstant;
  lastAsOf: IsoDate;
  lastMessageId: string;
  count: number;
}

export async function getDigestState(creditorId: string): Promise<DigestState | null> {
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: { pk: pk(creditorId), sk: 'DIGEST' }, ConsistentRead: true }));
  if (!out.Item) return null;
  const x = out.Item;
  return { lastUntil: x.lastUntil, lastAsOf: x.lastAsOf, lastMessageId: x.lastMessageId ?? '', count: x.count ?? 0 };
}

/**
 * Records a digest sent, unless a later one was recorded meanwhile (two sends racing: the later
 * `until` wins, so the next period never starts before a digest already sent).
 */
export async function saveDigestState(creditorId: string, s: DigestState): Promise<boolean> {
  return conditionalPutDocument({
    Item: { pk: pk(creditorId), sk: 'DIGEST', ...s },
    ConditionExpression: 'attribute_not_exists(lastUntil) OR lastUntil < :until',
    ExpressionAttributeValues: { ':until': s.lastUntil },
  });
}

export interface DigestJob {
  creditorId: string;
  asOf: IsoDate;
  scheduledAt: IsoInstant;
  status: 'due' | 'sent' | 'skipped' | 'failed';
  messageId?: string;
  reason?: string;
}

export const DIGEST_JOB_PREFIX = 'DIGEST#';

/** The day's job for a creditor, unless it exists; false when it did (a retried fan-out). */
export async function putDigestJob(job: DigestJob): Promise<boolean> {
  return conditionalPutDocument({
    Item: { pk: pk(job.creditorId), sk: `${DIGEST_JOB_PREFIX}${job.asOf}`, ...job },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

export async function getDigestJob(creditorId: string, asOf: IsoDate): Promise<DigestJob | null> {
  const out = await dynamodbDocuments().send(
    new GetCommand({ TableName: settings.tableName(), Key: { pk: pk(creditorId), sk: `${DIGEST_JOB_PREFIX}${asOf}` }, ConsistentRead: true }),
  );
  return out.Item ? (out.Item as DigestJob) : null;
}

/** Closes a due job (sent, skipped or failed); false when it was no longer due. */
export async function closeDigestJob(creditorId: string, asOf: IsoDate, status: DigestJob['status'], extra: { messageId?: string; reason?: string }): Promise<boolean> {
  const values: Record<string, unknown> = { ':status': status, ':due': 'due' };
  let set = '#status = :status';
  if (extra.messageId) {
    set += ', messageId = :m';
    values[':m'] = extra.messageId;
  }
  if (extra.reason) {
    set += ', reason = :r';
    values[':r'] = extra.reason;
  }
  return conditionalUpdateDocument({
    Key: { pk: pk(creditorId), sk: `${DIGEST_JOB_PREFIX}${asOf}` },
    UpdateExpression: `SET ${set}`,
    ConditionExpression: '#status = :due',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: values,
  });
}

// --- immediate alerts -----------------------------------------------------------------------------

export interface AlertRecord {
  creditorId: string;
  dossierId: string;
  /** Position of the history entry (0-based) and its instant: what the alert is about. */
  seq: number;
  at: IsoInstant;
  kind: string;
  status: 'pending' | 'sent' | 'deferred' | 'skipped';
  messageId?: string;
  evidenceKey?: string;
  reason?: string;
}

const alertSk = (a: Pick<AlertRecord, 'at' | 'dossierId' | 'seq'>) => `ALERT#${a.at}#${a.dossierId}#${String(a.seq).padStart(6, '0')}`;

/** Creates the alert's record unless it exists; returns the stored record (new or existing). */
export async function claimAlert(a: AlertRecord): Promise<{ created: boolean; record: AlertRecord }> {
  const created = await conditionalPutDocument({
    Item: { pk: pk(a.creditorId), sk: alertSk(a), ...a },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
  if (created) return { created, record: a };
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: { pk: pk(a.creditorId), sk: alertSk(a) }, ConsistentRead: true }));
  const { pk: _p, sk: _s, ...record } = out.Item!;
  return { created, record: record as AlertRecord };
}

export async function saveAlert(a: AlertRecord): Promise<void> {
  await dynamodbDocuments().send(new PutCommand({ TableName: settings.tableName(), Item: { pk: pk(a.creditorId), sk: alertSk(a), ...a } }));
}

/**
 * Takes one of the hour's alert slots: an atomic counter per creditor and clock hour (UTC),
 * incremented only while below the limit. False when the hour's limit is reached.
 */
export async function takeAlertSlot(creditorId: string, hour: string, limit: number): Promise<boolean> {
  try {
    await dynamodbDocuments().send(
      new UpdateCommand({
        TableName: settings.tableName(),
        Key: { pk: pk(creditorId), sk: `ALERTS#${hour}` },
        UpdateExpression: 'ADD sent :one',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        ExpressionAttributeValues: { ':one': 1, ':limit': limit },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

/** Alerts deferred by the hourly limit whose history entry falls in (since, until] ("~" sorts after any dossier id). */
export async function deferredAlerts(creditorId: string, since: IsoInstant, until: IsoInstant): Promise<DeferredAlert[]> {
  const found: DeferredAlert[] = [];
  for await (const x of queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    FilterExpression: '#status = :deferred',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': `C#${creditorId}`, ':from': `ALERT#${since}#~`, ':to': `ALERT#${until}#~`, ':deferred': 'deferred' },
  })) {
    found.push({ dossierId: x.dossierId, kind: x.kind, at: x.at });
  }
  return found;
}
