import type { APIGatewayProxyEvent } from 'aws-lambda';
import { cancelInvoice, openInvoiceDispute, resolveInvoiceDispute, resumeInvoice } from './services/dossier-actions';
import { creditorOf, errorResponse, json, parseBody, route } from './http/response';
import { parseAcceptance, parseCancel, parseDispute, parsePlan, parsePosting, parsePromise, parseRegisteredReceipt, parseResolution, parseResume } from './http/validation';
import { recordRegisteredPosting, recordRegisteredReceipt } from './services/registered-mail';
import { recordPlan, recordPlanAcceptance, recordPromise } from './services/commitments';

export const CANCEL = '/invoices/{id}/cancel';
export const DISPUTES = '/invoices/{id}/disputes';
export const RESOLVE = '/invoices/{id}/disputes/{disputeId}/resolve';
export const PROMISES = '/invoices/{id}/promises';
export const PAYMENT_PLAN = '/invoices/{id}/payment-plan';
export const RESUME = '/invoices/{id}/resume';
export const PLAN_ACCEPTANCE = '/invoices/{id}/payment-plan/acceptance';
export const REGISTERED_POSTING = '/invoices/{id}/registered-letter/posting';
export const REGISTERED_RECEIPT = '/invoices/{id}/registered-letter/receipt';

/**
 * The dossier's life after intake, routed by API Gateway resource:
 * - POST /invoices/{id}/cancel: 200, 409 when already closed.
 * - POST /invoices/{id}/disputes: 201 with the dispute id; 409 unless active without open dispute.
 * - POST /invoices/{id}/disputes/{disputeId}/resolve: 200; 404 unknown dispute, 409 resolved.
 * - POST /invoices/{id}/promises: 201 with the promise (200 for the same pending promise again); 409 unless active or promised, or above
 *   the balance; 400 for a date in the past or more than 90 days ahead.
 * - POST /invoices/{id}/payment-plan: 201 (200 for the same running plan again); 400 unless the instalments add up to the balance with
 *   increasing dates ahead; 409 unless active or promised.
 * - POST /invoices/{id}/payment-plan/acceptance: 201 (200 when the plan was already acknowledged);
 *   the debtor's written acceptance, stored as evidence, acknowledges the debt (C. civ. 2240).
 * - POST /invoices/{id}/registered-letter/posting and .../receipt: 201 (200 when already recorded);
 *   the LRAR's tracking number, then its acknowledgment of receipt, each kept as evidence.
 * - POST /invoices/{id}/resume: 200; 409 unless needs_attention, or while the debtor's e-mail is
 *   paused and no corrected debtorEmail is given.
 */
export const handler = route(async (event: APIGatewayProxyEvent) => {
  const creditorId = creditorOf(event);
  const id = event.pathParameters?.id ?? '';
  switch (event.resource) {
    case CANCEL: {
      const { reason } = parseCancel(parseBody(event));
      return json(200, await cancelInvoice(creditorId, id, reason));
    }
    case DISPUTES:
      return json(201, await openInvoiceDispute(creditorId, id, parseDispute(parseBody(event))));
    case RESOLVE:
      return json(
        200,
        await resolveInvoiceDispute(creditorId, id, event.pathParameters?.disputeId ?? '', parseResolution(parseBody(event))),
      );
    case PROMISES: {
      const out = await recordPromise(creditorId, id, parsePromise(parseBody(event)));
      return json(out.created ? 201 : 200, out.view);
    }
    case PAYMENT_PLAN: {
      const out = await recordPlan(creditorId, id, parsePlan(parseBody(event)));
      return json(out.created ? 201 : 200, out.view);
    }
    case PLAN_ACCEPTANCE: {
      const out = await recordPlanAcceptance(creditorId, id, parseAcceptance(parseBody(event)));
      return json(out.created ? 201 : 200, out.view);
    }
    case REGISTERED_POSTING: {
      const out = await recordRegisteredPosting(creditorId, id, parsePosting(parseBody(event)));
      return json(out.created ? 201 : 200, out.view);
    }
    case REGISTERED_RECEIPT: {
      const out = await recordRegisteredReceipt(creditorId, id, parseRegisteredReceipt(parseBody(event)));
      return json(out.created ? 201 : 200, out.view);
    }
    case RESUME:
      return json(200, await resumeInvoice(creditorId, id, parseResume(parseBody(event))));
    default:
      return errorResponse(404, 'not_found', 'No such route.');
  }
});
