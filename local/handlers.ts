/**
 * Handler modules by name (the `amiable:handler` metadata CDK puts on each function). Local mode
 * imports the very same modules the Lambda bundles are built from.
 */
type AnyHandler = (event: any, context?: any) => Promise<any>;

const MODULES: Record<string, () => Promise<{ handler: AnyHandler }>> = {
  authorizer: () => import('../lambdas/authorizer'),
  'create-invoice': () => import('../lambdas/create-invoice'),
  'import-invoice': () => import('../lambdas/import-invoice'),
  'create-invoice-batch': () => import('../lambdas/create-invoice-batch'),
  'start-workflows': () => import('../lambdas/start-workflows'),
  'get-invoice': () => import('../lambdas/get-invoice'),
  'list-invoices': () => import('../lambdas/list-invoices'),
  admin: () => import('../lambdas/admin'),
  'record-payment': () => import('../lambdas/record-payment'),
  'dossier-actions': () => import('../lambdas/dossier-actions'),
  tasks: () => import('../lambdas/tasks'),
  evidence: () => import('../lambdas/evidence'),
  reports: () => import('../lambdas/reports'),
  litigation: () => import('../lambdas/litigation'),
  'send-notice': () => import('../lambdas/send-notice'),
  handoff: () => import('../lambdas/handoff'),
  'mark-needs-attention': () => import('../lambdas/mark-needs-attention'),
  'review-commitment': () => import('../lambdas/review-commitment'),
  'delivery-events': () => import('../lambdas/delivery-events'),
  digest: () => import('../lambdas/digest'),
  'accountant-alerts': () => import('../lambdas/accountant-alerts'),
  'execution-status': () => import('../lambdas/execution-status'),
  'stall-sweep': () => import('../lambdas/stall-sweep'),
  webhooks: () => import('../lambdas/webhooks'),
  'events-out': () => import('../lambdas/events-out'),
  'webhook-delivery': () => import('../lambdas/webhook-delivery'),
};

const cache = new Map<string, AnyHandler>();

/**
 * Wraps every invocation when set (the bench meters Lambda invocations and durations, and
 * attributes each SDK call to the function that made it). Nothing is wrapped otherwise.
 */
export type InvocationObserver = <T>(handler: string, invoke: () => Promise<T>) => Promise<T>;
let observer: InvocationObserver | undefined;

export function observeInvocations(o: InvocationObserver | undefined): void {
  observer = o;
}

export async function loadHandler(name: string): Promise<AnyHandler> {
  let h = cache.get(name);
  if (!h) {
    const load = MODULES[name];
    if (!load) throw new Error(`no local handler module for "${name}"`);
    const handler = (await load()).handler;
    h = (event, context) => (observer ? observer(name, () => handler(event, context)) : handler(event, context));
    cache.set(name, h);
  }
  return h;
}

/** A minimal Lambda context for handlers that look at it. */
export function lambdaContext(functionName: string) {
  return {
    functionName,
    awsRequestId: Math.random().toString(16).slice(2),
    getRemainingTimeInMillis: () => 30_000,
  };
}
