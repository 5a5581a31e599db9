/**
 * The exports bucket (lib/bundle-exports.ts): evidence bundles, derived from the vault and handed
 * out by a short-lived link. Not evidence itself (the vault and the bundle's issuance record are):
 * no Object Lock, and a lifecycle rule deletes each bundle a few days after it was put, long after
 * its link expired. A bundle that is gone can be rebuilt from the vault (services/evidence.ts).
 */
import { createReadStream } from 'node:fs';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as clients from './clients/s3';
import { settings } from './env';

/**
 * Puts a bundle: from memory, or streamed from the file it was built in when it outgrew memory
 * (bundle-zip.ts: constant memory at any size); S3 checks its SHA-256.
 */
export async function putExport(key: string, file: { bytes: Buffer | null; path: string | null; sha256: string; size: number }, contentType: string): Promise<void> {
  // A stream body is not retried by the SDK: when the call fails before reading it, the caller
  // removes the file, and the stream, opening late, would emit an unhandled error that ends the
  // process (found by fault injection, test/local/faults.test.ts). It is closed here either way.
  const stream = file.bytes ? null : createReadStream(file.path!);
  stream?.on('error', () => undefined);
  await clients
    .s3()
    .send(
      new PutObjectCommand({
        Bucket: settings.exportsBucket(),
        Key: key,
        Body: file.bytes ?? stream!,
        ContentLength: file.size,
        ContentType: contentType,
        Metadata: { sha256: file.sha256 },
        ChecksumSHA256: Buffer.from(file.sha256, 'hex').toString('base64'),
      }),
    )
    .finally(() => stream?.destroy());
}

/**
 * Whether the export is still there with these bytes (the SHA-256 it was put with). Gone (expired)
 * answers false; any other failure is thrown. The role has s3:GetObject on bundles/* but not
 * s3:ListBucket, and S3 then answers a HEAD of a missing key 403 rather than 404 (HeadObject API
 * reference, Permissions): both mean the bundle is gone. A 403 of another cause costs a rebuild,
 * whose PutObject would then fail and say so.
 */
export async function exportHolds(key: string, sha256: string): Promise<boolean> {
  try {
    const out = await clients.s3().send(new HeadObjectCommand({ Bucket: settings.exportsBucket(), Key: key }));
    return out.Metadata?.sha256 === sha256;
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return false;
    throw e;
  }
}

/**
 * A short-lived link to one export, signed with the caller's own credentials: whoever holds it can
 * GET that object until it expires, and nothing else.
 */
export async function presignExport(key: string, seconds: number, filename: string): Promise<string> {
  return getSignedUrl(
    clients.s3(),
    new GetObjectCommand({ Bucket: settings.exportsBucket(), Key: key, ResponseContentDisposition: `attachment; filename="${filename}"` }),
    { expiresIn: seconds },
  );
}
