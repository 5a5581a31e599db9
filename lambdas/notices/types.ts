/**
 * The notices module's public vocabulary: what a notice is rendered from (NoticeContext) and what
 * comes out (RenderedNotice). Pure types; no AWS imports anywhere under lambdas/notices.
 */
import type {
  AmountBreakdown,
  CreditorProfile,
  Debtor,
  Invoice,
  IsoDate,
  IsoInstant,
  Language,
} from '../domain/model';
import type { Cents } from '../domain/money';
import type { LitigationDossier } from '../domain/litigation';

/** Every notice Amiable writes: the four escalation stages, then the follow-up letters. */
export const NOTICE_KINDS = [
  'first_reminder',
  'formal_reminder',
  'formal_notice',
  'litigation_handoff',
  'payment_receipt',
  'promise_confirmation',
  'payment_plan_confirmation',
  'instalment_reminder',
  'dispute_acknowledgment',
  'dispute_rejection',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export type NoticeRecipient = 'debtor' | 'litigation_contact';

export interface PaymentNotice {
  amountCents: Cents;
  paidOn: IsoDate;
  reference: string;
  /** What remains due after this payment, accessories included (0 when the dossier is settled). */
  balanceCents: Cents;
  /** How the payment was allocated (domain/settlement.ts). */
  allocation?: { order: 'principal-first' | 'civil-code-1343-1'; principalCents: Cents; interestCents: Cents; indemnityCents: Cents };
  /** What remains due per component (all 0 when settled). */
  remaining?: { principalCents: Cents; interestCents: Cents; indemnityCents: Cents };
  /** Accessories waived by this payment, and why (the creditor's choice, never claimed, a plan kept). */
  waived?: { interestCents: Cents; indemnityCents: Cents; reason: 'creditor_waiver' | 'not_claimed' | 'payment_plan_kept' };
}

export interface PromiseNotice {
  date: IsoDate;
  amountCents: Cents;
}

export interface Instalment {
  dueDate: IsoDate;
  amountCents: Cents;
}

export interface NoticeContext {
  kind: NoticeKind;
  /** The debtor's language (the litigation hand-off is always written in French). */
  language: Language;
  creditor: CreditorProfile;
  debtor: Debtor;
  invoice: Invoice;
  dossierId: string;
  /** Amounts printed as is (the notices never compute money). */
  breakdown: AmountBreakdown;
  sentAt: IsoInstant;
  /** Firm payment deadline: required for formal_reminder and formal_notice. */
  deadline?: IsoDate;
  /**
   * The grace period of the mise en demeure, in days, from the dossier's policy (Policy.graceDays):
   * required for formal_notice. The sentence about the delay and the checker read it; nothing in
   * the notices assumes a number of days.
   */
  graceDays?: number;
  /**
   * How the mise en demeure is sent (domain/registered.ts); absent: e-mail. A registered letter
   * states no calendar date: its period runs from the first presentation, unknown when it is printed.
   */
  channel?: 'email' | 'registered_post' | 'registered_email';
  payment?: PaymentNotice;
  promise?: PromiseNotice;
  /** A payment plan; toleranceBusinessDays (default 2) is how late an instalment may be before the plan ends. */
  plan?: { instalments: Instalment[]; toleranceBusinessDays?: number };
  /** The dispute: as opened (acknowledgment), and with the reasons it was rejected for (rejection). */
  dispute?: { id: string; reason: string; openedOn?: IsoDate; reasons?: string };
  /** Rejection: when the escalation resumes (the next letter's date). */
  resumesOn?: IsoDate;
  instalment?: Instalment;
  /** Hand-off: when the claim prescribes, and from which date the period started. */
  prescription?: { prescribesOn: IsoDate; startsOn: IsoDate; startingPoint: 'performance_date' | 'issue_date' | 'due_date'; runsFrom: IsoDate; years?: number };
  /** The reminders sent before this letter, with their dates (the mise en demeure recalls them). */
  earlierLetters?: { kind: 'first_reminder' | 'formal_reminder'; date: IsoDate }[];
  /** Agency mode: the first letter (R124-4 CPCE) that later notices must refer to. */
  agencyFirstLetter?: { reference: string; date: IsoDate };
  /** The litigation hand-off: the dossier established for counsel (attached as a PDF) and the evidence bundle link. */
  litigation?: LitigationHandoff;
}

export interface LitigationHandoff {
  dossier: LitigationDossier;
  /**
   * The dossier's PDF as rendered and recorded (services/litigation.ts): attached as is, so the
   * message carries exactly the bytes its entry's SHA-256 names without rendering them again.
   * Absent: the template renders it (the preview, tests).
   */
  pdf?: Uint8Array;
  /** A short-lived link to the evidence bundle (services/evidence.ts issueBundle). */
  bundle: { url: string; expiresAt: IsoInstant; head: { seq: number; hash: string } };
}

export interface NoticeAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
  /** Content-ID of an inline part (an image the HTML shows as cid:<id>); absent: a regular attachment. */
  cid?: string;
}

export interface RenderedNotice {
  kind: NoticeKind;
  to: NoticeRecipient;
  /** Plain text, single line (control characters removed). */
  subject: string;
  text: string;
  html: string;
  attachments: NoticeAttachment[];
}
