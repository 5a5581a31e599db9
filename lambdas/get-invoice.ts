import { viewOf, historyPage, historyCursor, afterOfCursor, MAX_HISTORY_PAGE } from './services/dossier-history';
import { clock } from './adapters/clock';
import { invalid } from './domain/errors';
import { creditorOf, json, route } from './http/response';
import { dossierOf } from './services/dossier-access';

export const HISTORY = '/invoices/{id}/history';

/**
 * GET /invoices/{id}: status, balance, next action, schedule and the history, oldest first (its
 * first page: `historyNext` is the cursor of the rest, null when `events` is all of it).
 * GET /invoices/{id}/history?cursor=&limit=: 200 { dossierId, historyLength, events, nextCursor },
 * a page of the history (limit 1-1000, default 1000).
 */
export const handler = route(async (event) => {
  const id = event.pathParameters?.id ?? '';
  const dossier = await dossierOf(creditorOf(event), id);
  if (event.resource !== HISTORY) return json(200, await viewOf(dossier, clock().now()));
  const q = event.queryStringParameters ?? {};
  let limit = MAX_HISTORY_PAGE;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (!/^\d+$/.test(q.limit) || n < 1 || n > MAX_HISTORY_PAGE) {
      throw invalid([{ path: 'limit', message: `must be a whole number from 1 to ${MAX_HISTORY_PAGE}` }], 'Invalid query');
    }
    limit = n;
  }
  const after = afterOfCursor(dossier.id, q.cursor);
  const page = await historyPage(dossier, after, limit);
  return json(200, { dossierId: dossier.id, historyLength: page.historyLength, events: page.entries, nextCursor: historyCursor(dossier.id, page.nextAfter) });
});
