import { applyPayment } from './services/payments';
import { parisDate } from './domain/dates';
import { clock } from './adapters/clock';
import { creditorOf, json, parseBody, route } from './http/response';
import { parsePayment } from './http/validation';

/** POST /invoices/{id}/payments: 201 new, 200 same reference again, 409 above balance or closed. */
export const handler = route(async (event) => {
  const creditorId = creditorOf(event);
  const payment = parsePayment(parseBody(event), parisDate(clock().now()));
  const out = await applyPayment(creditorId, event.pathParameters?.id ?? '', payment);
  return json(out.created ? 201 : 200, out.view);
});
