import { viewOf } from './services/dossier-history';
import { clock } from './adapters/clock';
import { creditorOf, json, route } from './http/response';
import { dossierOf } from './services/dossier-access';

/** GET /invoices/{id}: status, balance, next action, schedule and the ordered event history. */
export const handler = route(async (event) => {
  const dossier = await dossierOf(creditorOf(event), event.pathParameters?.id ?? '');
  return json(200, await viewOf(dossier, clock().now()));
});
