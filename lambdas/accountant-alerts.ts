import type { DynamoDBStreamEvent } from 'aws-lambda';
import { clock } from './adapters/clock';
import { fromItem } from './adapters/dossier-store';
import { alertOnChange, type AlertOutcome } from './services/accountant-alerts';

/**
 * The table's stream (dossier items only, by the event source's filter) -> immediate alerts to the
 * accountants for the history entries each change appended. A failure throws: the stream retries
 * the batch (bisected), then its dead-letter queue keeps the record; alerts already sent are not
 * sent again (one claim per history entry).
 */
export async function handler(event: DynamoDBStreamEvent): Promise<{ outcomes: AlertOutcome[] }> {
  const outcomes: AlertOutcome[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage as Record<string, any> | undefined;
    if (!image || image.sk?.S !== 'DOSSIER' || !image.pk?.S?.startsWith('D#')) continue;
    const before = record.dynamodb?.OldImage as Record<string, any> | undefined;
    const previousLength = before?.events?.L?.length ?? 0;
    const dossier = fromItem(image);
    if (dossier.events.length <= previousLength) continue;
    outcomes.push(...(await alertOnChange(dossier, previousLength, clock().now())));
  }
  return { outcomes };
}
