import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { clock } from './adapters/clock';
import { DIGEST_JOB_PREFIX } from './adapters/accountant-store';
import { fanOutDigests, runDigestJob, sendDigestsNow, type DigestOutcome } from './services/digest';
import { log } from './adapters/telemetry';

/** The schedule's input (lib/accountant-mail.ts). */
export interface ScheduledRun {
  source: 'amiable.digest-schedule';
}

/** A digest sent now (local mode's POST /_local/digest, or an operator invoking the function). */
export interface SendNow {
  action: 'send-now';
  creditorId?: string;
}

/**
 * The accountants' digest:
 * - from EventBridge Scheduler (every weekday 07:30 Europe/Paris): writes one job item per creditor
 *   whose digest is due today (daily/weekly/monthly on its holiday calendar);
 * - from the table's stream (new DIGEST#<date> job items only, by the event source's filter):
 *   builds, keeps and sends that creditor's digest, then closes the job. A failure throws, so the
 *   stream retries it, then its dead-letter queue keeps the record;
 * - { action: "send-now", creditorId? }: sends now and answers what was sent.
 */
export async function handler(event: ScheduledRun | SendNow | DynamoDBStreamEvent): Promise<unknown> {
  if ('Records' in event) {
    const outcomes: DigestOutcome[] = [];
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const job = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
      if (typeof job.sk !== 'string' || !job.sk.startsWith(DIGEST_JOB_PREFIX)) continue;
      outcomes.push(await runDigestJob(job.creditorId, job.asOf));
    }
    return { outcomes };
  }
  if ('action' in event && event.action === 'send-now') return { outcomes: await sendDigestsNow(event.creditorId, clock().now()) };
  const out = await fanOutDigests(clock().now());
  log.info('digest fan-out', { ...out });
  return out;
}
