/**
 * The Object Lock layer answers PutObject, GetObject and HeadObject from s3rver's store itself
 * (local/s3-direct.ts). The same calls, through the real SDK, against a layer that forwards
 * everything to s3rver (AMIABLE_S3_DIRECT=0) and one that answers them itself: same statuses,
 * headers and bodies, call by call, and the same files left in the store.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startEmulators } from '../../local/emulators';
import { S3Direct } from '../../local/s3-direct';

/** A plain S3 client of the local endpoint: no checksum unless required, no retry (a failure shows). */
const s3Of = (endpoint: string) =>
  new S3Client({
    region: 'eu-west-3',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('base64');

/** Runs the calls against fresh emulators; returns what the SDK saw and the store's files. */
async function run(direct: boolean): Promise<{ seen: unknown[]; files: Record<string, string>; answered: number }> {
  const saved = process.env.AMIABLE_S3_DIRECT;
  process.env.AMIABLE_S3_DIRECT = direct ? '1' : '0';
  let answered = 0;
  const read = S3Direct.prototype.read;
  const write = S3Direct.prototype.write;
  S3Direct.prototype.read = async function (...a) {
    const out = await read.apply(this, a);
    if (out) answered++;
    return out;
  };
  S3Direct.prototype.write = async function (...a) {
    const out = await write.apply(this, a);
    if (out) answered++;
    return out;
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-s3-direct-'));
  const em = await startEmulators({ dataDir, now: () => new Date('2026-04-04T10:00:00Z') });
  const s3 = s3Of(em.s3Url);
  const seen: unknown[] = [];
  s3.middlewareStack.add(
    (next) => async (args: any) => {
      const out: any = await next(args);
      const h = { ...out.response.headers };
      for (const k of ['date', 'last-modified']) if (h[k]) h[k] = typeof h[k];
      seen.push({ req: `${args.request.method} ${args.request.path}`, status: out.response.statusCode, headers: h });
      return out;
    },
    { step: 'deserialize', name: 'capture' },
  );
  const failed = (e: any) => seen.push({ error: e.name, status: e.$metadata?.httpStatusCode });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'direct-bkt' }));
    const pdf = Buffer.from('%PDF-1.7 not really');
    const lock = { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: new Date('2030-01-01T00:00:00Z') };
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/letter.pdf', Body: pdf, ContentType: 'application/pdf', ChecksumSHA256: sha(pdf), Metadata: { dossier: 'D-1' }, ...lock }));
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/msg.json', Body: '{"a":1}', ChecksumSHA256: sha('{"a":1}'), StorageClass: 'GLACIER_IR', ContentEncoding: 'gzip', CacheControl: 'no-cache' }));
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/plain', Body: 'no checksum' }));
    // Refused overwrite of locked bytes; the very same bytes again are accepted.
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/letter.pdf', Body: 'other', ChecksumSHA256: sha('other') })).catch(failed);
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/letter.pdf', Body: pdf, ContentType: 'application/pdf', ChecksumSHA256: sha(pdf), Metadata: { dossier: 'D-1' }, ...lock }));
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/bad', Body: 'x', ChecksumSHA256: sha('y') })).catch(failed);
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/odd', Body: 'x', ChecksumSHA256: sha('x'), StorageClass: 'NOPE' as any })).catch(failed);
    // A key whose directory s3rver removes, then written again.
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'e/2/3', Body: 'three', ChecksumSHA256: sha('three') }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'direct-bkt', Key: 'e/2/3' }));
    await s3.send(new GetObjectCommand({ Bucket: 'direct-bkt', Key: 'e/2/3' })).catch(failed);
    await s3.send(new PutObjectCommand({ Bucket: 'direct-bkt', Key: 'e/2/3', Body: 'again', ChecksumSHA256: sha('again') }));
    for (const Key of ['d/1/letter.pdf', 'd/1/msg.json', 'd/1/plain', 'e/2/3']) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'direct-bkt', Key }));
      seen.push({ body: await got.Body!.transformToString() });
      await s3.send(new HeadObjectCommand({ Bucket: 'direct-bkt', Key }));
    }
    const part = await s3.send(new GetObjectCommand({ Bucket: 'direct-bkt', Key: 'd/1/letter.pdf', Range: 'bytes=0-3' }));
    seen.push({ range: await part.Body!.transformToString() });
    await s3.send(new GetObjectCommand({ Bucket: 'direct-bkt', Key: 'nope' })).catch(failed);
    await s3.send(new HeadObjectCommand({ Bucket: 'direct-bkt', Key: 'nope' })).catch(failed);
    await s3.send(new GetObjectCommand({ Bucket: 'no-such-bkt', Key: 'k' })).catch(failed);
    await s3.send(new PutObjectCommand({ Bucket: 'no-such-bkt', Key: 'k', Body: 'x', ChecksumSHA256: sha('x') })).catch(failed);
  } finally {
    s3.destroy();
    await em.stop();
    S3Direct.prototype.read = read;
    S3Direct.prototype.write = write;
    if (saved === undefined) delete process.env.AMIABLE_S3_DIRECT;
    else process.env.AMIABLE_S3_DIRECT = saved;
  }
  const files: Record<string, string> = {};
  const root = path.join(dataDir, 's3', 'direct-bkt');
  for (const f of fs.readdirSync(root, { recursive: true }) as string[]) {
    const full = path.join(root, f);
    if (fs.statSync(full).isFile()) files[f] = fs.readFileSync(full, 'utf8');
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { seen, files, answered };
}


describe('S3 calls answered from the store by the local layer', () => {
  it('gives the SDK what s3rver gives, and leaves the same files', async () => {
    const forwarded = await run(false);
    const direct = await run(true);
    expect(forwarded.answered).toBe(0);
    // 5 puts (the one without a checksum, the refused and the failing ones go to s3rver), 4 GETs, 4 HEADs.
    expect(direct.answered).toBe(13);
    expect(direct.seen).toEqual(forwarded.seen);
    expect(direct.files).toEqual(forwarded.files);
    expect(Object.keys(direct.files)).toContain('d/1/letter.pdf._S3rver_metadata.json');
  });

  // What made test/local/litigation.test.ts fail once with direct answers on: a PutObject without a
  // checksum goes to s3rver, which answered before its write stream had put the bytes on disk (its
  // FilesystemStore resolved on the body's last chunk, then wrote the .md5 and metadata.json). A read
  // right after, answered here from the file, got it empty or cut short. Here the disk is made slow
  // for that object's bytes only (each write of them waits 400 ms): the PUT's answer must wait too;
  // likewise an UploadPart's, whose part file a completion reads.
  it.each(['1', '0'])('reads back what a PUT forwarded to s3rver wrote, even on a slow disk (AMIABLE_S3_DIRECT=%s)', async (mode) => {
    const saved = process.env.AMIABLE_S3_DIRECT;
    process.env.AMIABLE_S3_DIRECT = mode;
    const marker = Buffer.from('SLOW-DISK-');
    const slow = (data: unknown) => [data].flat().some((b) => Buffer.isBuffer(b) && b.includes(marker));
    const { write, writev } = nodeFs;
    // fs.WriteStream writes through these two (looked up on the module at each call).
    (nodeFs as any).write = (fd: number, data: unknown, ...rest: any[]) =>
      slow(data) ? void setTimeout(() => (write as any)(fd, data, ...rest), 400) : (write as any)(fd, data, ...rest);
    (nodeFs as any).writev = (fd: number, data: unknown, ...rest: any[]) =>
      slow(data) ? void setTimeout(() => (writev as any)(fd, data, ...rest), 400) : (writev as any)(fd, data, ...rest);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-s3-slow-'));
    const em = await startEmulators({ dataDir, now: () => new Date('2026-04-04T10:00:00Z') });
    const s3 = s3Of(em.s3Url);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'slow-bkt' }));
      // As the litigation test swaps a vault object and puts it back: delete, then a plain PUT.
      for (let i = 0; i < 3; i++) {
        const body = Buffer.concat([marker, Buffer.alloc(20_000 * (i + 1), 0x61 + i)]);
        await s3.send(new DeleteObjectCommand({ Bucket: 'slow-bkt', Key: 'd/1/litigation/x.json.gz' }));
        await s3.send(new PutObjectCommand({ Bucket: 'slow-bkt', Key: 'd/1/litigation/x.json.gz', Body: body }));
        const got = await s3.send(new GetObjectCommand({ Bucket: 'slow-bkt', Key: 'd/1/litigation/x.json.gz' }));
        expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
        expect(got.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      }
      // A multipart upload: its part is on disk when UploadPart answers, so the completed object holds it.
      const part = Buffer.concat([marker, Buffer.alloc(50_000, 0x7a)]);
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'slow-bkt', Key: 'd/2/big.bin' }));
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: 'slow-bkt', Key: 'd/2/big.bin', UploadId, PartNumber: 1, Body: part }));
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'slow-bkt', Key: 'd/2/big.bin', UploadId, MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] } }));
      const whole = await s3.send(new GetObjectCommand({ Bucket: 'slow-bkt', Key: 'd/2/big.bin' }));
      expect(Buffer.from(await whole.Body!.transformToByteArray()).equals(part)).toBe(true);
    } finally {
      nodeFs.write = write;
      nodeFs.writev = writev;
      s3.destroy();
      await em.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (saved === undefined) delete process.env.AMIABLE_S3_DIRECT;
      else process.env.AMIABLE_S3_DIRECT = saved;
    }
  });
});
