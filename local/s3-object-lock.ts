/**
 * Object Lock for local mode. s3rver accepts the lock headers and drops them, so this small
 * loopback HTTP layer sits in front of it (AWS_ENDPOINT_URL_S3 points here) and enforces the lock
 * itself. Everything it does not need to look at is forwarded unchanged and streamed: method,
 * path, query string and headers, `host` included (presigned URLs keep working).
 *
 * What it does, as real S3 does on a versioned Object Lock bucket:
 * - A PutObject (or CopyObject, or CreateMultipartUpload then CompleteMultipartUpload) carrying
 *   `x-amz-object-lock-mode` + `x-amz-object-lock-retain-until-date` records that lock for the key.
 *   Records live in a JSON Lines file when given one (one appended line per change), else in memory.
 * - HeadObject/GetObject of a locked key answer the two lock headers; GetObjectRetention answers
 *   the lock; PutObjectRetention may lengthen it, never shorten it nor turn COMPLIANCE into
 *   GOVERNANCE (GOVERNANCE can be relaxed with `x-amz-bypass-governance-retention: true`).
 * - PutObject verifies `Content-MD5` and `x-amz-checksum-{sha256,sha1,crc32}` (headers, or the
 *   trailer of an aws-chunked body) before anything is stored: a mismatch is 400 BadDigest. An
 *   aws-chunked body is decoded and s3rver receives the plain bytes (it would store the framing).
 *   A lock without any integrity header is refused (400 InvalidRequest), as S3 does.
 * - "Now" is the `now` option: in local mode, the simulated clock.
 *
 * Where it differs from real S3, because s3rver keeps one object per key and no versions:
 * - While the retention runs, an overwrite (PutObject, CopyObject, CompleteMultipartUpload onto the
 *   key) is refused with 403 AccessDenied. S3 would accept it as a new version and keep the old one
 *   locked; here accepting it would replace the locked bytes, so refusing is what keeps them. One
 *   exception: a PutObject of the very same bytes (same SHA-256) is accepted, as the new version S3
 *   would make is indistinguishable; the key keeps the stronger of the two locks. This keeps
 *   idempotent retries (which re-put identical evidence) working as on AWS.
 * - DeleteObject is refused (403 AccessDenied) while the retention runs; S3 would add a delete
 *   marker and keep the locked version. DeleteObjects answers a per-key AccessDenied error for
 *   locked keys (the shape S3 uses for a locked version) and deletes the others.
 * - GOVERNANCE bypass (`x-amz-bypass-governance-retention: true`) is honoured for DeleteObject,
 *   DeleteObjects and PutObjectRetention, with no permission check (everyone is the owner locally).
 * - Every bucket is treated as Object Lock enabled; no bucket default retention; no legal hold; no
 *   version ids (VersionId is ignored, as s3rver does); crc32c/crc64nvme checksums are not checked.
 * - Only path-style requests are served (local mode forces path style); others get 400, since a
 *   virtual-hosted request would name a key this layer does not parse.
 * - A CreateMultipartUpload's lock waits in memory for its completion (lost on restart).
 * - GetObjectRetention on a key without a lock answers NoSuchObjectLockConfiguration, or NoSuchKey
 *   when the object does not exist.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo, isIP } from 'node:net';
import * as os from 'node:os';
import { crc32 } from 'node:zlib';
import { keepIdleConnections } from './loopback';
import { AppendFile } from './append-file';
import { serveInProcess } from './in-process';
import { S3Direct, type DirectObject } from './s3-direct';

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface ObjectLock {
  mode: LockMode;
  /** ISO 8601. */
  retainUntil: string;
  /** Hex SHA-256 of the locked bytes, when this layer saw them (PutObject). */
  sha256?: string;
}

export interface ObjectLockLayerOptions {
  /** s3rver's base URL, e.g. http://127.0.0.1:4568. */
  upstream: string;
  /** The instant retentions are compared with (local mode: the simulated clock, read lazily). */
  now: () => Date;
  /** Where lock records persist (JSON); in memory when absent. */
  file?: string;
  /**
   * s3rver's directory: PutObject, GetObject and HeadObject are then answered from its store here
   * (./s3-direct), the rest forwarded. Absent, or AMIABLE_S3_DIRECT=0: everything is forwarded.
   */
  directory?: string;
}

export interface ObjectLockLayer {
  url: string;
  close(): Promise<void>;
}

/** The name of the records file in the S3 data directory (not a valid bucket name, so s3rver ignores it). */
export const OBJECT_LOCK_FILE = '_object-lock.jsonl';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Query parameters that make a request something other than a plain object call (s3rver's list). */
const SUBRESOURCES = [
  'acl', 'analytics', 'cors', 'delete', 'encryption', 'inventory', 'legal-hold', 'lifecycle', 'location',
  'metrics', 'notification', 'object-lock', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'retention', 'select', 'tagging', 'torrent', 'uploadId', 'uploads', 'versions', 'website',
];

/** Integrity headers this layer verifies, with how to compute each from the body. */
const DIGESTS: Record<string, (body: Buffer) => string> = {
  'content-md5': (b) => createHash('md5').update(b).digest('base64'),
  'x-amz-checksum-sha256': (b) => createHash('sha256').update(b).digest('base64'),
  'x-amz-checksum-sha1': (b) => createHash('sha1').update(b).digest('base64'),
  'x-amz-checksum-crc32': (b) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(b));
    return out.toString('base64');
  },
};

/** An S3 error answer. */
class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Lock records by "bucket/key". With a file they persist as JSON Lines, one line per change
 * (`{"id":…,"lock":{…}}`, or `"lock":null` when a lock is removed; the last line of an id wins),
 * appended: rewriting the whole table on every locked put, as before, wrote O(n^2) bytes over a
 * run of n notices (the bench's 1,000 dossiers put ~4,000 locked objects). The file is compacted
 * (one line per lock) when opened and once it holds several times more lines than locks. A data
 * dir from an earlier version has `_object-lock.json` (the whole table as one object): it is read
 * once, then replaced by the log.
 */
class LockTable {
  private readonly locks = new Map<string, ObjectLock>();
  private lines = 0;
  private readonly out?: AppendFile;

  constructor(private readonly file?: string) {
    if (!file) return;
    this.out = new AppendFile(file);
    const legacy = file.replace(/\.jsonl$/, '.json');
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        let change: { id: string; lock: ObjectLock | null };
        try {
          change = JSON.parse(line);
        } catch {
          continue; // A line cut short by a crash mid-append: the change before it stands.
        }
        if (change.lock) this.locks.set(change.id, change.lock);
        else this.locks.delete(change.id);
      }
    } else if (legacy !== file && fs.existsSync(legacy)) {
      const saved = JSON.parse(fs.readFileSync(legacy, 'utf8')) as { locks: Record<string, ObjectLock> };
      for (const [id, lock] of Object.entries(saved.locks)) this.locks.set(id, lock);
    }
    this.compact();
    if (legacy !== file) fs.rmSync(legacy, { force: true });
  }

  get(id: string): ObjectLock | undefined {
    return this.locks.get(id);
  }

  set(id: string, lock: ObjectLock | undefined): void {
    if (lock) this.locks.set(id, lock);
    else if (!this.locks.delete(id)) return;
    if (!this.file) return;
    this.out?.append(`${JSON.stringify({ id, lock: lock ?? null })}\n`);
    if (++this.lines > 4 * this.locks.size + 1000) this.compact();
  }

  close(): void {
    this.out?.close();
  }

  private compact(): void {
    if (!this.file) return;
    this.out?.close();
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, [...this.locks].map(([id, lock]) => `${JSON.stringify({ id, lock })}\n`).join(''));
    fs.renameSync(tmp, this.file);
    this.lines = this.locks.size;
  }
}

/** Runs changes to the same keys one at a time, in arrival order: a check and its write never interleave. */
class KeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(ids: string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(ids)];
    const before = unique.map((id) => this.tails.get(id));
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    for (const id of unique) this.tails.set(id, mine);
    await Promise.all(before);
    try {
      return await fn();
    } finally {
      done();
      for (const id of unique) if (this.tails.get(id) === mine) this.tails.delete(id);
    }
  }
}

interface Target {
  bucket: string;
  key: string;
  /** "bucket/key", the lock table's id. */
  id: string;
  /** The subresource named in the query string ("retention", "uploads", ...), if any. */
  sub?: string;
  query: URLSearchParams;
}

export async function startObjectLockLayer(opts: ObjectLockLayerOptions): Promise<ObjectLockLayer> {
  const upstream = new URL(opts.upstream);
  const agent = new http.Agent({ keepAlive: true });
  const locks = new LockTable(opts.file);
  const queue = new KeyQueue();
  /** Locks requested by CreateMultipartUpload, applied at completion, by upload id. */
  const uploads = new Map<string, ObjectLock>();
  const direct = opts.directory && process.env.AMIABLE_S3_DIRECT !== '0' ? new S3Direct(opts.directory) : undefined;

  const isActive = (lock: ObjectLock | undefined): lock is ObjectLock =>
    !!lock && Date.parse(lock.retainUntil) > opts.now().getTime();
  /** The lock that forbids destroying this object's bytes now, if any. */
  const protecting = (id: string, req: http.IncomingMessage, bypassable: boolean): ObjectLock | undefined => {
    const lock = locks.get(id);
    if (!isActive(lock)) return undefined;
    const bypass = bypassable && lock.mode === 'GOVERNANCE' && String(req.headers['x-amz-bypass-governance-retention']).toLowerCase() === 'true';
    return bypass ? undefined : lock;
  };
  const refusal = (key: string, lock: ObjectLock) =>
    new S3Failure(403, 'AccessDenied', `Access Denied because object protected by Object Lock (${lock.mode} until ${lock.retainUntil}).`, { Key: key });

  /** The lock a request asks for through the x-amz-object-lock-* headers, validated as S3 does. */
  function requestedLock(req: http.IncomingMessage): ObjectLock | undefined {
    const mode = req.headers['x-amz-object-lock-mode'];
    const until = req.headers['x-amz-object-lock-retain-until-date'];
    if (mode === undefined && until === undefined) return undefined;
    if (mode === undefined || typeof until !== 'string') {
      throw new S3Failure(400, 'InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
    }
    if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw new S3Failure(400, 'InvalidArgument', 'Unknown wormMode directive.');
    return { mode, retainUntil: futureInstant(until) };
  }

  function futureInstant(text: string): string {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new S3Failure(400, 'InvalidArgument', 'The retain until date is not a valid ISO 8601 instant.');
    if (at <= opts.now().getTime()) throw new S3Failure(400, 'InvalidArgument', 'The retain until date must be in the future!');
    return new Date(at).toISOString();
  }

  /** Sends a request to s3rver; resolves with its response (headers received). */
  function forward(
    req: http.IncomingMessage,
    over: { method?: string; path?: string; headers?: http.IncomingHttpHeaders; body?: Buffer } = {},
  ): Promise<http.IncomingMessage> {
    // A bucket-level change through s3rver (a bucket, its configuration): ./s3-direct checks buckets again.
    if (direct && (over.method ?? req.method) !== 'GET' && (over.method ?? req.method) !== 'HEAD' && !target(req)?.key) direct.forgetBuckets();
    return new Promise((resolve, reject) => {
      const headers = { ...(over.headers ?? req.headers) };
      delete headers.expect; // this layer already answered 100-continue; the body follows at once
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: over.method ?? req.method, path: over.path ?? req.url, headers, agent },
        resolve,
      );
      out.on('error', reject);
      if (over.body) out.end(over.body);
      else if (over.method === 'HEAD') out.end();
      else {
        // A client that goes away mid-body must not leave s3rver (and the key's queue) waiting.
        req.on('close', () => req.complete || out.destroy(new Error('client closed the request')));
        req.pipe(out);
      }
    });
  }

  function relay(up: http.IncomingMessage, res: http.ServerResponse, extra: http.OutgoingHttpHeaders = {}): void {
    res.writeHead(up.statusCode ?? 502, { ...up.headers, ...extra });
    res.on('close', () => up.complete || up.destroy());
    up.pipe(res);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!pathStyle(req)) {
      throw new S3Failure(400, 'InvalidRequest', 'The local S3 endpoint serves path-style requests only (forcePathStyle).');
    }
    const t = target(req);
    const method = req.method;
    if (t?.key) {
      if (t.sub === 'retention' && method === 'GET') return getRetention(req, res, t);
      if (t.sub === 'retention' && method === 'PUT') return queue.run([t.id], () => putRetention(req, res, t));
      if (!t.sub && (method === 'GET' || method === 'HEAD')) return read(req, res, t);
      if (!t.sub && method === 'PUT') return queue.run([t.id], () => putObject(req, res, t));
      if (!t.sub && method === 'DELETE') return queue.run([t.id], () => deleteObject(req, res, t));
      if (t.sub === 'uploads' && method === 'POST') return createUpload(req, res);
      if (t.sub === 'uploadId' && method === 'POST') return queue.run([t.id], () => completeUpload(req, res, t));
    } else if (t?.sub === 'delete' && method === 'POST') {
      return deleteObjects(req, res, t);
    }
    relay(await forward(req), res);
  }

  /** Sends an answer of ./s3-direct, with the headers s3rver's answers carry through relay. */
  function sendDirect(res: http.ServerResponse, answer: DirectObject, extra: http.OutgoingHttpHeaders = {}): void {
    res.writeHead(answer.status, { ...answer.headers, date: new Date().toUTCString(), connection: 'keep-alive', ...extra });
    if (answer.body instanceof fs.ReadStream) {
      res.on('close', () => answer.body instanceof fs.ReadStream && answer.body.destroy());
      answer.body.pipe(res);
    } else res.end(answer.body);
  }

  async function read(req: http.IncomingMessage, res: http.ServerResponse, t: Target): Promise<void> {
    if (direct?.accepts(req, t.query)) {
      const answer = await direct.read(t.bucket, t.key, req.method === 'HEAD');
      if (answer) {
        req.resume();
        const lock = locks.get(t.id);
        return sendDirect(res, answer, lock ? { 'x-amz-object-lock-mode': lock.mode, 'x-amz-object-lock-retain-until-date': lock.retainUntil } : {});
      }
    }
    const up = await forward(req);
    const lock = locks.get(t.id);
    const found = up.statusCode === 200 || up.statusCode === 206;
    relay(up, res, lock && found ? { 'x-amz-object-lock-mode': lock.mode, 'x-amz-object-lock-retain-until-date': lock.retainUntil } : {});
  }

  /** PutObject and CopyObject. */
  async function putObject(req: http.IncomingMessage, res: http.ServerResponse, t: Target): Promise<void> {
    const copy = req.headers['x-amz-copy-source'] !== undefined;
    const wanted = requestedLock(req);
    if (wanted && !copy && !hasIntegrityHeader(req.headers)) {
      throw new S3Failure(400, 'InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
    }
    const held = protecting(t.id, req, false);
    if (held && copy) throw refusal(t.key, held);

    // The body is read whole only when it must be hashed or decoded; otherwise it streams through.
    let plain: { body: Buffer; headers: http.IncomingHttpHeaders; verified: Record<string, string> } | undefined;
    if (!copy && (wanted || held || isAwsChunked(req.headers) || hasIntegrityHeader(req.headers))) {
      plain = plainBody(req.headers, await readAll(req));
    }
    // The SHA-256 the lock record keeps: the checksum just verified when the client sent one (the vault's PUTs do).
    const verifiedSha256 = plain?.verified['x-amz-checksum-sha256'];
    const sha256 = plain && (verifiedSha256 ? Buffer.from(verifiedSha256.trim(), 'base64').toString('hex') : createHash('sha256').update(plain.body).digest('hex'));
    // An overwrite would destroy locked bytes (no versions here); the same bytes again are harmless.
    if (held && sha256 !== held.sha256) throw refusal(t.key, held);

    const answer = plain && !copy && direct?.accepts(req, t.query) ? await direct.write(t.bucket, t.key, plain.headers, plain.body) : undefined;
    if (answer) {
      locks.set(t.id, held ? stronger(held, wanted) : wanted && { ...wanted, sha256 });
      return sendDirect(res, answer, plain!.verified);
    }
    const up = await forward(req, plain);
    if (up.statusCode === 200) {
      // The new object's lock; an identical re-put keeps the stronger one; no lock clears an expired record.
      locks.set(t.id, held ? stronger(held, wanted) : wanted && { ...wanted, sha256 });
    }
    relay(up, res, up.statusCode === 200 ? plain?.verified : {});
  }

  async function deleteObject(req: http.IncomingMessage, res: http.ServerResponse, t: Target): Promise<void> {
    const held = protecting(t.id, req, true);
    if (held) throw refusal(t.key, held);
    const up = await forward(req);
    if (up.statusCode! < 300) locks.set(t.id, undefined);
    relay(up, res);
  }

  /** DeleteObjects: locked keys get a per-key AccessDenied error, the others are deleted by s3rver. */
  async function deleteObjects(req: http.IncomingMessage, res: http.ServerResponse, t: Target): Promise<void> {
    const raw = await readAll(req);
    const objects = [...raw.toString('utf8').matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
      xml: m[0],
      key: xmlUnescape(/<Key>([\s\S]*?)<\/Key>/.exec(m[1])?.[1] ?? ''),
    }));
    const idOf = (key: string) => `${t.bucket}/${key}`;
    await queue.run(objects.map((o) => idOf(o.key)), async () => {
      const refused = objects.flatMap((o) => {
        const lock = protecting(idOf(o.key), req, true);
        return lock ? [{ key: o.key, lock }] : [];
      });
      const allowed = objects.filter((o) => !refused.some((r) => r.key === o.key));
      let up: http.IncomingMessage | undefined;
      if (refused.length === 0) {
        up = await forward(req, { body: raw });
      } else if (allowed.length > 0) {
        const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(raw.toString('utf8')) ? '<Quiet>true</Quiet>' : '';
        const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="${S3_NS}">${quiet}${allowed.map((o) => o.xml).join('')}</Delete>`);
        const headers = withoutIntegrityHeaders(req.headers);
        headers['content-length'] = String(body.length);
        up = await forward(req, { headers, body });
      }
      if (up && up.statusCode !== 200) return relay(up, res);
      for (const o of allowed) locks.set(idOf(o.key), undefined);
      if (refused.length === 0) return relay(up!, res);

      const done = up ? /<DeleteResult[^>]*>([\s\S]*)<\/DeleteResult>/.exec((await readAll(up)).toString('utf8'))?.[1] ?? '' : '';
      const errors = refused.map(({ key, lock }) => {
        const e = refusal(key, lock);
        return `<Error><Key>${xmlEscape(key)}</Key><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error>`;
      });
      sendXml(res, 200, `<DeleteResult xmlns="${S3_NS}">${done}${errors.join('')}</DeleteResult>`);
    });
  }

  async function createUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const wanted = requestedLock(req);
    const up = await forward(req);
    if (!wanted || up.statusCode !== 200) return relay(up, res);
    const body = await readAll(up);
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(body.toString('utf8'))?.[1];
    if (uploadId) uploads.set(uploadId, wanted);
    const headers = { ...up.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    res.writeHead(200, headers).end(body);
  }

  async function completeUpload(req: http.IncomingMessage, res: http.ServerResponse, t: Target): Promise<void> {
    const held = protecting(t.id, req, false);
    if (held) throw refusal(t.key, held);
    const uploadId = t.query.get('uploadId') ?? '';
    const up = await forward(req);
    if (up.statusCode === 200) {
      locks.set(t.id, uploads.get(uploadId));
      uploads.delete(uploadId);
    }
    relay(up, res);
  }

  async function getRetention(req: http.IncomingMessage, res: http.ServerResponse, t: Target): Promise<void> {
    req.resume();
    const lock = locks.get(t.id);
    if (!lock) {
      if (!(await exists(req))) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.', { Key: t.key });
      throw new S3Failure(404, 'NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration');
    }
    sendXml(res, 200, `<Retention xmlns="${S3_NS}"><Mode>${lock.mode}</Mode><RetainUntilDate>${lock.retainUntil}</RetainUntilDate></Retention>`);
  }

  async function putRetention(req: http.IncomingMessage, res: http.ServerResponse, t: Target): Promise<void> {
    const xml = (await readAll(req)).toString('utf8');
    if (!(await exists(req))) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.', { Key: t.key });
    const mode = /<Mode>\s*([^<]*?)\s*<\/Mode>/.exec(xml)?.[1];
    const until = /<RetainUntilDate>\s*([^<]*?)\s*<\/RetainUntilDate>/.exec(xml)?.[1];
    if (!/<Retention[\s>/]/.test(xml) || (mode === undefined) !== (until === undefined)) {
      throw new S3Failure(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    }
    if (mode !== undefined && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw new S3Failure(400, 'MalformedXML', `Unknown retention mode ${mode}`);
    const current = locks.get(t.id);
    const next: ObjectLock | undefined = mode ? { mode, retainUntil: futureInstant(until!), sha256: current?.sha256 } : undefined;
    // While a retention runs it may only grow: later date, or GOVERNANCE to COMPLIANCE.
    const held = protecting(t.id, req, true);
    if (held && (!next || next.retainUntil < held.retainUntil || (held.mode === 'COMPLIANCE' && next.mode === 'GOVERNANCE'))) {
      throw refusal(t.key, held);
    }
    locks.set(t.id, next);
    res.writeHead(200, { 'content-length': '0' }).end();
  }

  /** Whether the object exists in s3rver (a HEAD on its path). */
  async function exists(req: http.IncomingMessage): Promise<boolean> {
    const headers = withoutIntegrityHeaders(req.headers);
    delete headers['content-length'];
    delete headers['content-type'];
    const up = await forward(req, { method: 'HEAD', path: (req.url ?? '/').split('?')[0], headers });
    up.resume();
    return up.statusCode === 200;
  }

  const server = keepIdleConnections(http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      req.resume(); // drain an unread body so the connection stays usable
      if (res.headersSent) return void res.destroy(e as Error);
      const f = e instanceof S3Failure ? e : new S3Failure(502, 'InternalError', `local S3 layer: ${(e as Error)?.message ?? e}`);
      const fields = Object.entries(f.fields).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
      sendXml(res, f.status, `<Error><Code>${f.code}</Code><Message>${xmlEscape(f.message)}</Message>${fields}</Error>`, req.method === 'HEAD');
    });
  }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveInProcess(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          locks.close();
          resolve();
        });
        agent.destroy();
      }),
  };
}

function target(req: http.IncomingMessage): Target | undefined {
  const url = new URL(req.url ?? '/', 'http://local');
  const [, bucket = '', ...rest] = url.pathname.split('/');
  if (!bucket) return undefined;
  let decoded: [string, string];
  try {
    decoded = [decodeURIComponent(bucket), decodeURIComponent(rest.join('/'))];
  } catch {
    return undefined; // s3rver will answer it
  }
  const subs = SUBRESOURCES.filter((p) => url.searchParams.has(p));
  const [b, key] = decoded;
  // Conflicting subresources: s3rver refuses the request; let it.
  return { bucket: b, key, id: `${b}/${key}`, sub: subs.length > 1 ? 'conflicting' : subs[0], query: url.searchParams };
}

/** What s3rver treats as a path-style request: its host is an IP address, localhost or this machine. */
function pathStyle(req: http.IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return !host || isIP(host) !== 0 || host === 'localhost' || host === os.hostname();
}

function isAwsChunked(h: http.IncomingHttpHeaders): boolean {
  return /aws-chunked/i.test(String(h['content-encoding'] ?? '')) || String(h['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
}

function hasIntegrityHeader(h: http.IncomingHttpHeaders): boolean {
  return (
    h['content-md5'] !== undefined ||
    Object.keys(h).some((k) => k.startsWith('x-amz-checksum-') && k !== 'x-amz-checksum-type') ||
    /x-amz-checksum-/i.test(String(h['x-amz-trailer'] ?? ''))
  );
}

function withoutIntegrityHeaders(h: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const out = { ...h };
  for (const k of Object.keys(out)) if (k === 'content-md5' || k.startsWith('x-amz-checksum-') || k === 'x-amz-sdk-checksum-algorithm') delete out[k];
  return out;
}

/**
 * The bytes to store and the headers to send s3rver with them: an aws-chunked body is decoded (its
 * trailer checksum kept for verification), then every integrity value we can compute is checked.
 * s3rver does not check SigV4 signatures, so rewriting signed headers here is harmless.
 */
function plainBody(
  h: http.IncomingHttpHeaders,
  raw: Buffer,
): { body: Buffer; headers: http.IncomingHttpHeaders; verified: Record<string, string> } {
  let body = raw;
  const headers = { ...h };
  const claims: Record<string, string> = {};
  for (const name of Object.keys(DIGESTS)) if (typeof h[name] === 'string') claims[name] = h[name] as string;
  if (isAwsChunked(h)) {
    const decoded = decodeAwsChunked(raw);
    body = decoded.body;
    const declared = h['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length) {
      throw new S3Failure(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    }
    for (const name of Object.keys(DIGESTS)) if (decoded.trailers[name]) claims[name] = decoded.trailers[name];
    const encodings = String(h['content-encoding'] ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked');
    if (encodings.length) headers['content-encoding'] = encodings.join(',');
    else delete headers['content-encoding'];
    for (const k of ['x-amz-decoded-content-length', 'x-amz-trailer']) delete headers[k];
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  }
  delete headers['transfer-encoding'];
  headers['content-length'] = String(body.length);
  for (const [name, claimed] of Object.entries(claims)) {
    if (DIGESTS[name](body) !== claimed.trim()) {
      const what = name === 'content-md5' ? 'Content-MD5' : name.slice('x-amz-checksum-'.length).toUpperCase();
      throw new S3Failure(400, 'BadDigest', `The ${what} you specified did not match the calculated checksum.`);
    }
  }
  const verified = Object.fromEntries(Object.entries(claims).filter(([name]) => name !== 'content-md5'));
  return { body, headers, verified };
}

/** `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0…\r\n[trailer: value\r\n]…\r\n`. */
function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', pos);
    const size = eol < 0 ? NaN : parseInt(raw.toString('latin1', pos, eol).split(';')[0], 16);
    if (!(size >= 0) || eol + 2 + size > raw.length) throw new S3Failure(400, 'IncompleteBody', 'Malformed aws-chunked body.');
    pos = eol + 2;
    if (size === 0) break;
    parts.push(raw.subarray(pos, pos + size));
    pos += size + 2; // the chunk's CRLF
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.toString('latin1', pos).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}

/** The stronger of a held lock and one asked again for the same bytes: later date, COMPLIANCE wins. */
function stronger(held: ObjectLock, wanted: ObjectLock | undefined): ObjectLock {
  if (!wanted) return held;
  return {
    mode: held.mode === 'COMPLIANCE' || wanted.mode === 'COMPLIANCE' ? 'COMPLIANCE' : 'GOVERNANCE',
    retainUntil: Date.parse(wanted.retainUntil) > Date.parse(held.retainUntil) ? wanted.retainUntil : held.retainUntil,
    sha256: held.sha256,
  };
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('close', () => reject(new Error('stream closed before its end'))); // no-op after 'end'
  });
}

function sendXml(res: http.ServerResponse, status: number, xml: string, headOnly = false): void {
  const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(body.length) });
  res.end(headOnly ? undefined : body);
}

function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

function xmlUnescape(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (named[e] ?? m),
  );
}
