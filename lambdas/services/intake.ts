/**
 * Intake of one overdue invoice: validate, create the dossier (idempotently), start its workflow.
 */
import { dossierView, DossierView, newDossier, sameSubmission, workflowInput, Dossier } from '../domain/dossier';
import { conflict } from '../domain/errors';
import { dossierIdFor, executionNameFor } from '../domain/identity';
import type { Debtor, Invoice } from '../domain/model';
import { clock } from '../adapters/clock';
import { createDossier, getDossier } from '../adapters/dossier-store';
import { startExecution } from '../adapters/workflow';

export interface IntakeResult {
  created: boolean;
  view: DossierView;
}

export async function intakeInvoice(creditorId: string, submission: { invoice: Invoice; debtor: Debtor }): Promise<IntakeResult> {
  const id = dossierIdFor(creditorId, submission.invoice.invoiceNumber);
  const existing = await getDossier(id);
  if (existing) return replay(existing, submission);
  const dossier = newDossier({
    id,
    creditorId,
    ...submission,
    executionName: executionNameFor(creditorId, submission.invoice.invoiceNumber),
    now: clock().now(),
  });
  if (!(await createDossier(dossier))) {
    // Lost a race with an identical (or conflicting) submission: answer as a replay.
    return replay((await getDossier(id))!, submission);
  }
  await ensureWorkflow(dossier);
  return { created: true, view: dossierView(dossier, clock().now()) };
}

async function replay(existing: Dossier, submission: { invoice: Invoice; debtor: Debtor }): Promise<IntakeResult> {
  if (!sameSubmission(existing, submission)) {
    throw conflict(`Invoice ${submission.invoice.invoiceNumber} already exists with different content.`, [
      { path: 'invoiceNumber', message: 'already used by another invoice of this creditor' },
    ]);
  }
  // A retried request after a crash between the put and the start: starting again is idempotent.
  if (existing.execution?.generation === 1 && existing.stage === null) await ensureWorkflow(existing);
  return { created: false, view: dossierView(existing, clock().now()) };
}

async function ensureWorkflow(d: Dossier): Promise<void> {
  const input = workflowInput(d);
  if (input && d.execution) await startExecution(d.execution.name, input);
}
