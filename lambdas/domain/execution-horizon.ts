/**
 * How long one Step Functions execution may carry a dossier. A Standard execution ends TIMED_OUT
 * after one year at most (AWS quota "maximum execution time", 1 year; the definition sets 365 days,
 * lib/dunning-workflow.ts), but a payment plan may last two years (MAX_PLAN_DAYS, C. civ. 1343-5)
 * and a promise or a resumed dossier adds more. So no execution ever waits for an instant later
 * than its start + EXECUTION_HORIZON_DAYS:
 *
 * - when a task computes a next step beyond that horizon, the dossier continues in a NEW execution
 *   (the next generation, `<name>-<n+1>`) started at once, and the current one ends;
 * - a new execution whose first step lies beyond its own horizon waits for an `execution_relay`
 *   checkpoint at the horizon instead, which hands the dossier on to the next generation again.
 *
 * 300 days leaves 65 days of margin below the 365-day limit for what the wait does not count: task
 * retries with backoff, a step that runs late, a deploy that leaves an old execution running.
 */
import { RUNNING, type Dossier } from './dossier';
import type { NextAction } from './model';

export const EXECUTION_HORIZON_DAYS = 300;
const DAY_MS = 86_400_000;

/** The checkpoint that hands a dossier on to a new execution (lib/dunning-workflow.ts routes it). */
export const EXECUTION_RELAY = 'execution_relay';

/** The last instant an execution started at `startedAt` may wait for. */
export function horizonOf(startedAt: Date): Date {
  return new Date(startedAt.getTime() + EXECUTION_HORIZON_DAYS * DAY_MS);
}

/**
 * Whether an execution started at `startedAt` must hand over rather than wait until `at`. An
 * unknown start (an execution started by a definition older than this rule, which passes neither
 * its start time nor its state machine) keeps its course: should it ever time out, the execution
 * status rule flags its dossier (services/execution-status.ts).
 */
export function beyondHorizon(startedAt: Date | null, at: string | null): boolean {
  if (at === null || startedAt === null) return false;
  return Date.parse(at) > horizonOf(startedAt).getTime();
}

/**
 * The dossier moves from execution `executionName` to the next generation (`successor`), so the
 * new execution can be started; pure and idempotent: a retried task whose first attempt already
 * moved the dossier finds its successor recorded and starts it again (StartExecution with the same
 * name and input is a no-op). A dossier that is no longer this execution's, or no longer waiting
 * for anything, has no successor: the execution just ends.
 */
export function handOver(
  d: Dossier,
  executionName: string,
  nameFor: (generation: number) => string,
): { dossier: Dossier; successor: string | null } {
  const current = d.execution;
  if (!current || !RUNNING.has(d.status) || !d.nextAction) return { dossier: d, successor: null };
  if (current.name === executionName) {
    const generation = current.generation + 1;
    const name = nameFor(generation);
    return { dossier: { ...d, execution: { name, generation } }, successor: name };
  }
  if (current.generation > 1 && nameFor(current.generation - 1) === executionName) return { dossier: d, successor: current.name };
  return { dossier: d, successor: null };
}

export interface WorkflowStart {
  dossierId: string;
  /** `left`: for a checkpoint, how many this execution runs as planned (execution-input.ts). */
  next: { stage: NextAction['stage'] | typeof EXECUTION_RELAY; at: string; left?: number };
}

/**
 * The input of an execution started at `now` for a dossier whose next action is `input.next`: the
 * action itself when it lies within the horizon, else a relay at the horizon.
 */
export function boundedStart(input: { dossierId: string; next: NextAction } | null, now: Date): WorkflowStart | null {
  if (!input) return null;
  const horizon = horizonOf(now);
  if (Date.parse(input.next.at) <= horizon.getTime()) return input;
  return { dossierId: input.dossierId, next: { stage: EXECUTION_RELAY, at: horizon.toISOString() } };
}

/** Parses the execution start time a task receives ($$.Execution.StartTime); null when absent. */
export function executionStart(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
