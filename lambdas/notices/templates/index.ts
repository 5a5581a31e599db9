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

/**
 * The templates the send path picks by kind. The hand-off's is not among them: the hand-off passes
 * its own (services/litigation.ts), so the Lambdas that never hand off don't bundle it and the
 * litigation PDF it attaches (issue 15: handlers import only what they run).
 */
const MAIL_TEMPLATES: Record<Exclude<NoticeKind, 'litigation_handoff'>, Template> = {
  first_reminder: firstReminder,
  formal_reminder: formalReminder,
  formal_notice: formalNotice,
  payment_receipt: paymentReceipt,
  promise_confirmation: promiseConfirmation,
  payment_plan_confirmation: paymentPlanConfirmation,
  instalment_reminder: instalmentReminder,
  dispute_acknowledgment: disputeAcknowledgment,
  dispute_rejection: disputeRejection,
};

/** The template of a kind the send path renders; the hand-off brings its own. */
export function mailTemplate(kind: NoticeKind): Template {
  if (kind === 'litigation_handoff') throw new Error('the litigation hand-off renders with its own template (services/litigation.ts passes it)');
  return MAIL_TEMPLATES[kind];
}

/** Every kind's template (renderNotice: scripts/render-notices.ts, tests). Listed, not spread: a spread would keep it in every bundle. */
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
