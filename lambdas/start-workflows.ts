/**
 * The bulk-intake queue's consumer (lib/bulk-intake.ts): starts the first execution of each
 * dossier stored by POST /invoices/batch, paced under Step Functions' StartExecution quota.
 * Throttling that still happens (other starts of the account) is retried by the SDK with backoff
 * (AWS_RETRY_MODE / AWS_MAX_ATTEMPTS in the function's environment); a message that still fails
 * is reported alone (ReportBatchItemFailures), comes back after the visibility timeout, and after
 * maxReceiveCount receives lands in the dead-letter queue, its dossier still showing `pendingStart`.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { pacer } from './services/start-pacing';
import { startPendingWorkflow } from './services/workflow-start';

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const pace = pacer(Number(process.env.BULK_STARTS_PER_SECOND ?? '0'));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const { dossierId } = JSON.parse(record.body) as { dossierId?: unknown };
      if (typeof dossierId !== 'string' || !dossierId) throw new Error('message has no dossierId');
      await pace.next();
      const { outcome } = await startPendingWorkflow(dossierId);
      if (outcome === 'missing') console.warn(JSON.stringify({ level: 'warn', msg: 'bulk start: no such dossier', dossierId }));
    } catch (e) {
      console.error(JSON.stringify({ level: 'error', msg: 'bulk start failed; the message comes back', messageId: record.messageId, error: String((e as Error)?.message ?? e) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
