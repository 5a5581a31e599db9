import { PutObjectCommand } from '@aws-sdk/client-s3';
import { sha256Hex } from '../domain/identity';
import { clients } from './aws-clients';
import { settings } from './env';

export interface StoredEvidence {
  key: string;
  sha256: string;
}

/**
 * Writes one piece of evidence (the exact bytes of a message, a delivery event) to the Object Lock
 * bucket with an explicit retention, so even a bucket default change cannot shorten it.
 * The SHA-256 travels in the object's metadata and in the dossier event that refers to it.
 */
export async function putEvidence(
  key: string,
  body: Uint8Array,
  contentType: string,
  now: Date,
): Promise<StoredEvidence> {
  const sha256 = sha256Hex(body);
  const retainUntil = new Date(now.getTime() + settings.retentionDays() * 86_400_000);
  await clients.s3().send(
    new PutObjectCommand({
      Bucket: settings.evidenceBucket(),
      Key: key,
      Body: body,
      ContentType: contentType,
      Metadata: { sha256 },
      ObjectLockMode: settings.lockMode(),
      ObjectLockRetainUntilDate: retainUntil,
      // Object Lock uploads need an integrity checksum (S3 rejects them otherwise).
      ChecksumAlgorithm: 'SHA256',
    }),
  );
  return { key, sha256 };
}
