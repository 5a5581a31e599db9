/**
 * The hand-off to litigation as dossier transitions (the store applies them with its conditional
 * write). A creditor in approval mode (CreditorProfile.handoff = 'approval') has its dossier wait
 * in awaiting_handoff_approval when the grace period ends unpaid; POST /invoices/{id}/handoff
 * approves it, or a payment, a promise, a plan or a dispute changes its course (those transitions
 * accept the status: dossier-commitments.ts, dossier-disputes.ts; a payment is recorded as on any
 * open dossier and a settling one closes it).
 */
import { assertNoLiveSend, Dossier, iso, takeLease } from './dossier';
import { conflict, DomainError } from './errors';

export const AWAITING = 'awaiting_handoff_approval';

/** The detail-type published when a dossier is handed to counsel (docs/events.md). */
export const HANDED_OFF = 'DossierHandedOff';

/** The grace period ended unpaid: wait for a person to approve the hand-off (the lease is released). */
export function awaitHandoffApproval(d: Dossier, token: string, now: Date, summary: Record<string, unknown>): Dossier {
  if (!d.sending || d.sending.token !== token) throw new DomainError(409, 'lease_lost', 'send lease for litigation_handoff was lost');
  return {
    ...d,
    status: AWAITING,
    sending: null,
    nextAction: null,
    events: [...d.events, { type: 'handoff_awaiting_approval', at: iso(now), ...summary }],
  };
}

/**
 * Someone approved the hand-off: records who, and takes the send lease for it (a payment arriving
 * meanwhile waits for the hand-off to be recorded, as with any send).
 */
export function approveHandoff(d: Dossier, approvedBy: string, token: string, now: Date, realNowMs: number, leaseMs: number): { dossier: Dossier } {
  if (d.status !== AWAITING) {
    throw conflict(`Dossier is ${d.status}; only a dossier awaiting hand-off approval can be handed off.`, [{ path: 'status', message: d.status }]);
  }
  assertNoLiveSend(d, realNowMs, token);
  const approved = { ...d, events: [...d.events, { type: 'handoff_approved', at: iso(now), approvedBy }] };
  return { dossier: takeLease(approved, 'litigation_handoff', token, realNowMs, leaseMs) };
}

/** Whether the dossier has been handed to counsel at some point (payments after it are reported). */
export function wasHandedOff(d: Pick<Dossier, 'events'>): boolean {
  return d.events.some((e) => e.type === 'handed_off');
}
