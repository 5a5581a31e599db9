import { invalid } from './domain/errors';
import { creditorOf, json, route } from './http/response';
import { evidenceLog, issueBundle, MAX_RECORDS_PER_PAGE } from './services/evidence';

/** A whole number in [min, max] from the query string, or a 400 naming the parameter. */
function intParam(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw invalid([{ path: name, message: `must be a whole number from ${min} to ${max}` }]);
  }
  return Number(value);
}

/**
 * GET /invoices/{id}/evidence[?after=<seq>&limit=<n>]: the dossier's evidence log, head and a page
 * of records in seq order (at most 1,000; `nextAfter` continues).
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
  const q = event.queryStringParameters ?? {};
  return json(
    200,
    await evidenceLog(creditorId, id, {
      after: intParam(q.after ?? undefined, 'after', 0, 9_999_999_999),
      limit: intParam(q.limit ?? undefined, 'limit', 1, MAX_RECORDS_PER_PAGE),
    }),
  );
});
