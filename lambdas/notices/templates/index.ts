/** One template per notice kind. */
import type { NoticeKind } from '../types';
import type { Stage } from '../../domain/model';
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
 * The escalation letters' templates, by stage: what send-notice renders. Only these three: the
 * hand-off passes its own (services/litigation.ts), and receipts, confirmations and instalment
 * reminders are sent by the Lambdas that record them, each importing its one template, so a
 * Lambda bundles only the letters it sends (issue 15: handlers import only what they run).
 */
const STAGE_TEMPLATES: Record<Exclude<Stage, 'litigation_handoff'>, Template> = {
  first_reminder: firstReminder,
  formal_reminder: formalReminder,
  formal_notice: formalNotice,
};

/** The template of an escalation letter; the hand-off brings its own. */
export function stageTemplate(stage: Stage): Template {
  if (stage === 'litigation_handoff') throw new Error('the litigation hand-off renders with its own template (services/litigation.ts passes it)');
  return STAGE_TEMPLATES[stage];
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
