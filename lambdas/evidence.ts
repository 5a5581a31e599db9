import { creditorOf, json, route } from './http/response';
import { evidenceLog, issueBundle } from './services/evidence';

/**
 * GET /invoices/{id}/evidence: the dossier's evidence log, head and records in seq order.
 * POST /invoices/{id}/evidence-bundle: 201 with a short-lived link to a verifiable ZIP.
 * Both are open to auditor keys (a bundle is a read of the vault, recorded in the log).
 */
export const handler = route(async (event) => {
  const creditorId = creditorOf(event);
  const id = event.pathParameters?.id ?? '';
  if (event.httpMethod === 'POST') {
    const keyId = event.requestContext?.authorizer?.keyId;
    return json(201, await issueBundle(creditorId, id, typeof keyId === 'string' ? keyId : undefined));
  }
  return json(200, await evidenceLog(creditorId, id));
});
