import type { Context } from 'aws-lambda';
import { creditorOf, json, parseBody, route } from './http/response';
import { parseBatchEnvelope } from './http/batch-validation';
import { intakeBatch, summarize } from './services/bulk-intake';

/**
 * Stop starting items this long before API Gateway's 29 s integration timeout (or the function's
 * own), so the 207 always goes out: an item not reached is answered failed (retryable), never lost
 * in a timeout whose outcome nobody knows.
 */
const API_GATEWAY_BUDGET_MS = 24_000;
const SAFETY_MS = 5_000;

/** POST /invoices/batch: 207 with one result per invoice, in input order. */
export const handler = async (event: Parameters<ReturnType<typeof route>>[0], context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const started = Date.now();
  const remaining = context?.getRemainingTimeInMillis?.() ?? API_GATEWAY_BUDGET_MS + SAFETY_MS;
  const deadline = started + Math.max(1_000, Math.min(API_GATEWAY_BUDGET_MS, remaining - SAFETY_MS));
  return route(async (e) => {
    const creditorId = creditorOf(e);
    const items = parseBatchEnvelope(parseBody(e));
    const results = await intakeBatch(creditorId, items, { deadline });
    return json(207, { results, summary: summarize(results) });
  })(event);
};
