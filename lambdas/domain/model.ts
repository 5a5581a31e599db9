/**
 * The shared vocabulary of Amiable: invoices, debtors, creditors, dossiers and their events.
 * Pure types and constants; no AWS imports anywhere under lambdas/domain.
 */
import type { Cents } from './money';

/** The four escalation stages, in order (identifiers are part of the HTTP contract). */
export const STAGES = ['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff'] as const;
export type Stage = (typeof STAGES)[number];

export type Language = 'fr' | 'en';
/** What an API key may do: an operator everything on its creditor's dossiers, an auditor only read. */
export type KeyRole = 'operator' | 'auditor';
export const KEY_ROLES: readonly KeyRole[] = ['operator', 'auditor'];
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
  /**
   * Named segment (optional). "public-sector": a public buyer under the Code de la commande publique
   * (moratory interest L2192-13 / R2192-31, the administrative court, the four-year prescription of
   * loi n° 68-1250); its letters have their own wording.
   */
  segment?: string;
  /** Telephone number (E.164-ish, as given), shown on call tasks; optional. */
  phone?: string;
  /**
   * The debtor (a consumer) agreed to receive registered electronic letters (CPCE L100), on this
   * day: without it, a consumer's mise en demeure never goes by registered e-mail.
   */
  registeredEmailConsent?: { givenOn: IsoDate };
  /** VAT identifier (EN 16931 BT-48), when known. */
  vatId?: string;
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
  /**
   * When the service was performed or the goods delivered: prescription runs from it (Cass. com.
   * 26 Feb 2020, 18-25.036). Absent: the issue date is used, and the view says so.
   */
  performanceDate?: IsoDate;
  /** The buyer's purchase order reference (EN 16931 BT-13), kept for the litigation dossier. */
  orderReference?: string;
  /** The contract reference (EN 16931 BT-12), kept for the litigation dossier. */
  contractReference?: string;
  /** Payment means (BT-81, UNTDID 4461 code, e.g. "58" SEPA credit transfer) and the payee IBAN (BT-84). */
  paymentMeans?: { code: string; iban?: string };
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
  /**
   * Decimal euros ("15.00"): invoices for less are not pursued, refused at intake (422
   * below_minimum). Absent: the policy's minimumAmountCents, if any (domain/policy.ts).
   */
  minimumAmount?: string;
  /**
   * How the mise en demeure is sent (registered.ts): "email" (default), "registered_post" (LRAR,
   * posted by the operator) or "registered_email" (LRE through a qualified provider). Fixed on each
   * dossier at intake.
   */
  formalNoticeChannel?: 'email' | 'registered_post' | 'registered_email';
  /**
   * How partial payments are allocated once a letter has claimed the accessories (late-payment
   * penalties or interest, the 40 EUR indemnity): "civil-code-1343-1" (the default, C. civ. 1343-1:
   * interest first, then the indemnity, then the principal; the dossier stays open until everything
   * is paid) or "principal-first", the creditor's stated waiver (payments go to the principal, and
   * once it is paid the accessories are waived and the dossier closes; letters and receipts say so).
   * Rules: lambdas/domain/settlement.ts.
   */
  paymentAllocation?: 'civil-code-1343-1' | 'principal-first';
  /** Legacy switch, read only when paymentAllocation is absent: true = 1343-1, false = principal first. */
  pursueAccessories?: boolean;
  /** The creditor's terms for promises and payment plans (defaults: 2, 2 and 3 days). */
  commitmentTerms?: CommitmentTerms;
  /** The creditor's own language (its alerts and hand-offs); "fr" when absent. */
  language?: Language;
  /**
   * The creditor's human reference for letters, e.g. "{invoiceNumber}-{stage}"; placeholders
   * {invoiceNumber}, {stage} and {creditorId} only (validated with the profile). Stored; not yet
   * printed on every letter.
   */
  referenceFormat?: string;
  /** The accountants' digest: how often, in which language (default: daily, the profile's language). */
  digest?: DigestSettings;
  /**
   * The consumer mediator the creditor adheres to (C. conso. L612-1, L616-1: its name and website
   * are given to a consumer whose complaint is not settled). Required to close a consumer's dispute.
   */
  consumerMediator?: ConsumerMediator;
  /**
   * What happens when the mise en demeure's grace period ends unpaid: the dossier goes to counsel
   * at once ("automatic", the default), or waits in awaiting_handoff_approval until someone
   * approves it (POST /invoices/{id}/handoff) or a payment, plan or dispute changes its course.
   */
  handoff?: 'automatic' | 'approval';
}

export const DIGEST_FREQUENCIES = ['daily', 'weekly', 'monthly', 'off'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/**
 * The accountants' digest (SES, 07:30 Europe/Paris): daily on every business day, weekly on the
 * first business day of the week, monthly on the first business day of the month, or off.
 */
export interface DigestSettings {
  frequency: DigestFrequency;
  language?: Language;
}

export interface ConsumerMediator {
  name: string;
  /** https URL of the mediator's site (where the consumer files the request). */
  website: string;
  address?: PostalAddress;
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

export const DOSSIER_STATUSES = [
  'active',
  'paused_dispute',
  'promised',
  'on_payment_plan',
  'paid',
  'cancelled',
  'handed_off',
  'awaiting_handoff_approval',
  'insolvency_proceedings',
  'needs_attention',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

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
  /**
   * How the payment was allocated when it was recorded (absent on older payments: principal first).
   * The order is fixed then (settlement.ts); the split is what the receipt stated.
   */
  allocation?: {
    order: 'principal-first' | 'civil-code-1343-1';
    /** Why this order: the creditor's choice, no letter had claimed the accessories yet, a plan instalment. */
    reason: 'civil_code' | 'creditor_waiver' | 'not_claimed' | 'payment_plan';
    principalCents: Cents;
    interestCents: Cents;
    indemnityCents: Cents;
  };
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
    /**
     * "l441-10" default B2B rate, "contractual" rate, "legal" interest (B2C), or "ccp-l2192-13"
     * moratory interest of a public-sector buyer (Code de la commande publique).
     */
    basis: 'l441-10' | 'contractual' | 'legal' | 'ccp-l2192-13';
    lines: PenaltyLine[];
    totalCents: Cents;
    /**
     * B2B only, when the invoice or the creditor's terms state a contractual rate: where it applied,
     * and where it was set aside for being below the legal floor (3 x the legal interest rate,
     * C. com. L441-10 II), the default rate applying instead. Letters say why.
     */
    contractual?: {
      ratePercent: string;
      origin: 'invoice' | 'creditor terms';
      appliedTo: string[];
      setAside: { halfYear: string; floorPercent: string; legalRatePercent: string }[];
    };
  };
  /** 40 EUR (D441-5) for B2B, 0 otherwise. */
  indemnityCents: Cents;
  /** Payments received so far. */
  paidCents: Cents;
  /** The payments counted, in date order (letters list them with their dates). */
  payments?: { paidOn: IsoDate; amountCents: Cents; reference?: string }[];
  /** principal + interest + indemnity - paid (never negative). */
  totalDueCents: Cents;
  /** Principal still unpaid after allocation. */
  principalDueCents: Cents;
  provisional: boolean;
  /** Human-readable explanations (day count convention, rate sources, allocation order). */
  notes: string[];
}
