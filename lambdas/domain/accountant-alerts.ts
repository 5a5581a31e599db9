/**
 * Which new history entries of a dossier e-mail the accountants at once: a hard bounce, a complaint,
 * a dossier flagged needs_attention, a dispute opened. One alert per entry, named by the entry's
 * position in the append-only history (so a redelivered change never alerts twice). A hard bounce
 * or a complaint that flags the dossier in the same change is one alert (the bounce's), not two.
 * At most MAX_ALERTS_PER_HOUR alert e-mails per creditor per clock hour; the others are recorded
 * as deferred and rolled into the next digest (which lists every one of these events anyway).
 */
import type { Dossier } from './dossier';
import type { IsoInstant } from './model';

export const MAX_ALERTS_PER_HOUR = 10;

export const ALERT_KINDS = ['hard_bounce', 'complaint', 'needs_attention', 'dispute_opened'] as const;

/**
 * The history entry types alertsFor can alert on (one of them appended is necessary, not sufficient:
 * a soft bounce, a flag raised by a bounce's own alert). The table stream's filter passes the alerts
 * function only the changes that appended one of these (lib/accountant-mail.ts): a rule on another
 * type must add it here, which test/domain/accountant-alerts.test.ts checks.
 */
export const ALERTING_ENTRY_TYPES = ['email_bounced', 'email_complained', 'needs_attention', 'dispute_opened'] as const;

/**
 * What a hard bounce's entry adds to a write's `appended` marker besides its type
 * (adapters/appended-marker.ts): a soft bounce alerts no one, so the alerts' filter names the hard
 * one only, and a soft bounce invokes nobody.
 */
export const HARD_BOUNCE_MARKER = 'email_bounced:Permanent';

/**
 * The marker values the alerts function's stream filter passes (lib/accountant-mail.ts): the alerting
 * entry types, a bounce only when hard (HARD_BOUNCE_MARKER).
 */
export const ALERTING_MARKERS = [HARD_BOUNCE_MARKER, ...ALERTING_ENTRY_TYPES.filter((t) => t !== 'email_bounced')];
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertCandidate {
  /** Position of the history entry (0-based): record seq + 1 of the evidence log. */
  seq: number;
  at: IsoInstant;
  kind: AlertKind;
  /** What happened, as recorded (a bounce's diagnostic, the flag's reason, the dispute's reason). */
  reason: string;
  recipient?: string;
  disputeId?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The alerts the entries from `fromIndex` on call for, in history order. */
export function alertsFor(d: Pick<Dossier, 'events'>, fromIndex: number): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const fresh = d.events.slice(Math.max(0, fromIndex));
  fresh.forEach((e, i) => {
    const seq = fromIndex + i;
    const at = str(e.at);
    if (e.type === 'email_bounced' && e.bounceType === 'Permanent') {
      out.push({ seq, at, kind: 'hard_bounce', recipient: str(e.recipient), reason: [str(e.bounceSubType), str(e.diagnostic)].filter(Boolean).join(', ') });
    } else if (e.type === 'email_complained') {
      out.push({ seq, at, kind: 'complaint', recipient: str(e.recipient), reason: str(e.complaintFeedbackType) });
    } else if (e.type === 'needs_attention' && !flaggedByDelivery(d.events, seq)) {
      out.push({ seq, at, kind: 'needs_attention', reason: str(e.reason) });
    } else if (e.type === 'dispute_opened') {
      out.push({ seq, at, kind: 'dispute_opened', reason: str(e.reason), disputeId: str(e.disputeId) });
    }
  });
  return out;
}

/**
 * A flag raised by a hard bounce or a complaint (dossier-delivery.ts appends the SES facts, then
 * needs_attention): that fact's own alert covers it.
 */
function flaggedByDelivery(events: Pick<Dossier, 'events'>['events'], k: number): boolean {
  for (let j = k - 1; j >= 0 && String(events[j].type).startsWith('email_'); j--) {
    const e = events[j];
    if ((e.type === 'email_bounced' && e.bounceType === 'Permanent') || e.type === 'email_complained') return true;
  }
  return false;
}

/** The clock hour (UTC) an alert's slot is counted in: "2026-05-06T07". */
export function alertHour(now: Date): string {
  return now.toISOString().slice(0, 13);
}
