/**
 * The HTTP contract's routes, as data. The CDK API construct (lib/intake-api.ts, through
 * lib/api-routes.ts), the local HTTP front and the handler wrapper's role check (response.ts
 * `route()`) all read this table, so API Gateway, local mode and the access rules cannot drift
 * apart. It lives under lambdas/ because handlers import it; lib/api-routes.ts re-exports it.
 *
 * - `access`: what the route does to the caller's data. An `operator` key may call every route of
 *   its creditor; an `auditor` key only the `read` ones (any `write` route answers 403 forbidden
 *   before any work). A `read` route may still create something that changes nothing of the
 *   dossier's life (an evidence bundle).
 * - `auth: 'admin'`: an operator-of-the-service route (creditors and their keys). On AWS it is
 *   IAM-authorized (SigV4) by API Gateway, not by the x-api-key authorizer; locally the front
 *   checks the x-admin-key header. Creditor keys never reach it.
 */
export type HandlerName =
  | 'create-invoice'
  | 'import-invoice'
  | 'create-invoice-batch'
  | 'get-invoice'
  | 'list-invoices'
  | 'record-payment'
  | 'dossier-actions'
  | 'tasks'
  | 'evidence'
  | 'reports'
  | 'litigation'
  | 'handoff'
  | 'webhooks'
  | 'admin';

export type RouteAccess = 'read' | 'write';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRoute {
  method: HttpMethod;
  /** API Gateway resource path, with {param} placeholders. */
  path: string;
  handler: HandlerName;
  access: RouteAccess;
  /** Admin routes: IAM (SigV4) on AWS, x-admin-key locally; absent: a creditor's x-api-key. */
  auth?: 'admin';
  /** Largest request body accepted, in bytes; absent: JSON_BODY_LIMIT. A larger body is a 413. */
  maxBodyBytes?: number;
}

/**
 * Request body limits. API Gateway REST accepts up to 10 MB, but a Lambda proxy integration hands
 * the body to a synchronous invocation whose payload may not exceed 6 MB (6,291,456 bytes, body
 * and event envelope together), beyond which the caller gets a 5xx, not a 413. So the contract
 * sets its own limits, well inside both, checked before any work by the handler wrapper (route()
 * in response.ts) and by the local front alike: 1 MiB for a JSON request (the largest legitimate
 * one, a creditor profile or an invoice, is a few KB), and for the one route that carries a
 * document in base64 (a payment plan's written acceptance) 6 MiB less 64 KiB left for the envelope
 * (headers, request context), which holds the 4 MiB document validation allows.
 */
export const JSON_BODY_LIMIT = 1024 * 1024;
export const DOCUMENT_BODY_LIMIT = 6 * 1024 * 1024 - 64 * 1024;

/** The body limit of a route (JSON_BODY_LIMIT unless the route says otherwise). */
export function bodyLimitOf(route: Pick<ApiRoute, 'maxBodyBytes'> | undefined): number {
  return route?.maxBodyBytes ?? JSON_BODY_LIMIT;
}

/**
 * The hand-off function's one route, apart: it checks access against its own row (routeIn,
 * response.ts) rather than bundling the whole table (issue 15: handlers carry only what they run).
 */
const HANDOFF_ROUTE: ApiRoute = { method: 'POST', path: '/invoices/{id}/handoff', handler: 'handoff', access: 'write' };
export const HANDOFF_ROUTES: readonly ApiRoute[] = [HANDOFF_ROUTE];

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/invoices', handler: 'create-invoice', access: 'write' },
  // One e-invoice file (Factur-X PDF, UBL or CII XML) as the body: a binary media type (below).
  { method: 'POST', path: '/invoices/import', handler: 'import-invoice', access: 'write', maxBodyBytes: DOCUMENT_BODY_LIMIT },
  // Up to 500 invoices at once (207, one result per item); their workflows start through a paced queue.
  { method: 'POST', path: '/invoices/batch', handler: 'create-invoice-batch', access: 'write' },
  { method: 'GET', path: '/invoices', handler: 'list-invoices', access: 'read' },
  { method: 'GET', path: '/invoices/{id}', handler: 'get-invoice', access: 'read' },
  { method: 'GET', path: '/invoices/{id}/history', handler: 'get-invoice', access: 'read' },
  { method: 'POST', path: '/invoices/{id}/payments', handler: 'record-payment', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/cancel', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/disputes', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/disputes/{disputeId}/resolve', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/promises', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/payment-plan', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/payment-plan/acceptance', handler: 'dossier-actions', access: 'write', maxBodyBytes: DOCUMENT_BODY_LIMIT },
  { method: 'POST', path: '/invoices/{id}/registered-letter/posting', handler: 'dossier-actions', access: 'write', maxBodyBytes: DOCUMENT_BODY_LIMIT },
  { method: 'POST', path: '/invoices/{id}/registered-letter/receipt', handler: 'dossier-actions', access: 'write', maxBodyBytes: DOCUMENT_BODY_LIMIT },
  { method: 'POST', path: '/invoices/{id}/resume', handler: 'dossier-actions', access: 'write' },
  // Auditors may read the evidence log and take bundles of it (issuing one is recorded, nothing else changes).
  { method: 'GET', path: '/invoices/{id}/evidence', handler: 'evidence', access: 'read' },
  { method: 'POST', path: '/invoices/{id}/evidence-bundle', handler: 'evidence', access: 'read' },
  // The litigation dossier is read; approving a hand-off and recording insolvency proceedings change the dossier.
  { method: 'GET', path: '/invoices/{id}/litigation', handler: 'litigation', access: 'read' },
  // The approval runs the hand-off itself: the function of the SendLitigationHandoff step (lambdas/handoff.ts).
  HANDOFF_ROUTE,
  { method: 'POST', path: '/invoices/{id}/insolvency', handler: 'litigation', access: 'write' },
  { method: 'GET', path: '/tasks', handler: 'tasks', access: 'read' },
  { method: 'POST', path: '/tasks/{taskId}/complete', handler: 'tasks', access: 'write' },
  // The accountants' figures (the digest renders the same report); the creditor's own monthly figures for DSO.
  { method: 'GET', path: '/reports/summary', handler: 'reports', access: 'read' },
  { method: 'PUT', path: '/reports/receivables/{month}', handler: 'reports', access: 'write' },
  // Events out (docs/events.md): the creditor's webhooks and each one's delivery log.
  { method: 'POST', path: '/webhooks', handler: 'webhooks', access: 'write' },
  { method: 'GET', path: '/webhooks', handler: 'webhooks', access: 'read' },
  { method: 'DELETE', path: '/webhooks/{id}', handler: 'webhooks', access: 'write' },
  { method: 'GET', path: '/webhooks/{id}/deliveries', handler: 'webhooks', access: 'read' },
  { method: 'POST', path: '/admin/creditors', handler: 'admin', access: 'write', auth: 'admin' },
  { method: 'GET', path: '/admin/creditors', handler: 'admin', access: 'read', auth: 'admin' },
  { method: 'GET', path: '/admin/creditors/{id}', handler: 'admin', access: 'read', auth: 'admin' },
  { method: 'PUT', path: '/admin/creditors/{id}', handler: 'admin', access: 'write', auth: 'admin' },
  { method: 'POST', path: '/admin/creditors/{id}/keys', handler: 'admin', access: 'write', auth: 'admin' },
  { method: 'GET', path: '/admin/creditors/{id}/keys', handler: 'admin', access: 'read', auth: 'admin' },
  { method: 'DELETE', path: '/admin/creditors/{id}/keys/{keyId}', handler: 'admin', access: 'write', auth: 'admin' },
];

/**
 * Media types API Gateway passes to the Lambda base64-encoded, byte for byte (REST API
 * binaryMediaTypes); the local front does the same. Only POST /invoices/import takes them.
 */
export const BINARY_MEDIA_TYPES = ['application/pdf', 'application/xml', 'text/xml'] as const;

/** The row of a resource (API Gateway's `event.resource`) and method among `rows` (a handler's, or API_ROUTES), if any. */
export function findRoute(method: string, resource: string, rows: readonly ApiRoute[]): ApiRoute | undefined {
  const m = method.toUpperCase();
  return rows.find((r) => r.method === m && r.path === resource);
}

/** Matches a concrete path against a route path; returns the path parameters or null. */
export function matchRoute(routePath: string, actual: string): Record<string, string> | null {
  const want = routePath.split('/').filter(Boolean);
  const got = actual.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (w.startsWith('{') && w.endsWith('}')) {
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}
