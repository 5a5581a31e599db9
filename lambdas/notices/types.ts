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
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export type NoticeRecipient = 'debtor' | 'litigation_contact';

export interface PaymentNotice {
  amountCents: Cents;
  paidOn: IsoDate;
  reference: string;
  /** What remains due after this payment (0 when the dossier is settled). */
  balanceCents: Cents;
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
  payment?: PaymentNotice;
  promise?: PromiseNotice;
  /** A payment plan; toleranceBusinessDays (default 2) is how late an instalment may be before the plan ends. */
  plan?: { instalments: Instalment[]; toleranceBusinessDays?: number };
  dispute?: { id: string; reason: string };
  instalment?: Instalment;
  /** Agency mode: the first letter (R124-4 CPCE) that later notices must refer to. */
  agencyFirstLetter?: { reference: string; date: IsoDate };
  /** The litigation hand-off: the dossier established for counsel (attached as a PDF) and the evidence bundle link. */
  litigation?: LitigationHandoff;
}

export interface LitigationHandoff {
  dossier: LitigationDossier;
  /** A short-lived link to the evidence bundle (services/evidence.ts issueBundle). */
  bundle: { url: string; expiresAt: IsoInstant; head: { seq: number; hash: string } };
}

export interface NoticeAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
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
