/**
 * Follow-up letters to the debtor after something they did: the payment receipt, the dispute
 * acknowledgment, the promise and payment-plan confirmations. They are sent after the state change
 * is stored, through the same outbound path as the stages (evidence first, then SES), and recorded
 * as `message_sent`. They hold the dossier's send lease while they go out, so a settling payment
 * and a confirmation take turns like a payment and a stage. A failure to send never undoes the
 * state change: it is recorded as `message_failed` for a person to follow up.
 */
import { claimFollowUp, Dossier, recordMessage, recordMessageFailure, type SentInfo } from '../domain/dossier';
import type { CreditorProfile } from '../domain/model';
import type { NoticeKind } from '../notices/types';
import type { Template } from '../notices/templates';
import { clock } from '../adapters/clock';
import { getCreditor, updateDossier } from '../adapters/dossier-store';
import { deliverNotice, NoticeExtras } from './outbound-mail';
import { log } from '../adapters/telemetry';
import { retryTransient } from '../adapters/transient-retry';

/**
 * A follow-up has no state machine to retry it: it is tried a few times here before it is recorded
 * as failed (or, when even that write fails, the request answers 5xx and the client's replay of
 * the same payment sends what is missing: payments.ts). Each attempt composes the same message
 * (same slot, same Message-ID), so a send that SES accepted but whose answer was lost is, at worst,
 * the same message again, never a second one. Every error is retried, not only transient ones: a
 * crash after SES accepted looks like any other failure. Five attempts: each SDK call already
 * retries (aws-clients.ts), so what fails an attempt is mostly a send whose answer was lost.
 */
const FOLLOW_UP_ATTEMPTS = 5;
/** Between attempts: 50 ms, 100 ms... of real time on AWS, none in local mode (the clock port's pause). */
const FOLLOW_UP_PAUSE_MS = 50;

async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= FOLLOW_UP_ATTEMPTS) throw e;
      await clock().pause?.(FOLLOW_UP_PAUSE_MS * n);
    }
  }
}

/** Real-time lease while a follow-up is rendered and sent (a payment waits for it). */
const FOLLOW_UP_LEASE_MS = 60_000;

export interface FollowUp {
  kind: NoticeKind;
  /** The kind's template (outbound-mail.ts DeliverInput.template). */
  template: Template;
  /** What the letter is about (payment reference, dispute, promise or plan id): names the message. */
  ref: string;
  extra: NoticeExtras;
  /** Extra fields of the `message_sent` event (e.g. { promiseId }). */
  eventFields?: Record<string, unknown>;
  /** The creditor, when the caller already read it. */
  creditor?: CreditorProfile;
}

export async function sendFollowUp(dossier: Dossier, f: FollowUp): Promise<Dossier> {
  const { kind, extra, eventFields = {} } = f;
  const slot = `${kind}-${f.ref}`;
  const now = clock().now();
  const token = `follow-up:${slot}`;
  const claim = await retryTransient(() => updateDossier(dossier.id, (d) => claimFollowUp(d, kind, token, Date.now(), FOLLOW_UP_LEASE_MS)));
  if (claim.kind === 'closed') return claim.dossier; // settled or cancelled meanwhile: nothing more is sent
  let info: SentInfo;
  try {
    const creditor = f.creditor ?? (await getCreditor(dossier.creditorId));
    if (!creditor) throw new Error(`creditor ${dossier.creditorId} not found`);
    info = await withRetries(() => deliverNotice({ dossier: claim.dossier, creditor, kind, template: f.template, now, slot, extra }));
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    log.error('follow-up not sent', { dossierId: dossier.id, kind, reason });
    return (await retryTransient(() => updateDossier(dossier.id, (d) => ({ dossier: recordMessageFailure(d, kind, token, reason.slice(0, 500), now, eventFields) })))).dossier;
  }
  // It left: recorded as sent, never as failed. Should even this write fail, the request fails and
  // its replay (the same payment again) sends the same message and records it (payments.ts).
  return (await retryTransient(() => updateDossier(dossier.id, (d) => ({ dossier: recordMessage(d, kind, token, info, now, eventFields) })))).dossier;
}
