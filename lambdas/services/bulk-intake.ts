/**
 * Bulk intake (POST /invoices/batch): every item goes through the single intake's validation and
 * idempotent creation (http/validation.ts parseInvoice, services/intake.ts intakeInvoice), with
 * one difference: the first execution is not started inline but queued (adapters/bulk-queue.ts),
 * so a 500-invoice batch cannot burst Step Functions' StartExecution quota; the queue's consumer
 * starts them at a paced rate (lambdas/start-workflows.ts).
 *
 * Never half-created: an item answered `created` or `unchanged` is a stored dossier whose start is
 * either done or in the queue (`workflow: "pending_start"` until the starter runs; GET
 * /invoices/{id} shows `pendingStart` meanwhile). If its start could not be queued, the item is
 * answered `failed` (retryable) although its dossier exists: sending it again answers `unchanged`
 * and queues the start again. Items not reached before the deadline are `failed` too, untouched.
 */
import type { Debtor, Invoice } from '../domain/model';
import { DomainError, type ErrorDetail } from '../domain/errors';
import { parseInvoice } from '../http/validation';
import { queueWorkflowStarts } from '../adapters/bulk-queue';
import { creditorForIntake, intakeInvoice, type IntakeCreditor } from './intake';

export type BatchItemStatus = 'created' | 'unchanged' | 'conflict' | 'invalid' | 'failed';

export interface BatchItemResult {
  /** Position in the request's `invoices` (0-based): results come in input order. */
  index: number;
  invoiceNumber: string | null;
  status: BatchItemStatus;
  /** The dossier id (created, unchanged; also failed when the dossier was stored). */
  id?: string;
  /** Where the dossier's workflow stands: queued for its start, started, or not running (e.g. already paid). */
  workflow?: 'pending_start' | 'started' | 'not_running';
  /** conflict, invalid, failed: the same error object as the single route (details' paths relative to the item). */
  error?: { code: string; message: string; details: ErrorDetail[] };
  /** failed only: true, sending the same item again is safe and may succeed. */
  retryable?: boolean;
}

export interface BatchOptions {
  /** Real epoch ms after which no new item is started (answered failed, retryable). */
  deadline: number;
  /** Items processed at once (I/O bound: DynamoDB, S3). */
  concurrency?: number;
}

export async function intakeBatch(creditorId: string, items: readonly unknown[], options: BatchOptions): Promise<BatchItemResult[]> {
  // Resolved once for the whole batch (an unknown policy refuses the request, as it refuses POST /invoices).
  const creditor = await creditorForIntake(creditorId);
  const results: BatchItemResult[] = new Array(items.length);
  // The same invoice number twice in one batch: the later item waits for the earlier one, so the
  // first is `created` and the next `unchanged` (same content) or `conflict`, as with two POSTs.
  const previous = new Map<string, Promise<unknown>>();
  const concurrency = options.concurrency ?? 16;
  const chunks: number[][] = [];
  for (let i = 0; i < items.length; i += concurrency) chunks.push(Array.from({ length: Math.min(concurrency, items.length - i) }, (_, k) => i + k));

  for (const chunk of chunks) {
    const done = chunk.map((index) => {
      const item = items[index];
      const invoiceNumber = invoiceNumberOf(item);
      const before = invoiceNumber !== null ? previous.get(invoiceNumber) : undefined;
      const work = (before ?? Promise.resolve()).then(() => intakeOne(creditorId, item, index, invoiceNumber, creditor, options.deadline));
      const settled = work.then((r) => (results[index] = r));
      if (invoiceNumber !== null) previous.set(invoiceNumber, settled.catch(() => undefined));
      return settled;
    });
    await Promise.all(done);
    // Queue the starts of this chunk's new or still-waiting dossiers before the next chunk.
    const waiting = chunk.map((i) => results[i]).filter((r) => r.workflow === 'pending_start' && r.id);
    if (waiting.length > 0) {
      const notQueued = await queueWorkflowStarts([...new Set(waiting.map((r) => r.id!))]);
      for (const r of waiting) {
        if (!notQueued.has(r.id!)) continue;
        results[r.index] = {
          ...r,
          status: 'failed',
          retryable: true,
          error: {
            code: 'start_not_queued',
            message: 'The dossier is stored but its workflow could not be queued for its start; send this invoice again (it will answer "unchanged" and queue the start).',
            details: [],
          },
        };
      }
    }
  }
  return results;
}

async function intakeOne(
  creditorId: string,
  item: unknown,
  index: number,
  invoiceNumber: string | null,
  creditor: IntakeCreditor,
  deadline: number,
): Promise<BatchItemResult> {
  let submission: { invoice: Invoice; debtor: Debtor };
  try {
    submission = parseInvoice(item);
  } catch (e) {
    if (e instanceof DomainError) return { index, invoiceNumber, status: 'invalid', error: errorOf(e) };
    throw e;
  }
  if (Date.now() > deadline) {
    return {
      index,
      invoiceNumber,
      status: 'failed',
      retryable: true,
      error: { code: 'deadline', message: 'Not processed: the request ran out of time before this item; send it again.', details: [] },
    };
  }
  try {
    // The evidence of receipt is the item as sent, serialized alone (not the whole batch).
    const received = Buffer.from(JSON.stringify(item), 'utf8');
    const result = await intakeInvoice(creditorId, submission, received, { start: 'queued', creditor });
    return {
      index,
      invoiceNumber,
      status: result.created ? 'created' : 'unchanged',
      id: result.view.id,
      workflow: result.pendingStart ? 'pending_start' : result.view.nextAction && ['active', 'promised', 'on_payment_plan'].includes(result.view.status) ? 'started' : 'not_running',
    };
  } catch (e) {
    if (e instanceof DomainError && e.status === 409) return { index, invoiceNumber, status: 'conflict', error: errorOf(e) };
    if (e instanceof DomainError && (e.status === 400 || e.status === 422)) return { index, invoiceNumber, status: 'invalid', error: errorOf(e) };
    console.error(JSON.stringify({ level: 'error', msg: 'batch item failed', index, error: String((e as Error)?.stack ?? e) }));
    return {
      index,
      invoiceNumber,
      status: 'failed',
      retryable: true,
      error: { code: 'internal', message: 'This item could not be processed; sending it again is safe.', details: [] },
    };
  }
}

function errorOf(e: DomainError) {
  return { code: e.code, message: e.message, details: e.details };
}

function invoiceNumberOf(item: unknown): string | null {
  const n = item && typeof item === 'object' ? (item as { invoiceNumber?: unknown }).invoiceNumber : undefined;
  return typeof n === 'string' ? n.trim() : null;
}

/** Counts per status, for the response's summary. */
export function summarize(results: readonly BatchItemResult[]): Record<BatchItemStatus, number> {
  const summary: Record<BatchItemStatus, number> = { created: 0, unchanged: 0, conflict: 0, invalid: 0, failed: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}
