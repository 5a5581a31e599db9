import { viewOf, wholeHistoryFrom, withWholeHistory } from './dossier-history';
import { historyLength, seqOf } from '../domain/history-window';
/**
 * The hand-off to litigation, end to end. When the grace period of the mise en demeure ends with a
 * balance due (the send step only runs on an active dossier: no open dispute, promise or plan):
 *
 *   1. the litigation dossier is established (domain/litigation.ts) from the dossier and its
 *      evidence log, and recorded as JSON and as a PDF, each an evidence record
 *      (`litigation_dossier_stored`): the JSON an object of the vault, gzipped; the PDF kept once, as the
 *      attachment of the message of step 4 (`attachedTo`, evidence-source.ts), except when held
 *      for approval (an object of its own: no message may ever carry it);
 *   2. approval mode: the dossier waits in awaiting_handoff_approval; POST /invoices/{id}/handoff
 *      continues below (a new dossier is established at the approval date);
 *   3. an evidence bundle is built (its ZIP holds both files; the PDF from memory) with a 15-minute link;
 *   4. the hand-off message goes to counsel, accountants copied, with the PDF and the link
 *      (outbound-mail: evidence first, then SES); the dossier is handed_off. The bundle's issuance,
 *      the message and handed_off are recorded together, all three pointing at the message kept in
 *      the vault (it carries the bundle's link and head): no fact document for either;
 *   5. `DossierHandedOff` is published on the default EventBridge bus (docs/events.md), once:
 *      the publication is itself recorded, and a retried step publishes what is missing.
 *
 * A retried attempt resumes rather than starts over: the litigation dossier its failed attempt
 * stored under Object Lock (its PDF rendered again from the JSON and checked, and kept apart by the
 * failed attempt) and the bundle it issued (recorded on the failure; from the exports bucket, or
 * rebuilt from the vault for the same head once expired) are reused (earlierWork), and the message leaves only
 * under the send lease renewed after that long preparation (same slot, same Message-ID).
 *
 * After the hand-off, each payment recorded is reported to counsel (a settling one: "stop the
 * procedure"). GET /invoices/{id}/litigation serves the dossier as of today, with the stored files.
 */
import { describeRecord } from '../notices/evidence-timeline';
import { litigationHandoff, litigationPaymentUpdate } from '../notices/templates/litigation-handoff';
import { renderHtml } from '../notices/render-html';
import { renderText } from '../notices/render-text';
import { renderLitigationPdf } from '../notices/litigation-dossier';
import type { DossierView } from '../domain/dossier-view';
import { breakdownFor, completeSend, Dossier, recordMessage, recordMessageFailure, releaseSend, renewLease, sendSlot, SentInfo } from '../domain/dossier';
import { approveHandoff as approveTransition, AWAITING, awaitHandoffApproval, HANDED_OFF, wasHandedOff } from '../domain/dossier-handoff';
import { DomainError, conflict } from '../domain/errors';
import { headOf, type EvidenceRecord, type EvidenceRef } from '../domain/evidence-chain';
import { sha256Hex } from '../domain/identity';
import { buildLitigationDossier, LitigationDossier } from '../domain/litigation';
import type { CreditorProfile, DossierEvent, IsoInstant } from '../domain/model';
import { toDecimalString } from '../domain/money';
import { clock } from '../adapters/clock';
import { getCreditor, getDossier, updateDossier } from '../adapters/dossier-store';
import { appendEvidence, listRecords, rememberTip } from '../adapters/evidence-log';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { putEvent } from '../adapters/events';
import { settings } from '../adapters/env';
import { dossierOf, updateOwnDossier } from './dossier-access';
import { extendedRecords, KeptBundle, keptBundleOf, keptLink, prepareBundleOf } from './evidence';
import { ATTACHED_TO_HANDOFF, entryBytes, readWhole } from './evidence-source';
import { deliverCheckedNotice, sendRendered } from './outbound-mail';
import { assertHandoffSendable } from '../notices/check-handoff';
import { parisDate } from '../domain/dates';
import { log } from '../adapters/telemetry';

/** Real-time lease while the hand-off is prepared and sent (longer than a bundle of a big dossier). */
export const HANDOFF_LEASE_MS = 120_000;

const describe = (fact: DossierEvent) => describeRecord({ type: fact.type, fact });

async function caughtUpRecords(d: Dossier): Promise<EvidenceRecord[]> {
  await appendEvidence(d, clock().now());
  return listRecords(d.id);
}

/**
 * A dossier's whole history and its evidence records, the log listed once (one Query): the history
 * completed from that listing (withWholeHistory), and the log caught up first only when a failed
 * append left it behind the history (then listed again). When the log covers the history, its
 * head is remembered for `stored` (the object itself), so a change written on it next chains to
 * that head without reading it again (evidence-log.ts logTip).
 */
async function historyAndRecords(stored: Dossier): Promise<{ whole: Dossier; records: EvidenceRecord[] }> {
  let records = await listRecords(stored.id);
  const whole = wholeHistoryFrom(stored, records);
  const total = historyLength(stored);
  if ((records[records.length - 1]?.seq ?? 0) < total) {
    await appendEvidence(stored, clock().now(), headOf(records));
    records = await listRecords(stored.id);
  }
  const head = headOf(records);
  if (head) rememberTip(stored, { ...head });
  return { whole, records };
}

async function creditorOf(d: Pick<Dossier, 'creditorId'>): Promise<CreditorProfile> {
  const creditor = await getCreditor(d.creditorId);
  if (!creditor) throw new DomainError(404, 'DossierNotFound', `creditor ${d.creditorId} not found`);
  return creditor;
}

export interface Established {
  dossier: Dossier;
  litigation: LitigationDossier;
  /** The PDF as recorded: its bytes, and the entry naming it. */
  pdf: EstablishedPdf;
  /** The JSON as recorded (the bytes its entry's SHA-256 names; the vault keeps their gzip). */
  json: Uint8Array;
  /**
   * The evidence log as this write left it, when known without reading it again: the records
   * listed before, extended with those of the two entries, each checked against the head the
   * log's append answered (evidence.ts extendedRecords). Null: read it (evidence.ts caughtUp).
   */
  records: EvidenceRecord[] | null;
}

export interface EstablishedPdf {
  bytes: Uint8Array;
  entry: DossierEvent;
}

/**
 * How the PDF is kept. `object`: an object of its own in the vault, as every version before this
 * one did; a dossier held for approval keeps it so (it may wait for weeks and leave the hand-off,
 * to a payment or a dispute, without any message ever carrying that PDF; the approval establishes
 * the dossier again as of its own date, and that PDF goes to counsel in the message).
 * `attachment`: kept once, inside the hand-off message that follows (services/evidence-source.ts);
 * an attempt that cannot send keeps it apart (keepPdfApart).
 */
export type PdfKeeping = 'object' | 'attachment';

/**
 * Establishes the litigation dossier as of `now` and keeps it in the vault as JSON and PDF, each
 * recorded on the dossier (so each is a record of the evidence log). Keys carry the content hash:
 * a retried attempt never overwrites a locked object.
 */
export async function establishLitigationDossier(
  dossierId: string,
  creditor: CreditorProfile,
  now: Date,
  keeping: PdfKeeping = 'object',
  /**
   * The dossier item as the caller just wrote it (the claim under its lease): not read again; the
   * write below is still conditional on its version, and a conflict reads it afresh.
   */
  known?: Dossier,
): Promise<Established> {
  const stored = known?.id === dossierId ? known : await getDossier(dossierId);
  if (!stored) throw new DomainError(404, 'DossierNotFound', `dossier ${dossierId} not found`);
  // The litigation dossier lists every payment and message: the whole history, not the item's window.
  const { whole: d, records } = await historyAndRecords(stored);
  await keepOrphansApart(d, now);
  const litigation = buildLitigationDossier({ dossier: d, creditor, at: now.toISOString(), records, describe });
  // Compact: a file for programs (counsel reads the PDF), kept ten years in S3 Standard, where every
  // byte is paid for (lib/evidence-vault.ts on what stays in Standard). Kept whole: about a third of
  // it (documents, timeline) is derivable from the chain, but the rest depends on the creditor
  // profile and the software (rates, rules) as of that day, and a retried hand-off renders the PDF
  // the message carries again from exactly this file (reread). Kept gzipped (`.json.gz`, entry
  // `encoding: gzip`; its sha256 is the JSON's, as before): a 13.2 KiB JSON is 4.6 KiB gzipped
  // (French prose: route, prior attempt, documents), $0.000035 -> $0.000012 in ten years of
  // Standard; read back only by bundles and a retried hand-off (evidence-source.ts storedBytes).
  // Gzip rather than Brotli (4.1 KiB: $0.0000014 less in ten years): an auditor reading S3
  // directly has gunzip everywhere.
  const json = Buffer.from(`${JSON.stringify(litigation)}\n`, 'utf8');
  const pdf = await renderLitigationPdf(litigation);
  const base = `dossiers/${d.id}/litigation/${litigation.asOf}`;
  // Each file hashed once: its key names its digest, which putEvidence takes as the evidence hash.
  const jsonSha256 = sha256Hex(json);
  const storedJson = await putEvidence(`${base}-${jsonSha256.slice(0, 16)}.json.gz`, json, 'application/json', now, { compress: true, sha256: jsonSha256 });
  // The same key either way: the PDF's file in every bundle is files/litigation/<asOf>-<sha>.pdf.
  const pdfSha256 = sha256Hex(pdf);
  const pdfKey = `${base}-${pdfSha256.slice(0, 16)}.pdf`;
  const pdfRef =
    keeping === 'object'
      ? evidenceRef(await putEvidence(pdfKey, pdf, 'application/pdf', now, { sha256: pdfSha256 }))
      : // The message is kept with the retention putEvidence gives it for this same instant.
        { evidenceKey: pdfKey, sha256: pdfSha256, retainUntil: new Date(now.getTime() + settings.retentionDays() * 86_400_000).toISOString(), attachedTo: ATTACHED_TO_HANDOFF };
  const at = now.toISOString();
  const summary = {
    asOf: litigation.asOf,
    route: litigation.route.code,
    totalDue: litigation.claim.due.total,
    principalDue: litigation.claim.due.principal,
    interestPerDay: litigation.interestRunning.perDay,
    prescribesOn: litigation.prescription.prescribesOn,
  };
  const pdfEntry: DossierEvent = { type: 'litigation_dossier_stored', at, format: 'pdf', asOf: litigation.asOf, ...pdfRef };
  const out = await updateDossier(
    d.id,
    (x) => ({
      dossier: {
        ...x,
        events: [...x.events, { type: 'litigation_dossier_stored', at, format: 'json', ...summary, ...evidenceRef(storedJson) }, pdfEntry],
      },
    }),
    { known: stored },
  );
  return { dossier: out.dossier, litigation, pdf: { bytes: pdf, entry: pdfEntry }, json, records: extendedRecords(records, out.dossier) };
}

/**
 * A hand-off attempt that recorded its PDF as the message's attachment and could not send (or
 * record) that message keeps the PDF apart, at the key its entry names, so the record never points
 * at bytes the vault does not hold (evidence-source.ts reads it there). Best effort: a failure here
 * leaves the retry, which sends the message with that very PDF, to complete it.
 */
async function keepPdfApart(dossierId: string, pdf: EstablishedPdf | null, now: Date): Promise<void> {
  if (!pdf || pdf.entry.attachedTo !== ATTACHED_TO_HANDOFF) return;
  try {
    await putEvidence(String(pdf.entry.evidenceKey), pdf.bytes, 'application/pdf', now);
  } catch (e) {
    log.error('litigation PDF not kept apart after a failed hand-off; the retry sends it', { dossierId, key: pdf.entry.evidenceKey, error: String((e as Error)?.message ?? e) });
  }
}

/**
 * Earlier hand-off PDFs that no message carries: an attempt died without its failure path (a
 * Lambda timeout, a killed process) and the hand-off is established anew rather than resumed. Each
 * is kept apart now, rendered again from its JSON and checked against its SHA-256, unless a copy
 * already is. Rare by construction (a retry the same day resumes instead), so the reads are too.
 */
export async function keepOrphansApart(d: Dossier, now: Date): Promise<void> {
  const events = d.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.type !== 'litigation_dossier_stored' || e.attachedTo !== ATTACHED_TO_HANDOFF) continue;
    const rest = events.slice(i + 1);
    const next = rest.findIndex((x) => (x.type === 'notice_sent' && x.stage === 'litigation_handoff') || (x.type === 'litigation_dossier_stored' && x.attachedTo === ATTACHED_TO_HANDOFF));
    if (next >= 0 && rest[next]!.type === 'notice_sent') continue;
    const json = events[i - 1];
    try {
      if ((await objectExists(String(e.evidenceKey))) || json?.type !== 'litigation_dossier_stored' || json.format !== 'json') continue;
      const ld = JSON.parse((await entryBytes(json)).toString('utf8')) as LitigationDossier;
      const pdf = await renderLitigationPdf(ld);
      if (sha256Hex(pdf) !== e.sha256) {
        log.error('an earlier hand-off PDF no message carries cannot be rendered again as recorded', { dossierId: d.id, key: e.evidenceKey });
        continue;
      }
      await putEvidence(String(e.evidenceKey), pdf, 'application/pdf', now);
    } catch (x) {
      log.error('an earlier hand-off PDF no message carries is not kept apart yet', { dossierId: d.id, key: e.evidenceKey, error: String((x as Error)?.message ?? x) });
    }
  }
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await readWhole(key, null);
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey') return false;
    throw e;
  }
}

/** Entries a hand-off attempt records before its message leaves (what a failed attempt may leave behind). */
const HANDOFF_WORK: ReadonlySet<string> = new Set(['litigation_dossier_stored', 'evidence_bundle_issued']);

interface EarlierWork {
  /** The `litigation_dossier_stored` entry of the JSON file. */
  json: DossierEvent;
  /** The `litigation_dossier_stored` entry of the PDF. */
  pdf: DossierEvent;
  /** The bundle issued to counsel after it, if the attempt got that far. */
  bundle: KeptBundle | null;
}

/**
 * What a failed attempt of this very hand-off left in the vault, reusable as is: the litigation
 * dossier stored today (JSON and PDF) and the bundle issued to counsel after it, provided they are
 * the last entries of the history (nothing recorded since, a payment or a delivery event, would
 * change what they show). A hand-off reads every evidence object of the dossier and writes several;
 * under transient errors a retry that started over would rarely get further than the one before,
 * and each would leave another locked copy behind (found by fault injection, test/local/faults.test.ts).
 */
export function earlierWork(d: Dossier, now: Date): EarlierWork | null {
  const total = historyLength(d);
  let bundle: KeptBundle | null = null;
  let pdf: DossierEvent | null = null;
  for (let i = d.events.length - 1; i >= 0; i--) {
    const e = d.events[i]!;
    // Only the tail of the history, whole (the item's window keeps its last entries contiguous).
    if (seqOf(d, i) !== total - (d.events.length - 1 - i) || !HANDOFF_WORK.has(e.type)) return null;
    if (e.type === 'evidence_bundle_issued') {
      if (!bundle && e.issuedTo === 'litigation_contact') bundle = keptBundleOf(e);
    } else if (e.format === 'pdf') {
      pdf = e;
    } else if (e.format === 'json') {
      return pdf && e.asOf === parisDate(now) && typeof e.evidenceKey === 'string' ? { json: e, pdf, bundle } : null;
    }
  }
  return null;
}

/**
 * The litigation dossier an earlier attempt stored, read back from the vault, with its PDF rendered
 * again (deterministic: pdf-letter.ts) and checked against the PDF's entry; null if it cannot be
 * trusted or the PDF is not the one recorded (software changed between attempts): established again.
 */
async function reread(d: Dossier, earlier: EarlierWork): Promise<Established | null> {
  const e = earlier.json;
  // Gunzipped when kept compressed (from this version), as stored for an earlier version's entry.
  const bytes = await entryBytes(e);
  if (sha256Hex(bytes) !== e.sha256) {
    log.error('stored litigation dossier does not match its record; established again', { dossierId: d.id, key: e.evidenceKey });
    return null;
  }
  const litigation = JSON.parse(bytes.toString('utf8')) as LitigationDossier;
  const pdf = await renderLitigationPdf(litigation);
  if (sha256Hex(pdf) !== earlier.pdf.sha256) {
    log.error('litigation PDF rendered again differs from its record; established again', { dossierId: d.id, key: earlier.pdf.evidenceKey });
    return null;
  }
  return { dossier: d, litigation, pdf: { bytes: pdf, entry: earlier.pdf }, json: bytes, records: null };
}

/** The litigation dossier as of `now`: the one a failed attempt stored, else established now. */
async function establishedOrEarlier(d: Dossier, creditor: CreditorProfile, now: Date, keeping: PdfKeeping): Promise<Established> {
  const earlier = earlierWork(d, now);
  return (earlier && (await reread(d, earlier))) || (await establishLitigationDossier(d.id, creditor, now, keeping, d));
}

/**
 * Grace period over, approval mode: establish the dossier, then wait for someone to approve.
 * `creditor`: the profile the step read to choose approval mode (not read again).
 */
export async function holdForApproval(claimed: Dossier, token: string, now: Date, creditor?: CreditorProfile): Promise<Dossier> {
  try {
    const established = await establishedOrEarlier(claimed, creditor ?? (await creditorOf(claimed)), now, 'object');
    const l = established.litigation;
    const summary = { totalDue: l.claim.due.total, route: l.route.code, prescribesOn: l.prescription.prescribesOn };
    // On the dossier as written last (the conditional write re-reads it on a conflict).
    return (await updateDossier(claimed.id, (d) => ({ dossier: awaitHandoffApproval(d, token, now, summary) }), { known: established.dossier })).dossier;
  } catch (e) {
    await updateDossier(claimed.id, (d) => ({ dossier: releaseSend(d, token) }));
    throw e;
  }
}

/**
 * Holding the dossier's send lease: establish and store the litigation dossier, issue the bundle,
 * send the hand-off to counsel, record it, publish DossierHandedOff. Any failure before the send
 * releases the lease and is rethrown (the state machine retries; the API answers 5xx).
 */
export async function handOff(claimed: Dossier, token: string, now: Date, slot: string, known?: { creditor?: CreditorProfile }): Promise<Dossier> {
  let info: SentInfo;
  let pdf: EstablishedPdf | null = null;
  // The bundle issued to counsel, recorded with the message that carries its link (one object proves both).
  let issuance: DossierEvent | null = null;
  // Each item is read once per attempt and handed on: `latest` is the dossier as this attempt
  // last wrote it (every write stays conditional on its version; a conflict reads it afresh).
  let latest = claimed;
  let creditor: CreditorProfile | undefined = known?.creditor;
  try {
    creditor ??= await creditorOf(claimed);
    // A retried attempt reuses what a failed one already wrote under Object Lock (earlierWork).
    const earlier = earlierWork(claimed, now);
    const reused = earlier && (await reread(claimed, earlier));
    const established = reused || (await establishLitigationDossier(claimed.id, creditor, now, 'attachment', claimed));
    const { litigation } = established;
    pdf = established.pdf;
    latest = established.dossier;
    // The PDF is bundled before the message that keeps it exists, from memory (evidence-source.ts);
    // so is the JSON, as just put (S3 checked its checksum) or read back and checked by reread.
    const held = new Map<string, Uint8Array>([
      [String(pdf.entry.sha256), pdf.bytes],
      [sha256Hex(established.json), established.json],
    ]);
    const kept = reused ? earlier!.bundle : null;
    // The earlier bundle from the exports bucket, else rebuilt for the same head; a new one if neither can be had.
    let bundle = kept && (await keptLink(claimed, kept, held));
    if (!bundle) {
      const prepared = await prepareBundleOf(latest, creditor, 'litigation_contact', held, established.records);
      [bundle, issuance] = [prepared.issued, prepared.entry];
    }
    const link = bundle;
    // The preparation may have outlasted the lease: the message leaves only under the lease renewed
    // (lost meanwhile, to a payment or another attempt: lease_lost, and the step's retry decides).
    const current = (await updateDossier(claimed.id, (d) => ({ dossier: renewLease(d, token, Date.now(), HANDOFF_LEASE_MS) }), { known: latest })).dossier;
    latest = current;
    // Its own mention check too (check-handoff.ts): the hand-off Lambda bundles no other kind's lists.
    info = await deliverCheckedNotice({
      dossier: current,
      creditor,
      kind: 'litigation_handoff',
      // Its own template: the send path's registry leaves it out (notices/templates/index.ts).
      template: litigationHandoff,
      now,
      slot,
      extra: {
        deadline: current.deadline ?? undefined,
        // The PDF attached as recorded (its entry's SHA-256), not rendered a second time.
        litigation: { dossier: litigation, pdf: pdf.bytes, bundle: { url: link.url, expiresAt: link.expiresAt, head: link.head } },
      },
    }, assertHandoffSendable);
  } catch (e) {
    // What this attempt did stays on record for the retry to reuse (earlierWork): the bundle it
    // issued (its own fact, no message to prove it) and the PDF, kept apart.
    await keepPdfApart(claimed.id, pdf, now);
    const unsent = issuance;
    await updateDossier(claimed.id, (d) => ({ dossier: withEntry(releaseSend(d, token), unsent) }));
    throw e;
  }
  // The message to counsel proves the bundle's issuance too (it carries its link and head): the
  // entry points at it rather than at a fact document of its own.
  const issued = issuance ? { ...issuance, ...evidenceOf(info) } : null;
  let done: Awaited<ReturnType<typeof updateDossier>>;
  try {
    done = await updateDossier(claimed.id, (d) => ({ dossier: completeSend(withEntry(d, issued), 'litigation_handoff', token, now, info) }), { known: latest });
  } catch (e) {
    // Sent but not recorded: until a retry records it, the message is not in the log to read the PDF from.
    await keepPdfApart(claimed.id, pdf, now);
    if (issued) {
      await updateDossier(claimed.id, (d) => ({ dossier: withEntry(d, issued) })).catch((x: unknown) => {
        log.error('bundle issued to counsel not recorded', { dossierId: claimed.id, bundleId: String((issued as DossierEvent).bundleId), error: String((x as Error)?.message ?? x) });
      });
    }
    throw e;
  }
  return publishHandedOff(done.dossier, creditor);
}

const withEntry = (d: Dossier, entry: DossierEvent | null): Dossier => (entry ? { ...d, events: [...d.events, entry] } : d);

/** The evidence reference of a message sent (the object its entries point at). */
function evidenceOf(info: SentInfo): EvidenceRef {
  return {
    evidenceKey: info.evidenceKey,
    sha256: info.sha256,
    ...(info.evidenceVersionId ? { evidenceVersionId: info.evidenceVersionId } : {}),
    ...(info.retainUntil ? { retainUntil: info.retainUntil } : {}),
    ...(info.encoding ? { encoding: info.encoding, storedSha256: info.storedSha256 } : {}),
  };
}

// Entry positions come from the item's window (history-window.ts): the hand-off's own entries are recent or kept.
const last = (d: Dossier, pred: (e: DossierEvent) => boolean) => {
  for (let i = d.events.length - 1; i >= 0; i--) if (pred(d.events[i]!)) return { seq: seqOf(d, i), e: d.events[i]!, index: i };
  return null;
};

/** The DossierHandedOff detail, read from the dossier's own history (docs/events.md). */
export function handedOffDetail(d: Dossier, creditor: Pick<CreditorProfile, 'litigationContact'>): Record<string, unknown> {
  const handed = last(d, (e) => e.type === 'handed_off');
  const notice = last(d, (e) => e.type === 'notice_sent' && e.stage === 'litigation_handoff');
  const json = last(d, (e) => e.type === 'litigation_dossier_stored' && e.format === 'json');
  const pdf = last(d, (e) => e.type === 'litigation_dossier_stored' && e.format === 'pdf');
  const bundle = last(d, (e) => e.type === 'evidence_bundle_issued');
  const approved = last(d, (e) => e.type === 'handoff_approved');
  const file = (x: typeof json) => (x ? { seq: x.seq, key: x.e.evidenceKey, sha256: x.e.sha256, ...(x.e.encoding ? { encoding: x.e.encoding } : {}) } : null);
  return {
    version: 1,
    dossierId: d.id,
    creditorId: d.creditorId,
    invoiceNumber: d.invoice.invoiceNumber,
    handedOffAt: handed?.e.at ?? null,
    approvedBy: approved ? approved.e.approvedBy : null,
    debtor: { name: d.debtor.name, kind: d.debtor.kind, siren: d.debtor.siren ?? null, country: (d.debtor.address.country || 'FR').toUpperCase() },
    claim: {
      asOf: json?.e.asOf ?? null,
      principalDue: json?.e.principalDue ?? null,
      totalDue: json?.e.totalDue ?? null,
      interestPerDay: json?.e.interestPerDay ?? null,
      currency: 'EUR',
    },
    route: json?.e.route ?? null,
    prescribesOn: json?.e.prescribesOn ?? null,
    litigationContact: { name: creditor.litigationContact.name, email: creditor.litigationContact.email },
    message: notice ? { seq: notice.seq, messageId: notice.e.messageId, key: notice.e.evidenceKey, sha256: notice.e.sha256 } : null,
    litigationDossier: { json: file(json), pdf: file(pdf) },
    evidenceBundle: bundle ? { seq: bundle.seq, bundleId: bundle.e.bundleId, sha256: bundle.e.bundleSha256, head: bundle.e.head } : null,
  };
}

/**
 * Publishes DossierHandedOff once per hand-off (EventBridge delivers at least once anyway:
 * consumers key on dossierId). Recorded as `handoff_event_published` with the EventBridge id.
 */
export async function publishHandedOff(d: Dossier, known?: CreditorProfile): Promise<Dossier> {
  const handed = last(d, (e) => e.type === 'handed_off');
  if (!handed || d.events.slice(handed.index + 1).some((e) => e.type === 'handoff_event_published')) return d;
  const creditor = known ?? (await creditorOf(d));
  const eventId = await putEvent({ detailType: HANDED_OFF, detail: handedOffDetail(d, creditor), time: new Date(handed.e.at) });
  const now = clock().now().toISOString();
  const out = await updateDossier(d.id, (x) =>
    x.events.some((e, i) => seqOf(x, i) > handed.seq && e.type === 'handoff_event_published')
      ? { dossier: x }
      : { dossier: { ...x, events: [...x.events, { type: 'handoff_event_published', at: now, bus: 'default', detailType: HANDED_OFF, eventId }] } },
    // `d` as read or written last by the caller: the write is conditional on its version.
    { known: d },
  );
  return out.dossier;
}

/**
 * POST /invoices/{id}/handoff {approvedBy}: hands off a dossier awaiting approval, as of now. A
 * repeated approval of a dossier it handed off answers the dossier (publishing the event if that
 * had failed).
 */
export async function approveHandoff(creditorId: string, dossierId: string, approvedBy: string): Promise<DossierView> {
  const now = clock().now();
  const current = await dossierOf(creditorId, dossierId);
  if (current.status === 'handed_off' && last(current, (e) => e.type === 'handoff_approved')) {
    return await viewOf(await publishHandedOff(current), now);
  }
  if (current.status !== AWAITING) {
    throw conflict(`Dossier is ${current.status}; only a dossier awaiting hand-off approval can be handed off.`, [{ path: 'status', message: current.status }]);
  }
  const token = `approval:${now.toISOString()}:${approvedBy}`.slice(0, 200);
  let slot = '';
  const claim = await updateOwnDossier(creditorId, dossierId, (d) => {
    slot = sendSlot(d, 'litigation_handoff');
    return approveTransition(d, approvedBy, token, now, Date.now(), HANDOFF_LEASE_MS);
  });
  return await viewOf(await handOff(claim.dossier, token, now, slot), now);
}

export interface LitigationView extends LitigationDossier {
  /** The litigation dossiers kept in the vault for this invoice, oldest first. */
  /** `encoding: gzip`: the object at `key` holds the gzip of the file `sha256` names (evidence-source.ts). */
  stored: { seq: number; at: IsoInstant; format: 'json' | 'pdf'; asOf: string; key: string; sha256: string; encoding?: 'gzip' }[];
}

/** GET /invoices/{id}/litigation: the dossier for counsel as of today, and the versions kept. */
export async function litigationView(creditorId: string, dossierId: string): Promise<LitigationView> {
  const d = await withWholeHistory(await dossierOf(creditorId, dossierId));
  const stored = d.events
    .map((e, i) => ({ e, seq: i + 1 }))
    .filter(({ e }) => e.type === 'litigation_dossier_stored')
    .map(({ e, seq }) => ({
      seq,
      at: e.at,
      format: e.format as 'json' | 'pdf',
      asOf: String(e.asOf),
      key: String(e.evidenceKey),
      sha256: String(e.sha256),
      ...(e.encoding === 'gzip' ? { encoding: 'gzip' as const } : {}),
    }));
  if (stored.length === 0) {
    throw conflict(
      `Dossier is ${d.status}; its litigation dossier is established when the grace period of the mise en demeure ends with a balance due.`,
      [{ path: 'status', message: d.status }],
    );
  }
  const creditor = await creditorOf(d);
  let records: EvidenceRecord[];
  try {
    records = await caughtUpRecords(d);
  } catch {
    throw new DomainError(503, 'evidence_unavailable', 'The evidence vault cannot be reached right now; retry shortly.');
  }
  return { ...buildLitigationDossier({ dossier: d, creditor, at: clock().now().toISOString(), records, describe }), stored };
}

/**
 * A payment recorded on a dossier already in counsel's hands: counsel (and the accountants) are
 * told the amount and what remains; a settling payment asks them to stop the procedure. Never
 * undoes the payment: a failure is recorded as `message_failed`.
 */
export async function reportPaymentToCounsel(d: Dossier, payment: { amountCents: number; paidOn: string; reference: string }, settled: boolean): Promise<Dossier> {
  if (!wasHandedOff(d)) return d;
  const now = clock().now();
  const kind = 'litigation_payment_update';
  const token = `counsel:${payment.reference}`;
  try {
    const creditor = await creditorOf(d);
    const asOf = parisDate(now) > payment.paidOn ? parisDate(now) : payment.paidOn;
    const b = breakdownFor(d, creditor, asOf);
    const handed = last(d, (e) => e.type === 'handed_off')!;
    const draft = litigationPaymentUpdate({
      creditor,
      debtor: d.debtor,
      invoice: d.invoice,
      handedOffAt: handed.e.at,
      payment,
      settled,
      // A settling payment leaves nothing due (domain/settlement.ts): either the accessories were paid
      // too, or they were waived (accessories_waived: principal-first, not claimed, plan kept).
      remaining: { asOf, principalCents: b.principalDueCents, totalCents: settled ? b.principalDueCents : b.totalDueCents },
      sentAt: now.toISOString(),
    });
    const info = await sendRendered({
      dossier: d,
      creditor,
      kind,
      slot: `${kind}-${payment.reference}`,
      now,
      rendered: { to: draft.to, subject: draft.subject, text: renderText(draft.letter), html: renderHtml(draft.letter, draft.subject), attachments: [] },
    });
    return (await updateDossier(d.id, (x) => ({ dossier: recordMessage(x, kind, token, info, now, { reference: payment.reference, settled, balance: toDecimalString(b.principalDueCents) }) }))).dossier;
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    log.error('payment not reported to counsel', { dossierId: d.id, reason });
    return (await updateDossier(d.id, (x) => ({ dossier: recordMessageFailure(x, kind, token, reason.slice(0, 500), now) }))).dossier;
  }
}
