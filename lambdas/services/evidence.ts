/**
 * The evidence vault as its readers see it: a dossier's log (GET /invoices/{id}/evidence) and a
 * verifiable bundle of it (POST /invoices/{id}/evidence-bundle): a ZIP holding every evidence
 * object byte for byte, the manifest with every record, a French timeline and VERIFY.txt, put in the
 * exports bucket (kept a few days) and handed out as a short-lived presigned link. Issuing a bundle
 * is itself recorded in the log, with what rebuilds it from the vault byte for byte.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { version } from '../../package.json';
import { Dossier } from '../domain/dossier';
import { DomainError } from '../domain/errors';
import { sha256Hex } from '../domain/identity';
import { canonicalJson, ChainHead, chainRecord, EvidenceRecord, GENESIS_HASH, headOf, ownEvidence } from '../domain/evidence-chain';
import { entryAt, historyLength } from '../domain/history-window';
import { BUNDLE_FORMAT, BundleManifest, manifestHash, ManifestEntry, MANIFEST_FILE } from '../domain/evidence-verify';
import type { CreditorProfile, DossierEvent } from '../domain/model';
import { toDecimalString } from '../domain/money';
import { clock } from '../adapters/clock';
import { getCreditor, updateDossier } from '../adapters/dossier-store';
import { appendEvidence, listRecords, recordsAfter } from '../adapters/evidence-log';
import { readEvidence } from '../adapters/evidence-store';
import { exportHolds, presignExport, putExport } from '../adapters/export-store';
import { dossierOf } from './dossier-access';
import { loadBundleLibs, ZIP_LAYOUTS, ZipFile, zipWriter, type ZipLayout } from './bundle-zip';
import { attachedBytes, bundleName, EvidenceSources, isAttachment, isCompressed, objectId, storedBytes } from './evidence-source';
import { log } from '../adapters/telemetry';

/** How long a bundle link works (<= 15 min): long enough to download, short enough to leak little. */
export const BUNDLE_LINK_SECONDS = 900;

export interface EvidenceLogView {
  dossierId: string;
  head: ChainHead | null;
  records: EvidenceRecord[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: number | null;
}

/** A page of the log stays far below Lambda's 6 MB response limit (a record is about 1 KB). */
export const MAX_RECORDS_PER_PAGE = 1000;

/**
 * The log, complete: any history entry a failed append left out is appended first (the log is a
 * projection of the history, so catching up is always possible and always gives the same records).
 */
async function catchUp(d: Dossier): Promise<ChainHead | null> {
  try {
    return await appendEvidence(d, clock().now());
  } catch (e) {
    log.error('evidence log cannot catch up', { dossierId: d.id, error: String((e as Error)?.message ?? e) });
    throw new DomainError(503, 'evidence_unavailable', 'The evidence vault cannot be reached right now; retry shortly.');
  }
}

async function caughtUp(d: Dossier): Promise<EvidenceRecord[]> {
  await catchUp(d);
  return listRecords(d.id);
}

/** The log, `limit` records after seq `after` (defaults: from the start, the largest page). */
export async function evidenceLog(creditorId: string, dossierId: string, page: { after?: number; limit?: number } = {}): Promise<EvidenceLogView> {
  const d = await dossierOf(creditorId, dossierId);
  const head = await catchUp(d);
  const limit = page.limit ?? MAX_RECORDS_PER_PAGE;
  const records = await recordsAfter(d.id, page.after ?? 0, limit);
  const last = records[records.length - 1];
  return { dossierId: d.id, head, records, nextAfter: last && head && last.seq < head.seq ? last.seq : null };
}

export interface IssuedBundle {
  bundleId: string;
  sha256: string;
  size: number;
  records: number;
  head: ChainHead;
  url: string;
  expiresAt: string;
}

/**
 * What a bundle's manifest takes from outside the evidence chain (the dossier's and creditor's
 * headers, which a profile update may change, and the software that built it), recorded with its
 * issuance: with it, the records up to the bundle's head and the vault's objects, the same
 * software rebuilds the same ZIP byte for byte.
 */
export interface BundleBasis {
  dossier: {
    id: string;
    invoiceNumber: string;
    issueDate: string;
    dueDate: string;
    amount: string;
    currency: string;
    debtor: { name: string; kind: string; siren?: string };
    status: string;
  };
  creditor: { id: string; legalName: string; siren: string };
  software: { name: string; version: string };
}

function basisOf(d: Dossier, creditor: CreditorProfile): BundleBasis {
  return {
    dossier: {
      id: d.id,
      invoiceNumber: d.invoice.invoiceNumber,
      issueDate: d.invoice.issueDate,
      dueDate: d.invoice.dueDate,
      amount: toDecimalString(d.invoice.amountCents),
      currency: d.invoice.currency,
      debtor: { name: d.debtor.name, kind: d.debtor.kind, ...(d.debtor.siren ? { siren: d.debtor.siren } : {}) },
      status: d.status,
    },
    creditor: { id: creditor.id, legalName: creditor.legalName, siren: creditor.siren },
    software: { name: 'amiable', version },
  };
}

/** Where a bundle lives in the exports bucket (lib/bundle-exports.ts). */
const exportKey = (dossierId: string, bundleId: string) => `bundles/${dossierId}/${bundleId}.zip`;

/**
 * Builds the ZIP of `records` (the log up to the bundle's head): every object byte for byte, the
 * manifest, the timeline and VERIFY.txt, all stamped `at`. A function of its arguments and the
 * vault only, so a rebuild gives the same bytes (bundle-zip.ts keeps the ZIP itself deterministic).
 */
async function buildBundle(bundleId: string, basis: BundleBasis, at: Date, head: ChainHead, stored: EvidenceRecord[], sources: EvidenceSources, layout: ZipLayout = ZIP_LAYOUTS[0]!): Promise<ZipFile> {
  // Records as read back from DynamoDB come with their members in any order: each is written in
  // canonical (RFC 8785) member order, the order its hash is computed in.
  const records = stored.map((r) => JSON.parse(canonicalJson(r)) as EvidenceRecord);
  // The hand-off message, read for the PDF it carries, is packed from that same read.
  const src: EvidenceSources = { ...sources, read: new Map() };
  const zip = await zipWriter(layout);
  try {
    const entries = filesOf(basis.dossier.id, records);
    // One file per stored object, even when several records point at it (one SES event, two facts).
    const written = new Set<string>();
    for (const { file: path, record } of entries) {
      if (written.has(path)) continue;
      written.add(path);
      let read: string;
      if (isAttachment(record)) {
        // Kept once, inside the hand-off message (evidence-source.ts); the file is the same as ever.
        const { bytes } = await attachedBytes(basis.dossier.id, record, src);
        zip.addBytes(path, bytes, new Date(record.at));
        read = sha256Hex(bytes);
      } else if (src.known?.has(record.sha256)) {
        // Bytes this invocation holds by their SHA-256 (the hand-off's litigation JSON, just put
        // with S3 checking its checksum): the very bytes a read gives, fed as that read feeds them.
        read = await zip.addStream(path, Readable.from([Buffer.from(src.known.get(record.sha256)!)]), new Date(record.at));
      } else if (isCompressed(record)) {
        // Kept gzipped (the litigation dossier JSON): the bundle holds the bytes the record hashes.
        // Fed as a stream is (in the same 64 KiB pieces): the ZIP's bytes do not depend on where they came from.
        const bytes = await storedBytes({ key: record.key, versionId: record.versionId, encoding: record.fact.encoding });
        read = await zip.addStream(path, Readable.from([bytes]), new Date(record.at));
      } else if (src.read!.has(objectId(record))) {
        read = await zip.addStream(path, Readable.from([src.read!.get(objectId(record))!]), new Date(record.at));
      } else {
        read = await zip.addStream(path, await readEvidence(record.key, record.versionId), new Date(record.at));
      }
      if (read !== record.sha256) {
        // The verifier will name it; the bundle shows the vault as it is rather than hiding it.
        log.error('evidence object does not match its record', { dossierId: basis.dossier.id, seq: record.seq, key: record.key });
      }
    }
    const manifest = manifestOf(bundleId, basis, at, head, entries);
    zip.addBytes(MANIFEST_FILE, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), at);
    const timeline = (await loadBundleLibs()).renderTimeline({
      dossier: { id: basis.dossier.id, invoiceNumber: basis.dossier.invoiceNumber, debtorName: basis.dossier.debtor.name },
      creditor: { legalName: basis.creditor.legalName },
      generatedAt: at.toISOString(),
      head,
      records: entries,
    });
    zip.addBytes('timeline.html', Buffer.from(timeline, 'utf8'), at);
    zip.addBytes('VERIFY.txt', Buffer.from(verifyText(head, entries, written), 'utf8'), at);
    return await zip.finish();
  } catch (e) {
    zip.abort();
    throw e;
  }
}

/**
 * Issues a new bundle of the whole log: built, put in the exports bucket (not the vault: a bundle
 * is derived from the vault, not evidence of its own), and its issuance recorded in the log with
 * its SHA-256, head, basis and recipient. That record is what stays for ten years.
 */
export async function issueBundle(creditorId: string, dossierId: string, issuedTo: string | undefined): Promise<IssuedBundle> {
  const { issued, entry } = await prepareBundle(creditorId, dossierId, issuedTo);
  await updateDossier(dossierId, (x) => ({ dossier: { ...x, events: [...x.events, entry] } }));
  return issued;
}

/**
 * Builds a bundle of the whole log and puts it in the exports bucket, and answers its link with
 * the `evidence_bundle_issued` entry to record. The hand-off records that entry itself, with the
 * message that carries the link to counsel (services/litigation.ts); every other caller goes
 * through issueBundle.
 */
export async function prepareBundle(
  creditorId: string,
  dossierId: string,
  issuedTo: string | undefined,
  /** Bytes the caller holds by SHA-256 (the hand-off's PDF, not yet in its message). */
  known?: ReadonlyMap<string, Uint8Array>,
): Promise<{ issued: IssuedBundle; entry: DossierEvent }> {
  const d = await dossierOf(creditorId, dossierId);
  const creditor = await getCreditor(creditorId);
  if (!creditor) throw new DomainError(503, 'creditor_missing', `Creditor ${creditorId} has no profile.`);
  return prepareBundleOf(d, creditor, issuedTo, known);
}

/**
 * prepareBundle of a dossier and creditor the caller has just read or written (the hand-off, under
 * its lease), with the log's records when it knows them (extendedRecords), else read here.
 */
export async function prepareBundleOf(
  d: Dossier,
  creditor: CreditorProfile,
  issuedTo: string | undefined,
  known?: ReadonlyMap<string, Uint8Array>,
  knownRecords?: EvidenceRecord[] | null,
): Promise<{ issued: IssuedBundle; entry: DossierEvent }> {
  const records = knownRecords ?? (await caughtUp(d));
  const head = headOf(records)!;
  const now = clock().now();
  const bundleId = `bnd_${randomUUID().replace(/-/g, '')}`;
  const basis = basisOf(d, creditor);
  const file = await buildBundle(bundleId, basis, now, head, records, { all: records, known });
  try {
    const key = exportKey(d.id, bundleId);
    await putExport(key, file, 'application/zip');
    const entry: DossierEvent = {
      type: 'evidence_bundle_issued',
      at: now.toISOString(),
      bundleId,
      bundleKey: key,
      bundleSha256: file.sha256,
      size: file.size,
      records: records.length,
      head,
      ...(issuedTo ? { issuedTo } : {}),
      bundleStore: 'exports',
      basis,
    };
    const issued = await linkTo(d, { bundleId, bundleKey: key, sha256: file.sha256, size: file.size, records: records.length, head, at: now.toISOString(), basis });
    return { issued, entry };
  } finally {
    file.dispose();
  }
}

/**
 * The log of `d` known without reading it: `listed` (the whole log, read before `d`'s latest
 * change) extended with the records of the entries appended since, chained as appendEvidence
 * chains them. Null unless each of those entries points at an object of its own (a fact document's
 * key and version are the log's to choose) and the chain so extended ends at the head the append
 * answered (`d.evidenceHead` at the history's length): a record's hash covers each of its members
 * and the previous hash, so the same head means the same records, byte for byte once canonical.
 */
export function extendedRecords(listed: readonly EvidenceRecord[], d: Dossier): EvidenceRecord[] | null {
  const total = historyLength(d);
  const end = d.evidenceHead;
  if (!end || end.seq !== total) return null;
  const out = [...listed];
  let prev: EvidenceRecord | null = out[out.length - 1] ?? null;
  for (let seq = (prev?.seq ?? 0) + 1; seq <= total; seq++) {
    const fact = entryAt(d, seq);
    const own = fact && ownEvidence(fact);
    if (!fact || !own) return null;
    prev = chainRecord(prev, seq, fact, { key: own.evidenceKey, sha256: own.sha256, versionId: own.evidenceVersionId ?? null, retainUntil: own.retainUntil ?? null });
    out.push(prev);
  }
  return prev && prev.seq === end.seq && prev.hash === end.hash ? out : null;
}

/** A bundle issued earlier, as its `evidence_bundle_issued` entry describes it. */
export interface KeptBundle {
  bundleId: string;
  bundleKey: string;
  sha256: string;
  size: number;
  records: number;
  head: ChainHead;
  /** When it was issued (its manifest's generatedAt). */
  at: string;
  /** What rebuilds it; null for a bundle an earlier version kept in the vault itself. */
  basis: BundleBasis | null;
}

/** The bundle an `evidence_bundle_issued` entry recorded, or null when the entry is not one. */
export function keptBundleOf(e: { type: string; [k: string]: unknown }): KeptBundle | null {
  if (e.type !== 'evidence_bundle_issued' || typeof e.bundleId !== 'string' || typeof e.bundleKey !== 'string') return null;
  return {
    bundleId: e.bundleId,
    bundleKey: e.bundleKey,
    sha256: String(e.bundleSha256),
    size: Number(e.size),
    records: Number(e.records),
    head: e.head as ChainHead,
    at: String(e.at),
    basis: e.bundleStore === 'exports' && e.basis ? (e.basis as BundleBasis) : null,
  };
}

/**
 * Rebuilds a bundle issued earlier from the vault, for its head, with its basis and instant: the
 * same bytes when the same software builds it. Null when it cannot be the same (a bundle kept in
 * the vault by an earlier version, or built by another version): the caller issues a new one.
 */
export async function rebuildBundle(dossierId: string, b: KeptBundle, known?: ReadonlyMap<string, Uint8Array>): Promise<ZipFile | null> {
  if (!b.basis || b.basis.software.version !== version) return null;
  const all = await listRecords(dossierId);
  const records = all.slice(0, b.head.seq);
  if (records.length !== b.head.seq || records[records.length - 1]!.hash !== b.head.hash) return null;
  // Issued as this version packs a bundle, or as it packed them before (bundle-zip.ts).
  for (const layout of ZIP_LAYOUTS) {
    const file = await buildBundle(b.bundleId, b.basis, new Date(b.at), b.head, records, { all, known }, layout);
    if (file.sha256 === b.sha256) return file;
    file.dispose();
  }
  log.error('rebuilt bundle differs from the one issued', { dossierId, bundleId: b.bundleId });
  return null;
}

/**
 * A fresh 15-minute link to a bundle issued earlier (a retried hand-off reuses the bundle its
 * failed attempt issued rather than issuing another): the export itself while the exports bucket
 * still holds it, else rebuilt from the vault for the same head and put back. Null when neither
 * can be had (see rebuildBundle).
 */
export async function keptLink(d: Pick<Dossier, 'id' | 'invoice'>, b: KeptBundle, known?: ReadonlyMap<string, Uint8Array>): Promise<IssuedBundle | null> {
  if (!b.basis) return null;
  if (!(await exportHolds(b.bundleKey, b.sha256))) {
    const file = await rebuildBundle(d.id, b, known);
    if (!file) return null;
    try {
      await putExport(b.bundleKey, file, 'application/zip');
    } finally {
      file.dispose();
    }
  }
  return linkTo(d, b);
}

async function linkTo(d: Pick<Dossier, 'invoice'>, b: KeptBundle): Promise<IssuedBundle> {
  const url = await presignExport(b.bundleKey, BUNDLE_LINK_SECONDS, `${safeName(d.invoice.invoiceNumber)}-preuves-${b.bundleId.slice(4, 12)}.zip`);
  // The link's lifetime is real time (S3 checks it against its own clock), even in local mode.
  const expiresAt = new Date(Date.now() + BUNDLE_LINK_SECONDS * 1000).toISOString();
  return { bundleId: b.bundleId, sha256: b.sha256, size: b.size, records: b.records, head: b.head, url, expiresAt };
}

/**
 * Paths inside the ZIP: files/<the key below the dossier's folder>, one per object version (a
 * compressed object's file without its `.gz`: evidence-source.ts bundleName).
 */
function filesOf(dossierId: string, records: EvidenceRecord[]): ManifestEntry[] {
  const prefix = `dossiers/${dossierId}/`;
  const byObject = new Map<string, string>();
  const taken = new Set<string>();
  return records.map((record) => {
    const object = objectId(record);
    let file = byObject.get(object);
    if (!file) {
      const name = bundleName(record);
      const base = `files/${name.startsWith(prefix) ? name.slice(prefix.length) : name}`;
      file = taken.has(base) ? `${base}.v${record.versionId ?? record.seq}` : base;
      byObject.set(object, file);
      taken.add(file);
    }
    return { file, record };
  });
}

function manifestOf(bundleId: string, basis: BundleBasis, at: Date, head: ChainHead, records: ManifestEntry[]): BundleManifest {
  // Members listed one by one, in this order: a basis read back from DynamoDB has its members in any order.
  const { dossier: x, creditor: c, software: s } = basis;
  const unsealed: Omit<BundleManifest, 'manifestHash'> = {
    format: BUNDLE_FORMAT,
    bundleId,
    dossier: {
      id: x.id,
      invoiceNumber: x.invoiceNumber,
      issueDate: x.issueDate,
      dueDate: x.dueDate,
      amount: x.amount,
      currency: x.currency,
      debtor: { name: x.debtor.name, kind: x.debtor.kind, ...(x.debtor.siren ? { siren: x.debtor.siren } : {}) },
      status: x.status,
    },
    creditor: { id: c.id, legalName: c.legalName, siren: c.siren },
    generatedAt: at.toISOString(),
    software: { name: s.name, version: s.version },
    head: { seq: head.seq, hash: head.hash },
    records,
  };
  return { ...unsealed, manifestHash: manifestHash(unsealed) };
}

function verifyText(head: ChainHead, entries: ManifestEntry[], files: Set<string>): string {
  const sums = [...files].map((file) => `${entries.find((e) => e.file === file)!.record.sha256}  ${file}`).join('\n');
  return `LOT DE PREUVES AMIABLE — COMMENT LE VÉRIFIER
=============================================

Ce lot contient :
  manifest.json   la liste des ${entries.length} pièces du journal de preuves du dossier, dans l'ordre,
                  chacune avec son empreinte SHA-256 et son chaînage ;
  files/...       chaque pièce, octet pour octet, telle que conservée dans le coffre S3
                  (Object Lock : ni modifiable ni effaçable avant sa date de fin de rétention) ;
  timeline.html   la chronologie lisible du dossier (une lecture du manifeste, sans valeur de preuve propre) ;
  VERIFY.txt      ce fichier.

Dernière pièce de la chaîne : n° ${head.seq}
Empreinte de tête (head)     : ${head.hash}
Comparez cette empreinte à celle obtenue par ailleurs (API, récapitulatif reçu par e-mail, lot précédent).

1. Avec sha256sum seul (chaque fichier est intact)
   unzip lot.zip -d lot && cd lot
   grep -E '^[0-9a-f]{64}  files/' VERIFY.txt | sha256sum -c -
   Chaque ligne doit finir par « OK ».

2. Avec le vérificateur (fichiers, chaîne complète, tête attendue ; hors ligne, sans AWS)
   npx amiable verify lot.zip --head <empreinte de tête attendue>
   Réponse attendue : « OK ${entries.length} records, head ${head.hash} » et le code de sortie 0.
   Sinon une ligne par problème : fichier modifié, manquant ou en trop, pièce supprimée, réordonnée
   ou modifiée, manifeste modifié, tête différente.

3. Avec votre propre programme (la règle est publique)
   Pour chaque entrée {file, record} de manifest.json :
   - sha256(octets de file) = record.sha256 ;
   - record.hash = SHA-256 (hexadécimal minuscule) de la forme canonique JSON RFC 8785 (JCS) de
     record privé de son seul membre "hash" ;
   - record.seq vaut 1, 2, 3... sans trou ; record.prevHash vaut ${GENESIS_HASH}
     pour la pièce 1, et le hash de la pièce précédente ensuite ;
   - manifest.head = {seq, hash} de la dernière pièce ;
   - manifest.manifestHash = SHA-256 de la forme canonique RFC 8785 du manifeste privé de "records"
     et de "manifestHash".

Empreintes SHA-256 des pièces (format sha256sum) :
${sums}
`;
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
