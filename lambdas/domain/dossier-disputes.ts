/**
 * Cancellation and disputes as pure dossier transitions (the store applies them with its
 * optimistic-concurrency write, like payments). Orchestration (stopping and starting executions)
 * lives in services/dossier-actions.ts.
 */
import { addBusinessDays, DEFAULT_SEND_WINDOW, localDate, localTimeToInstant } from './calendar';
import {
  assertNoLiveSend,
  balanceCents,
  Dispute,
  Dossier,
  firstUnsent,
  iso,
  scheduleFor,
  sentStages,
} from './dossier';
import { conflict, DomainError, invalid, notFound } from './errors';
import { endCommitments } from './dossier-commitments';
import type { DossierEvent } from './model';
import { toDecimalString } from './money';

/** Business days a rejected dispute keeps the next notice away. */
export const DISPUTE_REJECTED_DELAY_BUSINESS_DAYS = 5;

const CLOSED = new Set(['paid', 'cancelled', 'handed_off']);
/**
 * A debtor may contest at any moment of the amicable stage, including while a promise or a plan
 * runs (contesting the debt ends them: they were commitments to pay it) or while a person looks
 * at the dossier.
 */
const DISPUTABLE = new Set(['active', 'promised', 'on_payment_plan', 'needs_attention', 'awaiting_handoff_approval']);

export function disputesOf(d: Dossier): Dispute[] {
  return d.disputes ?? [];
}

/** Ends the dossier without further notices (credit note, cancelled invoice). */
export function cancelDossier(d: Dossier, reason: string, now: Date, realNowMs: number): { dossier: Dossier } {
  if (CLOSED.has(d.status)) {
    throw conflict(`Dossier is ${d.status}; it cannot be cancelled.`, [{ path: 'status', message: d.status }]);
  }
  assertNoLiveSend(d, realNowMs);
  const at = iso(now);
  return {
    dossier: {
      ...d,
      ...endCommitments(d, iso(now)),
      status: 'cancelled',
      nextAction: null,
      sending: null,
      events: [...d.events, { type: 'cancelled', at, reason }],
    },
  };
}

export interface DisputeInput {
  id: string;
  reason: string;
  disputedAmountCents?: number;
}

/** Opens a dispute: escalation pauses at once (the caller stops the execution). */
export function openDispute(d: Dossier, input: DisputeInput, now: Date, realNowMs: number): { dossier: Dossier; dispute: Dispute } {
  if (disputesOf(d).some((x) => x.status === 'open')) {
    throw conflict('The dossier already has an open dispute.', [{ path: 'status', message: d.status }]);
  }
  if (!DISPUTABLE.has(d.status)) {
    throw conflict(`Dossier is ${d.status}; a dispute can only be opened before the dossier is closed or handed off.`, [
      { path: 'status', message: d.status },
    ]);
  }
  assertNoLiveSend(d, realNowMs);
  const at = iso(now);
  const dispute: Dispute = {
    id: input.id,
    reason: input.reason,
    ...(input.disputedAmountCents !== undefined ? { disputedAmountCents: input.disputedAmountCents } : {}),
    openedAt: at,
    status: 'open',
  };
  const event: DossierEvent = {
    type: 'dispute_opened',
    at,
    disputeId: dispute.id,
    reason: dispute.reason,
    ...(input.disputedAmountCents !== undefined ? { disputedAmount: toDecimalString(input.disputedAmountCents) } : {}),
  };
  return {
    dispute,
    dossier: {
      ...d,
      ...endCommitments(d, at),
      status: 'paused_dispute',
      nextAction: null,
      sending: null,
      disputes: [...disputesOf(d), dispute],
      events: [...d.events, event],
    },
  };
}

export interface ResolveInput {
  outcome: 'rejected' | 'upheld';
  creditNoteAmountCents?: number;
  /** Why a dispute is rejected: required for a rejection, printed in the letter to the debtor. */
  reasons?: string;
}

export type ResolveResult =
  | { kind: 'closed'; dossier: Dossier; dispute: Dispute }
  | { kind: 'resumed'; dossier: Dossier; dispute: Dispute };

/**
 * Resolves an open dispute.
 * - rejected: escalation resumes where it stood, the next notice no sooner than 5 business days.
 * - upheld in full (no credit note, or one equal to the balance): the dossier is cancelled.
 * - upheld in part (credit note below the balance): the invoice is reduced and escalation resumes
 *   on the remainder at once.
 * A resumed dossier runs under a new execution (generation + 1); `executionName` names it.
 */
export function resolveDispute(
  d: Dossier,
  disputeId: string,
  input: ResolveInput,
  executionName: (generation: number) => string,
  now: Date,
): ResolveResult {
  const existing = disputesOf(d).find((x) => x.id === disputeId);
  if (!existing) throw notFound('Dispute');
  if (existing.status !== 'open') {
    throw conflict(`Dispute ${disputeId} is already resolved (${existing.outcome}).`, [
      { path: 'status', message: existing.status },
    ]);
  }
  if (d.status !== 'paused_dispute') {
    // Paid or cancelled meanwhile: the dispute can be closed but nothing resumes.
    if (!CLOSED.has(d.status)) {
      throw conflict(`Dossier is ${d.status}; the dispute cannot be resolved.`, [{ path: 'status', message: d.status }]);
    }
  }
  const at = iso(now);
  if (input.outcome === 'rejected' && !input.reasons?.trim()) {
    throw invalid([{ path: 'reasons', message: 'the reasons for rejecting the dispute are required (the debtor receives them)' }], 'Invalid resolution');
  }
  const dispute: Dispute = {
    ...existing,
    status: 'resolved',
    outcome: input.outcome,
    resolvedAt: at,
    ...(input.outcome === 'rejected' ? { reasons: input.reasons!.trim() } : {}),
  };
  const disputes = disputesOf(d).map((x) => (x.id === disputeId ? dispute : x));
  const balance = balanceCents(d);
  const credit = input.creditNoteAmountCents;

  if (input.outcome === 'upheld' && credit !== undefined && credit > balance) {
    throw new DomainError(409, 'conflict', `Credit note ${toDecimalString(credit)} exceeds the balance ${toDecimalString(balance)}.`, [
      { path: 'creditNoteAmount', message: `must not exceed the balance ${toDecimalString(balance)}` },
    ]);
  }

  if (input.outcome === 'upheld' && (credit === undefined || credit === balance)) {
    const events: DossierEvent[] = [
      ...d.events,
      { type: 'dispute_upheld', at, disputeId, ...(credit !== undefined ? { creditNoteAmount: toDecimalString(credit) } : {}) },
    ];
    const stillOpen = !CLOSED.has(d.status);
    return {
      kind: 'closed',
      dispute,
      dossier: {
        ...d,
        disputes,
        ...(credit !== undefined ? { creditNotes: [...(d.creditNotes ?? []), { amountCents: credit, at, disputeId }] } : {}),
        status: stillOpen ? 'cancelled' : d.status,
        nextAction: null,
        events: stillOpen ? [...events, { type: 'cancelled', at, reason: 'dispute upheld' }] : events,
      },
    };
  }

  let next: Dossier = { ...d, disputes };
  const events: DossierEvent[] = [...d.events];
  let notBefore: Date;
  if (input.outcome === 'upheld') {
    next = { ...next, creditNotes: [...(d.creditNotes ?? []), { amountCents: credit!, at, disputeId }] };
    events.push({
      type: 'dispute_upheld',
      at,
      disputeId,
      creditNoteAmount: toDecimalString(credit!),
      balance: toDecimalString(balanceCents(next)),
    });
    notBefore = now;
  } else {
    events.push({ type: 'dispute_rejected', at, disputeId, reasons: dispute.reasons });
    const today = localDate(at, DEFAULT_SEND_WINDOW.timeZone);
    const day = addBusinessDays(today, DISPUTE_REJECTED_DELAY_BUSINESS_DAYS, d.region);
    notBefore = new Date(localTimeToInstant(day, DEFAULT_SEND_WINDOW.open, DEFAULT_SEND_WINDOW.timeZone));
  }
  if (CLOSED.has(d.status)) return { kind: 'closed', dispute, dossier: { ...next, events } };

  const computed = scheduleFor({ ...next, events }, now, notBefore);
  const nextAction = firstUnsent(computed.stages, sentStages({ ...next, events }));
  const generation = (d.execution?.generation ?? 1) + 1;
  const execution = { name: executionName(generation), generation };
  if (nextAction) events.push({ type: 'escalation_resumed', at, nextStage: nextAction.stage, scheduledAt: nextAction.at, execution: execution.name });
  return {
    kind: 'resumed',
    dispute,
    dossier: {
      ...next,
      events,
      status: 'active',
      schedule: computed.stages,
      deadline: computed.deadline,
      nextAction,
      execution,
    },
  };
}
