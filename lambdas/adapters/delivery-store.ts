/**
 * The items that let SES events find their way back, in the dossier table:
 *   - message index   pk "M#<sesMessageId>", sk "MESSAGE": which dossier a sent message belongs to
 *                     and which of its SES events are recorded, written by its first event (a send
 *                     writes nothing after SES: events find the dossier by the message's SES tags);
 *   - e-mail pause    pk "C#<creditorId>",   sk "DEBTOR#<debtorKey>": automatic e-mail to that
 *                     debtor is paused (hard bounce, complaint).
 * Neither carries `nextActionAt`, so neither appears in the per-creditor due index.
 */
import { BatchGetCommand, DeleteCommand, GetCommand, UpdateCommand } from './clients/dynamodb-documents';
import type { DebtorKey, EmailSuppression } from '../domain/debtor-key';
import type { SentMessage } from '../domain/dossier-delivery';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { conditionalPutDocument } from './conditional-put';
import { settings } from './env';

const messageKey = (messageId: string) => ({ pk: `M#${messageId}`, sk: 'MESSAGE' });
const debtorItemKey = (creditorId: string, key: DebtorKey) => ({ pk: `C#${creditorId}`, sk: `DEBTOR#${key}` });

export async function getSentMessage(messageId: string): Promise<SentMessage | null> {
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: messageKey(messageId), ConsistentRead: true }));
  if (!out.Item) return null;
  const { pk: _pk, sk: _sk, recordedEventIds, ...rest } = out.Item;
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
  // A Set is written as a string set (SS), what ADD needs.
  const values: Record<string, unknown> = { ':ids': new Set(eventIds) };
  const set = entries.map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    return `#f${i} = if_not_exists(#f${i}, :f${i})`;
  });
  await dynamodbDocuments().send(
    new UpdateCommand({
      TableName: settings.tableName(),
      Key: messageKey(message.messageId),
      UpdateExpression: `${set.length ? `SET ${set.join(', ')} ` : ''}ADD recordedEventIds :ids`,
      ...(set.length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    }),
  );
}

export async function getEmailSuppression(creditorId: string, key: DebtorKey): Promise<EmailSuppression | null> {
  const out = await dynamodbDocuments().send(
    new GetCommand({ TableName: settings.tableName(), Key: debtorItemKey(creditorId, key), ConsistentRead: true }),
  );
  return suppressionOf(out.Item);
}

function suppressionOf(item: Record<string, unknown> | undefined): EmailSuppression | null {
  if (!item || item.emailPaused !== true) return null;
  const { pk: _pk, sk: _sk, emailPaused: _p, ...rest } = item;
  return rest as unknown as EmailSuppression;
}

/**
 * The pause, and another item of the table read in the same request (one BatchGetItem, both
 * consistent: what a send needs before it records, issue 15: one read per send). A key the
 * store left unprocessed (throttling) is read again for the pause, and left out for the other.
 */
export async function getEmailSuppressionWith(
  creditorId: string,
  key: DebtorKey,
  also: { pk: string; sk: string },
): Promise<{ suppression: EmailSuppression | null; also: Record<string, unknown> | undefined }> {
  const pause = debtorItemKey(creditorId, key);
  const table = settings.tableName();
  const out = await dynamodbDocuments().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [pause, also], ConsistentRead: true } } }));
  const found = out.Responses?.[table] ?? [];
  const at = (k: { pk: string; sk: string }) => found.find((item) => item.pk === k.pk && item.sk === k.sk);
  const unprocessed = out.UnprocessedKeys?.[table]?.Keys ?? [];
  const pauseRead = !unprocessed.some((k) => k.pk === pause.pk && k.sk === pause.sk);
  return { suppression: pauseRead ? suppressionOf(at(pause)) : await getEmailSuppression(creditorId, key), also: at(also) };
}

/**
 * Pauses automatic e-mail to the debtor. The first pause is kept (its `since` and address): a
 * redelivered or later event does not overwrite it. Returns false when a pause already existed.
 */
export async function putEmailSuppression(creditorId: string, s: EmailSuppression): Promise<boolean> {
  return conditionalPutDocument({
    Item: { ...debtorItemKey(creditorId, s.debtorKey), emailPaused: true, ...s },
    ConditionExpression: 'attribute_not_exists(pk) OR emailPaused <> :true',
    ExpressionAttributeValues: { ':true': true },
  });
}

/** Lifts the pause (a person corrected the address). Missing: nothing to do. */
export async function deleteEmailSuppression(creditorId: string, key: DebtorKey): Promise<void> {
  await dynamodbDocuments().send(new DeleteCommand({ TableName: settings.tableName(), Key: debtorItemKey(creditorId, key) }));
}
