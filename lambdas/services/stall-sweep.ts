/**
 * The periodic stall sweep (lib/stall-sweep.ts schedules it every 6 hours): no waiting dossier stays
 * stalled silently. Each run, creditor by creditor, it queries the dossiers whose next action is
 * overdue by more than an hour (the sparse due index: a healthy creditor costs one empty Query and
 * no dossier read), reads each one afresh, and asks Step Functions about the execution it records:
 * - none of that name (a regenerate or a hand-over whose Lambda died between writing the successor's
 *   name and starting it): starts it under that exact name, from the dossier's state, as a stale
 *   task or the execution-status rule would (StartExecution of a name that exists never creates a
 *   second execution: ExecutionAlreadyExists, reported as false);
 * - running: late, not stalled, left alone;
 * - ended while the dossier still waits on it (the execution-status rule never heard of it), or no
 *   execution recorded at all: flags the dossier needs_attention with the reason, which alerts the
 *   accountants (the table's stream, accountant-alerts) as every other flag does.
 * Counted as StalledDossiersRestarted and StalledDossiersFlagged (the latter alarmed, lib/operations-alarms.ts).
 *
 * Bounded: at most MAX_PER_CREDITOR candidates per creditor per run (oldest first), so one tenant's
 * backlog delays no other tenant by more than a run; a run that nears its time limit stores the
 * last creditor it finished and the next run starts after it (adapters/stall-candidates.ts).
 */
import { clock } from '../adapters/clock';
import { getDossier, updateDossier } from '../adapters/dossier-store';
import { executionStatus } from '../adapters/execution-describe';
import { creditorIdsAfter, overdueDossierIds, saveSweepCursor, sweepCursor } from '../adapters/stall-candidates';
import { log, metric } from '../adapters/telemetry';
import { startExecution } from '../adapters/workflow';
import { executionInput } from '../domain/execution-input';
import { checkCandidate, flagStalled, judgeRecorded, overdueBefore, stallReason } from '../domain/stall-sweep';

/** Candidates read per Query page, and at most per creditor per run. */
const PAGE = 25;
const MAX_PER_CREDITOR = 100;
const CREDITOR_PAGE = 100;
/** Stop starting work when less than this is left of the invocation (the Lambda's timeout is 5 minutes). */
export const RESERVE_MS = 20_000;

export interface SweepTally {
  creditors: number;
  candidates: number;
  restarted: number;
  flagged: number;
  /** Late but running, or started by someone else meanwhile. */
  alive: number;
  /** First start still queued in the bulk intake. */
  queued: number;
  /** Moved on since the index was read. */
  notStalled: number;
  /** Creditors with more overdue dossiers than one run looks at. */
  backlogged: number;
  errors: number;
  /** The run stopped before its last creditor (time); the next one starts where it stopped. */
  unfinished: boolean;
}

export async function sweepStalledDossiers(remainingMs: () => number): Promise<SweepTally> {
  const now = clock().now();
  const cutoff = overdueBefore(now);
  const tally: SweepTally = { creditors: 0, candidates: 0, restarted: 0, flagged: 0, alive: 0, queued: 0, notStalled: 0, backlogged: 0, errors: 0, unfinished: false };
  const resumedAfter = await sweepCursor();
  let after = resumedAfter;
  for (;;) {
    const page = await creditorIdsAfter(after, CREDITOR_PAGE);
    for (const creditorId of page.ids) {
      if (remainingMs() < RESERVE_MS) {
        tally.unfinished = true;
        await saveSweepCursor(after, now.toISOString());
        metric('StallSweepUnfinished', 1);
        log.warn('stall sweep stopped before its last creditor; the next run resumes', { after, ...tally });
        return tally;
      }
      await sweepCreditor(creditorId, cutoff, remainingMs, tally);
      tally.creditors += 1;
      after = creditorId;
    }
    if (!page.more) break;
  }
  if (resumedAfter !== null) await saveSweepCursor(null, now.toISOString());
  if (tally.restarted || tally.flagged || tally.errors) log.warn('stall sweep', { ...tally });
  // A dossier that could not be looked at is retried by the next run; a run that keeps failing
  // fails the invocation (its retries, then the dead-letter queue and its alarm).
  if (tally.errors > 0) throw new Error(`stall sweep: ${tally.errors} dossier(s) could not be checked (logged above)`);
  return tally;
}

async function sweepCreditor(creditorId: string, cutoff: string, remainingMs: () => number, tally: SweepTally): Promise<void> {
  let next: Record<string, string> | undefined;
  let seen = 0;
  do {
    const page = await overdueDossierIds(creditorId, cutoff, PAGE, next);
    next = page.next;
    for (const id of page.ids) {
      seen += 1;
      tally.candidates += 1;
      try {
        await sweepDossier(id, creditorId, cutoff, tally);
      } catch (e) {
        tally.errors += 1;
        log.error('stall sweep could not check a dossier', { dossierId: id, creditorId, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
    }
  } while (next && seen < MAX_PER_CREDITOR && remainingMs() >= RESERVE_MS);
  if (next) {
    tally.backlogged += 1;
    log.warn('more overdue dossiers than one stall sweep looks at; the next run goes on', { creditorId, seen });
  }
}

async function sweepDossier(id: string, creditorId: string, cutoff: string, tally: SweepTally): Promise<void> {
  const d = await getDossier(id);
  // The index named it under this creditor: a dossier of another (or gone) is not this tenant's.
  if (!d || d.creditorId !== creditorId) return void (tally.notStalled += 1);
  const check = checkCandidate(d, cutoff);
  if (check.kind === 'not_stalled') return void (tally.notStalled += 1);
  if (check.kind === 'queued') return void (tally.queued += 1);
  if (check.kind === 'no_execution') return flag(id, null, cutoff, stallReason(null, 'is recorded'), tally);
  const name = check.executionName;
  const status = await executionStatus(name);
  const verdict = judgeRecorded(status);
  if (verdict === 'alive') return void (tally.alive += 1);
  if (verdict === 'ended') return flag(id, name, cutoff, stallReason(name, `ended ${status} while the dossier still waits on it`), tally);
  const now = clock().now();
  const input = executionInput(d, now);
  if (!input) return flag(id, name, cutoff, stallReason(name, 'was never started and the dossier gives no start'), tally);
  if (await startExecution(name, input)) {
    tally.restarted += 1;
    metric('StalledDossiersRestarted', 1);
    log.warn('stalled dossier: its recorded execution started by the stall sweep', { dossierId: id, execution: name, nextStage: input.next.stage, nextAt: input.next.at });
  } else {
    tally.alive += 1; // started meanwhile by its own path
  }
}

async function flag(id: string, executionName: string | null, cutoff: string, reason: string, tally: SweepTally): Promise<void> {
  const { flagged } = await updateDossier(id, (d) => flagStalled(d, executionName, cutoff, reason, clock().now()));
  if (!flagged) return void (tally.notStalled += 1);
  tally.flagged += 1;
  metric('StalledDossiersFlagged', 1);
  log.error('stalled dossier flagged needs_attention', { dossierId: id, execution: executionName ?? undefined, reason });
}
