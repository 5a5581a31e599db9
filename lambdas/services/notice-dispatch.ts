/**
 * Sends one escalation notice for a dossier: claim the dossier, render, keep the exact bytes as
 * evidence, send through SES, record. The claim (a lease on the dossier item, taken with a
 * conditional write) is what makes a payment and a send take turns: a payment arriving now waits
 * until the notice is recorded, and a send never starts on a dossier that is no longer active.
 */
import { breakdownFor, claimSend, completeSend, Dossier, releaseSend, sentStages } from '../domain/dossier';
import { DomainError } from '../domain/errors';
import { formalNoticeDeadline } from '../domain/calendar';
import type { Stage } from '../domain/model';
import { sha256Hex } from '../domain/identity';
import { renderNotice } from '../notices/render';
import { composeMime, messageIdFor } from '../notices/mime';
import { letterReference } from '../notices/templates';
import { clock } from '../adapters/clock';
import { getCreditor, updateDossier } from '../adapters/dossier-store';
import { putEvidence } from '../adapters/evidence-store';
import { sendRawEmail } from '../adapters/mailer';
import { settings } from '../adapters/env';
import { parisDate } from './paris-time';

/** Real-time lease: longer than the send Lambda's timeout, so a live send is never overtaken. */
export const SEND_LEASE_MS = 90_000;
/** Grace period of the mise en demeure (seed documents; C. civ. 1231 "délai raisonnable"). */
export const GRACE_DAYS = 8;

export interface SendRequest {
  dossierId: string;
  stage: Stage;
  executionName: string;
}

export interface SendOutcome {
  outcome: 'sent' | 'handed_off' | 'not_active';
  nextStage: Stage | null;
  nextAt: string | null;
}

function outcomeOf(d: Dossier, outcome: SendOutcome['outcome']): SendOutcome {
  return { outcome, nextStage: d.nextAction?.stage ?? null, nextAt: d.nextAction?.at ?? null };
}

export async function dispatchNotice(req: SendRequest): Promise<SendOutcome> {
  const now = clock().now();
  const token = `${req.executionName}:${req.stage}`;
  const claim = await updateDossier(req.dossierId, (d) => claimSend(d, req.stage, token, Date.now(), SEND_LEASE_MS));
  if (claim.kind === 'not_active') return outcomeOf(claim.dossier, 'not_active');
  if (claim.kind === 'already_sent') {
    return outcomeOf(claim.dossier, claim.dossier.status === 'handed_off' ? 'handed_off' : 'sent');
  }
  const dossier = claim.dossier;
  let info;
  try {
    info = await renderAndSend(dossier, req.stage, token, now);
  } catch (e) {
    await updateDossier(req.dossierId, (d) => ({ dossier: releaseSend(d, token) }));
    throw e;
  }
  const done = await updateDossier(req.dossierId, (d) => ({ dossier: completeSend(d, req.stage, token, now, info) }));
  return outcomeOf(done.dossier, req.stage === 'litigation_handoff' ? 'handed_off' : 'sent');
}

/** CPCE R124-4: an agency's later letters repeat the first letter's reference and date. */
function agencyFirstLetter(d: Dossier, agency: boolean) {
  const first = agency ? sentStages(d).find((s) => s.stage === 'first_reminder') : undefined;
  return first ? { reference: letterReference(d.id, 'first_reminder'), date: parisDate(new Date(first.at)) } : undefined;
}

async function renderAndSend(d: Dossier, stage: Stage, token: string, now: Date) {
  const creditor = await getCreditor(d.creditorId);
  if (!creditor) throw new DomainError(404, 'DossierNotFound', `creditor ${d.creditorId} not found`);
  const today = parisDate(now);
  const deadline = stage === 'formal_notice' || stage === 'formal_reminder'
    ? formalNoticeDeadline(now.toISOString(), GRACE_DAYS, d.region)
    : d.deadline ?? undefined;
  const rendered = await renderNotice({
    kind: stage,
    language: stage === 'litigation_handoff' ? 'fr' : d.debtor.language,
    creditor,
    debtor: d.debtor,
    invoice: d.invoice,
    dossierId: d.id,
    breakdown: breakdownFor(d, creditor, today),
    sentAt: now.toISOString(),
    deadline,
    agencyFirstLetter: agencyFirstLetter(d, creditor.agency !== undefined),
  });
  const to =
    rendered.to === 'litigation_contact'
      ? { name: creditor.litigationContact.name, address: creditor.litigationContact.email }
      : { name: d.debtor.name, address: d.debtor.email };
  const raw = await composeMime({
    from: { name: creditor.sender.name, address: creditor.sender.email },
    to: [to],
    replyTo: creditor.replyTo,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    attachments: rendered.attachments,
    messageId: messageIdFor(d.id, stage, settings.mailDomain()),
    date: now.toISOString(),
  });
  const evidenceKey = `dossiers/${d.id}/notices/${stage}/${sha256Hex(token).slice(0, 16)}.eml`;
  const stored = await putEvidence(evidenceKey, raw, 'message/rfc822', now);
  const messageId = await sendRawEmail(raw, creditor.sender.email, [to.address]);
  return { messageId, evidenceKey: stored.key, sha256: stored.sha256, to: to.address };
}
