/**
 * The items that let SES events find their way back, in the dossier table:
 *   - message index   pk "M#<sesMessageId>", sk "MESSAGE": which dossier a sent message belongs to
 *                     and which of its SES events are recorded, written by its first event (a send
 *                     writes nothing after SES: events find the dossier by the message's SES tags);
 *   - e-mail pause    pk "C#<creditorId>",   sk "DEBTOR#<debtorKey>": automatic e-mail to that
 *                     debtor is paused (hard bounce, complaint).
 * Neither carries `nextActionAt`, so neither appears in the per-creditor due index.
 */
import { DeleteItemCommand, GetItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DebtorKey, EmailSuppression } from '../domain/debtor-key';
import type { SentMessage } from '../domain/dossier-delivery';
import * as clients from './clients/dynamodb';
import { conditionalPut } from './conditional-put';
import { settings } from './env';

const messageKey = (messageId: string) => ({ pk: { S: `M#${messageId}` }, sk: { S: 'MESSAGE' } });
const debtorItemKey = (creditorId: string, key: DebtorKey) => ({ pk: { S: `C#${creditorId}` }, sk: { S: `DEBTOR#${key}` } });

export async function getSentMessage(messageId: string): Promise<SentMessage | null> {
  const out = await clients.dynamodb().send(
    new GetItemCommand({ TableName: settings.tableName(), Key: messageKey(messageId), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const { pk: _pk, sk: _sk, recordedEventIds, ...rest } = unmarshall(out.Item);
  return { ...(rest as SentMessage), ...(recordedEventIds ? { recordedEventIds: [...(recordedEventIds as Set<string>)] } : {}) };
}

/**
 * Notes SES events as recorded on the message's dossier (a string set: adding twice is harmless),
 * creating the message's index item with the first of them (what the message is never changes, so
 * if_not_exists keeps the first writer's). Written after the dossier: a crash in between leaves the
 * event in the dossier's recent history, which is where a quick redelivery is recognised.
 */
export async function markEventsRecorded(message: SentMessage, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  const { messageId: _id, recordedEventIds: _r, ...fields } = message;
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined && v !== '');
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = { ':ids': { SS: eventIds } };
  const set = entries.map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = marshall({ v: value }).v;
    return `#f${i} = if_not_exists(#f${i}, :f${i})`;
  });
  await clients.dynamodb().send(
    new UpdateItemCommand({
      TableName: settings.tableName(),
      Key: messageKey(message.messageId),
      UpdateExpression: `${set.length ? `SET ${set.join(', ')} ` : ''}ADD recordedEventIds :ids`,
      ...(set.length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    }),
  );
}

export async function getEmailSuppression(creditorId: string, key: DebtorKey): Promise<EmailSuppression | null> {
  const out = await clients.dynamodb().send(
    new GetItemCommand({ TableName: settings.tableName(), Key: debtorItemKey(creditorId, key), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const item = unmarshall(out.Item);
  if (item.emailPaused !== true) return null;
  const { pk: _pk, sk: _sk, emailPaused: _p, ...rest } = item;
  return rest as EmailSuppression;
}

/**
 * Pauses automatic e-mail to the debtor. The first pause is kept (its `since` and address): a
 * redelivered or later event does not overwrite it. Returns false when a pause already existed.
 */
export async function putEmailSuppression(creditorId: string, s: EmailSuppression): Promise<boolean> {
  return conditionalPut({
    Item: marshall(
      { pk: `C#${creditorId}`, sk: `DEBTOR#${s.debtorKey}`, emailPaused: true, ...s },
      { removeUndefinedValues: true },
    ),
    ConditionExpression: 'attribute_not_exists(pk) OR emailPaused <> :true',
    ExpressionAttributeValues: { ':true': { BOOL: true } },
  });
}

/** Lifts the pause (a person corrected the address). Missing: nothing to do. */
export async function deleteEmailSuppression(creditorId: string, key: DebtorKey): Promise<void> {
  await clients.dynamodb().send(new DeleteItemCommand({ TableName: settings.tableName(), Key: debtorItemKey(creditorId, key) }));
}
