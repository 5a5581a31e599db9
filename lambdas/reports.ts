import type { APIGatewayProxyEvent } from 'aws-lambda';
import { clock } from './adapters/clock';
import { toDecimalString } from './domain/money';
import { creditorOf, errorResponse, json, parseBody, route } from './http/response';
import { parseMonth, parseReceivables, parseSummaryQuery } from './http/report-validation';
import { creditorReport, recordReceivables } from './services/reports';

export const SUMMARY = '/reports/summary';
export const RECEIVABLES = '/reports/receivables/{month}';

/**
 * The accountants' figures of the caller's creditor, routed by resource:
 * - GET /reports/summary[?asOf=YYYY-MM-DD][&since=ISO]: 200, the report the digest renders
 *   (portfolio figures, what happened in (since, until], what comes next, what needs a human, the
 *   evidence root). 400 for a bad or future asOf, or a since not before the end of the period.
 * - PUT /reports/receivables/{month} { creditSales, totalReceivables? }: 200, the creditor's own
 *   figures for a month, which DSO (countback) needs.
 */
export const handler = route(async (event: APIGatewayProxyEvent) => {
  const creditorId = creditorOf(event);
  switch (event.resource) {
    case SUMMARY: {
      const { report } = await creditorReport(creditorId, parseSummaryQuery(event.queryStringParameters), clock().now());
      return json(200, report);
    }
    case RECEIVABLES: {
      const month = parseMonth(event.pathParameters?.month);
      const m = await recordReceivables(creditorId, parseReceivables(month, parseBody(event)), clock().now());
      return json(200, {
        month: m.month,
        creditSales: toDecimalString(m.creditSalesCents),
        totalReceivables: m.totalReceivablesCents === undefined ? null : toDecimalString(m.totalReceivablesCents),
      });
    }
    default:
      return errorResponse(404, 'not_found', 'No such route.');
  }
});
