/**
 * Checks an evidence bundle with nothing but its own bytes: every file against the manifest, the
 * whole hash chain recomputed, and optionally that the chain ends at a head the auditor obtained
 * elsewhere (a digest e-mail, an earlier bundle, the API). Pure: the CLI reads the ZIP, this judges.
 */
import { sha256Hex } from './identity';
import { canonicalJson, ChainHead, EvidenceRecord, GENESIS_HASH, recordHash } from './evidence-chain';

export const BUNDLE_FORMAT = 'amiable-evidence-bundle/1';
/** Files of a bundle that are not evidence objects. */
export const MANIFEST_FILE = 'manifest.json';
export const BUNDLE_DOCS = ['timeline.html', 'VERIFY.txt'] as const;

export interface ManifestEntry {
  /** Path of the evidence object inside the ZIP. */
  file: string;
  record: EvidenceRecord;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  bundleId: string;
  dossier: Record<string, unknown>;
  creditor: Record<string, unknown>;
  generatedAt: string;
  software: { name: string; version: string };
  head: ChainHead;
  records: ManifestEntry[];
  /** SHA-256 of the canonical manifest without `records` and without this member. */
  manifestHash: string;
}

/** The hash sealing the manifest's own fields (records are sealed by the chain itself). */
export function manifestHash(m: Omit<BundleManifest, 'manifestHash'> | BundleManifest): string {
  const { manifestHash: _h, records: _r, ...rest } = m as BundleManifest;
  return sha256Hex(canonicalJson(rest));
}

export type ProblemCode =
  | 'manifest_invalid'
  | 'manifest_edited'
  | 'file_changed'
  | 'file_missing'
  | 'extra_file'
  | 'record_removed'
  | 'records_reordered'
  | 'record_edited'
  | 'head_mismatch';

export interface Problem {
  code: ProblemCode;
  /** The record concerned, when there is one. */
  seq?: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  head: ChainHead | null;
  problems: Problem[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * `files` maps every path in the ZIP (directories excluded) to its bytes; `expectedHead` is the
 * hash the chain must end at (`--head`).
 */
export function verifyBundle(files: ReadonlyMap<string, Uint8Array>, expectedHead?: string): VerifyResult {
  const problems: Problem[] = [];
  const fail = (code: ProblemCode, message: string, seq?: number) => problems.push({ code, message, ...(seq ? { seq } : {}) });

  const manifest = readManifest(files.get(MANIFEST_FILE));
  if (typeof manifest === 'string') {
    fail('manifest_invalid', manifest);
    return { ok: false, records: 0, head: null, problems };
  }
  if (manifestHash(manifest) !== manifest.manifestHash) {
    fail('manifest_edited', 'manifest.json edited: its manifestHash does not match its content');
  }

  const entries = manifest.records;
  const label = (r: EvidenceRecord) => `record ${r.seq} (${r.type})`;

  // Each record on its own: content against its hash, file against its SHA-256.
  const referenced = new Set<string>();
  for (const { file, record } of entries) {
    referenced.add(file);
    if (recordHash(record) !== record.hash) fail('record_edited', `${label(record)} edited: its hash does not match its content`, record.seq);
    const bytes = files.get(file);
    if (!bytes) fail('file_missing', `${label(record)}: file ${file} is missing`, record.seq);
    else if (sha256Hex(bytes) !== record.sha256) {
      fail('file_changed', `${label(record)}: file ${file} changed (sha256 ${sha256Hex(bytes)}, recorded ${record.sha256})`, record.seq);
    }
  }
  for (const path of files.keys()) {
    if (path !== MANIFEST_FILE && !(BUNDLE_DOCS as readonly string[]).includes(path) && !referenced.has(path)) {
      fail('extra_file', `extra file ${path}: not named by any record of the manifest`);
    }
  }

  // The order as listed, then the chain in seq order: gaps, duplicates, links.
  const records = entries.map((e) => e.record);
  for (let i = 1; i < records.length; i++) {
    if (records[i].seq < records[i - 1].seq) {
      fail('records_reordered', `records reordered: record ${records[i].seq} comes after record ${records[i - 1].seq}`, records[i].seq);
      break;
    }
  }
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  let prev: EvidenceRecord | null = null;
  for (const r of sorted) {
    const expected = prev ? prev.seq + 1 : 1;
    if (prev && r.seq === prev.seq) {
      fail('record_edited', `record ${r.seq} appears twice`, r.seq);
      continue;
    }
    if (r.seq > expected) {
      fail('record_removed', r.seq - expected === 1 ? `record ${expected} removed: the chain goes from record ${expected - 1} to record ${r.seq}` : `records ${expected} to ${r.seq - 1} removed: the chain goes from record ${expected - 1} to record ${r.seq}`, expected);
    } else if (prev && r.prevHash !== prev.hash) {
      fail('record_edited', `record ${prev.seq} edited or replaced: record ${r.seq}'s prevHash does not match it`, prev.seq);
    } else if (!prev && r.prevHash !== GENESIS_HASH) {
      fail('record_edited', `record ${r.seq} edited: the first record's prevHash must be ${GENESIS_HASH.slice(0, 8)}…`, r.seq);
    }
    prev = r;
  }

  const last = sorted[sorted.length - 1] ?? null;
  const head = last ? { seq: last.seq, hash: last.hash } : null;
  const claimed = manifest.head;
  if (!head) {
    fail('record_removed', 'the bundle has no record');
  } else if (claimed.seq > head.seq) {
    fail('record_removed', claimed.seq - head.seq === 1 ? `record ${claimed.seq} removed: the manifest head is record ${claimed.seq} but the chain ends at record ${head.seq}` : `records ${head.seq + 1} to ${claimed.seq} removed: the manifest head is record ${claimed.seq} but the chain ends at record ${head.seq}`, head.seq + 1);
  } else if (claimed.seq !== head.seq || claimed.hash !== head.hash) {
    fail('head_mismatch', `head mismatch: the manifest names record ${claimed.seq} ${claimed.hash} but the chain ends at record ${head.seq} ${head.hash}`);
  }
  if (expectedHead !== undefined && head && expectedHead.toLowerCase() !== head.hash) {
    const at = sorted.find((r) => r.hash === expectedHead.toLowerCase());
    fail('head_mismatch', `head mismatch: the chain ends at record ${head.seq} ${head.hash}, not at the expected head ${expectedHead}${at ? ` (which is record ${at.seq})` : ' (no record has that hash)'}`);
  }
  return { ok: problems.length === 0, records: records.length, head, problems };
}

/** Parses and shape-checks manifest.json; returns a message when it cannot be used at all. */
function readManifest(bytes: Uint8Array | undefined): BundleManifest | string {
  if (!bytes) return 'manifest.json is missing';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, shape-checked field by field below
  let m: any;
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    return `manifest.json is not valid JSON (${(e as Error).message})`;
  }
  if (!m || typeof m !== 'object' || m.format !== BUNDLE_FORMAT) return `manifest.json is not an ${BUNDLE_FORMAT} manifest`;
  if (!Array.isArray(m.records) || !m.head || typeof m.head.seq !== 'number' || !HEX64.test(String(m.head.hash))) {
    return 'manifest.json lacks its records or its head';
  }
  for (const [i, e] of m.records.entries()) {
    const r = e?.record;
    if (typeof e?.file !== 'string' || !r || !Number.isInteger(r.seq) || typeof r.hash !== 'string' || typeof r.sha256 !== 'string') {
      return `manifest.json: records[${i}] is not a {file, record} entry`;
    }
  }
  return m as BundleManifest;
}
