/**
 * Executions that end other than by the product's own hand. Step Functions publishes an
 * "Step Functions Execution Status Change" event on the default bus for every execution; a rule
 * sends FAILED, TIMED_OUT and ABORTED ones of the dunning state machine here (lib/execution-watch.ts).
 *
 * The product itself ends executions all the time: a settling payment, a cancellation, a dispute,
 * a bounce, an insolvency or a new generation (promise, plan, resume) stops the waiting one
 * (ABORTED), and a step that failed flags the dossier before failing. In every one of these cases
 * the dossier was changed FIRST: it no longer points at that execution (new generation), or its
 * status no longer waits for an execution (paid, cancelled, paused_dispute, needs_attention...).
 * So an end is unexpected exactly when the execution is still the dossier's current one and the
 * dossier still waits (active, promised, on_payment_plan): nothing will ever wake it up, and it
 * is flagged needs_attention with the reason (which alerts the accountants, accountant-alerts.ts).
 */
import { Dossier, markNeedsAttention, RUNNING } from './dossier';

export const WATCHED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type WatchedStatus = (typeof WATCHED_STATUSES)[number];

/** The event's detail, as Step Functions publishes it (fields Amiable reads). */
export interface ExecutionStatusDetail {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate?: number | null;
  stopDate?: number | null;
  /** The execution's input, a JSON string ({ dossierId, next }). */
  input?: string | null;
  error?: string | null;
  cause?: string | null;
}

export function isWatched(status: string): status is WatchedStatus {
  return (WATCHED_STATUSES as readonly string[]).includes(status);
}

/** The dossier an execution carried, from its input; null when the input says none. */
export function dossierIdOf(detail: Pick<ExecutionStatusDetail, 'input'>): string | null {
  try {
    const input = JSON.parse(detail.input ?? 'null') as { dossierId?: unknown } | null;
    return typeof input?.dossierId === 'string' && input.dossierId ? input.dossierId : null;
  } catch {
    return null;
  }
}

export type EndVerdict = 'flagged' | 'superseded' | 'not_waiting';

/**
 * Whether an end of execution `executionName` is the product's own for a dossier stored as `d`: the
 * dossier no longer points at it (a new generation carries it) or no longer waits (paid, paused,
 * needs_attention...). A task that stops its own execution asks this first (services/
 * execution-continuation.ts), so that stop is never flagged nor counted as unexpected.
 */
export function endIsExpected(d: Dossier, executionName: string): boolean {
  return d.execution?.name !== executionName || !RUNNING.has(d.status);
}

/** What the product stored says about the end; flags the dossier when nothing else will move it. */
export function judgeExecutionEnd(d: Dossier, detail: ExecutionStatusDetail, now: Date): { dossier: Dossier; verdict: EndVerdict } {
  if (d.execution?.name !== detail.name) return { dossier: d, verdict: 'superseded' };
  if (!RUNNING.has(d.status)) return { dossier: d, verdict: 'not_waiting' };
  return { dossier: markNeedsAttention(d, endReason(detail), now), verdict: 'flagged' };
}

/** "workflow execution <name> ended TIMED_OUT: States.Timeout (...)", at most 500 characters. */
export function endReason(detail: ExecutionStatusDetail): string {
  const error = detail.error ? `: ${detail.error}` : '';
  const cause = detail.cause ? ` (${String(detail.cause).slice(0, 300)})` : '';
  return `workflow execution ${detail.name} ended ${detail.status}${error}${cause}`.slice(0, 500);
}
