/**
 * Immediate alerts to the accountants (domain/accountant-alerts.ts), from a dossier change seen on
 * the table's stream: each new alert-worthy history entry is claimed once (ALERT#… item), then,
 * within the hourly limit, rendered, kept in the vault (digests/<creditorId>/alerts/…) and sent
 * with SES; beyond the limit it is recorded as deferred and the next digest lists it.
 */
import { alertHour, alertsFor, MAX_ALERTS_PER_HOUR, type AlertCandidate } from '../domain/accountant-alerts';
import type { Dossier } from '../domain/dossier';
import { sha256Hex } from '../domain/identity';
import { renderAlert } from '../digest/render-alert';
import { composeMime, messageIdFor } from '../notices/mime';
import { claimAlert, saveAlert, takeAlertSlot, type AlertRecord } from '../adapters/accountant-store';
import { getCreditor } from '../adapters/creditor-store';
import { putEvidence } from '../adapters/evidence-store';
import { sendRawEmail } from '../adapters/mailer';
import { settings } from '../adapters/env';
import { digestLanguage, DIGEST_EVIDENCE_PREFIX } from './digest';
import { log } from '../adapters/telemetry';

export interface AlertOutcome {
  dossierId: string;
  seq: number;
  kind: string;
  status: AlertRecord['status'] | 'duplicate';
  messageId?: string;
}

/** Alerts for the entries a change appended (from `previousLength` on); safe to run again. */
export async function alertOnChange(d: Dossier, previousLength: number, now: Date): Promise<AlertOutcome[]> {
  const candidates = alertsFor(d, previousLength);
  const out: AlertOutcome[] = [];
  for (const c of candidates) out.push(await alertOnce(d, c, now));
  return out;
}

async function alertOnce(d: Dossier, c: AlertCandidate, now: Date): Promise<AlertOutcome> {
  const base: AlertRecord = { creditorId: d.creditorId, dossierId: d.id, seq: c.seq, at: c.at, kind: c.kind, status: 'pending' };
  const { created, record } = await claimAlert(base);
  const outcome = { dossierId: d.id, seq: c.seq, kind: c.kind };
  // Already handled (a redelivered stream record); a pending one is a crashed attempt: finish it.
  if (!created && record.status !== 'pending') return { ...outcome, status: 'duplicate' };
  const creditor = await getCreditor(d.creditorId);
  if (!creditor || creditor.accountants.length === 0) {
    await saveAlert({ ...base, status: 'skipped', reason: 'the profile lists no accountants' });
    return { ...outcome, status: 'skipped' };
  }
  if (!(await takeAlertSlot(d.creditorId, alertHour(now), MAX_ALERTS_PER_HOUR))) {
    await saveAlert({ ...base, status: 'deferred', reason: `more than ${MAX_ALERTS_PER_HOUR} alerts this hour` });
    return { ...outcome, status: 'deferred' };
  }
  const rendered = renderAlert(c, d, creditor, digestLanguage(creditor), MAX_ALERTS_PER_HOUR);
  const raw = await composeMime({
    from: { name: creditor.sender.name, address: creditor.sender.email },
    to: creditor.accountants.map((address) => ({ address })),
    replyTo: creditor.replyTo,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    attachments: [],
    messageId: messageIdFor(d.id, `alert-${c.seq}`, settings.mailDomain()),
    date: now.toISOString(),
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  const evidenceKey = `${DIGEST_EVIDENCE_PREFIX}${d.creditorId}/alerts/${d.id}/${String(c.seq).padStart(6, '0')}-${c.kind}-${sha256Hex(raw).slice(0, 16)}.eml`;
  await putEvidence(evidenceKey, raw, 'message/rfc822', now);
  const messageId = await sendRawEmail(raw, creditor.sender.email, creditor.accountants);
  await saveAlert({ ...base, status: 'sent', messageId, evidenceKey });
  log.info('accountant alert sent', { creditorId: d.creditorId, dossierId: d.id, kind: c.kind, seq: c.seq, messageId });
  return { ...outcome, status: 'sent', messageId };
}
