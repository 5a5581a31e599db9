import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { clock } from './adapters/clock';
import { historyOfItem } from './adapters/dossier-store';
import { appendedEntries, eventsFor, type OutgoingEvent } from './domain/dossier-events';
import { publishEvents } from './services/events-out';

/**
 * The events a stream record calls for (none for a record that is not a dossier item or appended
 * no entry that maps to an event). Pure: the event source's filter passes only changes that
 * appended an entry type with a detail-type (DETAIL_TYPE_OF), and
 * test/local/stream-filters.test.ts checks over real pipelines that no record it holds back would
 * have published anything.
 */
export function eventsOf(record: DynamoDBRecord): OutgoingEvent[] {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (!image || image.sk?.S !== 'DOSSIER' || !image.pk?.S?.startsWith('D#')) return [];
  const old = record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined;
  // Stream images are attribute maps: unmarshalled here, at the boundary. The history and the
  // identity only: the payments stay packed (historyOfItem).
  const after = historyOfItem(unmarshall(image));
  // Either shape: the whole history, or the window the item holds (history-window.ts).
  const before = old ? historyOfItem(unmarshall(old)) : undefined;
  const entries = appendedEntries(before ? { ...before, events: before.events ?? [] } : undefined, { ...after, events: after.events ?? [] });
  if (entries.length === 0) return [];
  return eventsFor({ id: after.id, creditorId: after.creditorId, invoiceNumber: after.invoice.invoiceNumber, status: after.status }, entries);
}

/**
 * The table's stream (dossier changes that appended an entry type with a detail-type, by the event
 * source's filter: lib/events-out.ts) -> events out: the history entries each change appended
 * become events on the bus and webhook deliveries (services/events-out.ts). Thin on purpose: it
 * only finds the appended entries (here, the tail of the dossier item's history; history kept in
 * items of its own would hand each new item's entry the same way) and the dossier's identity. A
 * failure throws: the stream retries, bisecting the batch, then its dead-letter queue keeps the
 * record.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<{ published: number; deliveries: number }> {
  // The whole batch's events at once, in record order: one PutEvents per 10 events and one read
  // of each creditor's webhooks per batch, where a call per record made ~7 reads per dossier
  // (issue 15). A failure still throws before the batch is done, and the retry publishes again
  // (subscribers key on detail.eventId; deliveries are recorded once: services/events-out.ts).
  return publishEvents(event.Records.flatMap(eventsOf), clock().now());
}
