/**
 * When a payment settles a dossier, and what a payment pays: one rule for the dossier's status, the
 * receipt, the letters and the payment plan.
 *
 * The accessories of a late invoice are the late-payment penalties (B2B, C. com. L441-10 II) or the
 * interest at the legal rate (B2C, from the mise en demeure, C. civ. 1231-6, 1344-1) and, B2B, the
 * 40 EUR recovery indemnity (D441-5). They are CLAIMED from the first letter that demanded them as
 * part of the sum to pay: the formal reminder, the mise en demeure, or a collection agency's first
 * letter (which states the whole debt, CPCE R124-4). The creditor's own first reminder asks for the
 * principal only and recalls the accessories "pour mémoire".
 *
 * The creditor chooses how partial payments are allocated (CreditorProfile.paymentAllocation):
 * - "civil-code-1343-1" (default): C. civ. 1343-1 al. 1, "le paiement partiel s'impute d'abord sur
 *   les intérêts": accrued interest, then the indemnity, then the principal. Once the accessories are
 *   claimed, a payment of the principal alone does not close the dossier; the receipt says what
 *   remains, and the escalation goes on for it.
 * - "principal-first": the creditor's stated waiver. Payments go to the principal; once it is paid,
 *   the accessories are waived (an `accessories_waived` event, and the receipt says so) and the
 *   dossier closes. Letters that claim accessories state this waiver in advance.
 *
 * Whatever the choice, a payment is allocated principal first, and the accessories are waived once
 * the principal is paid, when:
 * - no letter had claimed the accessories when it was paid (the debtor paid what was asked);
 * - it is an instalment of a running payment plan (the plan covers the principal; its letter says
 *   the accessories are waived if the plan is kept in full, and claimed again if it breaks).
 * The order is fixed when the payment is recorded and stored with it (Payment.allocation), so a
 * later letter never re-allocates what a receipt already stated.
 */
import { DEFAULT_TIME_ZONE, localDate } from './calendar';
import { explainNextPayment, type AllocationOrder, type Outstanding } from './breakdown';
import { assertNoLiveSend, balanceCents, breakdownInputFor, Dossier, iso, sentStages } from './dossier';
import { acknowledge, firstUncovered, planAcknowledgment, runningPlan, settleCommitments } from './dossier-commitments';
import { conflict } from './errors';
import type { CreditorProfile, DossierEvent, IsoDate, Payment } from './model';
import { toDecimalString } from './money';

/** What settlement needs to know of the creditor (absent profile: the defaults). */
export type SettlementCreditor = Pick<CreditorProfile, 'category' | 'contractualPenaltyRate' | 'pursueAccessories' | 'paymentAllocation'> & {
  agency?: unknown;
};

const DEFAULT_CREDITOR: SettlementCreditor = { category: 'business' };

/** The creditor's allocation choice: explicit, else the legacy switch, else C. civ. 1343-1. */
export function allocationChoice(creditor: Pick<CreditorProfile, 'paymentAllocation' | 'pursueAccessories'> | null | undefined): AllocationOrder {
  if (creditor?.paymentAllocation) return creditor.paymentAllocation;
  if (creditor?.pursueAccessories === false) return 'principal-first';
  return 'civil-code-1343-1';
}

/** Stages whose letter demands the whole debt, accessories included. */
function claimsAccessories(stage: string, creditor: SettlementCreditor): boolean {
  return stage === 'formal_reminder' || stage === 'formal_notice' || (stage === 'first_reminder' && creditor.agency !== undefined);
}

/** The day (Paris) the first letter claiming the accessories went out, or null. */
export function accessoriesClaimedOn(d: Pick<Dossier, 'events'>, creditor: SettlementCreditor | null | undefined): IsoDate | null {
  const c = creditor ?? DEFAULT_CREDITOR;
  const first = sentStages(d).find((s) => claimsAccessories(s.stage, c));
  return first ? localDate(first.at, DEFAULT_TIME_ZONE) : null;
}

export type AllocationReason = NonNullable<Payment['allocation']>['reason'];

/** How a payment dated `paidOn` is allocated, and why. */
export function paymentOrder(d: Dossier, creditor: SettlementCreditor | null | undefined, paidOn: IsoDate): { order: AllocationOrder; reason: AllocationReason } {
  if (allocationChoice(creditor) === 'principal-first') return { order: 'principal-first', reason: 'creditor_waiver' };
  const claimedOn = accessoriesClaimedOn(d, creditor);
  if (claimedOn === null || paidOn < claimedOn) return { order: 'principal-first', reason: 'not_claimed' };
  if (runningPlan(d)) return { order: 'principal-first', reason: 'payment_plan' };
  return { order: 'civil-code-1343-1', reason: 'civil_code' };
}

export interface PaymentInput {
  amountCents: number;
  paidOn: IsoDate;
  reference: string;
}

/** Why accessories still due were waived when the principal was paid. */
export type WaiverReason = 'creditor_waiver' | 'not_claimed' | 'payment_plan_kept';

export interface PaymentSettlement {
  /** How this payment was allocated. */
  allocation: NonNullable<Payment['allocation']>;
  /** What remains due after it, per component, as of the recording day. */
  remaining: Outstanding;
  /** remaining, summed (0 when settled, waived accessories excluded). */
  remainingCents: number;
  settled: boolean;
  /** Accessories waived by this payment (the principal is paid and the waiver applies). */
  waived?: { interestCents: number; indemnityCents: number; reason: WaiverReason };
  /** The accessories had been claimed by a letter when the payment was recorded. */
  accessoriesClaimed: boolean;
}

export type PaymentResult =
  | { kind: 'duplicate'; dossier: Dossier }
  | { kind: 'recorded'; dossier: Dossier; settled: boolean; settlement: PaymentSettlement };

/**
 * Records a payment. Idempotent on the reference (the same reference with another amount or date is a
 * 409 naming the field). Refused on a closed dossier, and above what is
 * asked: the whole debt once a letter claimed the accessories, else the principal. Waits (via
 * DossierBusy) while a send holds the lease, so no notice_sent can ever be recorded after the
 * payment that settles the debt. The dossier is `paid` once nothing is due, or once the principal
 * is paid and the accessories are waived (see the module comment).
 */
export function recordPayment(d: Dossier, p: PaymentInput, now: Date, realNowMs: number, creditor?: SettlementCreditor | null): PaymentResult {
  const existing = d.payments.find((x) => x.reference === p.reference);
  if (existing) {
    // The same reference again is a replay (idempotent): only if it says the same thing. A different
    // amount or date under a known reference is another payment or a typo; dropping it silently would
    // lose money or hide an error, so it is refused naming what differs.
    const differs = [
      ...(existing.amountCents !== p.amountCents
        ? [{ path: 'amount', message: `payment ${p.reference} was recorded with amount ${toDecimalString(existing.amountCents)}` }]
        : []),
      ...(existing.paidOn !== p.paidOn ? [{ path: 'paidOn', message: `payment ${p.reference} was recorded as paid on ${existing.paidOn}` }] : []),
    ];
    if (differs.length) throw conflict(`A payment with reference ${p.reference} was already recorded with different content.`, differs);
    return { kind: 'duplicate', dossier: d };
  }
  if (d.status === 'paid' || d.status === 'cancelled') {
    throw conflict(`Dossier is ${d.status}; no payment can be recorded.`, [{ path: 'status', message: d.status }]);
  }
  const c = creditor ?? DEFAULT_CREDITOR;
  const today = localDate(iso(now), DEFAULT_TIME_ZONE);
  // Interest runs up to the day the payment is recorded (a payment may be dated earlier).
  const asOf = p.paidOn > today ? p.paidOn : today;
  const claimed = accessoriesClaimedOn(d, c) !== null;
  const { order, reason } = paymentOrder(d, c, p.paidOn);
  // Before and after this payment in one pass over the payments (breakdown.ts): a dossier paid in
  // 2,000 instalments must not cost two full computations per payment.
  const explained = explainNextPayment(breakdownInputFor(d, c, asOf), { amountCents: p.amountCents, paidOn: p.paidOn, order, ref: p.reference });
  const max = claimed ? Math.max(explained.dueBeforeCents, balanceCents(d)) : balanceCents(d);
  if (p.amountCents > max) {
    const what = claimed ? 'the amount due' : 'the balance';
    throw conflict(`Payment ${toDecimalString(p.amountCents)} exceeds ${what} ${toDecimalString(max)}.`, [
      { path: 'amount', message: `must not exceed ${what} ${toDecimalString(max)}` },
    ]);
  }
  assertNoLiveSend(d, realNowMs);

  const at = iso(now);
  const stored: Payment = { ...p, recordedAt: at };
  const withPayment: Dossier = { ...d, payments: [...d.payments, stored] };
  const mine = explained.allocation;
  const allocation: NonNullable<Payment['allocation']> = {
    order,
    reason,
    principalCents: mine?.principalCents ?? 0,
    interestCents: mine?.interestCents ?? 0,
    indemnityCents: mine?.indemnityCents ?? 0,
  };
  stored.allocation = allocation;
  const next: Dossier = { ...withPayment, sending: null };
  const remaining = explained.remaining;
  const accessories = remaining.interestCents + remaining.indemnityCents;
  const principalPaid = balanceCents(next) === 0;

  let waived: PaymentSettlement['waived'];
  let settled = principalPaid && accessories === 0;
  if (principalPaid && accessories > 0) {
    const plan = runningPlan(next);
    const why: WaiverReason | null =
      allocationChoice(c) === 'principal-first'
        ? 'creditor_waiver'
        : !claimed
          ? 'not_claimed'
          : plan && firstUncovered(next, plan) < 0
            ? 'payment_plan_kept'
            : null;
    if (why) {
      waived = { interestCents: remaining.interestCents, indemnityCents: remaining.indemnityCents, reason: why };
      settled = true;
    }
  }
  const remainingCents = settled ? 0 : remaining.principalCents + accessories;
  const events: DossierEvent[] = [
    ...d.events,
    {
      type: 'payment_recorded',
      at,
      amount: toDecimalString(p.amountCents),
      paidOn: p.paidOn,
      reference: p.reference,
      balance: toDecimalString(balanceCents(next)),
      allocation: {
        order,
        reason,
        principal: toDecimalString(allocation.principalCents),
        interest: toDecimalString(allocation.interestCents),
        indemnity: toDecimalString(allocation.indemnityCents),
      },
      remainingDue: toDecimalString(remainingCents),
      // Per component, as the receipt states it: a replay of this payment re-sends that receipt (payment-replay.ts).
      remaining: settled
        ? { principal: '0.00', interest: '0.00', indemnity: '0.00' }
        : { principal: toDecimalString(remaining.principalCents), interest: toDecimalString(remaining.interestCents), indemnity: toDecimalString(remaining.indemnityCents) },
    },
  ];
  // The first instalment of a plan paid: the debtor's own act acknowledges the debt (C. civ. 2240).
  let acknowledgments = next.acknowledgments;
  const plan = runningPlan(next);
  if (plan && !planAcknowledgment(next, plan.id) && firstUncovered(next, plan) !== 0) {
    const ack = acknowledge(next, { on: p.paidOn, source: 'first_instalment', ref: plan.id }, at, { paymentReference: p.reference });
    acknowledgments = ack.acknowledgments;
    events.push(ack.event);
  }
  let commitments = {};
  if (settled) {
    if (waived) {
      events.push({
        type: 'accessories_waived',
        at,
        reason: waived.reason,
        interest: toDecimalString(waived.interestCents),
        indemnity: toDecimalString(waived.indemnityCents),
      });
    }
    const closed = settleCommitments(next, at);
    events.push(...closed.events, { type: 'paid', at });
    commitments = { promises: closed.promises, plans: closed.plans };
  }
  return {
    kind: 'recorded',
    settled,
    settlement: { allocation, remaining, remainingCents, settled, ...(waived ? { waived } : {}), accessoriesClaimed: claimed },
    dossier: {
      ...next,
      ...(acknowledgments ? { acknowledgments } : {}),
      ...commitments,
      events,
      status: settled ? 'paid' : d.status,
      nextAction: settled ? null : d.nextAction,
    },
  };
}
