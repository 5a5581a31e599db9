import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { clock } from './adapters/clock';
import { attemptDelivery } from './services/webhook-delivery';

/**
 * The webhook delivery queue -> one attempt per message (services/webhook-delivery.ts). A message
 * whose attempt could not even be recorded (the table unreachable) is reported as a batch item
 * failure: SQS makes it visible again, and after maxReceiveCount moves it to the dead-letter queue.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const msg = JSON.parse(record.body) as { webhookId?: unknown; sk?: unknown };
      if (typeof msg.webhookId !== 'string' || typeof msg.sk !== 'string') {
        console.error(JSON.stringify({ level: 'error', msg: 'webhook delivery: malformed message dropped', body: record.body.slice(0, 300) }));
        continue;
      }
      await attemptDelivery({ webhookId: msg.webhookId, sk: msg.sk }, clock().now());
    } catch (e) {
      console.error(JSON.stringify({ level: 'error', msg: 'webhook delivery failed', messageId: record.messageId, error: String((e as Error)?.message ?? e) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
