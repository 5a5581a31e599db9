/**
 * Two adapters call AWS with `fetch` rather than an SDK client: PutEvents (lambdas/adapters/events.ts,
 * on every dossier change that publishes an event) and SQS SendMessage (lambdas/adapters/queue.ts),
 * both through awsJsonCall. In local mode those POSTs went over real loopback HTTP to servers that
 * this process serves in-process for the SDK's calls (./in-process): undici's client on the
 * caller's side, a socket, Node's HTTP parser and response on the server's side, for a few hundred
 * bytes (the "http" share of an escalation's profile). Here, a POST to a server served in-process
 * takes the same route as the SDK's requests (the same listener, in this thread or, from a handler
 * worker thread, in the main thread), with the same method, path, headers and body bytes, and its
 * answer comes back as a Response with the server's status, headers and body.
 *
 * Only that shape: a URL (string or URL object) on http: to a served address, POST, headers as a
 * plain object, a string or byte body, no signal; anything else (GETs of tests and the demo, other
 * servers) goes through fetch as before. `AMIABLE_LOOPBACK_HTTP=1` turns it off with the rest.
 */
/** What ./in-process routes (its PlainRequest and PlainResponse, as far as this module uses them; no import: ./in-process loads this). */
interface RoutedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string | Uint8Array;
}
interface RoutedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** Statuses whose Response has no body (the Fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

type Route = (url: URL, req: RoutedRequest) => Promise<RoutedResponse> | undefined;

let installed = false;

/** Routes fetch POSTs to served addresses like the SDK's requests (once per thread). */
export function installFetchShortcut(served: (host: string) => boolean, enabled: () => boolean, route: Route): void {
  if (installed || typeof globalThis.fetch !== 'function') return;
  installed = true;
  const original = globalThis.fetch;
  const shortcut = function fetch(input: Parameters<typeof original>[0], init?: Parameters<typeof original>[1]): ReturnType<typeof original> {
    const url = typeof input === 'string' ? safeUrl(input) : input instanceof URL ? input : undefined;
    const pending = url && init ? routed(url, init, served, enabled, route) : undefined;
    if (!pending) return original(input, init);
    return pending.then((r) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      return new Response(NULL_BODY.has(r.status) ? null : r.body, { status: r.status, headers });
    });
  };
  globalThis.fetch = shortcut as typeof original;
}

function routed(url: URL, init: RequestInit, served: (host: string) => boolean, enabled: () => boolean, route: Route): Promise<RoutedResponse> | undefined {
  if (url.protocol !== 'http:' || !enabled() || (init.method ?? 'GET').toUpperCase() !== 'POST' || init.signal) return undefined;
  if (!served(`${url.hostname}:${url.port}`)) return undefined;
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined;
  const given = init.headers;
  if (given !== undefined && (typeof given !== 'object' || given instanceof Headers || Array.isArray(given))) return undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(given ?? {})) headers[k.toLowerCase()] = String(v);
  return route(url, { method: 'POST', path: `${url.pathname || '/'}${url.search}`, headers, body: body ?? undefined });
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
