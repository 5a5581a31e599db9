/**
 * What outbound mail needs from delivery tracking: before writing to a debtor, whether automatic
 * e-mail to that debtor is paused (hard bounce, complaint). Nothing after SES accepted a message:
 * its events find the dossier by the message's SES tags (delivery-events writes the index item).
 */
import { debtorKey, EmailPaused } from '../domain/debtor-key';
import type { Dossier } from '../domain/dossier';
import { getEmailSuppression } from '../adapters/delivery-store';

/** Throws EmailPaused when automatic e-mail to the dossier's debtor is paused. */
export async function assertDebtorEmailAllowed(d: Pick<Dossier, 'creditorId' | 'debtor'>): Promise<void> {
  const paused = await getEmailSuppression(d.creditorId, debtorKey(d.debtor));
  if (paused) throw new EmailPaused(paused);
}
