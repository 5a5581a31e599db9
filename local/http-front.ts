/**
 * The local stand-in for API Gateway: the same routes (lib/api-routes.ts), the same authorizer and
 * route handlers, the same error format for what API Gateway answers itself (401, 404, 413).
 * Plus the local-only routes, which need no key: /_local/clock (the simulated clock),
 * /_local/ses/events (an SES delivery event for a message sent, as EventBridge would deliver it)
 * and GET /_local/events (what Amiable put on the default EventBridge bus, e.g. DossierHandedOff).
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_ROUTES, matchRoute } from '../lib/api-routes';
import { DomainError } from '../lambdas/domain/errors';
import { getSentMessage } from '../lambdas/adapters/delivery-store';
import { settings } from '../lambdas/adapters/env';
import { ClockController } from './clock-controller';
import { lambdaContext, loadHandler } from './handlers';
import { buildSesEvent, parseLocalSesEvent } from './ses-events';
import type { BusEventRecord } from './eventbridge';

const MAX_BODY = 1024 * 1024;

export interface HttpFront {
  url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, r: APIGatewayProxyResult): void {
  res.writeHead(r.statusCode, { 'content-type': 'application/json; charset=utf-8', ...(r.headers as Record<string, string>) });
  res.end(r.body);
}

function error(res: http.ServerResponse, status: number, code: string, message: string, details: unknown[] = []): void {
  send(res, { statusCode: status, body: JSON.stringify({ error: { code, message, details } }) });
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new DomainError(400, 'payload_too_large', 'Request body exceeds 1 MiB.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : null));
    req.on('error', reject);
  });
}

export interface FrontOptions {
  port: number;
  clock: ClockController;
  /** The local default EventBridge bus's log (local/eventbridge.ts). */
  events?: () => BusEventRecord[];
}

export async function startHttpFront(opts: FrontOptions): Promise<HttpFront> {
  const server = http.createServer((req, res) => {
    handle(req, res, opts.clock, opts.events ?? (() => [])).catch((e) => {
      if (e instanceof DomainError) return error(res, e.status === 400 && e.code === 'payload_too_large' ? 413 : e.status, e.code, e.message, e.details);
      console.error('local front:', e);
      error(res, 500, 'internal', 'Internal error.');
    });
  });
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

async function handle(req: http.IncomingMessage, res: http.ServerResponse, clock: ClockController, events: () => BusEventRecord[]): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);

  if (url.pathname === '/_local/events') {
    if (method !== 'GET') return error(res, 404, 'not_found', 'No such route.');
    const detailType = url.searchParams.get('detail-type');
    const list = events().filter((e) => !detailType || e['detail-type'] === detailType);
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
    return clock.atNow(async () => {
      const message = await getSentMessage(request.messageId);
      const event = buildSesEvent(request, message, settings.configurationSet() ?? 'local', clock.now());
      const handler = await loadHandler('delivery-events');
      // Payloads cross a JSON boundary on AWS; do the same here.
      const outcome = await handler(JSON.parse(JSON.stringify(event)), lambdaContext('delivery-events'));
      if (outcome?.outcome === 'unknown_message') {
        return error(res, 404, 'not_found', `No message ${request.messageId} was sent by Amiable.`, [
          { path: 'messageId', message: 'unknown SES message id (see the messageId of a notice_sent event)' },
        ]);
      }
      return send(res, { statusCode: 202, body: JSON.stringify({ event, outcome }) });
    });
  }

  for (const route of API_ROUTES) {
    if (route.method !== method) continue;
    const params = matchRoute(route.path, url.pathname);
    if (!params) continue;
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]),
    );
    const creditorId = await authorize(headers, route.path, method);
    if (!creditorId) return error(res, 401, 'unauthorized', 'Missing or unknown API key (header x-api-key).');
    const event = proxyEvent(route.path, url, method, headers, params, body, creditorId);
    const handler = await loadHandler(route.handler);
    return send(res, await handler(event, lambdaContext(route.handler)));
  }
  return error(res, 404, 'not_found', 'No such route.');
}

async function authorize(headers: Record<string, string>, resource: string, method: string): Promise<string | null> {
  const authorizer = await loadHandler('authorizer');
  try {
    const result = await authorizer({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:eu-west-3:000000000000:local/v1/${method}${resource}`,
      headers,
    });
    return result?.context?.creditorId ?? null;
  } catch {
    return null;
  }
}

function proxyEvent(
  resource: string,
  url: URL,
  method: string,
  headers: Record<string, string>,
  params: Record<string, string>,
  body: string | null,
  creditorId: string,
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
    isBase64Encoded: false,
    requestContext: {
      authorizer: { creditorId, principalId: creditorId },
      requestId: randomUUID(),
      stage: 'v1',
      httpMethod: method,
      resourcePath: resource,
      path: `/v1${url.pathname}`,
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}
