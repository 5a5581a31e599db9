/**
 * The tail every workflow send shares (escalation stages, instalment reminders): the lease is
 * held, the message is delivered, then recorded. Automatic e-mail paused for the debtor (hard
 * bounce, complaint) flags the dossier instead; any other failure releases the lease and is
 * rethrown for the state machine's retry.
 */
import { Dossier, markNeedsAttention, releaseSend, SentInfo } from '../domain/dossier';
import { DomainError } from '../domain/errors';
import type { CreditorProfile } from '../domain/model';
import { updateDossier } from '../adapters/dossier-store';
import { getCreditorCached } from '../adapters/creditor-store';
import { deliverNotice, DeliverInput, EmailPaused } from './outbound-mail';

export async function sendUnderLease(
  claimed: Dossier,
  token: string,
  now: Date,
  message: (creditor: CreditorProfile) => Pick<DeliverInput, 'kind' | 'slot' | 'extra' | 'template'>,
  complete: (d: Dossier, info: SentInfo) => Dossier,
): Promise<{ sent: boolean; dossier: Dossier }> {
  let info: SentInfo;
  try {
    const creditor = await getCreditorCached(claimed.creditorId);
    if (!creditor) throw new DomainError(404, 'DossierNotFound', `creditor ${claimed.creditorId} not found`);
    info = await deliverNotice({ dossier: claimed, creditor, now, ...message(creditor), readLogTip: true });
  } catch (e) {
    if (e instanceof EmailPaused) {
      // Nothing was sent: a person must reach the debtor another way; the execution ends.
      const paused = await updateDossier(claimed.id, (d) => ({ dossier: markNeedsAttention(releaseSend(d, token), e.message, now) }));
      return { sent: false, dossier: paused.dossier };
    }
    await updateDossier(claimed.id, (d) => ({ dossier: releaseSend(d, token) }));
    throw e;
  }
  // Under the lease nobody else wrote the dossier: record on the claimed copy, no second read.
  const done = await updateDossier(claimed.id, (d) => ({ dossier: complete(d, info) }), { known: claimed });
  return { sent: true, dossier: done.dossier };
}
