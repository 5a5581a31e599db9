/**
 * A payment posted again (same reference, same amount and date: settlement.ts answers "duplicate")
 * is most often a client replaying a request whose answer it never got: the payment was recorded,
 * then the request failed (a 5xx) before or while the receipt went out. What the first request
 * owed the debtor is read back from the history here, so the replay can finish it: the receipt due
 * and not recorded as sent is sent then, as the very message the first request composed (same slot,
 * same Message-ID: outbound-mail.ts), never as a second one.
 */
import type { PaymentNotice } from '../notices/types';
import type { Dossier } from './dossier';
import type { DossierEvent, Payment } from './model';
import { parseEuros } from './money';
import { accessoriesClaimedOn, type PaymentInput, type PaymentSettlement, type SettlementCreditor } from './settlement';

export interface RecordedPayment {
  /** The receipt as the first request built it (PaymentNotice), when one was due. */
  receipt: PaymentNotice | null;
  /** The payment settled the dossier (its `paid` entry was written with it). */
  settled: boolean;
  /** The dossier was in counsel's hands when the payment was recorded (counsel was to hear of it). */
  handedOffBefore: boolean;
  /** Follow-up kinds recorded as sent after the payment, each with the reference it names. */
  sent: (kind: string) => boolean;
}

const cents = (v: unknown): number => (typeof v === 'string' ? (parseEuros(v) ?? 0) : 0);

/**
 * What recordPayment decided for the payment `reference` and what followed it, from `d.events`
 * (the whole history, or a window holding the payment's entry and everything after it); null when
 * `d.events` does not hold its `payment_recorded` entry. The receipt is due on the rule of
 * services/payments.ts: the settling payment, every payment once the accessories were claimed, every
 * payment in agency mode (CPCE R124-5).
 */
export function recordedPayment(d: Pick<Dossier, 'events' | 'payments'>, reference: string, creditor: SettlementCreditor | null | undefined): RecordedPayment | null {
  const at = d.events.findIndex((e) => e.type === 'payment_recorded' && e.reference === reference);
  const payment: Payment | undefined = d.payments.find((p) => p.reference === reference);
  if (at < 0 || !payment) return null;
  const entry = d.events[at]!;
  // Nothing remains due exactly when the payment settled the dossier (settlement.ts).
  const settled = cents(entry.remainingDue) === 0;
  // Written in the same update as the payment, before its `paid` entry.
  let waivedEntry: DossierEvent | undefined;
  for (let i = at + 1; settled && i < d.events.length && d.events[i]!.type !== 'paid'; i++) {
    if (d.events[i]!.type === 'accessories_waived') waivedEntry = d.events[i];
  }
  const claimed = accessoriesClaimedOn({ events: d.events.slice(0, at) } as Pick<Dossier, 'events'>, creditor) !== null;
  const due = settled || claimed || creditor?.agency !== undefined;
  const remaining = entry.remaining as { principal?: string; interest?: string; indemnity?: string } | undefined;
  const receipt: PaymentNotice | null = due
    ? {
        amountCents: payment.amountCents,
        paidOn: payment.paidOn,
        reference,
        balanceCents: settled ? 0 : cents(entry.remainingDue),
        ...(payment.allocation ? { allocation: payment.allocation } : {}),
        ...(remaining
          ? { remaining: { principalCents: cents(remaining.principal), interestCents: cents(remaining.interest), indemnityCents: cents(remaining.indemnity) } }
          : settled
            ? { remaining: { principalCents: 0, interestCents: 0, indemnityCents: 0 } }
            : {}),
        ...(waivedEntry
          ? {
              waived: {
                interestCents: cents(waivedEntry.interest),
                indemnityCents: cents(waivedEntry.indemnity),
                reason: waivedEntry.reason as NonNullable<PaymentNotice['waived']>['reason'],
              },
            }
          : {}),
      }
    : null;
  const after = d.events.slice(at + 1);
  return {
    receipt,
    settled,
    handedOffBefore: d.events.slice(0, at).some((e) => e.type === 'handed_off'),
    sent: (kind) => after.some((e) => e.type === 'message_sent' && e.kind === kind && e.reference === reference),
  };
}

/**
 * The receipt a recorded payment owes, from its settlement (services/payments.ts sends it; a replay
 * rebuilds the same one from the history with recordedPayment).
 */
export function receiptOf(p: PaymentInput, s: PaymentSettlement) {
  return {
    ...p,
    balanceCents: s.remainingCents,
    allocation: s.allocation,
    remaining: s.settled ? { principalCents: 0, interestCents: 0, indemnityCents: 0 } : s.remaining,
    ...(s.waived ? { waived: s.waived } : {}),
  };
}
