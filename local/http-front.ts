/**
 * The local stand-in for API Gateway: the same routes (lib/api-routes.ts), the same authorizer and
 * route handlers, the same error format for what API Gateway answers itself (401, 404, 413).
 * Admin routes (`auth: 'admin'`), IAM-authorized (SigV4) on AWS, are authorized here by the
 * x-admin-key header (the local admin key); the handler then sees a local IAM-like identity.
 * Plus the local-only routes, which need no key: /_local/clock (the simulated clock),
 * /_local/ses/events (an SES delivery event for a message sent, as EventBridge would deliver it),
 * /_local/digest (the accountants' digest, now) and GET /_local/events (what Amiable put on the
 * default EventBridge bus, e.g. DossierHandedOff).
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_ROUTES, BINARY_MEDIA_TYPES, bodyLimitOf, matchRoute } from '../lib/api-routes';
import { payloadTooLarge } from '../lambdas/http/response';
import { DomainError } from '../lambdas/domain/errors';
import { CREDITOR_ID } from '../lambdas/http/creditor-profile-schema';
import { settings } from '../lambdas/adapters/env';
import { ClockController } from './clock-controller';
import { lambdaContext, localHandler } from './handlers';
import { buildSesEvent, parseLocalSesEvent, sentMessageOf } from './ses-events';
import type { BusEventRecord } from './eventbridge';
import { keepIdleConnections } from './loopback';

export interface HttpFront {
  url: string;
  close(): Promise<void>;
}

/** What each answer was, for the response recorder (HttpFrontOptions.onResponse). */
const answered = new WeakMap<http.ServerResponse, APIGatewayProxyResult>();

function send(res: http.ServerResponse, r: APIGatewayProxyResult): void {
  answered.set(res, r);
  res.writeHead(r.statusCode, { 'content-type': 'application/json; charset=utf-8', ...(r.headers as Record<string, string>) });
  res.end(r.body);
}

function error(res: http.ServerResponse, status: number, code: string, message: string, details: unknown[] = []): void {
  send(res, { statusCode: status, body: JSON.stringify({ error: { code, message, details } }) });
}

/**
 * Past the route's limit the rest of the body is read and dropped (so the client, still sending,
 * gets the 413 rather than a reset connection), up to API Gateway's own 10 MB: beyond that the
 * connection is closed, as API Gateway would refuse it too.
 */
const DRAIN_LIMIT = 10 * 1000 * 1000;

type ReadBody = { body: Buffer | null; tooLarge: false } | { body: null; tooLarge: true };

function readBody(req: http.IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT) {
      resolve({ body: null, tooLarge: true });
      return;
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > DRAIN_LIMIT) req.destroy();
      else if (size <= limit) chunks.push(c);
    });
    req.on('end', () =>
      resolve(size > limit ? { body: null, tooLarge: true } : { body: chunks.length ? Buffer.concat(chunks) : null, tooLarge: false }),
    );
    req.on('error', reject);
  });
}

export interface HttpFrontOptions {
  port: number;
  clock: ClockController;
  /** The local admin key (header x-admin-key) that authorizes the admin routes. */
  adminKey: string;
  /**
   * Waits for what a request set off on the table's stream (immediate alerts) before answering,
   * so a response means its consequences are done, at the same simulated instant.
   */
  settle?: () => Promise<void>;
  /** The local default EventBridge bus's log (local/eventbridge.ts). */
  events?: () => BusEventRecord[];
  /** Told of every answer (tests check each against docs/openapi.yaml). */
  onResponse?: (r: RecordedResponse) => void;
}

/** One answer of the front: `route` is the route table's path (or the /_local path), null when no route matched. */
export interface RecordedResponse {
  method: string;
  route: string | null;
  status: number;
  body: string;
}

function routeOf(method: string, pathname: string): string | null {
  const row = API_ROUTES.find((r) => r.method === method && matchRoute(r.path, pathname));
  if (row) return row.path;
  return pathname.startsWith('/_local/') ? pathname : null;
}

/** The identity the admin handler sees locally, where AWS would put the SigV4 caller's ARN. */
export const LOCAL_ADMIN_ARN = 'arn:aws:iam::000000000000:user/amiable-local-admin';

export async function startHttpFront(opts: HttpFrontOptions): Promise<HttpFront> {
  const server = keepIdleConnections(http.createServer((req, res) => {
    handle(req, res, opts)
      .catch((e) => {
        if (e instanceof DomainError) return error(res, e.status, e.code, e.message, e.details);
        console.error('local front:', e);
        error(res, 500, 'internal', 'Internal error.');
      })
      .finally(() => {
        const r = answered.get(res);
        if (!r || !opts.onResponse) return;
        const method = (req.method ?? 'GET').toUpperCase();
        opts.onResponse({ method, route: routeOf(method, new URL(req.url ?? '/', 'http://local').pathname), status: r.statusCode, body: r.body });
      });
  }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpFrontOptions): Promise<void> {
  const clock = opts.clock;
  const url = new URL(req.url ?? '/', 'http://local');
  const method = (req.method ?? 'GET').toUpperCase();
  // The route's body limit (the handler wrapper checks the same one), before anything else is done.
  // No such route: only API Gateway's own 10 MB applies there, so a large body to a wrong path
  // gets the 404 it would get on AWS, not a 413 (local-only routes keep the JSON limit).
  const apiRoute = API_ROUTES.find((r) => r.method === method && matchRoute(r.path, url.pathname));
  const limit = apiRoute || url.pathname.startsWith('/_local/') ? bodyLimitOf(apiRoute) : DRAIN_LIMIT;
  const read = await readBody(req, limit);
  if (read.tooLarge) {
    const e = payloadTooLarge(limit);
    res.setHeader('connection', 'close');
    return error(res, e.status, e.code, e.message, e.details);
  }
  const bytes = read.body;
  const body = bytes ? bytes.toString('utf8') : null;

  if (url.pathname === '/_local/events') {
    if (method !== 'GET') return error(res, 404, 'not_found', 'No such route.');
    const detailType = url.searchParams.get('detail-type');
    const list = (opts.events?.() ?? []).filter((e) => !detailType || e['detail-type'] === detailType);
    return send(res, { statusCode: 200, body: JSON.stringify({ events: list }) });
  }

  if (url.pathname === '/_local/clock') {
    if (method === 'GET') return send(res, { statusCode: 200, body: JSON.stringify({ now: clock.now().toISOString() }) });
    if (method === 'POST') {
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch (e) {
        return error(res, 400, 'malformed_json', 'Request body is not valid JSON.', [{ path: '', message: (e as Error).message }]);
      }
      const target = clock.targetOf(parsed);
      const now = await clock.advanceTo(target);
      return send(res, { statusCode: 200, body: JSON.stringify({ now: now.toISOString() }) });
    }
    return error(res, 404, 'not_found', 'No such route.');
  }

  if (url.pathname === '/_local/ses/events') {
    if (method !== 'POST') return error(res, 404, 'not_found', 'No such route.');
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : undefined;
    } catch (e) {
      return error(res, 400, 'malformed_json', 'Request body is not valid JSON.', [{ path: '', message: (e as Error).message }]);
    }
    const request = parseLocalSesEvent(parsed);
    // Answered once atNow has settled what the event set off (its stream records: an accountant
    // alert for a hard bounce), as an API route is: an answer sent from inside the work went out
    // before that, and a client reading the outbox at once raced the alert.
    const answer = await clock.atNow(async () => {
      const message = await sentMessageOf(request.messageId);
      const event = buildSesEvent(request, message, settings.configurationSet() ?? 'local', clock.now());
      const handler = localHandler('delivery-events');
      // Payloads cross a JSON boundary on AWS; do the same here.
      const outcome = await handler(JSON.parse(JSON.stringify(event)), lambdaContext('delivery-events'));
      return { event, outcome };
    });
    if (answer.outcome?.outcome === 'unknown_message') {
      return error(res, 404, 'not_found', `No message ${request.messageId} was sent by Amiable.`, [
        { path: 'messageId', message: 'unknown SES message id (see the messageId of a notice_sent event)' },
      ]);
    }
    return send(res, { statusCode: 202, body: JSON.stringify(answer) });
  }

  if (url.pathname === '/_local/digest') {
    if (method !== 'POST') return error(res, 404, 'not_found', 'No such route.');
    let parsed: any;
    try {
      parsed = body ? JSON.parse(body) : {};
    } catch (e) {
      return error(res, 400, 'malformed_json', 'Request body is not valid JSON.', [{ path: '', message: (e as Error).message }]);
    }
    const { creditorId } = parseLocalDigest(parsed);
    // Answered after atNow's settle, as /_local/ses/events is.
    const out = await clock.atNow(async () => {
      const handler = localHandler('digest');
      return (await handler({ action: 'send-now', ...(creditorId ? { creditorId } : {}) }, lambdaContext('digest'))) as { outcomes: any[] };
    });
    if (creditorId && out.outcomes[0]?.reason === 'no such creditor') {
      return error(res, 404, 'not_found', `No creditor ${creditorId}.`, [{ path: 'creditorId', message: 'unknown creditor' }]);
    }
    const sent = out.outcomes.filter((o) => o.status === 'sent').map((o) => ({ creditorId: o.creditorId, messageId: o.messageId }));
    const skipped = out.outcomes.filter((o) => o.status !== 'sent').map((o) => ({ creditorId: o.creditorId, reason: o.reason }));
    return send(res, { statusCode: 200, body: JSON.stringify({ sent, skipped }) });
  }

  for (const route of API_ROUTES) {
    if (route.method !== method) continue;
    const params = matchRoute(route.path, url.pathname);
    if (!params) continue;
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]),
    );
    let caller: Caller;
    if (route.auth === 'admin') {
      if (!sameSecret(headers['x-admin-key'], opts.adminKey)) {
        return error(res, 401, 'unauthorized', 'Missing or wrong admin key (header x-admin-key; see the npm start banner).');
      }
      caller = { admin: LOCAL_ADMIN_ARN };
    } else {
      const context = await authorize(headers, route.path, method);
      if (!context) return error(res, 401, 'unauthorized', 'Missing or unknown API key (header x-api-key).');
      caller = { context };
    }
    // API Gateway's binaryMediaTypes: such a body reaches the Lambda base64-encoded, byte for byte.
    const binary = bytes !== null && (BINARY_MEDIA_TYPES as readonly string[]).includes((headers['content-type'] ?? '').split(';')[0].trim().toLowerCase());
    const event = proxyEvent(route.path, url, method, headers, params, binary ? bytes.toString('base64') : body, caller, binary);
    const handler = localHandler(route.handler);
    const result = await handler(event, lambdaContext(route.handler));
    await opts.settle?.();
    return send(res, result);
  }
  return error(res, 404, 'not_found', 'No such route.');
}

/** POST /_local/digest body: { creditorId? }. */
function parseLocalDigest(body: unknown): { creditorId?: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) throw new DomainError(400, 'validation_failed', 'Invalid request', [{ path: '', message: 'the body must be a JSON object' }]);
  const unknown = Object.keys(b).filter((k) => k !== 'creditorId');
  if (unknown.length) throw new DomainError(400, 'validation_failed', 'Invalid request', unknown.map((k) => ({ path: k, message: 'unknown field' })));
  if (b.creditorId === undefined) return {};
  if (typeof b.creditorId !== 'string' || !CREDITOR_ID.test(b.creditorId)) {
    throw new DomainError(400, 'validation_failed', 'Invalid request', [{ path: 'creditorId', message: 'must be a creditor id (3-64 lower-case letters, digits and dashes)' }]);
  }
  return { creditorId: b.creditorId };
}

type AuthorizerContext = { creditorId: string; role: string; keyId: string };
type Caller = { context: AuthorizerContext } | { admin: string };

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The authorizer's context for the key, as API Gateway would pass it on, or null (401). As on API
 * Gateway, only the authorizer's "Unauthorized" answer is a 401: any other failure of it (a
 * DynamoDB error) is a 500, which the caller may retry.
 */
async function authorize(headers: Record<string, string>, resource: string, method: string): Promise<AuthorizerContext | null> {
  const authorizer = localHandler('authorizer');
  try {
    const result = await authorizer({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:eu-west-3:000000000000:local/v1/${method}${resource}`,
      headers,
    });
    return result?.context?.creditorId ? (result.context as AuthorizerContext) : null;
  } catch (e) {
    if ((e as Error)?.message === 'Unauthorized') return null;
    throw e;
  }
}

function proxyEvent(
  resource: string,
  url: URL,
  method: string,
  headers: Record<string, string>,
  params: Record<string, string>,
  body: string | null,
  caller: Caller,
  isBase64Encoded = false,
): APIGatewayProxyEvent {
  const query = Object.fromEntries(url.searchParams.entries());
  return {
    resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(params).length ? params : null,
    stageVariables: null,
    body,
    isBase64Encoded,
    requestContext: {
      // API Gateway: a Lambda authorizer's context (plus principalId), or for IAM-authorized routes
      // no authorizer and the signed caller in identity.
      ...('context' in caller
        ? { authorizer: { ...caller.context, principalId: caller.context.creditorId }, identity: { userArn: null } }
        : { authorizer: null, identity: { userArn: caller.admin, caller: caller.admin } }),
      requestId: randomUUID(),
      stage: 'v1',
      httpMethod: method,
      resourcePath: resource,
      path: `/v1${url.pathname}`,
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}
