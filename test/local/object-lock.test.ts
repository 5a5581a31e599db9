import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectCommandInput,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type Emulators } from '../../local/emulators';
import { OBJECT_LOCK_FILE } from '../../local/s3-object-lock';
import { invoice, useLocalSystem } from '../support/local-client';

const DAY = 86_400_000;
const Bucket = 'evidence-lock-test';

const sha256 = (b: Uint8Array, enc: 'hex' | 'base64') => createHash('sha256').update(b).digest(enc);

/** The error a call fails with (the test fails if it succeeds). */
async function failure(p: Promise<unknown>): Promise<any> {
  const outcome = await p.then(
    () => ({ ok: true as const }),
    (e) => ({ ok: false as const, e }),
  );
  if (outcome.ok) throw new Error('expected the call to be refused, it succeeded');
  return outcome.e;
}

/**
 * s3rver has no Object Lock; local mode's S3 layer enforces it. Real SDK calls against the real
 * emulators, with an injected "now" standing for the simulated clock.
 */
describe('Object Lock enforced by the local S3 layer', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-lock-'));
  let now = new Date('2026-04-04T10:00:00Z');
  let emulators: Emulators;
  let s3: S3Client;

  async function start() {
    emulators = await startEmulators({ dataDir, now: () => now });
    s3 = new S3Client({
      region: 'eu-west-3',
      endpoint: emulators.s3Url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      // As local mode configures the handlers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }
  async function stop() {
    s3.destroy();
    await emulators.stop();
  }
  beforeAll(async () => {
    await start();
    await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  });
  afterAll(async () => {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const inDays = (days: number) => new Date(now.getTime() + days * DAY);
  /** A PutObject as the product's evidence store sends it: the SHA-256 as the S3 checksum, a lock. */
  const putLocked = (Key: string, body: Buffer, until: Date, mode: 'COMPLIANCE' | 'GOVERNANCE' = 'COMPLIANCE', more: Partial<PutObjectCommandInput> = {}) =>
    s3.send(
      new PutObjectCommand({ Bucket, Key, Body: body, ChecksumSHA256: sha256(body, 'base64'), ObjectLockMode: mode, ObjectLockRetainUntilDate: until, ...more }),
    );
  const put = (Key: string, body: Buffer) => s3.send(new PutObjectCommand({ Bucket, Key, Body: body }));
  const read = async (Key: string) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
  const exists = (Key: string) =>
    s3.send(new HeadObjectCommand({ Bucket, Key })).then(
      () => true,
      (e) => (e.name === 'NotFound' ? false : Promise.reject(e)),
    );
  const expectDenied = async (p: Promise<unknown>) => {
    const e = await failure(p);
    expect(e.name).toBe('AccessDenied');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.message).toMatch(/Object Lock/);
  };

  it('refuses an overwrite, a copy onto it, a delete and a batch delete of a locked object', async () => {
    const original = Buffer.from('From: a@b.example\r\n\r\nMise en demeure\r\n');
    await putLocked('dossiers/d1/notice.eml', original, inDays(30));
    await put('scratch/other.txt', Buffer.from('other'));

    await expectDenied(put('dossiers/d1/notice.eml', Buffer.from('forged')));
    await expectDenied(putLocked('dossiers/d1/notice.eml', Buffer.from('forged'), inDays(60)));
    await expectDenied(s3.send(new CopyObjectCommand({ Bucket, Key: 'dossiers/d1/notice.eml', CopySource: `${Bucket}/scratch/other.txt` })));
    await expectDenied(s3.send(new DeleteObjectCommand({ Bucket, Key: 'dossiers/d1/notice.eml' })));
    // COMPLIANCE cannot be bypassed.
    await expectDenied(s3.send(new DeleteObjectCommand({ Bucket, Key: 'dossiers/d1/notice.eml', BypassGovernanceRetention: true })));

    // A batch: the locked key answers a per-key AccessDenied, the others are deleted.
    const batch = await s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'dossiers/d1/notice.eml' }, { Key: 'scratch/other.txt' }] } }),
    );
    expect(batch.Errors).toEqual([expect.objectContaining({ Key: 'dossiers/d1/notice.eml', Code: 'AccessDenied', Message: expect.stringMatching(/Object Lock/) })]);
    expect(batch.Deleted?.map((d) => d.Key)).toEqual(['scratch/other.txt']);
    expect(await exists('scratch/other.txt')).toBe(false);
    // Only locked keys: nothing reaches s3rver.
    const lockedOnly = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'dossiers/d1/notice.eml' }] } }));
    expect(lockedOnly.Errors?.map((e) => [e.Key, e.Code])).toEqual([['dossiers/d1/notice.eml', 'AccessDenied']]);

    expect((await read('dossiers/d1/notice.eml')).equals(original)).toBe(true);
  });

  it('answers the lock on HeadObject, GetObject and GetObjectRetention', async () => {
    const until = inDays(30);
    await putLocked('dossiers/d2/notice.eml', Buffer.from('lettre'), until, 'GOVERNANCE');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dossiers/d2/notice.eml' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(until.toISOString());
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dossiers/d2/notice.eml' }));
    expect([got.ObjectLockMode, got.ObjectLockRetainUntilDate?.toISOString()]).toEqual(['GOVERNANCE', until.toISOString()]);
    await got.Body!.transformToByteArray();

    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'dossiers/d2/notice.eml' }));
    expect(retention.Retention).toEqual({ Mode: 'GOVERNANCE', RetainUntilDate: until });

    await put('scratch/unlocked.txt', Buffer.from('x'));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'scratch/unlocked.txt' }))).ObjectLockMode).toBeUndefined();
    expect((await failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'scratch/unlocked.txt' })))).name).toBe('NoSuchObjectLockConfiguration');
    expect((await failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'scratch/absent.txt' })))).name).toBe('NoSuchKey');
  });

  it('lets a retention be lengthened, never shortened nor turned from COMPLIANCE to GOVERNANCE', async () => {
    const Key = 'dossiers/d3/call.json';
    await putLocked(Key, Buffer.from('{}'), inDays(30));
    const setRetention = (Mode: 'COMPLIANCE' | 'GOVERNANCE', RetainUntilDate: Date, BypassGovernanceRetention?: boolean) =>
      s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode, RetainUntilDate }, BypassGovernanceRetention }));

    await expectDenied(setRetention('COMPLIANCE', inDays(10)));
    await expectDenied(setRetention('GOVERNANCE', inDays(90)));
    await setRetention('COMPLIANCE', inDays(90));
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket, Key }));
    expect(retention.Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: inDays(90) });
    // A retain-until in the past is not a retention.
    expect((await failure(setRetention('COMPLIANCE', inDays(-1)))).name).toBe('InvalidArgument');

    // GOVERNANCE may be relaxed, or the object deleted, only with the explicit bypass.
    const gov = 'dossiers/d3/governed.json';
    await putLocked(gov, Buffer.from('{"g":1}'), inDays(30), 'GOVERNANCE');
    await expectDenied(s3.send(new PutObjectRetentionCommand({ Bucket, Key: gov, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(5) } })));
    await s3.send(
      new PutObjectRetentionCommand({ Bucket, Key: gov, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(5) }, BypassGovernanceRetention: true }),
    );
    await expectDenied(s3.send(new DeleteObjectCommand({ Bucket, Key: gov })));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: gov, BypassGovernanceRetention: true }));
    expect(await exists(gov)).toBe(false);
  });

  it('accepts the very same bytes again (an idempotent retry) and keeps the stronger lock', async () => {
    const Key = 'dossiers/d4/notice.eml';
    const bytes = Buffer.from('identical evidence');
    await putLocked(Key, bytes, inDays(30), 'GOVERNANCE');
    await putLocked(Key, bytes, inDays(20), 'COMPLIANCE');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect([head.ObjectLockMode, head.ObjectLockRetainUntilDate?.toISOString()]).toEqual(['COMPLIANCE', inDays(30).toISOString()]);
    await expectDenied(putLocked(Key, Buffer.from('identical evidencf'), inDays(30)));
  });

  it('lets an unlocked object be overwritten and deleted', async () => {
    await put('scratch/free.txt', Buffer.from('v1'));
    await put('scratch/free.txt', Buffer.from('v2'));
    expect((await read('scratch/free.txt')).toString()).toBe('v2');
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'scratch/free.txt' }));
    expect(await exists('scratch/free.txt')).toBe(false);
  });

  it('verifies ChecksumSHA256: a wrong one is BadDigest and stores nothing, a right one stores the exact bytes', async () => {
    const body = randomBytes(64 * 1024);
    const wrong = sha256(Buffer.from('something else'), 'base64');
    const bad = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'checked/a.bin', Body: body, ChecksumSHA256: wrong })));
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(['BadDigest', 400]);
    expect(await exists('checked/a.bin')).toBe(false);
    // Nor does a bad upload replace what is there.
    await put('checked/a.bin', Buffer.from('before'));
    expect((await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'checked/a.bin', Body: body, ChecksumSHA256: wrong })))).name).toBe('BadDigest');
    expect((await read('checked/a.bin')).toString()).toBe('before');

    const ok = await s3.send(new PutObjectCommand({ Bucket, Key: 'checked/a.bin', Body: body, ChecksumSHA256: sha256(body, 'base64') }));
    expect(ok.ChecksumSHA256).toBe(sha256(body, 'base64'));
    expect((await read('checked/a.bin')).equals(body)).toBe(true);

    // A stream with ChecksumAlgorithm makes the SDK send aws-chunked with a trailing checksum:
    // decoded before s3rver stores it (which would otherwise keep the framing).
    const large = randomBytes(8 * 1024 * 1024 + 13);
    await s3.send(
      new PutObjectCommand({ Bucket, Key: 'checked/stream.bin', Body: Readable.from([large.subarray(0, 1_000_000), large.subarray(1_000_000)]), ContentLength: large.length, ChecksumAlgorithm: 'SHA256' }),
    );
    expect(sha256(await read('checked/stream.bin'), 'hex')).toBe(sha256(large, 'hex'));

    // S3 requires an integrity header with lock parameters.
    const bare = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'checked/bare.bin', Body: body, ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: inDays(1) })));
    expect([bare.name, bare.$metadata.httpStatusCode]).toEqual(['InvalidRequest', 400]);
    expect(await exists('checked/bare.bin')).toBe(false);
  });

  it('serves a presigned GET of a locked object to a plain HTTP client, byte for byte', async () => {
    const bundle = randomBytes(300 * 1024);
    await putLocked('bundles/b1.zip', bundle, inDays(30));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'bundles/b1.zip' }), { expiresIn: 600 });
    const res = await fetch(url); // what `curl -o bundle.zip "$url"` does
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-object-lock-mode')).toBe('COMPLIANCE');
    expect(Buffer.from(await res.arrayBuffer()).equals(bundle)).toBe(true);
  });

  it('allows overwrite and delete once the (simulated) retain-until has passed', async () => {
    const Key = 'dossiers/d5/notice.eml';
    await putLocked(Key, Buffer.from('v1'), inDays(30));
    now = inDays(29);
    await expectDenied(put(Key, Buffer.from('v2')));
    now = inDays(1);
    await put(Key, Buffer.from('v2'));
    expect((await read(Key)).toString()).toBe('v2');
    // The new object carries no lock.
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key }))).ObjectLockMode).toBeUndefined();
    // The first test's object, locked for 30 days, is past its retain-until too.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'dossiers/d1/notice.eml' }));
    expect(await exists('dossiers/d1/notice.eml')).toBe(false);
  });

  it('keeps the locks across a restart on the same data dir', async () => {
    const Key = 'dossiers/d6/notice.eml';
    const until = inDays(30);
    await putLocked(Key, Buffer.from('kept'), until);
    expect(fs.existsSync(path.join(dataDir, 's3', OBJECT_LOCK_FILE))).toBe(true);
    await stop();
    await start();
    await expectDenied(put(Key, Buffer.from('forged')));
    await expectDenied(s3.send(new DeleteObjectCommand({ Bucket, Key })));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect([head.ObjectLockMode, head.ObjectLockRetainUntilDate?.toISOString()]).toEqual(['COMPLIANCE', until.toISOString()]);
    expect((await read(Key)).toString()).toBe('kept');
  });

  it('keeps them as one appended line per change, and reads a data dir of the earlier whole-table file', async () => {
    const file = path.join(dataDir, 's3', OBJECT_LOCK_FILE);
    const lines = () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    const before = lines();
    await putLocked('dossiers/d7/a.eml', Buffer.from('a'), inDays(30));
    await putLocked('dossiers/d7/b.eml', Buffer.from('b'), inDays(30));
    // Two locks, two lines more: the table is not rewritten on each put.
    expect(lines()).toBe(before + 2);
    // An earlier version kept the whole table in _object-lock.json: it is read, then replaced.
    await stop();
    const legacy = file.replace(/\.jsonl$/, '.json');
    fs.writeFileSync(legacy, JSON.stringify({ locks: { [`${Bucket}/dossiers/d8/old.eml`]: { mode: 'COMPLIANCE', retainUntil: inDays(30).toISOString() } } }));
    fs.rmSync(file);
    await start();
    expect(fs.existsSync(legacy)).toBe(false);
    expect(lines()).toBe(1);
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'dossiers/d8/old.eml' }));
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
  });
});

describe('Object Lock on the evidence local mode writes', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });

  it('a sent notice cannot be overwritten or deleted through the S3 endpoint', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'LOCK-1' }));
    await local.api.advanceTo('2026-04-07T07:00:00Z');
    const sent = (await local.api.getInvoice(body.id)).body.events.find((e: any) => e.type === 'notice_sent');
    // A reminder stays in Standard, kept gzipped (lambdas/adapters/evidence-archive.ts keptAs).
    expect(sent).toMatchObject({ stage: 'first_reminder', evidenceKey: expect.stringMatching(/\.eml\.gz$/), encoding: 'gzip' });

    // The same endpoint and credentials as the handlers (AWS_ENDPOINT_URL_S3, set by local mode).
    const s3 = new S3Client({ forcePathStyle: true });
    const Bucket = local.sys.synthesized.bucketName;
    const Key: string = sent.evidenceKey;
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
      expect(head.ObjectLockMode).toBe(process.env.EVIDENCE_LOCK_MODE);
      // Retention counted from the simulated instant of the send.
      const days = Number(process.env.EVIDENCE_RETENTION_DAYS);
      expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(new Date(Date.parse('2026-04-07T07:00:00Z') + days * DAY).toISOString());

      for (const attempt of [
        () => s3.send(new PutObjectCommand({ Bucket, Key, Body: Buffer.from('forged notice') })),
        () => s3.send(new DeleteObjectCommand({ Bucket, Key })),
      ]) {
        const e = await failure(attempt());
        expect([e.name, e.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
      }
      const batch = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key }] } }));
      expect(batch.Errors?.map((e) => e.Code)).toEqual(['AccessDenied']);

      const bytes = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
      expect(sha256(bytes, 'hex')).toBe(sent.storedSha256);
      expect(sha256(gunzipSync(bytes), 'hex')).toBe(sent.sha256);
    } finally {
      s3.destroy();
    }
  });
});
