/**
 * Who "the debtor" is across dossiers, per creditor: the same company (SIREN) or, without a SIREN,
 * the same e-mail address. A hard bounce or a complaint pauses automatic e-mail for that key, so a
 * later invoice of the same debtor is not mailed blind to an address known to be dead.
 */
import { DomainError } from './errors';
import type { Debtor } from './model';

export type DebtorKey = `siren:${string}` | `email:${string}`;

export function debtorKey(debtor: Pick<Debtor, 'siren' | 'email'>): DebtorKey {
  const siren = (debtor.siren ?? '').replace(/\s+/g, '');
  if (siren) return `siren:${siren}`;
  return `email:${debtor.email.trim().toLowerCase()}`;
}

/** Why automatic e-mail to a debtor is paused. */
export interface EmailSuppression {
  debtorKey: DebtorKey;
  reason: 'hard_bounce' | 'complaint';
  /** Instant of the SES event that caused the pause. */
  since: string;
  /** The address that bounced (or complained). */
  bouncedAddress: string;
  /** The SES message and dossier that revealed it. */
  messageId: string;
  dossierId: string;
}

/** The sentence a person reads on the dossier ("needs attention: ..."). */
export function emailPausedReason(s: Pick<EmailSuppression, 'reason' | 'bouncedAddress'>): string {
  const cause = s.reason === 'complaint' ? 'a complaint' : 'a hard bounce';
  return `automatic e-mail paused for this debtor after ${cause} (${s.bouncedAddress})`;
}

/**
 * Refused: automatic e-mail to this debtor is paused. Whoever asked for the message (an escalation
 * stage, a follow-up letter) decides what happens to the dossier; nothing was rendered or sent.
 */
export class EmailPaused extends DomainError {
  constructor(readonly suppression: EmailSuppression) {
    super(409, 'email_paused', emailPausedReason(suppression), [{ path: 'debtor.email', message: 'automatic e-mail is paused' }]);
    this.name = 'EmailPaused';
  }
}
