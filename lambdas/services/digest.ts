/**
 * The accountants' digest of one creditor: the report (services/reports.ts) for the period since
 * the previous digest, rendered (lambdas/digest/), kept in the evidence vault (the exact MIME bytes
 * and the report with the evidence lines it hashes, under digests/<creditorId>/), then sent with
 * SES to the profile's accountants; the end of the period becomes the start of the next one.
 *
 * The schedule's fan-out writes one job per creditor due today (DIGEST#<date>, create-if-absent);
 * the table's stream hands each new job to runDigestJob, which sends once and closes the job.
 */
import { sha256Hex } from '../domain/identity';
import { holidayRegionFor } from '../domain/calendar';
import { digestDueOn } from '../domain/digest-schedule';
import type { CreditorProfile, IsoDate, Language } from '../domain/model';
import { renderDigest } from '../digest/render-digest';
import { composeMime, messageIdFor } from '../notices/mime';
import { clock } from '../adapters/clock';
import { getCreditorRecord, listCreditors } from '../adapters/creditor-store';
import { closeDigestJob, getDigestJob, getDigestState, putDigestJob, saveDigestState } from '../adapters/accountant-store';
import { putEvidence } from '../adapters/evidence-store';
import { sendRawEmail } from '../adapters/mailer';
import { settings } from '../adapters/env';
import { creditorReport } from './reports';
import { parisDate } from '../domain/dates';
import { log } from '../adapters/telemetry';

/** Where digests and alerts are kept in the vault (lib/evidence-vault.ts grants this prefix). */
export const DIGEST_EVIDENCE_PREFIX = 'digests/';

/** A creditor's first digest covers at most this far back (later ones: since the previous digest). */
const FIRST_DIGEST_LOOKBACK_MS = 7 * 86_400_000;

export interface DigestOutcome {
  creditorId: string;
  status: 'sent' | 'skipped';
  messageId?: string;
  reason?: string;
  evidenceKey?: string;
  oneLine?: boolean;
  since?: string;
  until?: string;
}

export function digestLanguage(creditor: CreditorProfile): Language {
  return creditor.digest?.language ?? creditor.language ?? 'fr';
}

/** Builds, keeps and sends the creditor's digest for the period since its previous one, up to now. */
export async function sendDigest(creditorId: string, now: Date): Promise<DigestOutcome> {
  const record = await getCreditorRecord(creditorId);
  if (!record) return { creditorId, status: 'skipped', reason: 'no such creditor' };
  const creditor = record.profile;
  if (creditor.accountants.length === 0) return { creditorId, status: 'skipped', reason: 'the profile lists no accountants' };
  const until = now.toISOString();
  const state = await getDigestState(creditorId);
  const floor = Math.max(Date.parse(record.createdAt) || 0, now.getTime() - FIRST_DIGEST_LOOKBACK_MS);
  // The first digest's period includes the creditor's creation instant itself (hence - 1 ms).
  const sinceMs = state ? Math.min(Date.parse(state.lastUntil), now.getTime()) : Math.min(floor, now.getTime()) - 1;
  const since = new Date(sinceMs).toISOString();
  const asOf = parisDate(now);

  const { report, openRows, evidenceLines } = await creditorReport(creditorId, { asOf, since, until, completeRows: true }, now);
  const language = digestLanguage(creditor);
  const rendered = renderDigest({ report, openRows, creditor, language });
  const stamp = until.replace(/[-:.]/g, '');
  const base = `${DIGEST_EVIDENCE_PREFIX}${creditorId}/${asOf}/${stamp}`;
  const reportJson = Buffer.from(JSON.stringify({ report, evidenceLines }), 'utf8');
  await putEvidence(`${base}-report-${sha256Hex(reportJson).slice(0, 16)}.json`, reportJson, 'application/json', now);
  const raw = await composeMime({
    from: { name: creditor.sender.name, address: creditor.sender.email },
    to: creditor.accountants.map((address) => ({ address })),
    replyTo: creditor.replyTo,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    attachments: rendered.attachments,
    messageId: messageIdFor(`digest-${creditorId}`, until, settings.mailDomain()),
    date: until,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Amiable-Evidence-Root': report.evidence.root },
  });
  // Named by content: a retried attempt with other figures never collides with a locked object.
  const evidenceKey = `${base}-digest-${sha256Hex(raw).slice(0, 16)}.eml`;
  await putEvidence(evidenceKey, raw, 'message/rfc822', now);
  const messageId = await sendRawEmail(raw, creditor.sender.email, creditor.accountants);
  await saveDigestState(creditorId, { lastUntil: until, lastAsOf: asOf, lastMessageId: messageId, count: (state?.count ?? 0) + 1 });
  log.info('digest sent', { creditorId, messageId, since, until, oneLine: rendered.oneLine, open: report.portfolio.open, evidenceKey });
  return { creditorId, status: 'sent', messageId, evidenceKey, oneLine: rendered.oneLine, since, until };
}

/** The schedule's fan-out: one job per creditor whose digest is due today (idempotent per day). */
export async function fanOutDigests(now: Date): Promise<{ date: IsoDate; jobs: string[]; notDue: string[] }> {
  const date = parisDate(now);
  const jobs: string[] = [];
  const notDue: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCreditors(100, cursor);
    for (const { profile } of page.items) {
      const region = holidayRegionFor({ postalCode: profile.address.postalCode, country: profile.address.country });
      if (profile.accountants.length === 0 || !digestDueOn(profile.digest?.frequency ?? 'daily', date, region)) {
        notDue.push(profile.id);
        continue;
      }
      await putDigestJob({ creditorId: profile.id, asOf: date, scheduledAt: now.toISOString(), status: 'due' });
      jobs.push(profile.id);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { date, jobs, notDue };
}

/** A job handed over by the table's stream: sent once, then closed (a redelivered job is skipped). */
export async function runDigestJob(creditorId: string, asOf: IsoDate): Promise<DigestOutcome> {
  const job = await getDigestJob(creditorId, asOf);
  if (!job || job.status !== 'due') return { creditorId, status: 'skipped', reason: `job ${asOf} is ${job?.status ?? 'missing'}` };
  const out = await sendDigest(creditorId, clock().now());
  await closeDigestJob(creditorId, asOf, out.status, { messageId: out.messageId, reason: out.reason });
  return out;
}

/** Sends one now to a creditor, or to every creditor whose digest is not off (local mode, operators). */
export async function sendDigestsNow(creditorId: string | undefined, now: Date): Promise<DigestOutcome[]> {
  if (creditorId) return [await sendDigest(creditorId, now)];
  const out: DigestOutcome[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCreditors(100, cursor);
    for (const { profile } of page.items) if (profile.digest?.frequency !== 'off') out.push(await sendDigest(profile.id, now));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
