/**
 * The evidence vault as its readers see it: a dossier's log (GET /invoices/{id}/evidence) and a
 * verifiable bundle of it (POST /invoices/{id}/evidence-bundle): a ZIP in the vault holding every
 * evidence object byte for byte, the manifest with every record, a French timeline and VERIFY.txt,
 * handed out as a short-lived presigned link. Issuing a bundle is itself recorded in the log.
 */
import { randomUUID } from 'node:crypto';
import { version } from '../../package.json';
import { Dossier } from '../domain/dossier';
import { DomainError } from '../domain/errors';
import { ChainHead, EvidenceRecord, GENESIS_HASH, headOf } from '../domain/evidence-chain';
import { BUNDLE_FORMAT, BundleManifest, manifestHash, ManifestEntry, MANIFEST_FILE } from '../domain/evidence-verify';
import type { CreditorProfile } from '../domain/model';
import { toDecimalString } from '../domain/money';
import { renderTimeline } from '../notices/evidence-timeline';
import { clock } from '../adapters/clock';
import { getCreditor, updateDossier } from '../adapters/dossier-store';
import { appendEvidence, listRecords, recordsAfter } from '../adapters/evidence-log';
import { presignEvidence, putEvidenceFile, readEvidence } from '../adapters/evidence-store';
import { dossierOf } from './dossier-access';
import { ZipFile, zipWriter } from './bundle-zip';
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

export async function issueBundle(creditorId: string, dossierId: string, issuedTo: string | undefined): Promise<IssuedBundle> {
  const d = await dossierOf(creditorId, dossierId);
  const creditor = await getCreditor(creditorId);
  if (!creditor) throw new DomainError(503, 'creditor_missing', `Creditor ${creditorId} has no profile.`);
  const records = await caughtUp(d);
  const head = headOf(records)!;
  const now = clock().now();
  const bundleId = `bnd_${randomUUID().replace(/-/g, '')}`;

  const zip = zipWriter();
  let file: ZipFile;
  try {
    const entries = filesOf(d.id, records);
    // One file per stored object, even when several records point at it (one SES event, two facts).
    const written = new Set<string>();
    for (const { file: path, record } of entries) {
      if (written.has(path)) continue;
      written.add(path);
      const read = await zip.addStream(path, await readEvidence(record.key, record.versionId), new Date(record.at));
      if (read !== record.sha256) {
        // The verifier will name it; the bundle shows the vault as it is rather than hiding it.
        log.error('evidence object does not match its record', { dossierId: d.id, seq: record.seq, key: record.key });
      }
    }
    const manifest = manifestOf(bundleId, d, creditor, now, head, entries);
    zip.addBytes(MANIFEST_FILE, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), now);
    const timeline = renderTimeline({
      dossier: { id: d.id, invoiceNumber: d.invoice.invoiceNumber, debtorName: d.debtor.name },
      creditor: { legalName: creditor.legalName },
      generatedAt: now.toISOString(),
      head,
      records: entries,
    });
    zip.addBytes('timeline.html', Buffer.from(timeline, 'utf8'), now);
    zip.addBytes('VERIFY.txt', Buffer.from(verifyText(head, entries, written), 'utf8'), now);
    file = await zip.finish();
  } catch (e) {
    zip.abort();
    throw e;
  }
  try {
    const key = `bundles/${d.id}/${bundleId}.zip`;
    await putEvidenceFile(key, file, 'application/zip', now);
    await updateDossier(d.id, (x) => ({
      dossier: {
        ...x,
        events: [
          ...x.events,
          {
            type: 'evidence_bundle_issued',
            at: now.toISOString(),
            bundleId,
            bundleKey: key,
            bundleSha256: file.sha256,
            size: file.size,
            records: records.length,
            head,
            ...(issuedTo ? { issuedTo } : {}),
          },
        ],
      },
    }));
    return await linkTo(d, { bundleId, bundleKey: key, sha256: file.sha256, size: file.size, records: records.length, head });
  } finally {
    file.dispose();
  }
}

/** A bundle already in the vault, as its `evidence_bundle_issued` entry describes it. */
export interface KeptBundle {
  bundleId: string;
  bundleKey: string;
  sha256: string;
  size: number;
  records: number;
  head: ChainHead;
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
  };
}

/**
 * A fresh 15-minute link to a bundle kept in the vault (a retried hand-off reuses the bundle its
 * failed attempt wrote under Object Lock rather than writing another).
 */
export async function linkTo(d: Pick<Dossier, 'invoice'>, b: KeptBundle): Promise<IssuedBundle> {
  const url = await presignEvidence(b.bundleKey, BUNDLE_LINK_SECONDS, `${safeName(d.invoice.invoiceNumber)}-preuves-${b.bundleId.slice(4, 12)}.zip`);
  // The link's lifetime is real time (S3 checks it against its own clock), even in local mode.
  const expiresAt = new Date(Date.now() + BUNDLE_LINK_SECONDS * 1000).toISOString();
  return { bundleId: b.bundleId, sha256: b.sha256, size: b.size, records: b.records, head: b.head, url, expiresAt };
}

/** Paths inside the ZIP: files/<the key below the dossier's folder>, one per object version. */
function filesOf(dossierId: string, records: EvidenceRecord[]): ManifestEntry[] {
  const prefix = `dossiers/${dossierId}/`;
  const byObject = new Map<string, string>();
  const taken = new Set<string>();
  return records.map((record) => {
    const object = `${record.key}\u0000${record.versionId ?? ''}`;
    let file = byObject.get(object);
    if (!file) {
      const base = `files/${record.key.startsWith(prefix) ? record.key.slice(prefix.length) : record.key}`;
      file = taken.has(base) ? `${base}.v${record.versionId ?? record.seq}` : base;
      byObject.set(object, file);
      taken.add(file);
    }
    return { file, record };
  });
}

function manifestOf(bundleId: string, d: Dossier, creditor: CreditorProfile, now: Date, head: ChainHead, records: ManifestEntry[]): BundleManifest {
  const unsealed: Omit<BundleManifest, 'manifestHash'> = {
    format: BUNDLE_FORMAT,
    bundleId,
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
    generatedAt: now.toISOString(),
    software: { name: 'amiable', version },
    head,
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
