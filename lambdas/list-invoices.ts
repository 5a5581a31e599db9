import { creditorOf, json, route } from './http/response';
import { parseInvoiceListQuery } from './http/invoice-list-query';
import { queryDossiers } from './adapters/dossier-index';

/**
 * GET /invoices: the caller's dossiers, newest activity first, a page at a time:
 * 200 { items: [{ id, invoiceNumber, debtorName, status, stage, balance, currency, dueDate,
 * nextAction, lastActivityAt }], nextCursor }. Served by the listing indexes (one Query per page);
 * `GET /invoices?status=needs_attention` is what needs a human. 400 for a bad filter or cursor.
 */
export const handler = route(async (event) => {
  const creditorId = creditorOf(event);
  return json(200, await queryDossiers(creditorId, parseInvoiceListQuery(event.queryStringParameters)));
});
