/**
 * SES delivery events (configuration set -> EventBridge -> this service): find the dossier of the
 * message, keep the raw event as evidence, record what happened on the dossier, and when the
 * debtor's address is dead (hard bounce) or the debtor complained, pause automatic e-mail to that
 * debtor, flag the dossier and stop its execution.
 */
import { debtorKey } from '../domain/debtor-key';
import type { Dossier } from '../domain/dossier';
import {
  DELIVERY_EVENT_NAMES,
  DeliveryFact,
  parseSesEvent,
  raisesAttention,
  pausesDebtorEmail,
  recordDeliveryFacts,
  SentMessage,
  SesEventBridgeEvent,
} from '../domain/dossier-delivery';
import { clock } from '../adapters/clock';
import { getSentMessage, markEventsRecorded, putEmailSuppression } from '../adapters/delivery-store';
import { getDossier, updateDossier } from '../adapters/dossier-store';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { TAG_NAMES } from '../adapters/mailer';
import { stopExecution } from '../adapters/workflow';
import { log } from '../adapters/telemetry';

export interface DeliveryEventOutcome {
  outcome: 'ignored' | 'unknown_message' | 'duplicate' | 'recorded';
  messageId?: string;
  dossierId?: string;
  /** Dossier event types newly recorded. */
  recorded?: string[];
  /** Automatic e-mail to the debtor was paused by this event. */
  emailPaused?: boolean;
  status?: string;
  evidenceKey?: string;
}

/**
 * The message index (written by the message's first recorded event), or else the SES tags the
 * message carried: every message Amiable sends is tagged with its dossier, creditor, kind and
 * audience (outbound-mail.ts), and SES repeats the tags in each event.
 */
function fromTags(messageId: string, tags: Record<string, string[]>, destination: string[], sentAt: string): SentMessage | null {
  const tag = (name: string) => tags[name]?.[0];
  const dossierId = tag(TAG_NAMES.dossierId);
  const creditorId = tag(TAG_NAMES.creditorId);
  if (!dossierId || !creditorId) return null;
  const kind = tag(TAG_NAMES.kind) ?? 'unknown';
  const audience = tag(TAG_NAMES.audience) === 'litigation_contact' || kind === 'litigation_handoff' ? 'litigation_contact' : 'debtor';
  return { messageId, dossierId, creditorId, kind, audience, recipient: destination[0] ?? '', sentAt };
}

export async function handleDeliveryEvent(event: SesEventBridgeEvent): Promise<DeliveryEventOutcome> {
  const parsed = parseSesEvent(event);
  if (!parsed || parsed.facts.length === 0) {
    log.warn('not an SES delivery event (or no recipient); ignored', { source: event?.source, detailType: event?.['detail-type'] });
    return { outcome: 'ignored' };
  }
  const { messageId } = parsed;
  const message =
    (await getSentMessage(messageId)) ??
    fromTags(messageId, parsed.tags, event.detail?.mail.destination ?? [], event.detail?.mail.timestamp ?? '');
  const dossier = message ? await getDossier(message.dossierId) : null;
  if (!message || !dossier || dossier.creditorId !== message.creditorId) {
    // Not ours (another sender of the account using this configuration set) or long gone: no retry helps.
    log.warn('no dossier for this SES message; ignored', { messageId, type: parsed.type });
    return { outcome: 'unknown_message', messageId };
  }
  const outcome = { messageId, dossierId: dossier.id };
  const attention = parsed.facts.some((f) => raisesAttention(f, message));
  const seen = new Set([...dossier.events.map((e) => e.eventId), ...(message.recordedEventIds ?? [])]);
  if (parsed.facts.every((f) => seen.has(f.eventId))) {
    // A redelivery: the dossier already has it. Finish what a failed first attempt may have left.
    await stopIfFlagged(dossier, attention);
    return { ...outcome, outcome: 'duplicate', recorded: [], status: dossier.status };
  }

  const now = clock().now();
  // Kept gzipped (.json.gz, entry encoding: gzip; sha256 still the JSON's): one or more per message
  // sent, each kept ten years in Standard (adapters/evidence-store.ts PutEvidenceOptions.compress).
  const evidenceKey = `dossiers/${dossier.id}/delivery/${parsed.type}/${parsed.eventKey.slice(0, 32)}.json.gz`;
  const stored = await putEvidence(evidenceKey, Buffer.from(JSON.stringify(event), 'utf8'), 'application/json', now, { compress: true });

  // The pause is about the debtor, not this dossier: it is written even if the dossier is closed.
  const pause = parsed.facts.map((f) => [f, pausesDebtorEmail(f, message)] as const).find(([, why]) => why !== null);
  let emailPaused = false;
  if (pause) {
    const [fact, reason] = pause as readonly [DeliveryFact, 'hard_bounce' | 'complaint'];
    emailPaused = await putEmailSuppression(message.creditorId, {
      debtorKey: debtorKey(dossier.debtor),
      reason,
      since: fact.at,
      bouncedAddress: fact.recipient,
      messageId,
      dossierId: dossier.id,
    });
  }

  const result = await updateDossier(dossier.id, (d) =>
    recordDeliveryFacts(d, message, parsed.facts, evidenceRef(stored), now, Date.now()),
  );
  await markEventsRecorded(message, result.recorded.map((f) => f.eventId));
  await stopIfFlagged(result.dossier, attention);
  return {
    ...outcome,
    outcome: result.recorded.length > 0 ? 'recorded' : 'duplicate',
    recorded: result.recorded.map((f) => DELIVERY_EVENT_NAMES[f.type]),
    emailPaused,
    status: result.dossier.status,
    evidenceKey: stored.key,
  };
}

/** A dossier flagged by a delivery event must not keep a waiting execution (stopping is idempotent). */
async function stopIfFlagged(d: Dossier, attention: boolean): Promise<void> {
  if (attention && d.status === 'needs_attention' && d.execution) await stopExecution(d.execution.name, 'needs_attention');
}
