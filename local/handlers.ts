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
const raw = new Map<string, AnyHandler>();

/** The handler itself, not wrapped by the observer. */
async function rawHandler(name: string): Promise<AnyHandler> {
  let h = raw.get(name);
  if (!h) {
    const load = MODULES[name];
    if (!load) throw new Error(`no local handler module for "${name}"`);
    h = (await load()).handler;
    raw.set(name, h);
  }
  return h;
}

/**
 * Wraps every invocation when set (the bench meters Lambda invocations and durations, and
 * attributes each SDK call to the function that made it). Nothing is wrapped otherwise.
 */
export type InvocationObserver = <T>(handler: string, invoke: () => Promise<T>, here?: InThisThread<T>) => Promise<T>;

/**
 * The same invocation run in this thread instead of a worker (given when handlers run in worker
 * threads): the bench times its duration samples so, alone in the process, exactly as when every
 * handler ran here. `load` loads the handler's module first (a warm container's, not timed).
 */
export interface InThisThread<T> {
  load(): Promise<void>;
  run(): Promise<T>;
}
let observer: InvocationObserver | undefined;

/**
 * What an observer needs inside the handler worker threads (local/handler-workers.ts), where the
 * handlers' own SDK calls and log lines happen: `module` (an absolute path) is loaded in each
 * worker and its `installInWorker()` returns a function that hands over what it recorded since its
 * last call; that comes back with each invocation's result and goes to `merge`, before the result.
 */
export interface WorkerObserver {
  module: string;
  merge(recorded: unknown): void;
}
let workerObserver: WorkerObserver | undefined;

export function observeInvocations(o: InvocationObserver | undefined, inWorkers?: WorkerObserver): void {
  observer = o;
  workerObserver = o ? inWorkers : undefined;
}

/** The observer's part in worker threads (local/handler-workers.ts). */
export function workerObserverOf(): WorkerObserver | undefined {
  return workerObserver;
}

/** Where local mode's invocations run when not in this thread (local/handler-workers.ts). */
export interface HandlerRunner {
  invoke(name: string, event: unknown, context: LambdaContext): Promise<unknown>;
}
let runner: HandlerRunner | undefined;

/** Composition root only (local/system.ts): local mode's invocations go to `r` (undefined: this thread). */
export function runHandlersIn(r: HandlerRunner | undefined): void {
  runner = r;
}

/**
 * One invocation as local mode makes it (the state machine's tasks, stream, queue and schedule
 * consumers, the HTTP front): in a handler worker thread when local mode runs them
 * (AMIABLE_LOCAL_WORKERS), else in this thread. Tests that call `loadHandler` run in this thread.
 */
export async function invokeHandler(name: string, event: unknown, context: LambdaContext = lambdaContext(name)): Promise<any> {
  const r = runner;
  if (!r) return (await loadHandler(name))(event, context);
  if (!MODULES[name]) throw new Error(`no local handler module for "${name}"`);
  const run = () => r.invoke(name, event, context);
  if (!observer) return run();
  return observer(name, run, {
    load: async () => void (await rawHandler(name)),
    run: async () => (await rawHandler(name))(event, context),
  });
}

/** `invokeHandler` for one handler, shaped as the handler itself. */
export function localHandler(name: string): AnyHandler {
  return (event, context) => invokeHandler(name, event, context ?? lambdaContext(name));
}

/**
 * One invocation in this thread, not wrapped by the observer: what a handler pool runs here when
 * `invokeHandler` already went through the observer (local/system.ts, the main thread's share).
 */
export async function runHandlerHere(name: string, event: unknown, context: LambdaContext): Promise<any> {
  return (await rawHandler(name))(event, context);
}

export async function loadHandler(name: string): Promise<AnyHandler> {
  let h = cache.get(name);
  if (!h) {
    const handler = await rawHandler(name);
    h = (event, context) => (observer ? observer(name, () => handler(event, context)) : handler(event, context));
    cache.set(name, h);
  }
  return h;
}

export interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A minimal Lambda context for handlers that look at it. */
export function lambdaContext(functionName: string, awsRequestId = Math.random().toString(16).slice(2)): LambdaContext {
  return {
    functionName,
    awsRequestId,
    getRemainingTimeInMillis: () => 30_000,
  };
}
