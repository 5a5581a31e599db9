/**
 * A dossier whose course changes (promise, payment plan, resume after attention) moves to a new
 * execution generation: the transition is stored, the previous execution stopped, and the new one
 * started from the dossier's state (`<name>-2`, `-3`...).
 */
import { Dossier, workflowInput } from '../domain/dossier';
import { executionNameFor } from '../domain/identity';
import { updateDossier } from '../adapters/dossier-store';
import { startExecution, stopExecution } from '../adapters/workflow';
import { dossierOf } from './dossier-access';

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
  const current = await dossierOf(creditorId, dossierId);
  const nameFor = (generation: number) => executionNameFor(current.creditorId, current.invoice.invoiceNumber, generation);
  let previous: string | undefined;
  const result = await updateDossier(dossierId, (d) => {
    previous = d.execution?.name;
    return mutate(d, nameFor);
  });
  if (previous && previous !== result.dossier.execution?.name) await stopExecution(previous, why);
  const start = workflowInput(result.dossier);
  if (start && result.dossier.execution) await startExecution(result.dossier.execution.name, start);
  return result;
}

