import { creditorOf, errorResponse, json, parseBody, route } from './http/response';
import { parseHandoffApproval } from './http/validation';
import { approveHandoff, litigationView } from './services/litigation';

export const LITIGATION = '/invoices/{id}/litigation';
export const HANDOFF = '/invoices/{id}/handoff';

/**
 * GET /invoices/{id}/litigation: the litigation dossier as of today (parties, claim, what runs,
 * prescription, route, CPC 750-1, documents with their evidence records, timeline) and the
 * versions kept in the vault; 409 before the grace period of the mise en demeure has ended unpaid.
 * POST /invoices/{id}/handoff {approvedBy}: hands a dossier awaiting approval to counsel; 409 otherwise.
 */
export const handler = route(async (event) => {
  const creditorId = creditorOf(event);
  const id = event.pathParameters?.id ?? '';
  switch (event.resource) {
    case LITIGATION:
      return json(200, await litigationView(creditorId, id));
    case HANDOFF: {
      const { approvedBy } = parseHandoffApproval(parseBody(event));
      return json(200, await approveHandoff(creditorId, id, approvedBy));
    }
    default:
      return errorResponse(404, 'not_found', 'No such route.');
  }
});
