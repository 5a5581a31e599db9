/**
 * One delivery attempt of a webhook: sign the recorded payload, POST it, record the attempt; on a
 * failure, put the message back on the queue with the next delay of the schedule
 * (domain/webhooks.ts RETRY_DELAYS_SECONDS), or, after the last attempt, mark the delivery failed
 * and hand the message to the dead-letter queue. A deleted webhook's deliveries are cancelled.
 */
import { DELIVERY_TIMEOUT_MS, retryDelaySeconds, signPayload } from '../domain/webhooks';
import { requireEnv } from '../adapters/env';
import { sendMessage } from '../adapters/queue';
import { getDelivery, getWebhook, recordAttempt, setDeliveryStatus, type DeliveryStatus } from '../adapters/webhook-store';
import type { DeliveryMessage } from './events-out';

export interface DeliveryOutcome {
  webhookId: string;
  sk: string;
  status: DeliveryStatus | 'unknown' | 'already_done';
  httpStatus?: number;
}

export async function attemptDelivery(msg: DeliveryMessage, now: Date): Promise<DeliveryOutcome> {
  const d = await getDelivery(msg.webhookId, msg.sk);
  if (!d) return { ...msg, status: 'unknown' };
  if (d.status === 'delivered' || d.status === 'failed' || d.status === 'cancelled') return { ...msg, status: 'already_done' };
  const hook = await getWebhook(d.creditorId, d.webhookId);
  if (!hook || hook.deletedAt) {
    await setDeliveryStatus(d.webhookId, d.sk, 'cancelled');
    return { ...msg, status: 'cancelled' };
  }
  // The signature's timestamp is the wall clock, not the (possibly simulated) business clock: replay
  // protection is about when the bytes travel, and the receiver compares with its own clock.
  const t = Math.floor(Date.now() / 1000);
  const started = Date.now();
  let httpStatus: number | undefined;
  let error: string | undefined;
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Amiable-Webhooks/1',
        'amiable-signature': signPayload(hook.secret, t, d.payload),
        'amiable-event-id': d.eventId,
        'amiable-event-type': d.detailType,
        'amiable-delivery-id': d.deliveryId,
      },
      body: d.payload,
      // A redirect is not followed: the registered URL is the only one Amiable posts to.
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    httpStatus = res.status;
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) error = `answered ${res.status}`;
  } catch (e) {
    error = String((e as Error)?.cause ?? (e as Error)?.message ?? e).slice(0, 300);
  }
  const attempt = { at: now.toISOString(), ...(httpStatus !== undefined ? { status: httpStatus } : {}), ...(error ? { error } : {}), durationMs: Date.now() - started };
  if (!error) {
    await recordAttempt(d.webhookId, d.sk, attempt, 'delivered');
    return { ...msg, status: 'delivered', httpStatus };
  }
  const delay = retryDelaySeconds(d.attempts.length + 1);
  if (delay === null) {
    await recordAttempt(d.webhookId, d.sk, attempt, 'failed');
    await sendMessage(requireEnv('WEBHOOK_DLQ_URL'), { ...msg, eventId: d.eventId, reason: error });
    return { ...msg, status: 'failed', httpStatus };
  }
  await recordAttempt(d.webhookId, d.sk, attempt, 'retrying', new Date(now.getTime() + delay * 1000).toISOString());
  await sendMessage(requireEnv('WEBHOOK_QUEUE_URL'), msg, delay);
  return { ...msg, status: 'retrying', httpStatus };
}
