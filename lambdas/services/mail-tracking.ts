/**
 * What outbound mail needs from delivery tracking: before writing to a debtor, whether automatic
 * e-mail to that debtor is paused (hard bounce, complaint). Nothing after SES accepted a message:
 * its events find the dossier by the message's SES tags (delivery-events writes the index item).
 */
import { debtorKey, EmailPaused } from '../domain/debtor-key';
import type { Dossier } from '../domain/dossier';
import { getEmailSuppression, getEmailSuppressionWith } from '../adapters/delivery-store';
import { rememberTip, tipKey } from '../adapters/evidence-log';

/**
 * Throws EmailPaused when automatic e-mail to the dossier's debtor is paused. `withLogTip`: the
 * caller records the send on this very dossier object next (leased-send.ts): the evidence log's
 * record its change will chain to is read in the same request (evidence-log.ts tipKey), so the
 * send makes one read, not two.
 */
export async function assertDebtorEmailAllowed(d: Dossier, withLogTip = false): Promise<void> {
  const tip = withLogTip ? tipKey(d) : null;
  let paused;
  if (tip) {
    const read = await getEmailSuppressionWith(d.creditorId, debtorKey(d.debtor), tip);
    rememberTip(d, read.also);
    paused = read.suppression;
  } else paused = await getEmailSuppression(d.creditorId, debtorKey(d.debtor));
  if (paused) throw new EmailPaused(paused);
}
