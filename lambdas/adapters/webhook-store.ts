/**
 * Webhook registrations and their delivery log, in the dossier table:
 * - a registration: `C#<creditorId>` / `WH#<webhookId>` (url, events, secret, createdAt; deletedAt
 *   once deleted: deliveries stop, the item stays so a late retry finds it gone). The secret is
 *   kept in the table, under the table's encryption at rest (lib/dossier-table.ts), because it is
 *   needed to sign every delivery; it is returned once, at creation, never again.
 * - a delivery: `WH#<webhookId>` / `DLV#<event instant>#<eventId>`, one per event per webhook (a
 *   conditional put: a redelivered stream record creates none twice), with its attempts. The log of
 *   a webhook is one Query, newest first.
 */
import { GetCommand, QueryCommand, UpdateCommand } from './clients/dynamodb-documents';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { conditionalPutDocument, conditionalUpdateDocument } from './conditional-put';
import { decodeCursor, encodeCursor } from './cursor';
import { settings } from './env';

export interface Webhook {
  webhookId: string;
  creditorId: string;
  url: string;
  events: string[];
  secret: string;
  createdAt: string;
  deletedAt?: string;
}

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  error?: string;
  durationMs: number;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed' | 'cancelled';

export interface Delivery {
  deliveryId: string;
  webhookId: string;
  creditorId: string;
  eventId: string;
  detailType: string;
  /** The exact JSON body posted (the same bytes on every attempt; the signature covers them). */
  payload: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  createdAt: string;
  nextAttemptAt?: string;
  sk: string;
}

const webhookKey = (creditorId: string, webhookId: string) => ({ pk: `C#${creditorId}`, sk: `WH#${webhookId}` });

export async function putWebhook(w: Webhook): Promise<boolean> {
  return conditionalPutDocument({ Item: { pk: `C#${w.creditorId}`, sk: `WH#${w.webhookId}`, kind: 'webhook', ...w }, ConditionExpression: 'attribute_not_exists(pk)' });
}

/** The creditor's webhook (deleted ones included: callers decide), or null. Tenant isolation: the key holds the creditor. */
export async function getWebhook(creditorId: string, webhookId: string): Promise<Webhook | null> {
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: webhookKey(creditorId, webhookId), ConsistentRead: true }));
  return out.Item ? strip<Webhook>(out.Item) : null;
}

/** The creditor's live webhooks (a creditor has at most a few: one page). */
export async function listWebhooks(creditorId: string): Promise<Webhook[]> {
  const out = await dynamodbDocuments().send(
    new QueryCommand({
      TableName: settings.tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :wh)',
      ExpressionAttributeValues: { ':pk': `C#${creditorId}`, ':wh': 'WH#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => strip<Webhook>(i)).filter((w) => !w.deletedAt);
}

/** Marks the webhook deleted; false if it did not exist or was already deleted. */
export async function markWebhookDeleted(creditorId: string, webhookId: string, at: string): Promise<boolean> {
  return conditionalUpdateDocument({
    Key: webhookKey(creditorId, webhookId),
    UpdateExpression: 'SET deletedAt = :at',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
    ExpressionAttributeValues: { ':at': at },
  });
}

export const deliverySk = (eventAt: string, eventId: string) => `DLV#${eventAt}#${eventId}`;

/** Records a delivery to make; false when this event was already recorded for this webhook. */
export async function putDelivery(d: Delivery): Promise<boolean> {
  return conditionalPutDocument({ Item: { pk: `WH#${d.webhookId}`, ...d }, ConditionExpression: 'attribute_not_exists(pk)' });
}

export async function getDelivery(webhookId: string, sk: string): Promise<Delivery | null> {
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: { pk: `WH#${webhookId}`, sk }, ConsistentRead: true }));
  return out.Item ? strip<Delivery>(out.Item) : null;
}

/** Appends an attempt and sets the delivery's status (and when it is tried next, if it is). */
export async function recordAttempt(webhookId: string, sk: string, attempt: DeliveryAttempt, status: DeliveryStatus, nextAttemptAt?: string): Promise<void> {
  await dynamodbDocuments().send(
    new UpdateCommand({
      TableName: settings.tableName(),
      Key: { pk: `WH#${webhookId}`, sk },
      UpdateExpression: `SET attempts = list_append(if_not_exists(attempts, :none), :attempt), #status = :status${nextAttemptAt ? ', nextAttemptAt = :next' : ' REMOVE nextAttemptAt'}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':attempt': [attempt],
        ':none': [],
        ':status': status,
        ...(nextAttemptAt ? { ':next': nextAttemptAt } : {}),
      },
    }),
  );
}

export async function setDeliveryStatus(webhookId: string, sk: string, status: DeliveryStatus): Promise<void> {
  await dynamodbDocuments().send(
    new UpdateCommand({
      TableName: settings.tableName(),
      Key: { pk: `WH#${webhookId}`, sk },
      UpdateExpression: 'SET #status = :status REMOVE nextAttemptAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    }),
  );
}

/** One page of a webhook's delivery log, newest first. */
export async function listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<{ items: Delivery[]; nextCursor: string | null }> {
  const startKey = decodeCursor(cursor, { pk: `WH#${webhookId}`, sk: /^DLV#/ });
  const out = await dynamodbDocuments().send(
    new QueryCommand({
      TableName: settings.tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dlv)',
      ExpressionAttributeValues: { ':pk': `WH#${webhookId}`, ':dlv': 'DLV#' },
      ScanIndexForward: false,
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => strip<Delivery>(i)),
    nextCursor: out.LastEvaluatedKey ? encodeCursor({ pk: out.LastEvaluatedKey.pk, sk: out.LastEvaluatedKey.sk }) : null,
  };
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, kind: _k, ...rest } = item;
  return rest as T;
}
