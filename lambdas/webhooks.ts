import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { clock } from './adapters/clock';
import { getWebhook, listDeliveries, listWebhooks, markWebhookDeleted, putWebhook, type Delivery, type Webhook } from './adapters/webhook-store';
import { conflict, DomainError, notFound } from './domain/errors';
import { base32 } from './domain/identity';
import { MAX_WEBHOOKS_PER_CREDITOR } from './domain/webhooks';
import { creditorOf, errorResponse, json, noContent, parseBody, route } from './http/response';
import { parseDeliveriesQuery, parseWebhookInput, WEBHOOK_ID } from './http/webhook-validation';

/**
 * The caller's webhooks (docs/events.md), routed by resource. Tenant isolation: every item is
 * read under the caller's creditor (from the authorizer), so another creditor's webhook is a 404.
 * - POST /webhooks {url, events}: 201 with the signing `secret`, shown this once only.
 * - GET /webhooks: 200 {items} (no secrets).
 * - DELETE /webhooks/{id}: 204; deliveries not yet made are cancelled.
 * - GET /webhooks/{id}/deliveries?limit=&cursor=: 200 {items, nextCursor}, newest first.
 */
export const handler = route(async (event: APIGatewayProxyEvent) => {
  const creditorId = creditorOf(event);
  const key = `${event.httpMethod} ${event.resource}`;
  switch (key) {
    case 'POST /webhooks': {
      const input = parseWebhookInput(parseBody(event));
      if ((await listWebhooks(creditorId)).length >= MAX_WEBHOOKS_PER_CREDITOR) {
        throw conflict(`A creditor may register at most ${MAX_WEBHOOKS_PER_CREDITOR} webhooks; delete one first.`);
      }
      const webhook: Webhook = {
        webhookId: `whk_${base32(randomBytes(17)).slice(0, 26)}`,
        creditorId,
        url: input.url,
        events: input.events,
        secret: `whsec_${randomBytes(32).toString('base64url')}`,
        createdAt: clock().now().toISOString(),
      };
      await putWebhook(webhook);
      return json(201, { ...view(webhook), secret: webhook.secret });
    }
    case 'GET /webhooks':
      return json(200, { items: (await listWebhooks(creditorId)).map(view) });
    case 'DELETE /webhooks/{id}': {
      const id = webhookIdOf(event);
      if (!(await markWebhookDeleted(creditorId, id, clock().now().toISOString()))) throw notFound('Webhook');
      return noContent();
    }
    case 'GET /webhooks/{id}/deliveries': {
      const page = parseDeliveriesQuery(event.queryStringParameters);
      const id = webhookIdOf(event);
      const hook = await getWebhook(creditorId, id);
      if (!hook || hook.deletedAt) throw notFound('Webhook');
      const out = await listDeliveries(id, page.limit, page.cursor);
      return json(200, { items: out.items.map(deliveryView), nextCursor: out.nextCursor });
    }
    default:
      return errorResponse(404, 'not_found', 'No such route.');
  }
});

function webhookIdOf(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (!WEBHOOK_ID.test(id)) throw new DomainError(404, 'not_found', 'Webhook not found');
  return id;
}

function view(w: Webhook) {
  return { id: w.webhookId, url: w.url, events: w.events, createdAt: w.createdAt };
}

function deliveryView(d: Delivery) {
  return {
    id: d.deliveryId,
    eventId: d.eventId,
    detailType: d.detailType,
    status: d.status,
    createdAt: d.createdAt,
    ...(d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt } : {}),
    attempts: d.attempts,
    payload: JSON.parse(d.payload),
  };
}
