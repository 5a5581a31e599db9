/**
 * The periodic stall sweep (services/stall-sweep.ts): what a dossier found overdue in the
 * per-creditor due index says about the execution it waits on, as pure decisions.
 *
 * A waiting dossier (status active, promised, on_payment_plan, with a next action: exactly the
 * dossiers that carry `nextActionAt`, adapters/dossier-store.ts) is moved on by its execution at
 * that instant: the task that runs there writes the next action. So a dossier whose next action is
 * overdue by more than STALL_GRACE_MS is a candidate: either its execution is late but alive (a
 * task retrying: at most ~20 minutes, lib/dunning-workflow.ts SEND_RETRIES with a 5-minute cap),
 * or nothing will ever wake it up. The second happens when a Lambda dies between writing the name
 * of a new execution on the dossier and starting it (services/generations.ts regenerate of a
 * dossier whose old execution had already ended: a dispute resolved, a flagged dossier resumed; a
 * hand-over, execution-continuation.ts), or when an execution ended without the execution-status
 * rule hearing of it.
 */
import { markNeedsAttention, RUNNING, type Dossier } from './dossier';

/**
 * How overdue a next action must be before the sweep looks at its dossier: well past what a live
 * execution takes to act on it (its Wait fires at the instant; a task's retries take ~20 minutes
 * at most), so a healthy portfolio yields no candidate and the sweep reads no dossier.
 */
export const STALL_GRACE_MS = 60 * 60 * 1000;

/** next actions before this instant are overdue (ISO, comparable as text with `nextActionAt`). */
export function overdueBefore(now: Date): string {
  return new Date(now.getTime() - STALL_GRACE_MS).toISOString();
}

/** What the sweep does with a candidate, read afresh (the index is eventually consistent). */
export type StallCheck =
  /** Moved on since the index was read, or no longer waiting: nothing to do. */
  | { kind: 'not_stalled' }
  /** Its first execution waits in the bulk-intake queue (lambdas/start-workflows.ts starts it; its DLQ alarms). */
  | { kind: 'queued' }
  /** Waits, overdue, on no execution at all: nothing can be started under a name; flag it. */
  | { kind: 'no_execution' }
  /** Waits, overdue, on this execution: the sweep asks Step Functions whether it exists and runs. */
  | { kind: 'check'; executionName: string };

export function checkCandidate(d: Dossier, cutoff: string): StallCheck {
  if (!RUNNING.has(d.status) || !d.nextAction || d.nextAction.at >= cutoff) return { kind: 'not_stalled' };
  if (d.pendingStart) return { kind: 'queued' };
  if (!d.execution) return { kind: 'no_execution' };
  return { kind: 'check', executionName: d.execution.name };
}

/**
 * What the recorded execution's status (DescribeExecution; null: no such execution) calls for:
 * - null: never started (the death above): start it under that exact name, from the dossier's state;
 * - RUNNING: late, not stalled (its task is retrying, or it is about to act): leave it;
 * - ended (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) while the dossier still waits on it: its name is
 *   taken for 90 days (Step Functions: names are unique per state machine for 90 days after an
 *   execution closes) and the product cannot tell what was skipped: flag the dossier, a person
 *   resumes it (POST /invoices/{id}/resume moves it to a new generation).
 * An execution that closed more than 90 days ago is purged and reads as null: starting a new one
 * under its name then is what a resume would do, from the same stored state.
 */
export type RecordedVerdict = 'start' | 'alive' | 'ended';

export function judgeRecorded(status: string | null): RecordedVerdict {
  if (status === null) return 'start';
  return status === 'RUNNING' ? 'alive' : 'ended';
}

/** "workflow <name> ...: nothing will wake the dossier up (stall sweep)", at most 500 characters. */
export function stallReason(executionName: string | null, what: string): string {
  return `${executionName ? `workflow ${executionName}` : 'no workflow'} ${what}; its next action is overdue and nothing will wake the dossier up (stall sweep)`.slice(0, 500);
}

/**
 * Flags a stalled dossier, only if it still is what the sweep judged (the write is conditional on
 * the version, adapters/dossier-store.ts updateDossier, so this check and the flag are one step):
 * still waiting, still overdue, still naming `executionName`. A dossier handed to a successor
 * between the sweep's read and its DescribeExecution (the old execution then SUCCEEDED) is left alone.
 */
export function flagStalled(d: Dossier, executionName: string | null, cutoff: string, reason: string, now: Date): { dossier: Dossier; flagged: boolean } {
  const still = RUNNING.has(d.status) && !!d.nextAction && d.nextAction.at < cutoff && (d.execution?.name ?? null) === executionName;
  return still ? { dossier: markNeedsAttention(d, reason, now), flagged: true } : { dossier: d, flagged: false };
}
