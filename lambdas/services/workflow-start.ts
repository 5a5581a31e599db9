/**
 * Starting a dossier's first execution after bulk intake. POST /invoices/batch stores each dossier
 * with a `pendingStart` marker and queues its id; the queue's consumer (lambdas/start-workflows.ts)
 * calls this, paced under the StartExecution quota. Start first, then clear the marker: a crash in
 * between leaves the marker, the message comes back, and the start is repeated harmlessly
 * (StartExecution with the same name and input is idempotent while the execution runs).
 */
import { Dossier, needsFirstStart, workflowInput } from '../domain/dossier';
import { getDossier, updateDossierState } from '../adapters/dossier-store';
import { startExecution } from '../adapters/workflow';

export type StartOutcome =
  /** The execution was started (or found running) and the marker removed. */
  | 'started'
  /** No marker: a previous delivery, or a single POST of the same invoice, already did it. */
  | 'already_started'
  /** The dossier left the first generation meanwhile (paid, cancelled, a promise...): marker removed, nothing started. */
  | 'not_needed'
  /** No such dossier (never stored): nothing to do. */
  | 'missing';

export async function startPendingWorkflow(dossierId: string): Promise<{ outcome: StartOutcome; dossier: Dossier | null }> {
  const d = await getDossier(dossierId);
  if (!d) return { outcome: 'missing', dossier: null };
  if (!d.pendingStart) return { outcome: 'already_started', dossier: d };
  const start = needsFirstStart(d) ? workflowInput(d) : null;
  // An execution of that name that already ended (false) was started before: nothing more to do.
  if (start && d.execution) await startExecution(d.execution.name, start);
  // Applied to the dossier just read, without reading it again: the version condition still
  // guards the write, and a dossier changed meanwhile is read afresh (dossier-store writeDossier).
  const { dossier } = await updateDossierState(
    d.id,
    (current) => {
      if (!current.pendingStart) return { dossier: current };
      const { pendingStart: _p, ...rest } = current;
      return { dossier: rest as Dossier };
    },
    { known: d },
  );
  return { outcome: start ? 'started' : 'not_needed', dossier };
}
