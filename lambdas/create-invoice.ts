import { intakeInvoice } from './services/intake';
import { startAtOnce } from './services/intake-start';
import { creditorOf, json, parseBody, rawBody, route } from './http/response';
import { parseInvoice } from './http/validation';

/** POST /invoices: 201 with the new dossier, 200 for the same invoice again, 409 if it differs. */
export const handler = route(async (event) => {
  const creditorId = creditorOf(event);
  const submission = parseInvoice(parseBody(event));
  const result = await intakeInvoice(creditorId, submission, rawBody(event), { starter: startAtOnce });
  return json(result.created ? 201 : 200, result.view);
});
