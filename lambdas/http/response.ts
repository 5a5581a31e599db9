import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DomainError, ErrorDetail } from '../domain/errors';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function errorResponse(status: number, code: string, message: string, details: ErrorDetail[] = []) {
  return json(status, { error: { code, message, details } });
}

/** The request body's exact bytes (what the client sent, kept as evidence at intake). */
export function rawBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** Parses the JSON body; a malformed or missing body is a 400 in the contract's format. */
export function parseBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === null || raw === undefined || raw.trim() === '') {
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

/** The creditor the authorizer resolved from x-api-key (tenant isolation starts here). */
export function creditorOf(event: APIGatewayProxyEvent): string {
  const id = event.requestContext?.authorizer?.creditorId;
  if (typeof id !== 'string' || !id) throw new DomainError(401, 'unauthorized', 'Missing or unknown API key (header x-api-key).');
  return id;
}

/** Wraps a route: domain errors become their status; anything else is a logged 500. */
export function route(fn: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      return await fn(event);
    } catch (e) {
      if (e instanceof DomainError) return errorResponse(e.status, e.code, e.message, e.details);
      console.error(JSON.stringify({ level: 'error', msg: 'unhandled', error: String((e as Error)?.stack ?? e) }));
      return errorResponse(500, 'internal', 'Internal error.');
    }
  };
}
