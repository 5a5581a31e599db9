/**
 * GET /invoices query: ?status=&stage=&debtor=&q=&dueBefore=&limit=&cursor= (each optional).
 */
import { debtorRefOf } from '../domain/dossier-summary';
import { invalid, type ErrorDetail } from '../domain/errors';
import { DOSSIER_STATUSES, STAGES, type DossierStatus, type Stage } from '../domain/model';
import type { DossierQuery } from '../adapters/dossier-index';
import { parsePageQuery } from './admin-validation';
import { isoDate, NO_CONTROL } from './validation';

const FILTERS = ['status', 'stage', 'debtor', 'q', 'dueBefore'] as const;

export function parseInvoiceListQuery(query: Record<string, string | undefined> | null): DossierQuery {
  const q = query ?? {};
  const details: ErrorDetail[] = [];
  let page: { limit: number; cursor?: string } = { limit: 25 };
  try {
    page = parsePageQuery(q, FILTERS);
  } catch (e) {
    details.push(...((e as { details?: ErrorDetail[] }).details ?? []));
  }
  const out: DossierQuery = { ...page };
  if (q.status !== undefined) {
    if ((DOSSIER_STATUSES as readonly string[]).includes(q.status)) out.status = q.status as DossierStatus;
    else details.push({ path: 'status', message: `must be one of ${DOSSIER_STATUSES.join(', ')}` });
  }
  if (q.stage !== undefined) {
    if ((STAGES as readonly string[]).includes(q.stage)) out.stage = q.stage as Stage;
    else details.push({ path: 'stage', message: `must be one of ${STAGES.join(', ')} (the last stage sent)` });
  }
  if (q.debtor !== undefined) {
    const ref = q.debtor.length <= 254 ? debtorRefOf(q.debtor) : null;
    if (ref) out.debtorRef = ref;
    else details.push({ path: 'debtor', message: "must be the debtor's SIREN (9 digits) or e-mail address" });
  }
  if (q.q !== undefined) {
    const text = q.q.trim();
    if (text.length < 1 || text.length > 100 || !NO_CONTROL.test(text)) details.push({ path: 'q', message: 'must be 1 to 100 characters of text' });
    else out.q = text;
  }
  if (q.dueBefore !== undefined) {
    if (isoDate.safeParse(q.dueBefore).success) out.dueBefore = q.dueBefore;
    else details.push({ path: 'dueBefore', message: 'must be a date YYYY-MM-DD' });
  }
  if (details.length) throw invalid(details, 'Invalid query');
  return out;
}
