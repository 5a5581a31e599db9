/**
 * The evidence log of a dossier: one record per fact, in the order the facts were recorded, each
 * naming the stored object that proves it (its S3 key, version, retention and SHA-256) and chained
 * to the previous record by hash, so that a removed, reordered, swapped or edited record breaks the
 * chain. Pure: no AWS, no I/O. The same code computes the chain in the Lambdas and checks it in the
 * offline verifier (`npx amiable verify`), and the rule is simple enough for an auditor's own script:
 *
 *   hash = lowercase hex SHA-256 of the UTF-8 bytes of RFC 8785 (JSON Canonicalization Scheme)
 *          applied to the record without its `hash` member;
 *   record 1's prevHash is 64 zeros; record n's prevHash is record n-1's hash.
 *
 * Records are a projection of the dossier's history: record n is history entry n-1 (record 1, the
 * `created` entry, points at the invoice exactly as received). That makes appending idempotent by
 * construction: a retried or concurrent writer computes the same record for the same seq, and a
 * conditional put on the seq lets only one of them in, so the chain can neither fork nor repeat.
 */
import canonicalize from 'canonicalize';
import type { DossierEvent, IsoInstant } from './model';
import { sha256Hex } from './identity';

export const GENESIS_HASH = '0'.repeat(64);

/** Where a fact's proof is stored (the Object Lock bucket). */
export interface EvidenceRef {
  /** S3 key in the evidence vault. */
  evidenceKey: string;
  /** Lowercase hex SHA-256 of the object's bytes. */
  sha256: string;
  /** S3 version id (the vault is versioned); absent where the store has no versions (local mode). */
  evidenceVersionId?: string;
  /** Object Lock retain-until instant set on the object. */
  retainUntil?: IsoInstant;
  /**
   * `gzip`: the object holds the gzip (RFC 1952) of the bytes `sha256` names, not those bytes
   * themselves (the litigation dossier JSON from this version: adapters/evidence-store.ts). Bundles
   * and every reader take the gunzipped bytes; absent, the object is the bytes as they are.
   */
  encoding?: 'gzip';
  /** With `encoding`: lowercase hex SHA-256 of the object as stored (the gzip bytes; S3's checksum). */
  storedSha256?: string;
}

export interface EvidenceRecord {
  /** 1, 2, 3... with no gap. */
  seq: number;
  /** The history entry's type (created, notice_sent, payment_recorded, email_bounced...). */
  type: string;
  /** When the fact was recorded. */
  at: IsoInstant;
  /** SHA-256 of the stored object (key, versionId). */
  sha256: string;
  key: string;
  versionId: string | null;
  retainUntil: IsoInstant | null;
  /** The history entry itself: what happened, as the dossier recorded it. */
  fact: DossierEvent;
  prevHash: string;
  hash: string;
}

export type UnsealedRecord = Omit<EvidenceRecord, 'hash'>;

/** RFC 8785 canonical JSON (the exact bytes that are hashed). */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new TypeError('value cannot be canonicalized');
  return out;
}

export function recordHash(r: UnsealedRecord): string {
  // Whatever extra members a record carries, only `hash` itself is left out of the hash.
  const { hash: _hash, ...rest } = r as EvidenceRecord;
  return sha256Hex(canonicalJson(rest));
}

/** The record for history entry `seq - 1`, chained after `prev` (null for seq 1). */
export function chainRecord(
  prev: Pick<EvidenceRecord, 'seq' | 'hash'> | null,
  seq: number,
  fact: DossierEvent,
  object: { key: string; sha256: string; versionId: string | null; retainUntil: IsoInstant | null },
): EvidenceRecord {
  const expected = prev ? prev.seq + 1 : 1;
  if (seq !== expected) throw new RangeError(`record ${seq} cannot follow record ${prev?.seq ?? 0}`);
  const unsealed: UnsealedRecord = {
    seq,
    type: fact.type,
    at: fact.at,
    sha256: object.sha256,
    key: object.key,
    versionId: object.versionId,
    retainUntil: object.retainUntil,
    fact,
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...unsealed, hash: recordHash(unsealed) };
}

/** The stored object an entry already points at (a message, an SES event, a call log...), if any. */
export function ownEvidence(fact: DossierEvent): EvidenceRef | null {
  return typeof fact.evidenceKey === 'string' && typeof fact.sha256 === 'string'
    ? {
        evidenceKey: fact.evidenceKey,
        sha256: fact.sha256,
        ...(typeof fact.evidenceVersionId === 'string' ? { evidenceVersionId: fact.evidenceVersionId } : {}),
        ...(typeof fact.retainUntil === 'string' ? { retainUntil: fact.retainUntil } : {}),
      }
    : null;
}

/**
 * The bytes stored for an entry that has no object of its own (a payment, a dispute, a promise...):
 * the entry itself with its place in the dossier, canonical, so every writer stores the same bytes.
 */
export function factDocument(dossierId: string, seq: number, fact: DossierEvent): Uint8Array {
  return Buffer.from(`${canonicalJson({ dossierId, seq, fact })}\n`, 'utf8');
}

export function factKey(dossierId: string, seq: number, type: string): string {
  return `dossiers/${dossierId}/facts/${String(seq).padStart(6, '0')}-${type.replace(/[^a-z0-9_-]/gi, '_')}.json`;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export function headOf(records: readonly EvidenceRecord[]): ChainHead | null {
  const last = records[records.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : null;
}
