import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { clock } from './adapters/clock';
import { fromItem, historyOfItem } from './adapters/dossier-store';
import { alertOnChange, type AlertOutcome } from './services/accountant-alerts';
import type { Dossier } from './domain/dossier';
import { heldEntries, historyLength } from './domain/history-window';

/**
 * The dossier with `events[i]` = entry i + 1 (what alertsFor reads). A change's new entries are
 * always held by the item (they are above the evidence head when written); older positions the
 * item does not hold are blanks, which no alert rule matches.
 */
function byPosition(d: Dossier): Dossier {
  const events: Dossier['events'] = Array.from({ length: historyLength(d) }, () => ({ type: '', at: '' }));
  for (const { seq, entry } of heldEntries(d)) events[seq - 1] = entry;
  return { ...d, events, eventSeqs: undefined, historyLength: undefined };
}

/**
 * The dossier change a stream record is, as alertsFor reads it (the dossier by position, and the
 * history length before the change), or null when the record is none of the alerts' business: not
 * a dossier item, or no entry appended. Pure: the event source's filter passes only changes that
 * appended an entry type alertsFor can alert on (ALERTING_MARKERS: a bounce only when hard), and
 * test/local/stream-filters.test.ts checks over real pipelines that no record it holds back would
 * have alerted.
 */
export function alertChangeOf(record: DynamoDBRecord): { dossier: Dossier; previousLength: number } | null {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (!image || image.sk?.S !== 'DOSSIER' || !image.pk?.S?.startsWith('D#')) return null;
  const before = record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined;
  // Stream images are attribute maps: unmarshalled here, at the boundary. Positions, not list
  // lengths: the item may hold only a window of the history (history-window.ts).
  const previousLength = before ? historyLength(historyOfItem(unmarshall(before))) : 0;
  const dossier = fromItem(unmarshall(image));
  if (historyLength(dossier) <= previousLength) return null;
  return { dossier: byPosition(dossier), previousLength };
}

/**
 * The table's stream (dossier changes that appended an alert-worthy entry type, by the event
 * source's filter: lib/accountant-mail.ts) -> immediate alerts to the accountants for the history
 * entries each change appended. A failure throws: the stream retries the batch (bisected), then its
 * dead-letter queue keeps the record; alerts already sent are not sent again (one claim per
 * history entry).
 */
export async function handler(event: DynamoDBStreamEvent): Promise<{ outcomes: AlertOutcome[] }> {
  const outcomes: AlertOutcome[] = [];
  for (const record of event.Records) {
    const change = alertChangeOf(record);
    if (!change) continue;
    outcomes.push(...(await alertOnChange(change.dossier, change.previousLength, clock().now())));
  }
  return { outcomes };
}
