/**
 * The shared vocabulary of Amiable: invoices, debtors, creditors, dossiers and their events.
 * Pure types and constants; no AWS imports anywhere under lambdas/domain.
 */
import type { Cents } from './money';

/** The four escalation stages, in order (identifiers are part of the HTTP contract). */
export const STAGES = ['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff'] as const;
export type Stage = (typeof STAGES)[number];
/** Stages that write to the debtor (the hand-off goes to the creditor's litigation contact). */
export const DEBTOR_STAGES: readonly Stage[] = ['first_reminder', 'formal_reminder', 'formal_notice'];

export type Language = 'fr' | 'en';
export type DebtorKind = 'business' | 'consumer';
/** ISO calendar date, YYYY-MM-DD. */
export type IsoDate = string;
/** ISO instant in UTC with Z, e.g. 2026-04-07T07:00:00.000Z. */
export type IsoInstant = string;

export interface PostalAddress {
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  /** ISO 3166 alpha-2; "FR" by default. */
  country: string;
}

export interface Debtor {
  kind: DebtorKind;
  name: string;
  email: string;
  language: Language;
  /** 9 digits, Luhn-valid, when known. */
  siren?: string;
  address: PostalAddress;
  /** Named segment for policy overrides (e.g. "public-sector"); optional. */
  segment?: string;
}

export interface Invoice {
  invoiceNumber: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  /** Amount including VAT. */
  amountCents: Cents;
  currency: 'EUR';
  description?: string;
  /** Contractual late-payment rate in percent per year ("15.00"), when the invoice states one. */
  contractualPenaltyRate?: string;
}

export interface Contact {
  name: string;
  email: string;
  phone?: string;
}

/** When the sender is a collection agency acting for the creditor (CPCE R124-4). */
export interface AgencyProfile {
  legalName: string;
  address: PostalAddress;
  siren?: string;
}

export interface CreditorProfile {
  id: string;
  legalName: string;
  address: PostalAddress;
  siren: string;
  iban: string;
  bic: string;
  paymentLink?: string;
  /** From: address and display name (an SES-verified identity on AWS). */
  sender: { email: string; name: string };
  replyTo: string;
  accountants: string[];
  litigationContact: Contact;
  /** The person the debtor may contact. */
  contact: Contact;
  /** Legal interest column (L313-2 CMF): "individual" creditors use the higher rate. */
  category: 'business' | 'individual';
  /** Place written on letters ("Fait à Lyon"). */
  city: string;
  agency?: AgencyProfile;
  /** Contractual penalty rate (percent per year) from the creditor's terms, if any. */
  contractualPenaltyRate?: string;
  /** Policy name to apply (defaults to the built-in French default policy). */
  policyName?: string;
  /** Code civil 1343-1 allocation: accessories first and the dossier stays open until paid. */
  pursueAccessories?: boolean;
  /** The creditor's terms for promises and payment plans (defaults: 2, 2 and 3 days). */
  commitmentTerms?: CommitmentTerms;
  /**
   * What happens when the mise en demeure's grace period ends unpaid: the dossier goes to counsel
   * at once ("automatic", the default), or waits in awaiting_handoff_approval until someone
   * approves it (POST /invoices/{id}/handoff) or a payment, plan or dispute changes its course.
   */
  handoff?: 'automatic' | 'approval';
}

/** How long a commitment is given before it counts as broken, and when instalments are reminded. */
export interface CommitmentTerms {
  /** Business days after the promised date before the promise is checked. */
  promiseToleranceBusinessDays?: number;
  /** Business days after an instalment's due date before the plan is broken. */
  instalmentToleranceBusinessDays?: number;
  /** Calendar days before an instalment that its reminder goes out (0: no reminders). */
  instalmentReminderDaysBefore?: number;
}

export type DossierStatus =
  | 'active'
  | 'paused_dispute'
  | 'promised'
  | 'on_payment_plan'
  | 'paid'
  | 'cancelled'
  | 'handed_off'
  | 'awaiting_handoff_approval'
  | 'insolvency_proceedings'
  | 'needs_attention';

export interface ScheduledStage {
  stage: Stage;
  at: IsoInstant;
}

/**
 * Checkpoints of a debtor's commitment, run by the same workflow as the stages: checking a promise
 * to pay after its tolerance, reminding an instalment 3 days ahead, checking an instalment.
 */
export const CHECKPOINTS = ['promise_check', 'instalment_reminder', 'instalment_check'] as const;
export type Checkpoint = (typeof CHECKPOINTS)[number];

/** What the dossier's execution waits for: a stage to send, or a commitment checkpoint. */
export interface NextAction {
  stage: Stage | Checkpoint;
  at: IsoInstant;
}

export interface Payment {
  reference: string;
  amountCents: Cents;
  paidOn: IsoDate;
  recordedAt: IsoInstant;
}

/** One entry of a dossier's history, in recording order. Extra fields depend on the type. */
export interface DossierEvent {
  type: string;
  at: IsoInstant;
  stage?: Stage;
  [field: string]: unknown;
}

/** One per-period line of late-payment penalties or interest. */
export interface PenaltyLine {
  /** First and last day of delay covered by this line, inclusive. */
  from: IsoDate;
  to: IsoDate;
  days: number;
  /** Annual rate in percent, as a decimal string ("12.15"). */
  ratePercent: string;
  /** Amount the rate applies to during this line. */
  basisCents: Cents;
  amountCents: Cents;
  /** True when the rate for this half-year is not yet in the table (last known rate used). */
  provisional: boolean;
  /** Where the rate comes from ("ECB 2.15% + 10 pts, C. com. L441-10", ...). */
  source: string;
}

/** The amounts a notice or a litigation dossier prints as is. Invariant: totals equal their lines. */
export interface AmountBreakdown {
  asOf: IsoDate;
  regime: 'b2b' | 'b2c';
  principalCents: Cents;
  interest: {
    /** "l441-10" default B2B rate, "contractual" rate, or "legal" interest (B2C). */
    basis: 'l441-10' | 'contractual' | 'legal';
    lines: PenaltyLine[];
    totalCents: Cents;
  };
  /** 40 EUR (D441-5) for B2B, 0 otherwise. */
  indemnityCents: Cents;
  /** Payments received so far. */
  paidCents: Cents;
  /** principal + interest + indemnity - paid (never negative). */
  totalDueCents: Cents;
  /** Principal still unpaid after allocation. */
  principalDueCents: Cents;
  provisional: boolean;
  /** Human-readable explanations (day count convention, rate sources, allocation order). */
  notes: string[];
}
