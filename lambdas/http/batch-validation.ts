/**
 * POST /invoices/batch: the envelope `{ invoices: [...] }`. Each item is then validated by the
 * single intake's own parser (parseInvoice in validation.ts), so a batch item is accepted or
 * refused exactly as POST /invoices would.
 */
import { DomainError, invalid } from '../domain/errors';

/**
 * At most 500 invoices per request: a batch is processed within one API Gateway request (29 s
 * integration timeout), and 500 items of a few KB stay far below its 10 MB payload limit.
 */
export const MAX_BATCH_INVOICES = 500;

export function parseBatchEnvelope(body: unknown): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid([{ path: '', message: 'the body must be a JSON object { "invoices": [...] }' }], 'Invalid batch');
  }
  const invoices = (body as { invoices?: unknown }).invoices;
  if (invoices === undefined) throw invalid([{ path: 'invoices', message: 'is required' }], 'Invalid batch');
  if (!Array.isArray(invoices)) throw invalid([{ path: 'invoices', message: 'must be a list of invoices' }], 'Invalid batch');
  if (invoices.length === 0) throw invalid([{ path: 'invoices', message: 'must list at least one invoice' }], 'Invalid batch');
  const extra = Object.keys(body).filter((k) => k !== 'invoices');
  if (extra.length) throw invalid(extra.map((k) => ({ path: k, message: 'is not a field of a batch' })), 'Invalid batch');
  if (invoices.length > MAX_BATCH_INVOICES) {
    throw new DomainError(413, 'batch_too_large', `At most ${MAX_BATCH_INVOICES} invoices per request; this one has ${invoices.length}. Split it into several requests.`, [
      { path: 'invoices', message: `must list at most ${MAX_BATCH_INVOICES} invoices (got ${invoices.length})` },
    ]);
  }
  return invoices;
}
