/**
 * What outbound mail needs from delivery tracking: before writing to a debtor, whether automatic
 * e-mail to that debtor is paused (hard bounce, complaint); after SES accepted a message, the index
 * item that lets SES's later events (delivered, bounced...) find the dossier.
 */
import { debtorKey, EmailPaused } from '../domain/debtor-key';
import type { Dossier } from '../domain/dossier';
import type { SentMessage } from '../domain/dossier-delivery';
import { getEmailSuppression, putSentMessage } from '../adapters/delivery-store';
import { log } from '../adapters/telemetry';

/** Throws EmailPaused when automatic e-mail to the dossier's debtor is paused. */
export async function assertDebtorEmailAllowed(d: Pick<Dossier, 'creditorId' | 'debtor'>): Promise<void> {
  const paused = await getEmailSuppression(d.creditorId, debtorKey(d.debtor));
  if (paused) throw new EmailPaused(paused);
}

/**
 * Best effort: the message has left, and failing now would make the caller retry and send it
 * twice. Without the index item, events are still resolved from the message's SES tags.
 */
export async function indexSentMessage(m: SentMessage): Promise<void> {
  if (!m.messageId) return;
  try {
    await putSentMessage(m);
  } catch (e) {
    log.warn('message index not written; events will fall back to SES tags', { messageId: m.messageId, dossierId: m.dossierId, error: (e as Error)?.name });
  }
}
