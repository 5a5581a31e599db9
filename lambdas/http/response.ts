import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DomainError, ErrorDetail, forbidden } from '../domain/errors';
import { KEY_ROLES, type KeyRole } from '../domain/model';
import { API_ROUTES, bodyLimitOf, findRoute, type ApiRoute } from './routes';
import { log } from '../adapters/telemetry';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** 204: done, nothing to say (no body). */
export function noContent(): APIGatewayProxyResult {
  const { 'content-type': _c, ...headers } = JSON_HEADERS;
  return { statusCode: 204, headers, body: '' };
}

export function errorResponse(status: number, code: string, message: string, details: ErrorDetail[] = []) {
  return json(status, { error: { code, message, details } });
}

/** The request body's exact bytes (what the client sent, kept as evidence at intake). */
export function rawBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/**
 * Parses the JSON body; a malformed body is a 400 in the contract's format. A missing body is `{}`
 * on an action route (a resource with a path parameter: it acts on something that exists, e.g.
 * POST /invoices/{id}/resume), so its own validation names what is missing; on a creation route
 * (POST /invoices) it is a 400 malformed_json.
 */
export function parseBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'> & { resource?: string }): unknown {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === null || raw === undefined || raw.trim() === '') {
    if (isActionRoute(event.resource)) return {};
    throw new DomainError(400, 'malformed_json', 'Request body must be a JSON object.', [
      { path: '', message: 'body is empty' },
    ]);
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new DomainError(400, 'malformed_json', 'Request body is not valid JSON.', [
      { path: '', message: (e as Error).message },
    ]);
  }
}

function isActionRoute(resource: string | undefined): boolean {
  return typeof resource === 'string' && /\{[^}]+\}/.test(resource);
}

/** The creditor the authorizer resolved from x-api-key (tenant isolation starts here). */
export function creditorOf(event: APIGatewayProxyEvent): string {
  const id = event.requestContext?.authorizer?.creditorId;
  if (typeof id !== 'string' || !id) throw new DomainError(401, 'unauthorized', 'Missing or unknown API key (header x-api-key).');
  return id;
}

/** The role of the caller's API key, from the authorizer's context (the authorizer reads a key stored before roles as an operator). */
export function roleOf(event: APIGatewayProxyEvent): KeyRole | null {
  const role = event.requestContext?.authorizer?.role;
  return (KEY_ROLES as readonly unknown[]).includes(role) ? (role as KeyRole) : null;
}

/**
 * The access check, in one place for every route handler, on AWS and locally alike: the route's
 * row in the table (lambdas/http/routes.ts) is found from the event's resource and method, then
 * - a creditor route needs the authorizer's creditor (401) and a role allowed for its access: an
 *   `auditor` key calling a `write` route answers 403 forbidden before any work (its creditor and
 *   the path's ids are not looked at, so a 403 tells nothing about another creditor's data);
 * - an admin route (`auth: 'admin'`) is IAM-authorized by API Gateway (SigV4): the event carries
 *   the caller's IAM identity and no creditor. A request authorized by a creditor key never passes
 *   (403), so a deployment where the admin routes were left on the key authorizer stays closed.
 *   Local mode's front checks x-admin-key and sets a local IAM-like identity.
 * Returns the route's row, looked up among `rows` (the whole table, or a handler's own rows).
 */
function checkAccess(event: APIGatewayProxyEvent, rows: readonly ApiRoute[]): ApiRoute {
  const row = findRoute(event.httpMethod ?? '', event.resource ?? '', rows);
  if (!row) throw new DomainError(404, 'not_found', 'No such route.');
  const authorizer = event.requestContext?.authorizer;
  if (row.auth === 'admin') {
    const caller = event.requestContext?.identity?.userArn;
    if (authorizer?.creditorId || typeof caller !== 'string' || !caller) {
      throw forbidden('Admin routes are authorized with IAM (SigV4 signed requests), not with an API key.');
    }
    return row;
  }
  creditorOf(event);
  const role = roleOf(event);
  if (!role) throw forbidden('This API key has no valid role.');
  if (row.access === 'write' && role !== 'operator') {
    throw forbidden(`This API key's role (${role}) may only read: ${row.method} ${row.path} changes data.`);
  }
  return row;
}

/** 413 payload_too_large, in the contract's error format (the local front answers the same). */
export function payloadTooLarge(limit: number): DomainError {
  return new DomainError(413, 'payload_too_large', `Request body exceeds ${limit} bytes.`, [
    { path: '', message: `the body of this route may not exceed ${limit} bytes` },
  ]);
}

/** The byte size of the request body (decoded when API Gateway base64-encoded it). */
export function bodyBytes(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): number {
  if (!event.body) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body, 'utf8');
}

/**
 * The route's body limit (routes.ts bodyLimitOf), before any other work: API Gateway's own limit
 * (10 MB) is above what a Lambda invocation can carry, so the handler is where it is enforced.
 */
function checkBodySize(event: APIGatewayProxyEvent, rows: readonly ApiRoute[]): void {
  const limit = bodyLimitOf(findRoute(event.httpMethod ?? '', event.resource ?? '', rows));
  if (bodyBytes(event) > limit) throw payloadTooLarge(limit);
}

/**
 * Wraps a route: the body size, then the access check (checkAccess), then the handler; domain
 * errors become their status; anything else is a logged 500.
 */
export function route(fn: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>) {
  return routeIn(API_ROUTES, fn);
}

/** route() against a handler's own rows of the table (routes.ts), for a function that serves only those. */
export function routeIn(rows: readonly ApiRoute[], fn: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      checkBodySize(event, rows);
      checkAccess(event, rows);
      return await fn(event);
    } catch (e) {
      if (e instanceof DomainError) return errorResponse(e.status, e.code, e.message, e.details);
      log.error('unhandled', { error: String((e as Error)?.stack ?? e) });
      return errorResponse(500, 'internal', 'Internal error.');
    }
  };
}
