/**
 * The commitments as stored on the dossier (promises to pay, payment plans, acknowledgments of the
 * debt): record shapes only, so the dossier type (dossier.ts) and the transitions on them
 * (dossier-commitments.ts) both depend on this file instead of on each other.
 */
import type { IsoDate, IsoInstant } from './model';

export interface PromiseToPay {
  id: string;
  date: IsoDate;
  amountCents: number;
  madeAt: IsoInstant;
  /** When the promise is checked: the promised date plus the tolerance, at the send window's opening. */
  checkAt: IsoInstant;
  /** Payments recorded before the promise: only later ones count towards it. */
  paidBeforeCents: number;
  status: 'pending' | 'kept' | 'broken' | 'superseded' | 'settled' | 'ended';
  resolvedAt?: IsoInstant;
}

export interface PlanInstalment {
  dueDate: IsoDate;
  amountCents: number;
  remindedAt?: IsoInstant;
}

export interface PaymentPlan {
  id: string;
  instalments: PlanInstalment[];
  agreedAt: IsoInstant;
  /** The terms the plan was agreed under (absent: the defaults). */
  terms?: { toleranceBusinessDays: number; reminderDaysBefore: number };
  paidBeforeCents: number;
  status: 'running' | 'completed' | 'broken' | 'ended';
  endedAt?: IsoInstant;
}

/**
 * A debtor's acknowledgment of the debt (C. civ. 2240): it restarts prescription. Only an act of the
 * debtor counts, and proving it is the creditor's burden: the debtor's written acceptance of a plan
 * (an e-mail or the signed plan, stored in the evidence vault) or the first instalment paid — never
 * the creditor's own record of a plan. ('payment_plan' is kept for dossiers stored before this rule.)
 */
export interface Acknowledgment {
  on: IsoDate;
  source: 'written_acceptance' | 'first_instalment' | 'payment_plan';
  /** The plan acknowledged. */
  ref: string;
  /** Where the written acceptance is kept (written_acceptance only). */
  evidenceKey?: string;
}
