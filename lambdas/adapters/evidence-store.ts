import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { EvidenceRef } from '../domain/evidence-chain';
import * as clients from './clients/s3';
import { settings } from './env';
import { retryTransient } from './transient-retry';

export interface StoredEvidence {
  key: string;
  sha256: string;
  /** S3 version id (the vault is versioned on AWS); null where the store has none (local mode). */
  versionId: string | null;
  retainUntil: string;
}

/**
 * Writes one piece of evidence (the exact bytes of a message, a delivery event, a fact) to the
 * Object Lock bucket with an explicit retention, so even a bucket default change cannot shorten it,
 * and its SHA-256 as the S3 checksum, so S3 refuses bytes that are not the ones hashed here.
 */
export async function putEvidence(key: string, body: Uint8Array, contentType: string, now: Date): Promise<StoredEvidence> {
  const digest = createHash('sha256').update(body).digest();
  const sha256 = digest.toString('hex');
  const retainUntil = new Date(now.getTime() + settings.retentionDays() * 86_400_000);
  const out = await clients.s3().send(
    new PutObjectCommand({
      Bucket: settings.evidenceBucket(),
      Key: key,
      Body: body,
      ContentType: contentType,
      Metadata: { sha256 },
      ObjectLockMode: settings.lockMode(),
      ObjectLockRetainUntilDate: retainUntil,
      // Object Lock uploads need an integrity checksum; this one is also the evidence hash.
      ChecksumSHA256: digest.toString('base64'),
    }),
  );
  return { key, sha256, versionId: out.VersionId ?? null, retainUntil: retainUntil.toISOString() };
}

/** How a dossier event points at what it stored. */
export function evidenceRef(stored: StoredEvidence): EvidenceRef {
  return {
    evidenceKey: stored.key,
    sha256: stored.sha256,
    ...(stored.versionId ? { evidenceVersionId: stored.versionId } : {}),
    retainUntil: stored.retainUntil,
  };
}

/**
 * Streams one evidence object (the exact version when known). A transient failure is retried here,
 * beyond the SDK's own attempts: a bundle reads every object of the dossier, and one read failing
 * would otherwise throw the whole bundle (and a hand-off) away (transient-retry.ts).
 */
export async function readEvidence(key: string, versionId: string | null): Promise<Readable> {
  const out = await retryTransient(() =>
    clients.s3().send(new GetObjectCommand({ Bucket: settings.evidenceBucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) })),
  );
  return out.Body as Readable;
}
