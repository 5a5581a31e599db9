import { creditorOf, errorResponse, json, parseBody, route } from './http/response';
import { parseInsolvency } from './http/validation';
import { clock } from './adapters/clock';
import { declareInsolvency } from './services/insolvency';
import { litigationView } from './services/litigation';
import { parisDate } from './domain/dates';

export const LITIGATION = '/invoices/{id}/litigation';
export const INSOLVENCY = '/invoices/{id}/insolvency';

/**
 * GET /invoices/{id}/litigation: the litigation dossier as of today (parties, claim, what runs,
 * prescription, route, CPC 750-1, documents with their evidence records, timeline) and the
 * versions kept in the vault; 409 before the grace period of the mise en demeure has ended unpaid.
 * (POST /invoices/{id}/handoff is lambdas/handoff.ts: the approval runs the hand-off itself.)
 * POST /invoices/{id}/insolvency {judgmentDate, procedure, court, mandataire}: stops this dossier and
 * every open dossier of the same debtor, drafts each declaration of claim; 422 for a consumer.
 */
export const handler = route(async (event) => {
  const creditorId = creditorOf(event);
  const id = event.pathParameters?.id ?? '';
  switch (event.resource) {
    case LITIGATION:
      return json(200, await litigationView(creditorId, id));
    case INSOLVENCY:
      return json(200, await declareInsolvency(creditorId, id, parseInsolvency(parseBody(event), parisDate(clock().now()))));
    default:
      return errorResponse(404, 'not_found', 'No such route.');
  }
});
