/**
 * A dossier whose course changes (promise, payment plan, resume after attention) moves to a new
 * execution generation: the transition is stored, the previous execution stopped, and the new one
 * started from the dossier's state (`<name>-2`, `-3`...).
 */
import { Dossier, markNeedsAttention } from '../domain/dossier';
import { executionInput } from '../domain/execution-input';
import { DomainError } from '../domain/errors';
import { clock } from '../adapters/clock';
import { executionNameFor } from '../domain/identity';
import { updateDossier } from '../adapters/dossier-store';
import { startExecution, stopExecution } from '../adapters/workflow';
import { updateOwnDossier } from './dossier-access';
import { log } from '../adapters/telemetry';

/**
 * Applies a transition that moves the dossier to a new execution generation: the previous
 * execution is stopped (cause `why`) and the new one started from the dossier's state.
 */
export async function regenerate<R extends { dossier: Dossier }>(
  creditorId: string,
  dossierId: string,
  why: string,
  mutate: (d: Dossier, nameFor: (generation: number) => string) => R,
): Promise<R> {
  let before: Dossier['execution'] = null;
  const result = await updateOwnDossier(creditorId, dossierId, (d) => {
    before = d.execution;
    return mutate(d, (generation) => executionNameFor(d.creditorId, d.invoice.invoiceNumber, generation));
  });
  const previous = (before as Dossier['execution'])?.name;
  // A commitment further away than one execution may wait starts with a relay (execution-horizon.ts);
  // a commitment's input says how many of its checkpoints this execution runs (execution-input.ts).
  const start = executionInput(result.dossier, clock().now());
  const name = result.dossier.execution?.name;
  // Stop, then start (not start, then stop): a failed stop must keep the new one from starting
  // beside the old. A Lambda that dies between the two is covered by the execution-status rule: the
  // stop's ABORTED event finds the dossier naming this execution's successor, still waiting, and
  // starts it (services/execution-status.ts ensureSuccessor). Starting first would leave that window
  // uncovered (no event while the old execution waits) without shrinking the one before the first call.
  let stopped = false;
  if (previous && previous !== name) {
    try {
      stopped = await stopExecution(previous, why);
    } catch (e) {
      // The old execution may still wait; it ends by itself when it wakes (its checks see the new
      // state), but the new one must not start beside it: flag the dossier, resume retries both.
      if (name) await flagUnstarted(dossierId, name, before, e, false);
      throw notStarted();
    }
  }
  if (start && name) {
    try {
      await startExecution(name, start);
    } catch (e) {
      // The old execution was stopped: the execution-status rule hears of it and may be starting
      // `name` at this very moment. The flagged dossier keeps naming it, so a resume moves on to the
      // generation after and stops that one should it run (its tasks refuse to act on a flagged
      // dossier meanwhile); pointing back at the old one would make the resume reuse a name
      // already taken. Nothing stopped (no such execution): nothing will start it, as before.
      await flagUnstarted(dossierId, name, before, e, stopped);
      throw notStarted();
    }
  }
  return result;
}

function notStarted(): DomainError {
  return new DomainError(
    503,
    'workflow_not_started',
    'The change is saved but its workflow could not be started; the dossier is flagged needs_attention: retry with POST /invoices/{id}/resume.',
  );
}

/**
 * The change is stored but nothing will wake the dossier up: say so on the dossier rather than
 * leave it silently stalled, so a person (or a retried POST /resume) starts it again. The dossier
 * points back at the execution that did run, so the resume stops it if it is somehow still waiting
 * (one running execution per dossier), and reuses the name that never started; unless
 * `keepsNew` (the old one was stopped: see regenerate), where it keeps naming the new one.
 */
async function flagUnstarted(dossierId: string, executionName: string, before: Dossier['execution'], e: unknown, keepsNew: boolean): Promise<void> {
  const reason = `workflow ${executionName} could not be started: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  log.error('execution not started', { dossierId, executionName, error: e instanceof Error ? e.name : 'Error' });
  await updateDossier(dossierId, (d) => ({
    dossier: d.execution?.name === executionName ? markNeedsAttention({ ...d, execution: (keepsNew ? null : before) ?? d.execution }, reason.slice(0, 500), clock().now()) : d,
  }));
}


/**
 * Stops the waiting execution of a dossier that was just settled, cancelled or paused. Best
 * effort: the state is already stored, and an execution that keeps waiting ends by itself at its
 * next step (it re-reads the dossier before every send, and a send claims it). A failed stop must
 * not cost the receipt or acknowledgment that follows it.
 */
export async function stopWaiting(d: Dossier, cause: string): Promise<void> {
  if (!d.execution) return;
  try {
    await stopExecution(d.execution.name, cause);
  } catch (e) {
    log.warn('execution not stopped; it will end at its next check', { dossierId: d.id, execution: d.execution.name, cause, error: e instanceof Error ? e.name : 'Error' });
  }
}
