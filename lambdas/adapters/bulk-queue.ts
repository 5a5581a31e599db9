/**
 * The bulk-intake queue (lib/bulk-intake.ts): POST /invoices/batch puts one message per dossier
 * whose first execution is to be started; lambdas/start-workflows.ts consumes them. The endpoint
 * comes from AWS_ENDPOINT_URL_SQS like every other client (local mode: local/sqs.ts).
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { requireEnv } from './env';

let sqs: SQSClient | undefined;

function client(): SQSClient {
  // The endpoint is the client's (AWS_ENDPOINT_URL_SQS, else the Region's), not the queue URL's
  // host: the same on AWS, and what lets local mode point it at its own queue.
  return (sqs ??= new SQSClient({ useQueueUrlAsEndpoint: false }));
}

/** Composition root only (local mode re-points endpoints when it restarts in one process). */
export function resetQueueClient(): void {
  sqs?.destroy();
  sqs = undefined;
}

/** SendMessageBatch takes at most 10 entries (SQS quota). */
export const SQS_BATCH_ENTRIES = 10;

export interface StartMessage {
  dossierId: string;
}

/**
 * Queues the start of each dossier's workflow. Returns the ids that could not be queued after a
 * few attempts (entries SQS refused, or a request that kept failing): their dossiers keep their
 * `pendingStart` marker and the caller reports them as failed, to be sent again.
 */
export async function queueWorkflowStarts(dossierIds: readonly string[]): Promise<Set<string>> {
  const queueUrl = requireEnv('BULK_START_QUEUE_URL');
  const failed = new Set<string>();
  for (let i = 0; i < dossierIds.length; i += SQS_BATCH_ENTRIES) {
    let pending = dossierIds.slice(i, i + SQS_BATCH_ENTRIES);
    for (let attempt = 0; pending.length > 0 && attempt < 3; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      try {
        const out = await client().send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: pending.map((dossierId, n) => ({ Id: String(n), MessageBody: JSON.stringify({ dossierId } satisfies StartMessage) })),
          }),
        );
        const refused = new Set((out.Failed ?? []).map((f) => Number(f.Id)));
        pending = pending.filter((_, n) => refused.has(n));
      } catch (e) {
        console.error(JSON.stringify({ level: 'warn', msg: 'bulk queue: SendMessageBatch failed', attempt, error: String((e as Error)?.message ?? e) }));
      }
    }
    for (const id of pending) failed.add(id);
  }
  return failed;
}
