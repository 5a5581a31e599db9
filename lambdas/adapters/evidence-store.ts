import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { EvidenceRef } from '../domain/evidence-chain';
import * as clients from './clients/s3';
import { settings } from './env';
import { retryTransient } from './transient-retry';

export interface StoredEvidence {
  key: string;
  /** SHA-256 of the evidence bytes (with `encoding`: before compression). */
  sha256: string;
  /** S3 version id (the vault is versioned on AWS); null where the store has none (local mode). */
  versionId: string | null;
  retainUntil: string;
  /** Set when the object holds the gzip of the evidence bytes (PutEvidenceOptions.compress). */
  encoding?: 'gzip';
  /** With `encoding`: SHA-256 of the object as stored. */
  storedSha256?: string;
}

export interface PutEvidenceOptions {
  /**
   * Keep the gzip (RFC 1952, level 9) of `body` rather than `body`: for a document that is read
   * rarely and kept ten years in Standard, where every byte is paid for (the litigation dossier
   * JSON: 13 KiB, about a third of that gzipped; the messages that stay in Standard: evidence-archive.ts). The evidence hash stays the SHA-256 of `body`
   * (the record's `sha256`, and the object's `sha256` metadata), so chains and bundles verify as
   * before; S3's checksum is that of the bytes stored (also returned as `storedSha256`). The key
   * should end in `.gz` and the object is `application/gzip`, so whoever reads S3 directly (an
   * auditor with the read-only role) sees what it holds: `gunzip` gives the bytes the record hashes.
   * No Content-Encoding header: a client that decoded it silently would save other bytes than the
   * object's checksum and ETag describe.
   */
  compress?: boolean;
  /**
   * S3 storage class at PUT. Default: Standard, and the vault's lifecycle archives objects above
   * its size to Glacier Instant Retrieval after 90 days (lib/evidence-vault.ts). GLACIER_IR: for an
   * object archived anyway and not read in those 90 days (the price comparison is where it is used).
   * Object Lock applies to any storage class.
   */
  storageClass?: 'GLACIER_IR';
  /**
   * The SHA-256 (hex) of `body`, when the caller has just computed it (a message's key names its
   * digest: services/outbound-mail.ts): not hashed again. Uncompressed, it is also the object's S3
   * checksum, so S3 refuses the PUT if it is not the digest of these bytes.
   */
  sha256?: string;
}

/**
 * Writes one piece of evidence (the exact bytes of a message, a delivery event, a fact) to the
 * Object Lock bucket with an explicit retention, so even a bucket default change cannot shorten it,
 * and the SHA-256 of the bytes stored as the S3 checksum, so S3 refuses bytes that are not the ones
 * hashed here.
 */
export async function putEvidence(key: string, body: Uint8Array, contentType: string, now: Date, options: PutEvidenceOptions = {}): Promise<StoredEvidence> {
  const sha256 = options.sha256 ?? createHash('sha256').update(body).digest('hex');
  const stored = options.compress ? gzipSync(body, { level: 9 }) : body;
  const digest = options.compress ? createHash('sha256').update(stored).digest() : Buffer.from(sha256, 'hex');
  const retainUntil = new Date(now.getTime() + settings.retentionDays() * 86_400_000);
  const out = await clients.s3().send(
    new PutObjectCommand({
      Bucket: settings.evidenceBucket(),
      Key: key,
      Body: stored,
      ContentType: options.compress ? 'application/gzip' : contentType,
      // The evidence hash; a compressed object also says what it decompresses to.
      Metadata: options.compress ? { sha256, encoding: 'gzip', 'content-type': contentType } : { sha256 },
      ...(options.storageClass ? { StorageClass: options.storageClass } : {}),
      ObjectLockMode: settings.lockMode(),
      ObjectLockRetainUntilDate: retainUntil,
      // Object Lock uploads need an integrity checksum; uncompressed, this one is also the evidence hash.
      ChecksumSHA256: digest.toString('base64'),
    }),
  );
  return {
    key,
    sha256,
    versionId: out.VersionId ?? null,
    retainUntil: retainUntil.toISOString(),
    ...(options.compress ? { encoding: 'gzip' as const, storedSha256: digest.toString('hex') } : {}),
  };
}

/** How a dossier event points at what it stored. */
export function evidenceRef(stored: StoredEvidence): EvidenceRef {
  return {
    evidenceKey: stored.key,
    sha256: stored.sha256,
    ...(stored.versionId ? { evidenceVersionId: stored.versionId } : {}),
    retainUntil: stored.retainUntil,
    ...(stored.encoding ? { encoding: stored.encoding, storedSha256: stored.storedSha256 } : {}),
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
