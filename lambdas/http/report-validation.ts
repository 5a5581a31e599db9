/**
 * Inputs of the report routes: GET /reports/summary?asOf=&since= and
 * PUT /reports/receivables/{month} { creditSales, totalReceivables? }.
 */
// zod/mini (see validation.ts, which configures its messages and is imported below).
import * as z from 'zod/mini';
import { invalid, type ErrorDetail } from '../domain/errors';
import type { ReceivablesMonth } from '../domain/report';
import { parseEuros } from '../domain/money';
import { issueDetail, isoDate, REPORT } from './validation';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseSummaryQuery(query: Record<string, string | undefined> | null): { asOf?: string; since?: string } {
  const q = query ?? {};
  const details: ErrorDetail[] = Object.keys(q)
    .filter((k) => k !== 'asOf' && k !== 'since')
    .map((k) => ({ path: k, message: 'unknown query parameter' }));
  const out: { asOf?: string; since?: string } = {};
  if (q.asOf !== undefined) {
    if (isoDate.safeParse(q.asOf).success) out.asOf = q.asOf;
    else details.push({ path: 'asOf', message: 'must be a date YYYY-MM-DD' });
  }
  if (q.since !== undefined) {
    if (INSTANT.test(q.since) && !Number.isNaN(Date.parse(q.since))) out.since = q.since;
    else details.push({ path: 'since', message: 'must be an ISO 8601 instant with a time zone, e.g. 2026-05-04T07:30:00Z' });
  }
  if (details.length) throw invalid(details, 'Invalid query');
  return out;
}

/** A month YYYY-MM (path parameter). */
export function parseMonth(raw: string | undefined): string {
  if (!raw || !/^\d{4}-(0[1-9]|1[0-2])$/.test(raw)) throw invalid([{ path: 'month', message: 'must be a month YYYY-MM' }], 'Invalid month');
  return raw;
}

/** Zero allowed (a month without credit sales, no receivables). */
const amount = z
  .string({ error: 'must be a decimal string such as "100000.00"' })
  .check(z.refine((s) => parseEuros(s) !== null, 'must be a decimal string such as "100000.00" (at most 2 decimals)'));

const receivablesBody = z.strictObject({ creditSales: amount, totalReceivables: z.optional(amount) });

export function parseReceivables(month: string, body: unknown): ReceivablesMonth {
  const parsed = receivablesBody.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(parsed.error.issues.map(issueDetail), 'Invalid receivables');
  return {
    month,
    creditSalesCents: parseEuros(parsed.data.creditSales)!,
    ...(parsed.data.totalReceivables !== undefined ? { totalReceivablesCents: parseEuros(parsed.data.totalReceivables)! } : {}),
  };
}
