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
  | 'get-invoice'
  | 'list-invoices'
  | 'record-payment'
  | 'dossier-actions'
  | 'tasks'
  | 'evidence'
  | 'reports'
  | 'litigation'
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
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/invoices', handler: 'create-invoice', access: 'write' },
  { method: 'GET', path: '/invoices', handler: 'list-invoices', access: 'read' },
  { method: 'GET', path: '/invoices/{id}', handler: 'get-invoice', access: 'read' },
  { method: 'GET', path: '/invoices/{id}/history', handler: 'get-invoice', access: 'read' },
  { method: 'POST', path: '/invoices/{id}/payments', handler: 'record-payment', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/cancel', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/disputes', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/disputes/{disputeId}/resolve', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/promises', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/payment-plan', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/payment-plan/acceptance', handler: 'dossier-actions', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/resume', handler: 'dossier-actions', access: 'write' },
  // Auditors may read the evidence log and take bundles of it (issuing one is recorded, nothing else changes).
  { method: 'GET', path: '/invoices/{id}/evidence', handler: 'evidence', access: 'read' },
  { method: 'POST', path: '/invoices/{id}/evidence-bundle', handler: 'evidence', access: 'read' },
  // The litigation dossier is read; approving a hand-off and recording insolvency proceedings change the dossier.
  { method: 'GET', path: '/invoices/{id}/litigation', handler: 'litigation', access: 'read' },
  { method: 'POST', path: '/invoices/{id}/handoff', handler: 'litigation', access: 'write' },
  { method: 'POST', path: '/invoices/{id}/insolvency', handler: 'litigation', access: 'write' },
  { method: 'GET', path: '/tasks', handler: 'tasks', access: 'read' },
  { method: 'POST', path: '/tasks/{taskId}/complete', handler: 'tasks', access: 'write' },
  // The accountants' figures (the digest renders the same report); the creditor's own monthly figures for DSO.
  { method: 'GET', path: '/reports/summary', handler: 'reports', access: 'read' },
  { method: 'PUT', path: '/reports/receivables/{month}', handler: 'reports', access: 'write' },
  { method: 'POST', path: '/admin/creditors', handler: 'admin', access: 'write', auth: 'admin' },
  { method: 'GET', path: '/admin/creditors', handler: 'admin', access: 'read', auth: 'admin' },
  { method: 'GET', path: '/admin/creditors/{id}', handler: 'admin', access: 'read', auth: 'admin' },
  { method: 'PUT', path: '/admin/creditors/{id}', handler: 'admin', access: 'write', auth: 'admin' },
  { method: 'POST', path: '/admin/creditors/{id}/keys', handler: 'admin', access: 'write', auth: 'admin' },
  { method: 'GET', path: '/admin/creditors/{id}/keys', handler: 'admin', access: 'read', auth: 'admin' },
  { method: 'DELETE', path: '/admin/creditors/{id}/keys/{keyId}', handler: 'admin', access: 'write', auth: 'admin' },
];

/** The row of a resource (API Gateway's `event.resource`) and method, if any. */
export function findRoute(method: string, resource: string): ApiRoute | undefined {
  const m = method.toUpperCase();
  return API_ROUTES.find((r) => r.method === m && r.path === resource);
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
