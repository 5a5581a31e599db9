/** One template per notice kind. */
import type { NoticeKind } from '../types';
import type { Template } from './common';
import { disputeAcknowledgment } from './dispute-acknowledgment';
import { disputeRejection } from './dispute-rejection';
import { firstReminder } from './first-reminder';
import { formalNotice } from './formal-notice';
import { formalReminder } from './formal-reminder';
import { instalmentReminder } from './instalment-reminder';
import { litigationHandoff } from './litigation-handoff';
import { paymentPlanConfirmation } from './payment-plan-confirmation';
import { paymentReceipt } from './payment-receipt';
import { promiseConfirmation } from './promise-confirmation';

export const TEMPLATES: Record<NoticeKind, Template> = {
  first_reminder: firstReminder,
  formal_reminder: formalReminder,
  formal_notice: formalNotice,
  litigation_handoff: litigationHandoff,
  payment_receipt: paymentReceipt,
  promise_confirmation: promiseConfirmation,
  payment_plan_confirmation: paymentPlanConfirmation,
  instalment_reminder: instalmentReminder,
  dispute_acknowledgment: disputeAcknowledgment,
  dispute_rejection: disputeRejection,
};

export type { Template } from './common';
export { letterReference } from './common';
