/**
 * What SES tells us about a message after it left (delivered, bounced, complained, rejected,
 * delayed), as pure functions: read the EventBridge event into facts, then record the facts on the
 * dossier. Orchestration (index look-up, evidence, suppression item, stopping the execution) lives
 * in services/delivery-events.ts.
 */
import type { EvidenceRef } from './evidence-chain';
import { createHash } from 'node:crypto';
import { assertNoLiveSend, Dossier, iso, markNeedsAttention } from './dossier';
import type { DossierEvent } from './model';

/** SES event publishing types this project listens to. */
export const DELIVERY_EVENT_TYPES = ['Bounce', 'Complaint', 'Reject', 'Delivery', 'DeliveryDelay'] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

/** EventBridge detail-type of each SES event type (the rule matches these). */
export const DETAIL_TYPES: Record<DeliveryEventType, string> = {
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  Delivery: 'Email Delivered',
  DeliveryDelay: 'Email Delivery Delayed',
};

/** The subset of the SES event publishing record we read (`detail` of the EventBridge event). */
export interface SesEventDetail {
  eventType: string;
  mail: {
    messageId: string;
    timestamp: string;
    destination?: string[];
    tags?: Record<string, string[]>;
    [k: string]: unknown;
  };
  bounce?: {
    bounceType: 'Permanent' | 'Transient' | 'Undetermined';
    bounceSubType?: string;
    bouncedRecipients: { emailAddress: string; diagnosticCode?: string; status?: string; action?: string }[];
    timestamp: string;
    feedbackId?: string;
  };
  complaint?: {
    complainedRecipients: { emailAddress: string }[];
    complaintFeedbackType?: string;
    complaintSubType?: string | null;
    timestamp: string;
    feedbackId?: string;
  };
  delivery?: { timestamp: string; recipients: string[]; smtpResponse?: string; processingTimeMillis?: number };
  reject?: { reason?: string };
  deliveryDelay?: {
    timestamp: string;
    delayType?: string;
    delayedRecipients?: { emailAddress: string; diagnosticCode?: string; status?: string }[];
    expirationTime?: string;
  };
}

export interface SesEventBridgeEvent {
  id?: string;
  source?: string;
  'detail-type'?: string;
  time?: string;
  detail?: SesEventDetail;
}

/** One thing that happened to one recipient of one message. */
export interface DeliveryFact {
  /** Stable across redeliveries of the same SES event: the dedupe key on the dossier. */
  eventId: string;
  type: DeliveryEventType;
  messageId: string;
  recipient: string;
  /** When it happened (SES's timestamp). */
  at: string;
  bounceType?: string;
  bounceSubType?: string;
  diagnostic?: string;
  complaintFeedbackType?: string;
  rejectReason?: string;
  smtpResponse?: string;
  delayType?: string;
}

export interface ParsedSesEvent {
  type: DeliveryEventType;
  messageId: string;
  /** Event time: the type's own timestamp, else the message's. */
  at: string;
  tags: Record<string, string[]>;
  facts: DeliveryFact[];
  /** Stable name of the whole event (messageId + type + time), for the evidence key. */
  eventKey: string;
}

export function deliveryEventId(messageId: string, type: string, recipient: string, at: string): string {
  return createHash('sha256').update(`${messageId}\u0000${type}\u0000${recipient.toLowerCase()}\u0000${at}`).digest('hex').slice(0, 32);
}

function isoOr(value: unknown, fallback: string): string {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
}

/**
 * Reads an EventBridge SES event. Returns null for anything that is not one of the five event types
 * with a message id (the rule should not send those; they are logged and ignored, not retried).
 */
export function parseSesEvent(event: SesEventBridgeEvent): ParsedSesEvent | null {
  const detail = event?.detail;
  const type = detail?.eventType as DeliveryEventType;
  if (!detail || !DELIVERY_EVENT_TYPES.includes(type)) return null;
  const messageId = detail.mail?.messageId;
  if (typeof messageId !== 'string' || !messageId) return null;
  const mailAt = isoOr(detail.mail.timestamp, isoOr(event.time, new Date(0).toISOString()));
  const destination = (detail.mail.destination ?? []).filter((a): a is string => typeof a === 'string');
  const tags = detail.mail.tags ?? {};
  const fact = (recipient: string, at: string, extra: Partial<DeliveryFact>): DeliveryFact => ({
    eventId: deliveryEventId(messageId, type, recipient, at),
    type,
    messageId,
    recipient,
    at,
    ...extra,
  });
  let at = mailAt;
  let facts: DeliveryFact[] = [];
  switch (type) {
    case 'Bounce': {
      const b = detail.bounce;
      at = isoOr(b?.timestamp, mailAt);
      facts = (b?.bouncedRecipients ?? []).map((r) =>
        fact(r.emailAddress, at, {
          bounceType: b?.bounceType ?? 'Undetermined',
          bounceSubType: b?.bounceSubType,
          diagnostic: r.diagnosticCode,
        }),
      );
      break;
    }
    case 'Complaint': {
      const c = detail.complaint;
      at = isoOr(c?.timestamp, mailAt);
      facts = (c?.complainedRecipients ?? []).map((r) =>
        fact(r.emailAddress, at, { complaintFeedbackType: c?.complaintFeedbackType ?? undefined }),
      );
      break;
    }
    case 'Delivery': {
      const dl = detail.delivery;
      at = isoOr(dl?.timestamp, mailAt);
      facts = (dl?.recipients ?? destination).map((r) => fact(r, at, { smtpResponse: dl?.smtpResponse }));
      break;
    }
    case 'Reject': {
      // A reject has no time of its own: SES refused the message when it was sent.
      facts = destination.map((r) => fact(r, at, { rejectReason: detail.reject?.reason }));
      break;
    }
    case 'DeliveryDelay': {
      const dd = detail.deliveryDelay;
      at = isoOr(dd?.timestamp, mailAt);
      const recipients = dd?.delayedRecipients?.length ? dd.delayedRecipients : destination.map((emailAddress) => ({ emailAddress }));
      facts = recipients.map((r) =>
        fact(r.emailAddress, at, { delayType: dd?.delayType, diagnostic: (r as { diagnosticCode?: string }).diagnosticCode }),
      );
      break;
    }
  }
  facts = facts.filter((f) => typeof f.recipient === 'string' && f.recipient.length > 0);
  const eventKey = createHash('sha256').update(`${messageId}\u0000${type}\u0000${at}`).digest('hex');
  return { type, messageId, at, tags, facts, eventKey };
}

/** What Amiable sent: the message index entry written when the message left. */
export interface SentMessage {
  messageId: string;
  dossierId: string;
  creditorId: string;
  kind: string;
  /** Who the message was written to: the debtor, or the creditor's litigation contact. */
  audience: 'debtor' | 'litigation_contact';
  recipient: string;
  sentAt: string;
  /**
   * SES events of this message already recorded on its dossier (kept on the message's index item):
   * the dossier item holds only its recent history (history-window.ts), so a late redelivery is
   * recognised here.
   */
  recordedEventIds?: string[];
}

/** A hard bounce or a complaint from the debtor's address: automatic e-mail stops for that debtor. */
export function pausesDebtorEmail(fact: DeliveryFact, message: Pick<SentMessage, 'audience'>): 'hard_bounce' | 'complaint' | null {
  if (message.audience !== 'debtor') return null;
  if (fact.type === 'Bounce' && fact.bounceType === 'Permanent') return 'hard_bounce';
  if (fact.type === 'Complaint') return 'complaint';
  return null;
}

/** Dossier event type of each SES event type. */
export const DELIVERY_EVENT_NAMES: Record<DeliveryEventType, string> = {
  Delivery: 'email_delivered',
  Bounce: 'email_bounced',
  Complaint: 'email_complained',
  Reject: 'email_rejected',
  DeliveryDelay: 'email_delayed',
};

const CLOSED = new Set(['paid', 'cancelled', 'handed_off', 'insolvency_proceedings']);

/** Where the raw SES event is kept (one object for all the facts of one SES event). */
export type DeliveryEvidence = EvidenceRef;

export interface DeliveryRecord {
  dossier: Dossier;
  /** Facts newly recorded (duplicates of events already on the dossier are left out). */
  recorded: DeliveryFact[];
  /** True when this call flagged the dossier needs_attention (the caller stops its execution). */
  flagged: boolean;
}

/** Whether the fact, on a message to the debtor, needs a person (hard bounce, complaint, reject). */
export function raisesAttention(fact: DeliveryFact, message: Pick<SentMessage, 'audience'>): boolean {
  return message.audience === 'debtor' && attentionReason(fact) !== null;
}

function attentionReason(fact: DeliveryFact): string | null {
  if (fact.type === 'Bounce' && fact.bounceType === 'Permanent') {
    const why = [fact.bounceSubType, fact.diagnostic].filter(Boolean).join(', ');
    return `hard bounce of the e-mail to ${fact.recipient}${why ? ` (${why})` : ''}; automatic e-mail to this debtor is paused`;
  }
  if (fact.type === 'Complaint') {
    return `the recipient ${fact.recipient} reported the e-mail as a complaint (spam); automatic e-mail to this debtor is paused`;
  }
  if (fact.type === 'Reject') {
    return `SES rejected the e-mail to ${fact.recipient}${fact.rejectReason ? ` (${fact.rejectReason})` : ''}; it was not sent`;
  }
  return null;
}

/**
 * Records SES facts on the dossier. Idempotent: a fact whose eventId is already on the dossier is
 * skipped (EventBridge delivers at least once). A hard bounce, a complaint or a reject of a message
 * to the debtor flags a running dossier needs_attention with an accountant_alert; a paid, cancelled
 * or handed-off dossier only gets the event recorded. Transient bounces, delays and deliveries are
 * recorded only (a delivery is proof, with the evidence key of the raw SES event).
 * Waits (DossierBusy) while a send holds the lease, like payments, so a notice_sent is never lost.
 */
export function recordDeliveryFacts(
  d: Dossier,
  message: SentMessage,
  facts: DeliveryFact[],
  evidence: DeliveryEvidence,
  now: Date,
  realNowMs: number,
): DeliveryRecord {
  const seen = new Set(d.events.map((e) => e.eventId).filter((x): x is string => typeof x === 'string'));
  for (const id of message.recordedEventIds ?? []) seen.add(id);
  const fresh = facts.filter((f) => !seen.has(f.eventId) && (seen.add(f.eventId), true));
  if (fresh.length === 0) return { dossier: d, recorded: [], flagged: false };
  assertNoLiveSend(d, realNowMs);
  const events: DossierEvent[] = fresh.map((f) => deliveryEvent(f, message, evidence, now));
  let next: Dossier = { ...d, events: [...d.events, ...events] };
  let flagged = false;
  if (!CLOSED.has(d.status) && d.status !== 'needs_attention' && message.audience === 'debtor') {
    const reasons = fresh.map(attentionReason).filter((r): r is string => r !== null);
    if (reasons.length > 0) {
      const reason = reasons.join('; ');
      next = markNeedsAttention(next, reason, now);
      next = { ...next, events: [...next.events, { type: 'accountant_alert', at: iso(now), reason, messageId: message.messageId }] };
      flagged = true;
    }
  }
  return { dossier: next, recorded: fresh, flagged };
}

function deliveryEvent(f: DeliveryFact, m: SentMessage, evidence: DeliveryEvidence, now: Date): DossierEvent {
  const base = {
    type: DELIVERY_EVENT_NAMES[f.type],
    at: f.at,
    recordedAt: iso(now),
    eventId: f.eventId,
    messageId: f.messageId,
    kind: m.kind,
    recipient: f.recipient,
  };
  const specific: Record<string, unknown> =
    f.type === 'Bounce'
      ? { bounceType: f.bounceType, bounceSubType: f.bounceSubType, diagnostic: f.diagnostic }
      : f.type === 'Complaint'
        ? { complaintFeedbackType: f.complaintFeedbackType }
        : f.type === 'Reject'
          ? { reason: f.rejectReason }
          : f.type === 'Delivery'
            ? { smtpResponse: f.smtpResponse }
            : { delayType: f.delayType, diagnostic: f.diagnostic };
  const defined = Object.fromEntries(Object.entries(specific).filter(([, v]) => v !== undefined && v !== null));
  return { ...base, ...defined, ...evidence };
}
