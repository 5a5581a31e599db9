/**
 * The HTTP contract's routes, as data. The CDK API construct and the local HTTP front both read
 * this table, so the API Gateway resources and the local router can never drift apart.
 */
export type HandlerName =
  | 'create-invoice'
  | 'get-invoice'
  | 'record-payment'
  | 'dossier-actions'
  | 'tasks'
  | 'evidence';

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** API Gateway resource path, with {param} placeholders. */
  path: string;
  handler: HandlerName;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/invoices', handler: 'create-invoice' },
  { method: 'GET', path: '/invoices/{id}', handler: 'get-invoice' },
  { method: 'POST', path: '/invoices/{id}/payments', handler: 'record-payment' },
  { method: 'POST', path: '/invoices/{id}/cancel', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/disputes', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/disputes/{disputeId}/resolve', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/promises', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/payment-plan', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/payment-plan/acceptance', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/registered-letter/posting', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/registered-letter/receipt', handler: 'dossier-actions' },
  { method: 'POST', path: '/invoices/{id}/resume', handler: 'dossier-actions' },
  { method: 'GET', path: '/invoices/{id}/evidence', handler: 'evidence' },
  { method: 'POST', path: '/invoices/{id}/evidence-bundle', handler: 'evidence' },
  { method: 'GET', path: '/tasks', handler: 'tasks' },
  { method: 'POST', path: '/tasks/{taskId}/complete', handler: 'tasks' },
];

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
