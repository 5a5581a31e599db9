/**
 * Where the bytes of an evidence record come from. Nearly always the vault object the record names
 * (its key and version). One exception: the litigation dossier PDF of a hand-off. It is attached to
 * the hand-off message to counsel, whose exact MIME bytes are kept in the vault anyway, so from this
 * version it is kept once, inside that message: its entry (`litigation_dossier_stored`, format pdf)
 * carries `attachedTo: 'litigation_handoff'`, its SHA-256 and, as `evidenceKey`, the name the file
 * has always had in bundles (files/litigation/<asOf>-<sha>.pdf), and no object of its own (one
 * Glacier IR object less per handed-off dossier: each costs its 128 KiB minimum for ten years).
 * Entries written before keep their own object and are read as before.
 *
 * Readers of such a record (bundles, their rebuild) take, in this order: the bytes the caller
 * already holds (the hand-off, which just rendered the PDF and bundles it before the message
 * exists); the attachment of the hand-off message recorded after it, checked against the SHA-256;
 * the copy a hand-off that could not send kept apart at the record's key (services/litigation.ts).
 *
 * The other exception: an object kept compressed (`encoding: gzip`, isCompressed), whose readers
 * take the gunzipped bytes (storedBytes) and bundles name the file without `.gz` (bundleName).
 */
import { gunzipSync } from 'node:zlib';
import type { EvidenceRecord } from '../domain/evidence-chain';
import { DomainError } from '../domain/errors';
import { sha256Hex } from '../domain/identity';
import { readEvidence } from '../adapters/evidence-store';
import { log } from '../adapters/telemetry';

type MimeReadLibs = typeof import('./mime-read-libs');
let mimeReadLibs: MimeReadLibs | undefined;

/** The MIME reader, read with the first kept message opened: a file of its own next to index.js in a Lambda (SPLIT_MODULES). */
async function loadMimeReadLibs(): Promise<MimeReadLibs> {
  if (!mimeReadLibs) {
    // In a Lambda the split module is CommonJS: its exports may come as the namespace's default.
    const m = (await import('./mime-read-libs.js')) as MimeReadLibs & { default?: MimeReadLibs };
    mimeReadLibs = m.default ?? m;
  }
  return mimeReadLibs;
}

/** The message a PDF entry marked `attachedTo` rides in (the hand-off to counsel). */
export const ATTACHED_TO_HANDOFF = 'litigation_handoff';

/** A record whose bytes are an attachment of a later message rather than an object of its own. */
export const isAttachment = (r: Pick<EvidenceRecord, 'fact'>): boolean => r.fact.attachedTo === ATTACHED_TO_HANDOFF;

export interface EvidenceSources {
  /** Every record of the dossier, past a bundle's head too: the message follows the PDF it carries. */
  all: readonly EvidenceRecord[];
  /** Bytes the caller holds, by SHA-256. */
  known?: ReadonlyMap<string, Uint8Array>;
  /**
   * Messages read whole for the attachment they carry, by objectId: a bundle packs them as their
   * own file from here instead of reading them again (the hand-off message sits in Glacier IR from
   * its PUT, where each GET costs $0.00001: evidence-archive.ts).
   */
  read?: Map<string, Buffer>;
}

/** One object version of the vault. */
export const objectId = (r: Pick<EvidenceRecord, 'key' | 'versionId'>): string => `${r.key}\u0000${r.versionId ?? ''}`;

export async function readWhole(key: string, versionId: string | null): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await readEvidence(key, versionId)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * A record whose object holds the gzip of the bytes its SHA-256 names (`encoding: gzip`, from this
 * version the litigation dossier JSON: adapters/evidence-store.ts). Entries written before have no
 * `encoding` and their object is the bytes themselves, read as ever.
 */
export const isCompressed = (r: Pick<EvidenceRecord, 'fact'>): boolean => r.fact.encoding === 'gzip';

/**
 * Far above any litigation dossier (a few hundred KiB with thousands of payments): a bound on what
 * a corrupted or forged object may inflate to in a Lambda's memory.
 */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * The bytes an entry's SHA-256 names, read from the vault: the object itself, or for a compressed
 * one (`encoding: gzip`) its gunzipped content. An object that does not gunzip (tampered with) is
 * answered as stored, so the caller's SHA-256 check fails on it and names it rather than throwing
 * the whole bundle away.
 */
export async function storedBytes(ref: { key: string; versionId: string | null; encoding?: unknown }): Promise<Buffer> {
  const stored = await readWhole(ref.key, ref.versionId);
  if (ref.encoding !== 'gzip') return stored;
  try {
    return gunzipSync(stored, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (e) {
    log.error('compressed evidence object does not gunzip; shown as stored', { key: ref.key, error: String((e as Error)?.message ?? e) });
    return stored;
  }
}

/** storedBytes of a history entry (`evidenceKey`, `evidenceVersionId`, `encoding`). */
export const entryBytes = (e: Readonly<Record<string, unknown>>): Promise<Buffer> =>
  storedBytes({ key: String(e.evidenceKey), versionId: typeof e.evidenceVersionId === 'string' ? e.evidenceVersionId : null, encoding: e.encoding });

/**
 * The name of a record's file in a bundle, below files/: its key, less the `.gz` of a compressed
 * object (the bundle holds the bytes the record hashes: the JSON, under the name it always had).
 */
export const bundleName = (r: Pick<EvidenceRecord, 'key' | 'fact'>): string => (isCompressed(r) ? r.key.replace(/\.gz$/, '') : r.key);

/**
 * The hand-off message recorded after `r` (the first notice_sent of the litigation_handoff stage),
 * unless another PDF was established for a hand-off before it: that message carries the later one.
 */
export function carrierOf(r: Pick<EvidenceRecord, 'seq'>, all: readonly EvidenceRecord[]): EvidenceRecord | null {
  for (const m of all) {
    if (m.seq <= r.seq) continue;
    if (m.type === 'notice_sent' && m.fact.stage === ATTACHED_TO_HANDOFF) return m;
    if (m.type === 'litigation_dossier_stored' && isAttachment(m)) return null;
  }
  return null;
}

/**
 * The PDF attachment of `message` whose SHA-256 is `sha256`. When the message holds a PDF but none
 * matches, the first is returned with `matches: false` (the caller shows the vault as it is: a
 * bundle's verifier then names the file as changed); a message with no PDF at all is an error.
 */
export async function attachmentOf(message: Pick<EvidenceRecord, 'key' | 'versionId' | 'fact'>, sha256: string, read?: Map<string, Buffer>): Promise<{ bytes: Buffer; matches: boolean }> {
  // The hand-off message is kept as sent (archived: evidence-archive.ts), gunzipped should it ever be kept so.
  const raw = read?.get(objectId(message)) ?? (await storedBytes({ key: message.key, versionId: message.versionId, encoding: message.fact.encoding }));
  read?.set(objectId(message), raw);
  const { mimeParts } = await loadMimeReadLibs();
  const pdfs = mimeParts(raw).filter((p) => p.contentType === 'application/pdf');
  const match = pdfs.find((p) => sha256Hex(p.content) === sha256);
  if (match) return { bytes: match.content, matches: true };
  if (pdfs.length === 0) throw new DomainError(500, 'evidence_missing', `message ${message.key} has no PDF attachment (the litigation dossier PDF ${sha256} is kept in it)`);
  return { bytes: pdfs[0]!.content, matches: false };
}

/**
 * The bytes of a record kept as an attachment (isAttachment), and whether they match its SHA-256.
 * Throws evidence_unavailable (503) while the hand-off carrying it is neither recorded nor kept
 * its copy apart (a hand-off in progress: retry when it is done).
 */
export async function attachedBytes(dossierId: string, r: EvidenceRecord, sources: EvidenceSources): Promise<{ bytes: Buffer; matches: boolean }> {
  const held = sources.known?.get(r.sha256);
  if (held) return { bytes: Buffer.from(held.buffer, held.byteOffset, held.byteLength), matches: true };
  const message = carrierOf(r, sources.all);
  if (message) {
    const out = await attachmentOf(message, r.sha256, sources.read);
    if (!out.matches) {
      log.error('the hand-off message does not hold the PDF its record names', { dossierId, seq: r.seq, message: message.key, recorded: r.sha256, found: sha256Hex(out.bytes) });
    }
    return out;
  }
  try {
    const bytes = await readWhole(r.key, null);
    return { bytes, matches: sha256Hex(bytes) === r.sha256 };
  } catch (e) {
    if ((e as { name?: string }).name !== 'NoSuchKey') throw e;
    throw new DomainError(
      503,
      'evidence_unavailable',
      `The litigation dossier PDF of record ${r.seq} is kept as the attachment of the hand-off message, which is not recorded yet; retry when the hand-off is done.`,
    );
  }
}
