/**
 * Events out, from the history entries a change appended (lambdas/events-out.ts feeds it from the
 * table's stream): each event goes on the default EventBridge bus (source "amiable") and, for each
 * of the creditor's webhooks subscribed to its detail-type, becomes a delivery (its own item, then
 * a message on the delivery queue; lambdas/webhook-delivery.ts posts it).
 *
 * At least once, never lost: a failure throws, and the stream retries the record (then its
 * dead-letter queue keeps it). A retry publishes on the bus again (subscribers key on
 * detail.eventId) but records no delivery twice (a conditional put per webhook and event); a
 * delivery recorded whose message was never sent (a crash between the two) is sent on the retry.
 */
import { BUS_PUBLISHED_ELSEWHERE, EVENT_SOURCE, type OutgoingEvent } from '../domain/dossier-events';
import { sha256Hex } from '../domain/identity';
import { subscribes } from '../domain/webhooks';
import { requireEnv } from '../adapters/env';
import { putEvents } from '../adapters/events';
import { sendMessage } from '../adapters/queue';
import { deliverySk, getDelivery, listWebhooks, putDelivery, type Delivery } from '../adapters/webhook-store';

export interface DeliveryMessage {
  webhookId: string;
  sk: string;
}

/** The body every webhook receives for an event (signed as sent: docs/events.md). */
export function webhookPayload(e: OutgoingEvent): string {
  return JSON.stringify({ id: e.detail.eventId, source: EVENT_SOURCE, 'detail-type': e.detailType, time: e.detail.at, detail: e.detail });
}

export async function publishEvents(events: readonly OutgoingEvent[], now: Date): Promise<{ published: number; deliveries: number }> {
  if (events.length === 0) return { published: 0, deliveries: 0 };
  const bus = events.filter((e) => !BUS_PUBLISHED_ELSEWHERE.has(e.detailType));
  if (bus.length) await putEvents(bus.map((e) => ({ detailType: e.detailType, detail: e.detail, time: new Date(e.detail.at) })));

  let deliveries = 0;
  const creditors = [...new Set(events.map((e) => e.detail.creditorId))];
  for (const creditorId of creditors) {
    const hooks = await listWebhooks(creditorId);
    if (hooks.length === 0) continue;
    for (const e of events.filter((x) => x.detail.creditorId === creditorId)) {
      for (const hook of hooks.filter((h) => subscribes(h.events, e.detailType))) {
        const sk = deliverySk(e.detail.at, e.detail.eventId);
        const delivery: Delivery = {
          deliveryId: `dlv_${sha256Hex(`${hook.webhookId}:${e.detail.eventId}`).slice(0, 24)}`,
          webhookId: hook.webhookId,
          creditorId,
          eventId: e.detail.eventId,
          detailType: e.detailType,
          payload: webhookPayload(e),
          status: 'pending',
          attempts: [],
          createdAt: now.toISOString(),
          sk,
        };
        const created = await putDelivery(delivery);
        const existing = created ? null : await getDelivery(hook.webhookId, sk);
        if (created || (existing?.status === 'pending' && existing.attempts.length === 0)) {
          await sendMessage(requireEnv('WEBHOOK_QUEUE_URL'), { webhookId: hook.webhookId, sk } satisfies DeliveryMessage);
          deliveries++;
        }
      }
    }
  }
  return { published: bus.length, deliveries };
}
