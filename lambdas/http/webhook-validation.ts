/**
 * Input of the webhook routes (POST /webhooks, GET /webhooks/{id}/deliveries). Every bad field is
 * a 400 with its path; a URL must be https (on AWS) — local mode (AMIABLE_WEBHOOKS_ALLOW_HTTP=1, set
 * by local/system.ts) also accepts http, so a receiver on localhost can be registered.
 */
import { invalid, type ErrorDetail } from '../domain/errors';
import { SUBSCRIBABLE } from '../domain/webhooks';

export interface WebhookInput {
  url: string;
  events: string[];
}

const MAX_URL = 2048;
const MAX_EVENTS = 32;
export const WEBHOOK_ID = /^whk_[a-z0-9]{26}$/;

export function parseWebhookInput(body: unknown): WebhookInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid([{ path: '', message: 'the body must be a JSON object {url, events}' }]);
  const b = body as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  for (const k of Object.keys(b)) if (k !== 'url' && k !== 'events') details.push({ path: k, message: 'unknown field' });
  let url = '';
  if (typeof b.url !== 'string') details.push({ path: 'url', message: b.url === undefined ? 'is required' : 'must be a string' });
  else if (b.url.length > MAX_URL) details.push({ path: 'url', message: `must be at most ${MAX_URL} characters` });
  else {
    const problem = urlProblem(b.url);
    if (problem) details.push({ path: 'url', message: problem });
    else url = b.url;
  }
  let events: string[] = [];
  if (!Array.isArray(b.events)) details.push({ path: 'events', message: b.events === undefined ? 'is required' : 'must be an array of detail-types (or ["*"])' });
  else if (b.events.length === 0 || b.events.length > MAX_EVENTS) details.push({ path: 'events', message: `must list 1 to ${MAX_EVENTS} detail-types` });
  else {
    b.events.forEach((e, i) => {
      if (typeof e !== 'string' || (e !== '*' && !SUBSCRIBABLE.includes(e))) details.push({ path: `events.${i}`, message: `must be one of ${SUBSCRIBABLE.join(', ')} or "*"` });
    });
    events = [...new Set(b.events as string[])];
  }
  if (details.length) throw invalid(details);
  return { url, events };
}

function urlProblem(raw: string): string | null {
  // eslint-disable-next-line no-control-regex -- rejects control characters on purpose
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return 'must not contain spaces or control characters';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  const allowHttp = process.env.AMIABLE_WEBHOOKS_ALLOW_HTTP === '1';
  if (u.protocol !== 'https:' && !(allowHttp && u.protocol === 'http:')) return allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  if (u.username || u.password) return 'must not carry credentials (the signature authenticates Amiable)';
  if (u.hash) return 'must not have a fragment';
  return null;
}

export function parseDeliveriesQuery(q: Record<string, string | undefined> | null): { limit: number; cursor?: string } {
  const query = q ?? {};
  const details: ErrorDetail[] = [];
  for (const k of Object.keys(query)) if (k !== 'limit' && k !== 'cursor') details.push({ path: k, message: 'unknown query parameter' });
  let limit = 25;
  if (query.limit !== undefined) {
    if (!/^\d{1,3}$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > 100) details.push({ path: 'limit', message: 'must be an integer from 1 to 100' });
    else limit = Number(query.limit);
  }
  if (details.length) throw invalid(details, 'Invalid query');
  return { limit, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) };
}
