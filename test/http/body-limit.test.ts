import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { route } from '../../lambdas/http/response';
import { API_ROUTES, bodyLimitOf, DOCUMENT_BODY_LIMIT, JSON_BODY_LIMIT } from '../../lambdas/http/routes';

/** The handler wrapper enforces the body limit itself (on AWS, API Gateway lets up to 10 MB through). */
describe('request body limits (handler layer)', () => {
  let ran = 0;
  const handler = route(async () => {
    ran++;
    return { statusCode: 200, body: '{}' };
  });
  const event = (resource: string, body: string, isBase64Encoded = false) =>
    ({
      resource,
      httpMethod: 'POST',
      body,
      isBase64Encoded,
      requestContext: { authorizer: { creditorId: 'c', role: 'operator' } },
    }) as unknown as APIGatewayProxyEvent;

  it('answers 413 payload_too_large in the error format before the access check or any work', async () => {
    const r = await handler({ ...event('/invoices', 'x'.repeat(JSON_BODY_LIMIT + 1)), requestContext: {} } as APIGatewayProxyEvent);
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('payload_too_large');
    expect(ran).toBe(0);
    // Bytes, not characters: 1 MiB of 2-byte characters is over.
    expect((await handler(event('/invoices', 'é'.repeat(JSON_BODY_LIMIT / 2 + 1)))).statusCode).toBe(413);
    expect((await handler(event('/invoices', 'x'.repeat(JSON_BODY_LIMIT)))).statusCode).toBe(200);
    expect(ran).toBe(1);
  });

  it('measures a base64-encoded body decoded, and gives the document route its own limit', async () => {
    const decodedOver = Buffer.alloc(JSON_BODY_LIMIT + 1).toString('base64');
    expect((await handler(event('/invoices', decodedOver, true))).statusCode).toBe(413);
    const acceptance = '/invoices/{id}/payment-plan/acceptance';
    expect((await handler(event(acceptance, 'x'.repeat(JSON_BODY_LIMIT + 1)))).statusCode).toBe(200);
    expect((await handler(event(acceptance, 'x'.repeat(DOCUMENT_BODY_LIMIT + 1)))).statusCode).toBe(413);
  });

  it('keeps every limit under what a Lambda invocation can carry (6 MB, event envelope included)', () => {
    for (const r of API_ROUTES) expect(bodyLimitOf(r), `${r.method} ${r.path}`).toBeLessThanOrEqual(6 * 1024 * 1024 - 64 * 1024);
  });
});
