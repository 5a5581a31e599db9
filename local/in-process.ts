/**
 * Local mode's loopback servers (the DynamoDB stream layer and dynalite, the Step Functions,
 * EventBridge, SQS and SES endpoints, the Object Lock layer) answered the handlers' SDK calls over
 * real HTTP: every call paid for a socket write and read, the HTTP parser on both ends and the
 * keep-alive agent's bookkeeping (~8 % of a bench run's CPU, more with the stream layer's three
 * requests per write). Here, a request the AWS SDK sends to one of these servers is handed to the
 * server's own request listener in this process instead, with a request and a response object that
 * carry the same method, path, headers and bytes: the SDK still builds, signs and parses every
 * call (its middleware, retries and fault injection run unchanged), and each server still parses
 * and answers it as it would a socket's. Only the transport differs, in local mode only: what
 * runs on AWS never loads this module.
 *
 * How: `serveInProcess(server)` registers a listening server by its loopback address; the SDK's
 * Node HTTP handler (@smithy/node-http-handler, which every client of this process uses) is patched
 * once to send a request whose host and port name a registered server to that server's listener,
 * and everything else (s3rver, the SES emulator, anything not registered) over the network as
 * before. `AMIABLE_LOOPBACK_HTTP=1` turns the shortcut off (real HTTP everywhere, to compare).
 */
import type * as http from 'node:http';
import { Readable, Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { installFetchShortcut } from './in-process-fetch';

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * A server's answer to a whole request without request and response objects (./dynalite-direct,
 * ./dynamodb-stream); undefined hands that request to its listener.
 */
export type DirectAnswer = (req: PlainRequest) => Promise<PlainResponse> | undefined;

/** Registered servers by "127.0.0.1:<port>". */
const servers = new Map<string, { listener: Listener; answer?: DirectAnswer }>();
/** Bumped whenever a server registers or goes away (handler workers learn the new set: servedAddresses). */
let servedVersion = 0;

/**
 * The addresses served in-process, and a version that changes with them: local/handler-workers.ts
 * passes the set to its worker threads, whose SDK calls to these addresses come to this thread.
 */
export function servedAddresses(): { version: number; addresses: string[] } {
  return { version: servedVersion, addresses: [...servers.keys()] };
}

/**
 * Read when a server registers (or at first use), not on each request: a read of process.env is a
 * native call (~2 µs), and each request asked four or five times (1.6 % of a replayed
 * escalation's DynamoDB CPU).
 */
let enabled: boolean | undefined;
const readEnabled = () => (enabled = process.env.AMIABLE_LOOPBACK_HTTP !== '1');

export function inProcessEnabled(): boolean {
  return enabled ?? readEnabled();
}

/**
 * Serves SDK requests to this listening server in-process (until it closes), by `answer` first
 * when given. Returns the server.
 */
export function serveInProcess<T extends http.Server>(server: T, answer?: DirectAnswer): T {
  const { address, port } = server.address() as AddressInfo;
  const id = `${address}:${port}`;
  const listener = server.listeners('request')[0] as Listener | undefined;
  if (!listener) throw new Error('serveInProcess: the server has no request listener');
  readEnabled();
  const entry = { listener, answer };
  servers.set(id, entry);
  servedVersion++;
  server.once('close', () => {
    if (servers.get(id) === entry) {
      servers.delete(id);
      servedVersion++;
    }
  });
  installSdkShortcut((host) => servers.has(host), requestInProcess);
  return server;
}

/** The listener of the server registered at this URL's host and port, if the shortcut serves it. */
export function inProcessListener(url: URL): Listener | undefined {
  return inProcessEnabled() ? servers.get(`${url.hostname}:${url.port}`)?.listener : undefined;
}

/** A request as the SDK's handler describes it, for `requestInProcess` (or another thread's). */
export interface PlainRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer | Uint8Array | string | Readable;
}

export interface PlainResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request to a registered server, in-process: undefined when no server is registered at
 * that URL's host and port (or the shortcut is off), so the caller goes over HTTP.
 */
export function requestInProcess(
  url: URL,
  req: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body?: Buffer | Uint8Array | string | Readable },
): Promise<PlainResponse> | undefined {
  if (!inProcessEnabled()) return undefined;
  const served = servers.get(`${url.hostname}:${url.port}`);
  if (!served) return undefined;
  let answered: Promise<PlainResponse> | undefined;
  try {
    answered = served.answer?.(req);
  } catch (e) {
    return Promise.reject(e);
  }
  if (answered) return answered;
  const { listener } = served;
  return new Promise<PlainResponse>((resolve, reject) => {
    const incoming = fakeRequest(req.method, req.path, req.headers, req.body);
    const response = new CollectedResponse(resolve);
    response.on('error', reject);
    try {
      listener(incoming, response as unknown as http.ServerResponse);
    } catch (e) {
      reject(e);
    }
  });
}

/** What a server's listener reads of an http.IncomingMessage. */
function fakeRequest(
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer | Uint8Array | string | Readable | undefined,
): http.IncomingMessage {
  const stream: Readable = body instanceof Readable ? body : Readable.from(body === undefined || body.length === 0 ? [] : [bytesOf(body)], { objectMode: false });
  const lower: http.IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lower[k.toLowerCase()] = v as string;
  const req = stream as unknown as http.IncomingMessage & { complete: boolean };
  Object.assign(req, { method, url: path, headers: lower, httpVersion: '1.1', complete: false, socket: { remoteAddress: '127.0.0.1' }, connection: { remoteAddress: '127.0.0.1' } });
  stream.once('end', () => (req.complete = true));
  return req;
}

/**
 * The body's bytes, without copying a Uint8Array (the SDK's JSON bodies are a Uint8Array subclass
 * whose valueOf() is a string: Buffer.from(body) would decode and re-encode it, with a warning).
 */
function bytesOf(body: Buffer | Uint8Array | string): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** What a server's listener writes on an http.ServerResponse, collected whole. */
class CollectedResponse extends Writable {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  private readonly headers = new Map<string, string | number | string[]>();
  private readonly chunks: Buffer[] = [];

  constructor(private readonly done: (r: PlainResponse) => void) {
    super();
    this.once('finish', () => {
      this.headersSent = true;
      const headers: http.IncomingHttpHeaders = {};
      for (const [k, v] of this.headers) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
      this.done({ status: this.statusCode, headers, body: Buffer.concat(this.chunks) });
    });
  }

  setHeader(name: string, value: string | number | string[]): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }
  getHeader(name: string) {
    return this.headers.get(name.toLowerCase());
  }
  getHeaders() {
    return Object.fromEntries(this.headers);
  }
  getHeaderNames() {
    return [...this.headers.keys()];
  }
  hasHeader(name: string) {
    return this.headers.has(name.toLowerCase());
  }
  removeHeader(name: string) {
    this.headers.delete(name.toLowerCase());
  }
  writeHead(status: number, message?: string | http.OutgoingHttpHeaders | string[], headers?: http.OutgoingHttpHeaders | string[]): this {
    this.statusCode = status;
    if (typeof message === 'string') this.statusMessage = message;
    else headers = message;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
    } else if (headers) {
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) this.setHeader(k, v as string);
    }
    this.headersSent = true;
    return this;
  }
  flushHeaders() {
    this.headersSent = true;
  }
  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (e?: Error | null) => void): void {
    this.headersSent = true;
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    callback();
  }
}

/**
 * The signature of a request served in-process, when its service is not S3: dynalite, the stream
 * layer, the Step Functions, EventBridge and SQS endpoints and the SES outbox check that an Authorization header of
 * the AWS4-HMAC-SHA256 form is there (as AWS answers an unsigned request), never the signature
 * itself, and computing it (a SHA-256 of every body, the canonical request, an HMAC) was ~2.5 %
 * of a bench escalation's CPU. The signer still runs as the SDK calls it (credentials, region,
 * x-amz-date, the scope and the signed-header list, as a real signature has them); only the hex
 * digest is a fixed placeholder. S3 is signed for real: s3rver, behind the Object Lock layer,
 * verifies signatures. Over loopback HTTP (AMIABLE_LOOPBACK_HTTP=1) every request is signed.
 */
function signInProcessRequestsCheaply(served: (host: string) => boolean): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SignatureV4 } = require('@smithy/signature-v4') as typeof import('@smithy/signature-v4');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HttpRequest } = require('@smithy/core/protocols') as { HttpRequest: { clone<T extends { headers: Record<string, string> }>(r: T): T } };
  type Signer = InstanceType<typeof SignatureV4> & {
    service: string;
    credentialProvider: () => Promise<{ accessKeyId: string; sessionToken?: string }>;
    regionProvider: () => Promise<string>;
    validateResolvedCredentials(c: unknown): void;
    formatDate(d: Date): { longDate: string; shortDate: string };
  };
  type Request = { protocol?: string; hostname?: string; port?: number; headers: Record<string, string> };
  const proto = SignatureV4.prototype as unknown as { signRequest: (this: Signer, req: Request, opts?: Record<string, unknown>) => Promise<Request> };
  const original = proto.signRequest;
  proto.signRequest = async function signRequest(this: Signer, toSign, opts = {}) {
    const service = (opts.signingService as string | undefined) ?? this.service;
    const local = inProcessEnabled() && toSign.protocol === 'http:' && served(`${toSign.hostname}:${toSign.port}`);
    if (!local || service === 's3') return original.call(this, toSign, opts);
    const credentials = await this.credentialProvider();
    this.validateResolvedCredentials(credentials);
    const region = (opts.signingRegion as string | undefined) ?? (await this.regionProvider());
    const request = HttpRequest.clone(toSign);
    for (const name of Object.keys(request.headers)) if (['authorization', 'x-amz-date', 'date'].includes(name.toLowerCase())) delete request.headers[name];
    const { longDate, shortDate } = this.formatDate((opts.signingDate as Date | undefined) ?? new Date());
    request.headers['x-amz-date'] = longDate;
    if (credentials.sessionToken) request.headers['x-amz-security-token'] = credentials.sessionToken;
    const signed = Object.keys(request.headers).map((h) => h.toLowerCase()).filter((h) => h !== 'user-agent' && h !== 'amz-sdk-invocation-id' && h !== 'amz-sdk-request').sort().join(';');
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${shortDate}/${region}/${service}/aws4_request, SignedHeaders=${signed}, Signature=${'0'.repeat(64)}`;
    return request;
  };
}

let installed = false;

/**
 * Patches the SDK's Node HTTP handler once (see the module comment): a request to an address
 * `served` says is local goes to `route` (this thread's listener, or, in a handler worker thread,
 * the main thread's: local/handler-workers.ts); `route` answering undefined sends it over HTTP.
 */
export function installSdkShortcut(served: (host: string) => boolean, route: (url: URL, req: PlainRequest) => Promise<PlainResponse> | undefined): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NodeHttpHandler } = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
  // The handler's own helpers (same package versions): the query string it would have written.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HttpResponse, buildQueryString } = require('@smithy/core/protocols') as {
    HttpResponse: new (r: { statusCode: number; headers: Record<string, string>; body: unknown }) => Awaited<ReturnType<typeof original>>['response'];
    buildQueryString: (query: Record<string, unknown>) => string;
  };
  signInProcessRequestsCheaply(served);
  // fetch's POSTs to the same servers (two adapters call AWS with fetch) take the same route (./in-process-fetch).
  installFetchShortcut(served, inProcessEnabled, route);
  const original = NodeHttpHandler.prototype.handle;
  NodeHttpHandler.prototype.handle = function handle(this: InstanceType<typeof NodeHttpHandler>, request, options) {
    const url = new URL(`http://${request.hostname}:${request.port ?? 80}`);
    const query = request.query ? buildQueryString(request.query) : '';
    const pending = request.protocol === 'http:' && inProcessEnabled() ? route(url, {
      method: request.method,
      path: query ? `${request.path}?${query}` : request.path,
      headers: request.headers,
      body: request.body,
    }) : undefined;
    if (!pending) return original.call(this, request, options);
    return pending.then((r) => ({
      response: new HttpResponse({ statusCode: r.status, headers: r.headers as Record<string, string>, body: Readable.from([r.body], { objectMode: false }) }),
    }));
  };
}
