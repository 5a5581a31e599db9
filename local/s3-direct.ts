/**
 * The three S3 calls local mode makes all the time (PutObject with a checksum, GetObject,
 * HeadObject), answered by the Object Lock layer (./s3-object-lock) from s3rver's own on-disk
 * store, in this process, instead of being forwarded to s3rver over loopback HTTP. A forwarded
 * call paid for a socket round trip, Koa and its router, a per-request logger, s3rver's
 * authentication middleware and two configuration reads per request (the bucket's website and CORS
 * files, absent): ~8 % of an escalation's CPU for ~16 calls per dossier.
 *
 * Same store, same files, same answers: the object, its `.md5` and its `metadata.json` are written
 * by s3rver's own FilesystemStore (same paths, same metadata kept), read back the same way, and
 * answered with the status and headers s3rver gives (test/local/s3-direct.test.ts compares the two
 * call by call). Anything else, and any call whose answer would depend on what is not handled
 * here, goes to s3rver as before:
 * - another method or subresource, any query parameter but the SDK's `x-id`, a presigned or
 *   unsigned request, an Authorization header s3rver would examine further (not SigV4 for its
 *   S3RVER key), a request time s3rver would refuse (more than 15 minutes off);
 * - Range, conditional (If-*) and CORS (Origin) headers, a website redirect, a storage class s3rver
 *   refuses, a PutObject whose body this layer did not read (no checksum, no lock);
 * - a bucket not seen to exist, or one with a website or CORS configuration (s3rver's middleware
 *   would act on them); any bucket-level call forwarded forgets what is known of buckets;
 * - an object not found (s3rver answers the error), or without its `.md5` (s3rver writes it).
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

type Metadata = Record<string, string | number>;

interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

// s3rver's own classes: the same store layout and metadata rules as the calls it answers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FilesystemStoreClass = require('s3rver/lib/stores/filesystem') as new (dir: string) => FilesystemStore;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Object = require('s3rver/lib/models/object') as {
  new (bucket: string, key: string, content: unknown, metadata: Record<string, unknown>): { metadata: Metadata };
  STORAGE_CLASSES: string[];
  ALLOWED_METADATA: string[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseDate } = require('s3rver/lib/utils') as { parseDate(s: string): Date };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AWSAccount = require('s3rver/lib/models/account') as { registry: Map<string, unknown> };

/** Headers whose presence makes s3rver's answer depend on more than the object. */
const DECLINED_HEADERS = ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'origin', 'x-amz-website-redirect-location'];
const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/[^,\s]*, ?SignedHeaders=[^,\s]+, ?Signature=[0-9a-fA-F]+$/;
const CONTENT_SHA256 = /UNSIGNED-PAYLOAD|STREAMING-AWS4-HMAC-SHA256-PAYLOAD|[0-9A-Fa-f]{64}/;
/** Above this, an object is streamed from its file rather than read whole. */
const READ_WHOLE = 8 * 1024 * 1024;

export interface DirectObject {
  status: number;
  headers: Record<string, string>;
  /** GET: the bytes, or a stream of them; HEAD: none. */
  body?: Buffer | fs.ReadStream;
}

export class S3Direct {
  private readonly store: FilesystemStore;
  /** Buckets seen to exist, without website or CORS configuration. */
  private readonly plainBuckets = new Set<string>();

  constructor(private readonly directory: string) {
    this.store = new FilesystemStoreClass(directory);
  }

  /** A bucket-level call goes to s3rver: what is known of buckets may change. */
  forgetBuckets(): void {
    this.plainBuckets.clear();
  }

  /** Whether a request can be answered here, as far as its method, query and headers go. */
  accepts(req: http.IncomingMessage, query: URLSearchParams): boolean {
    for (const name of query.keys()) if (name !== 'x-id') return false;
    const h = req.headers;
    for (const name of DECLINED_HEADERS) if (h[name] !== undefined) return false;
    const auth = SIGV4.exec(String(h.authorization ?? ''));
    if (!auth || !AWSAccount.registry.has(auth[1])) return false;
    if (!CONTENT_SHA256.test(String(h['x-amz-content-sha256'] ?? ''))) return false;
    const timestamp = h['x-amz-date'] ?? h.date;
    const at = parseDate(String(timestamp)).getTime();
    return !Number.isNaN(at) && Math.abs(Date.now() - at) <= 900_000;
  }

  /** Whether keys of this bucket can be answered here (it exists, no website nor CORS configuration). */
  async plainBucket(bucket: string): Promise<boolean> {
    if (this.plainBuckets.has(bucket)) return true;
    const stat = await fs.promises.stat(path.join(this.directory, bucket)).catch(() => undefined);
    if (!stat?.isDirectory()) return false;
    for (const config of ['website', 'cors']) {
      if (await exists(this.store.getResourcePath(bucket, undefined, `${config}.xml`))) return false;
    }
    this.plainBuckets.add(bucket);
    return true;
  }

  /** GetObject or HeadObject; undefined when s3rver should answer (no such object, no .md5 yet). */
  async read(bucket: string, key: string, head: boolean): Promise<DirectObject | undefined> {
    if (!validKey(key) || !(await this.plainBucket(bucket))) return undefined;
    const objectPath = this.store.getResourcePath(bucket, key, 'object');
    // Small local files, read synchronously: a promise-based open, read and close per file cost
    // more CPU than the reads (this runs on the emulators' thread, which has nothing to wait for).
    const stat = fs.statSync(objectPath, { throwIfNoEntry: false });
    const md5 = stat && readIfThere(`${objectPath}.md5`);
    if (!stat || md5 === undefined) return undefined;
    const text = readIfThere(this.store.getResourcePath(bucket, key, 'metadata.json'));
    const stored = text === undefined ? undefined : (JSON.parse(text) as Metadata);
    // As FilesystemStore.getMetadata and the S3Object it builds (kept headers, default type).
    const object = new S3Object(bucket, key, null, {
      ...stored,
      etag: JSON.stringify(md5),
      'last-modified': stat.mtime.toUTCString(),
      'content-length': stat.size,
    });
    const headers: Record<string, string> = { 'accept-ranges': 'bytes' };
    for (const [name, value] of Object.entries(object.metadata)) headers[name] = String(value);
    headers['content-length'] = String(stat.size);
    if (head) return { status: 200, headers };
    const body = stat.size <= READ_WHOLE ? fs.readFileSync(objectPath) : fs.createReadStream(objectPath);
    if (Buffer.isBuffer(body) && body.length !== stat.size) return undefined; // changed meanwhile: let s3rver read it
    return { status: 200, headers, body };
  }

  /**
   * PutObject of bytes already read (and verified) by the layer, with the headers s3rver would
   * have received; undefined when s3rver should answer.
   */
  async write(bucket: string, key: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<DirectObject | undefined> {
    const storageClass = headers['x-amz-storage-class'];
    if (storageClass !== undefined && !S3Object.STORAGE_CLASSES.includes(String(storageClass))) return undefined;
    if (!validKey(key) || !(await this.plainBucket(bucket))) return undefined;
    const object = new S3Object(bucket, key, body, headers as Record<string, unknown>);
    const objectPath = this.store.getResourcePath(bucket, key, 'object');
    const md5 = createHash('md5').update(body).digest('hex');
    // As FilesystemStore.putObject then putMetadata: the object, its .md5, its metadata.json
    // (synchronously, as reads are). Most keys are new, in a directory of their own: made first
    // (a recursive mkdir of a directory that exists costs a syscall; a write refused for want of
    // its directory cost a thrown error and a second open).
    fs.mkdirSync(path.dirname(objectPath), { recursive: true });
    fs.writeFileSync(objectPath, body);
    fs.writeFileSync(this.store.getResourcePath(bucket, key, 'object.md5'), md5);
    fs.writeFileSync(this.store.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(keptMetadata(object.metadata), null, 2));
    // As Koa answers s3rver's putObject (ctx.etag = md5, ctx.body = '').
    return { status: 200, headers: { etag: `"${md5}"`, 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' } };
  }
}

/** What FilesystemStore.putMetadata keeps of an object's metadata, in its order. */
function keptMetadata(metadata: Metadata): Metadata {
  const kept: Metadata = {};
  for (const name of S3Object.ALLOWED_METADATA) if (name in metadata) kept[name] = metadata[name];
  for (const [name, value] of Object.entries(metadata)) if (name.startsWith('x-amz-meta-')) kept[name] = value;
  return kept;
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Keys s3rver's router names the same way (`/:bucket/:key+`: no empty segment). */
function validKey(key: string): boolean {
  return key.length > 0 && !key.split('/').includes('');
}

function exists(file: string): Promise<boolean> {
  return fs.promises.access(file).then(
    () => true,
    () => false,
  );
}
