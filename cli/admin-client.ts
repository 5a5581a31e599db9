/**
 * The CLI's HTTP client for the admin API: a thin layer over fetch. Locally it sends the admin key
 * (x-admin-key); on AWS it signs each request with SigV4 (service execute-api) using the default
 * AWS credential chain (environment, shared profile, SSO, instance role...), since API Gateway
 * authorizes the admin routes with IAM.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface ConnectionOptions {
  endpoint?: string;
  adminKey?: string;
  region?: string;
}

/** The API answered with an error (its contract format: { error: { code, message, details } }). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
  ) {
    super(body?.error?.message ?? `HTTP ${status}`);
  }
}

/** A mistake in how the CLI was called (exit code 2). */
export class UsageError extends Error {}

/** SHA-256 (and HMAC-SHA-256 when given a secret) for the SigV4 signer, on node:crypto. */
class NodeSha256 {
  private hash!: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.reset();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * The API's base URL from --endpoint, which may be the API URL (locally http://127.0.0.1:3000, on
 * AWS the ApiUrl output) or the stack's AdminEndpoint output (the same URL + "/admin"): request
 * paths start with /admin/ themselves.
 */
export function apiBase(endpoint: string): URL {
  let base: URL;
  try {
    base = new URL(endpoint.replace(/\/+$/, '') + '/');
  } catch {
    throw new UsageError(`--endpoint is not a URL: ${endpoint}`);
  }
  if (base.pathname.endsWith('/admin/')) base.pathname = base.pathname.slice(0, -'admin/'.length);
  return base;
}

/** The region of an execute-api endpoint (https://<id>.execute-api.<region>.amazonaws.com/v1). */
export function regionOfEndpoint(url: URL): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
}

export class AdminClient {
  private readonly base: URL;
  private signer?: SignatureV4;

  constructor(private readonly opts: ConnectionOptions) {
    const endpoint = opts.endpoint ?? process.env.AMIABLE_ADMIN_URL;
    if (!endpoint) throw new UsageError('no endpoint: pass --endpoint <url> or set AMIABLE_ADMIN_URL (locally the API URL, e.g. http://127.0.0.1:3000; on AWS the stack\'s AdminEndpoint output)');
    this.base = apiBase(endpoint);
  }

  private adminKey(): string | undefined {
    return this.opts.adminKey ?? (process.env.AMIABLE_ADMIN_KEY || undefined);
  }

  private signerFor(url: URL): SignatureV4 {
    if (!this.signer) {
      const region = this.opts.region ?? regionOfEndpoint(url) ?? process.env.AWS_REGION;
      if (!region) throw new UsageError('cannot tell the AWS region from the endpoint: pass --region');
      this.signer = new SignatureV4({ service: 'execute-api', region, credentials: defaultProvider(), sha256: NodeSha256 });
    }
    return this.signer;
  }

  /** Calls the admin API; resolves with the parsed JSON body (null for 204), or throws ApiError. */
  async request<T = any>(method: string, path: string, body?: unknown, query: Record<string, string | undefined> = {}): Promise<T> {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = { accept: 'application/json', host: url.host };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const adminKey = this.adminKey();
    if (adminKey) {
      headers['x-admin-key'] = adminKey;
    } else {
      const signed = await this.signerFor(url).sign({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams.entries()),
        headers,
        body: payload,
      });
      headers = signed.headers as Record<string, string>;
    }
    const { host: _host, ...sent } = headers; // fetch sets Host itself
    let res: Response;
    try {
      res = await fetch(url, { method, headers: sent, body: payload });
    } catch (e) {
      throw new Error(`cannot reach ${this.base.origin}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    const text = await res.text();
    let parsed: any = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { error: { code: 'not_json', message: text.slice(0, 500), details: [] } };
      }
    }
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed as T;
  }
}
