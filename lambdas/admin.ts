import type { APIGatewayProxyEvent } from 'aws-lambda';
import { errorResponse, json, noContent, parseBody, route } from './http/response';
import { creditorIdParam, keyIdParam, parseKeyRequest, parsePageQuery } from './http/admin-validation';
import { parseCreditorProfile } from './http/creditor-profile-schema';
import {
  createCreditorWithKey,
  createKeyFor,
  getCreditorView,
  listCreditorViews,
  listKeysOf,
  replaceCreditor,
  revokeKey,
} from './services/admin';
import { log } from './adapters/telemetry';

/**
 * Admin API: creditors and their API keys, routed by method and resource.
 *
 * Authorization: these routes are IAM-authorized by API Gateway (SigV4-signed requests; the
 * caller needs execute-api:Invoke on them), not by the x-api-key authorizer — so this handler needs
 * no key of its own. The wrapper's access check (http/response.ts) refuses any request that carries
 * a creditor's authorizer context or no IAM caller. Locally the front authorizes them with the
 * x-admin-key header. Each call is logged with the caller's ARN.
 *
 * - POST /admin/creditors: 201 { creditor, createdAt, updatedAt, apiKey: { keyId, key, role, label, createdAt } }; 400; 409 id exists.
 * - GET /admin/creditors[?limit=&cursor=]: 200 { items, nextCursor }.
 * - GET /admin/creditors/{id}: 200 { creditor, createdAt, updatedAt }; 404.
 * - PUT /admin/creditors/{id}: 200 { creditor, createdAt, updatedAt }; 400; 404.
 * - POST /admin/creditors/{id}/keys { role, label }: 201 { keyId, key, role, label, createdAt }; 404.
 * - GET /admin/creditors/{id}/keys: 200 { items: [{ keyId, label, role, createdAt }] } (no secrets).
 * - DELETE /admin/creditors/{id}/keys/{keyId}: 204; 404.
 */
export const handler = route(async (event: APIGatewayProxyEvent) => {
  const action = `${event.httpMethod} ${event.resource}`;
  log.info('admin', { action, caller: event.requestContext?.identity?.userArn, creditorId: event.pathParameters?.id });
  switch (action) {
    case 'POST /admin/creditors':
      return json(201, await createCreditorWithKey(parseCreditorProfile(parseBody(event))));
    case 'GET /admin/creditors': {
      const { limit, cursor } = parsePageQuery(event.queryStringParameters);
      return json(200, await listCreditorViews(limit, cursor));
    }
    case 'GET /admin/creditors/{id}':
      return json(200, await getCreditorView(creditorIdParam(event.pathParameters?.id)));
    case 'PUT /admin/creditors/{id}': {
      const id = creditorIdParam(event.pathParameters?.id);
      const body = parseBody(event);
      // The id may be left out of the body: it is the path's.
      const profile = parseCreditorProfile(body && typeof body === 'object' && !Array.isArray(body) && !('id' in body) ? { ...body, id } : body);
      return json(200, await replaceCreditor(id, profile));
    }
    case 'POST /admin/creditors/{id}/keys': {
      const id = creditorIdParam(event.pathParameters?.id);
      return json(201, await createKeyFor(id, parseKeyRequest(parseBody(event))));
    }
    case 'GET /admin/creditors/{id}/keys':
      return json(200, await listKeysOf(creditorIdParam(event.pathParameters?.id)));
    case 'DELETE /admin/creditors/{id}/keys/{keyId}':
      await revokeKey(creditorIdParam(event.pathParameters?.id), keyIdParam(event.pathParameters?.keyId));
      return noContent();
    default:
      return errorResponse(404, 'not_found', 'No such route.');
  }
});
