/**
 * s3rver 3.7.1 answers a PutObject (and an UploadPart) before the object's bytes are on disk: its
 * FilesystemStore resolves when the request body's last chunk has passed its MD5 transform, not
 * when the file's write stream has written it, then writes the `.md5` and `metadata.json` and
 * answers 200. A GetObject or HeadObject sent after that answer can find the object file empty or
 * cut short, with the full object's `.md5` next to it. Slow writes make it likely: this is what
 * failed test/local/litigation.test.ts once with ./s3-direct's answers on (the counsel bundle not
 * rebuilt byte for byte after the test put a swapped object back: its PUT, without a checksum, went
 * to s3rver; the rebuild read the file a few milliseconds later), and test/local/s3-direct.test.ts
 * reproduces it with a slowed disk, with and without the direct answers.
 *
 * Patched here: the same two methods, with the same files, paths, bytes and returned values, that
 * resolve once the write stream has finished (every byte written), as real S3 answers only once
 * the object is stored. A failed write (or a body that ends in error) rejects, so s3rver answers
 * an error rather than 200.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, unknown>;
}

interface Store {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, unknown>, md5?: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ size: number; md5: string }>;
  durablePuts?: true;
}

/** Writes `content` to `file` and resolves with its size and MD5 once every byte is written. */
async function writeCounted(file: string, content: Buffer | Readable): Promise<{ size: number; md5: string }> {
  const md5 = createHash('md5');
  let size = 0;
  if (Buffer.isBuffer(content)) {
    md5.update(content);
    size = content.length;
    await fs.promises.writeFile(file, content);
  } else {
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    await pipeline(content, count, fs.createWriteStream(file));
  }
  return { size, md5: md5.digest('hex') };
}

export function durableS3rverPuts(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const proto = (require('s3rver/lib/stores/filesystem') as { prototype: Store }).prototype;
  if (proto.durablePuts) return;
  proto.putObject = async function putObject(this: Store, object: StoredObject) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
    const { size, md5 } = await writeCounted(objectPath, object.content);
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  };
  proto.putPart = async function putPart(this: Store, bucket: string, uploadId: string, partNumber: number, content: Readable) {
    const partPath = path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, partNumber.toString());
    await fs.promises.mkdir(path.dirname(partPath), { recursive: true });
    const out = await writeCounted(partPath, content);
    await fs.promises.writeFile(`${partPath}.md5`, out.md5);
    return out;
  };
  proto.durablePuts = true;
}
