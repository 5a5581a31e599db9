/**
 * One handler worker thread of local mode (a warm Lambda "container"): see local/handler-workers.ts,
 * which starts it. It loads handler modules on first use (local/handlers.ts), runs the invocations
 * the main thread posts, and sends the handlers' SDK requests to the emulators through the main
 * thread when the main thread serves them in-process.
 */
import './polyfills';
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { installClock } from '../lambdas/adapters/clock';
import { resetClients } from '../lambdas/adapters/aws-clients';
import { resetQueueClient } from '../lambdas/adapters/bulk-queue';
import { lambdaContext, loadHandler } from './handlers';
import { serializeError, type FromWorker, type ToWorker, type WorkerData } from './handler-workers';
import { installSdkShortcut, type PlainRequest, type PlainResponse } from './in-process';

const data = workerData as WorkerData;

// The SDK's Node version notice is printed once by the main thread; not again per worker.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || (warning as Error)?.name === 'NodeVersionSupportWarning') return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;
const port = parentPort!;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

for (const [k, v] of Object.entries(data.env)) process.env[k] = v;
for (const k of Object.keys(process.env)) if (!(k in data.env)) delete process.env[k];

// The main thread's simulated instant, read live (0: no simulated clock installed there: real time).
const instant = new BigInt64Array(data.clock);
installClock({
  now: () => {
    const t = Number(Atomics.load(instant, 0));
    return t === 0 ? new Date() : new Date(t);
  },
});

// SDK requests to the addresses the main thread serves in-process go to it over this port.
let served = new Set(data.served);
let nextHttp = 1;
const httpPending = new Map<number, { resolve(r: PlainResponse): void; reject(e: Error): void }>();

async function bytesOf(body: PlainRequest['body']): Promise<Uint8Array | undefined> {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c as Uint8Array));
    return Buffer.concat(chunks);
  }
  return body;
}

function forward(url: URL, req: PlainRequest): Promise<PlainResponse> {
  return bytesOf(req.body).then(
    (body) =>
      new Promise<PlainResponse>((resolve, reject) => {
        const id = nextHttp++;
        httpPending.set(id, { resolve, reject });
        // The SDK keeps its request body for a retry: sent as a copy, never detached.
        const sent = body && (body.byteOffset !== 0 || body.byteLength !== body.buffer.byteLength) ? new Uint8Array(body) : body;
        post({ type: 'http', id, url: url.href, method: req.method, path: req.path, headers: req.headers, body: sent });
      }),
  );
}

installSdkShortcut(
  (host) => served.has(host),
  (url, req) => (served.has(`${url.hostname}:${url.port}`) ? forward(url, req) : undefined),
);

// The observer's part here (the bench meter), if the main thread has one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const drain: (() => unknown) | undefined = data.observer ? (require(data.observer) as { installInWorker(): () => unknown }).installInWorker() : undefined;

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;
async function handlerOf(name: string): Promise<AnyHandler> {
  const extra = data.extraModules?.[name];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (extra) return (require(extra) as { handler: AnyHandler }).handler;
  return loadHandler(name);
}

function settled(m: Extract<FromWorker, { type: 'result' }>): void {
  if (drain) m.recorded = drain();
  try {
    post(m);
  } catch {
    // A result the structured clone refuses (a function inside): what a JSON round trip keeps, as Lambda's.
    post({ ...m, ...(m.ok ? { value: JSON.parse(JSON.stringify(m.value ?? null)) } : {}) } as FromWorker);
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'http-result') {
    const p = httpPending.get(m.id);
    if (!p) return;
    httpPending.delete(m.id);
    if (m.ok) p.resolve({ status: m.status, headers: m.headers, body: Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength) });
    else p.reject(Object.assign(new Error(m.message), { code: m.code }));
    return;
  }
  if (m.env) {
    for (const [k, v] of Object.entries(m.env.set)) process.env[k] = v;
    for (const k of m.env.unset) delete process.env[k];
    // An endpoint, region or credential changed: the next call builds its client again (as main does).
    if ([...Object.keys(m.env.set), ...m.env.unset].some((k) => k.startsWith('AWS_'))) {
      resetClients();
      resetQueueClient();
    }
  }
  if (m.served) served = new Set(m.served);
  const id = m.id;
  handlerOf(m.name)
    .then((h) => h(m.event, lambdaContext(m.context.functionName, m.context.awsRequestId)))
    .then(
      (value) => settled({ type: 'result', id, ok: true, value }),
      (e) => settled({ type: 'result', id, ok: false, error: serializeError(e) }),
    );
});
