/**
 * Webhooks: the signature a receiver checks, the retry schedule, and what a registration may name.
 * node:crypto only (HMAC is a pure function of its inputs); no AWS.
 *
 * Signature (Stripe-like, docs/events.md): header `Amiable-Signature: t=<unix seconds>,v1=<hex>`
 * where v1 = HMAC-SHA256(secret, `${t}.${raw body}`). The timestamp is signed with the body, so a
 * captured delivery replayed later fails the receiver's tolerance check (5 minutes recommended).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DETAIL_TYPES } from './dossier-events';

export const SIGNATURE_HEADER = 'amiable-signature';
/** A receiver should refuse a signature older (or newer) than this. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

/** The receiver's check (also what the tests' receiver runs): the recipe of docs/events.md. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const i = item.indexOf('=');
    if (i <= 0) continue;
    const k = item.slice(0, i).trim();
    parts.set(k, [...(parts.get(k) ?? []), item.slice(i + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, t, body).split('v1=')[1], 'hex');
  return (parts.get('v1') ?? []).some((sig) => {
    const given = Buffer.from(sig, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Delay before attempt n+1 (n = attempts made so far, from 1), in seconds: 30 s, 2 min, 8 min,
 * then every 15 min (SQS DelaySeconds is at most 900, AWS limit). 8 attempts over about 70 minutes;
 * after the last, the delivery is failed and its message goes to the dead-letter queue.
 */
export const RETRY_DELAYS_SECONDS = [30, 120, 480, 900, 900, 900, 900] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

export function retryDelaySeconds(attemptsMade: number): number | null {
  return attemptsMade >= MAX_ATTEMPTS ? null : RETRY_DELAYS_SECONDS[attemptsMade - 1];
}

/** Every detail-type a webhook may subscribe to; "*" subscribes to all (and to those added later). */
export const SUBSCRIBABLE: readonly string[] = DETAIL_TYPES;

export function subscribes(events: readonly string[], detailType: string): boolean {
  return events.includes('*') || events.includes(detailType);
}

/** At most this many webhooks per creditor (each event is delivered to each subscriber). */
export const MAX_WEBHOOKS_PER_CREDITOR = 10;
/** A delivery that takes longer counts as failed (and is retried). */
export const DELIVERY_TIMEOUT_MS = 10_000;
