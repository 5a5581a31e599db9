/**
 * The one way a message leaves Amiable: render the notice, compose the exact MIME bytes, keep them
 * in the evidence vault, then hand them to SES. Escalation stages (notice-dispatch) and follow-up
 * letters (receipts, confirmations, instalment reminders) both go through here, so every message
 * the debtor receives has the same evidence trail.
 */
import { breakdownFor, Dossier, SentInfo } from '../domain/dossier';
import { historyExtras } from '../notices/history-extras';
import { provisionalRateActions } from '../domain/breakdown';
import type { CreditorProfile } from '../domain/model';
import { sha256Hex } from '../domain/identity';
import { assertSendable } from '../notices/checker';
import { renderCheckedWith, type AssertSendable } from '../notices/render';
import type { Template } from '../notices/templates';
import { composeMime } from '../notices/mime';
import { mimeInputFor } from '../notices/addressing';
import type { NoticeContext, NoticeKind, RenderedNotice } from '../notices/types';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { keptAs } from '../adapters/evidence-archive';
import { sendRawEmail } from '../adapters/mailer';
import { settings } from '../adapters/env';
import { assertDebtorEmailAllowed } from './mail-tracking';
import { parisDate } from '../domain/dates';
import { log, noticeSent } from '../adapters/telemetry';

/** Thrown before anything is rendered when automatic e-mail to the debtor is paused (409 email_paused). */
export { EmailPaused } from '../domain/debtor-key';

export type NoticeExtras = Partial<
  Pick<
    NoticeContext,
    'deadline' | 'graceDays' | 'channel' | 'payment' | 'promise' | 'plan' | 'dispute' | 'resumesOn' | 'instalment' | 'agencyFirstLetter' | 'earlierLetters' | 'litigation'
  >
>;

export interface DeliverInput {
  dossier: Dossier;
  creditor: CreditorProfile;
  kind: NoticeKind;
  now: Date;
  /**
   * Names this message among all of the dossier's ("formal_notice", "formal_notice-2",
   * "payment_receipt"): the Message-ID and the evidence key derive from it, so a retried attempt
   * produces the same message rather than a second one.
   */
  slot: string;
  extra?: NoticeExtras;
  /**
   * The kind's template, given by the caller that sends that kind, so each Lambda bundles only the
   * templates it may render (issue 15: handlers import only what they run).
   */
  template: Template;
  /**
   * The caller records the send on this very dossier object next (leased-send.ts): read the
   * evidence log's last record with the debtor's pause key, in one request.
   */
  readLogTip?: boolean;
}

/** The context a notice of this dossier is rendered from, as of `now` (every channel uses it). */
export function noticeContext(input: Omit<DeliverInput, 'slot' | 'template'>): NoticeContext {
  const { dossier: d, creditor, kind, now } = input;
  const breakdown = breakdownFor(d, creditor, parisDate(now));
  // A provisional rate is printed as such on the letter; the operator learns here what to add.
  const actions = provisionalRateActions(breakdown);
  if (actions.length > 0) log.warn('provisional rate printed', { dossierId: d.id, kind, actions });
  return {
    kind,
    language: kind === 'litigation_handoff' ? 'fr' : d.debtor.language,
    creditor,
    debtor: d.debtor,
    invoice: d.invoice,
    dossierId: d.id,
    breakdown,
    sentAt: now.toISOString(),
    ...historyExtras(d, creditor, kind),
    ...input.extra,
  };
}

export async function deliverNotice(input: DeliverInput): Promise<SentInfo> {
  return deliverCheckedNotice(input, assertSendable);
}

/**
 * deliverNotice with the kind's own mention check (the hand-off: check-handoff.ts), so the Lambda
 * sending that kind bundles no other kind's mention lists (issue 15).
 */
export async function deliverCheckedNotice(input: DeliverInput, assert: AssertSendable): Promise<SentInfo> {
  const { dossier: d, creditor, kind, now, slot } = input;
  // A hard bounce or a complaint paused e-mail to this debtor (the hand-off goes to the lawyer).
  if (kind !== 'litigation_handoff') await assertDebtorEmailAllowed(d, input.readLogTip);
  const rendered = await renderCheckedWith(noticeContext(input), input.template, assert);
  return sendRendered({ dossier: d, creditor, kind, slot, now, rendered });
}

export interface SendRenderedInput {
  dossier: Dossier;
  creditor: CreditorProfile;
  /** The notice kind, or another message's kind (e.g. "litigation_payment_update"): tags and the evidence key. */
  kind: string;
  slot: string;
  now: Date;
  rendered: Pick<RenderedNotice, 'to' | 'subject' | 'text' | 'html' | 'attachments'>;
}

/** Composes the exact MIME bytes of a rendered message, keeps them as evidence, sends them. */
export async function sendRendered(input: SendRenderedInput): Promise<SentInfo> {
  const { dossier: d, creditor, kind, slot, now, rendered } = input;
  const mail = mimeInputFor({ dossierId: d.id, debtor: d.debtor, creditor, slot, sentAt: now.toISOString(), domain: settings.mailDomain(), rendered });
  const [to, cc] = [mail.to[0]!, mail.cc];
  const raw = await composeMime(mail);
  // Keyed by the slot AND the bytes: a retry that composes the very same message finds it already
  // kept; one whose bytes differ (a hand-off's fresh bundle link, a later Date) keeps its own object,
  // since Object Lock refuses other bytes under a locked key (same Message-ID either way).
  // A message that stays in Standard is kept gzipped (.eml.gz; its entry's sha256 is still that of
  // the exact bytes SES accepted), a larger one as is, in Glacier IR (evidence-archive.ts).
  const keeping = keptAs(kind, raw.byteLength);
  const digest = sha256Hex(raw);
  const evidenceKey = `dossiers/${d.id}/notices/${kind}/${sha256Hex(slot).slice(0, 16)}-${digest.slice(0, 16)}.eml${keeping.compress ? '.gz' : ''}`;
  // The bytes are hashed once: the key's digest is the evidence hash.
  const stored = await putEvidence(evidenceKey, raw, 'message/rfc822', now, { ...keeping, sha256: digest });
  const audience = rendered.to === 'litigation_contact' ? 'litigation_contact' : 'debtor';
  const messageId = await sendRawEmail(
    raw,
    creditor.sender.email,
    [to.address],
    { dossierId: d.id, creditorId: d.creditorId, kind, audience },
    cc.map((c) => c.address),
  );
  // Nothing else is written between SES and the caller's record: SES's events find the dossier by
  // the message's tags, and the first of them writes the message's index item (delivery-events).
  noticeSent({ dossierId: d.id, kind, audience, messageId });
  return { messageId, to: to.address, ...evidenceRef(stored) };
}
