import { importEInvoice } from './services/einvoice-import';
import { creditorOf, json, rawBody, route } from './http/response';
import { parseImportQuery } from './http/einvoice-validation';

/**
 * POST /invoices/import: one Factur-X PDF, UBL or CII XML as the body (API Gateway passes it
 * base64-encoded: binary media types), answered like POST /invoices: 201, 200 for the same
 * invoice again, 409 if it differs.
 */
export const handler = route(async (event) => {
  const creditorId = creditorOf(event);
  const opts = parseImportQuery(event.queryStringParameters);
  const headers = event.headers ?? {};
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const result = await importEInvoice(creditorId, rawBody(event), contentType, opts);
  return json(result.created ? 201 : 200, result.view);
});
