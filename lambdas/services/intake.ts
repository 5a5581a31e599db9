import { viewOf } from './dossier-history';
/**
 * Intake of one overdue invoice: validate, create the dossier (idempotently), start its workflow.
 */
import {DossierView, newDossier, sameSubmission, workflowInput, Dossier } from '../domain/dossier';
import { conflict, DomainError } from '../domain/errors';
import { dossierIdFor, executionNameFor } from '../domain/identity';
import type { Debtor, Invoice } from '../domain/model';
import { BUILTIN_POLICIES, DEFAULT_POLICY, isBuiltinPolicyName } from '../domain/policy';
import { clock } from '../adapters/clock';
import { createDossier, getCreditor, getDossier } from '../adapters/dossier-store';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { sha256Hex } from '../domain/identity';
import { startExecution } from '../adapters/workflow';
import { ensureTasks } from './tasks';
import { indexDebtorDossier } from '../adapters/debtor-index';
import { debtorKey } from '../domain/debtor-key';

export interface IntakeResult {
  created: boolean;
  view: DossierView;
}

/**
 * `received` is the request body exactly as the creditor sent it: the evidence log's first record
 * points at it, so what the claim rests on is kept byte for byte, not as Amiable parsed it.
 */
export async function intakeInvoice(creditorId: string, submission: { invoice: Invoice; debtor: Debtor }, received: Uint8Array): Promise<IntakeResult> {
  const id = dossierIdFor(creditorId, submission.invoice.invoiceNumber);
  const existing = await getDossier(id);
  if (existing) return replay(existing, submission);
  const policyName = await policyNameOf(creditorId);
  const now = clock().now();
  // Keyed by content: a concurrent identical request stores the same bytes under the same key.
  const stored = await putEvidence(`dossiers/${id}/invoice/received-${sha256Hex(received).slice(0, 16)}.json`, received, 'application/json', now);
  const dossier = newDossier({
    id,
    creditorId,
    ...submission,
    executionName: executionNameFor(creditorId, submission.invoice.invoiceNumber),
    now,
    policyName,
    received: evidenceRef(stored),
  });
  if (!(await createDossier(dossier))) {
    // Lost a race with an identical (or conflicting) submission: answer as a replay.
    return replay((await getDossier(id))!, submission);
  }
  await ensureTasks(dossier);
  await indexDebtorDossier(creditorId, debtorKey(dossier.debtor), dossier.id);
  await ensureWorkflow(dossier);
  return { created: true, view: await viewOf(dossier, clock().now()) };
}

async function replay(existing: Dossier, submission: { invoice: Invoice; debtor: Debtor }): Promise<IntakeResult> {
  if (!sameSubmission(existing, submission)) {
    throw conflict(`Invoice ${submission.invoice.invoiceNumber} already exists with different content.`, [
      { path: 'invoiceNumber', message: 'already used by another invoice of this creditor' },
    ]);
  }
  // A retried request after a crash between the put and the tasks or the start: both are idempotent.
  await ensureTasks(existing);
  await indexDebtorDossier(existing.creditorId, debtorKey(existing.debtor), existing.id);
  if (existing.execution?.generation === 1 && existing.stage === null) await ensureWorkflow(existing);
  return { created: false, view: await viewOf(existing, clock().now()) };
}

async function ensureWorkflow(d: Dossier): Promise<void> {
  const input = workflowInput(d);
  if (input && d.execution) await startExecution(d.execution.name, input);
}

/**
 * The policy a new dossier of this creditor runs under, fixed at intake (a later profile change
 * does not move running dossiers). No profile or no policyName: the default policy. A name that
 * is not a built-in policy refuses the invoice rather than silently escalating on other terms.
 */
async function policyNameOf(creditorId: string): Promise<string> {
  const name = (await getCreditor(creditorId))?.policyName ?? DEFAULT_POLICY.name;
  if (!isBuiltinPolicyName(name)) {
    throw new DomainError(
      422,
      'unknown_policy',
      `The creditor profile names policy "${name}", which does not exist; built-in policies: ${Object.keys(BUILTIN_POLICIES).join(', ')}.`,
      [{ path: 'policyName', message: `unknown policy "${name}"` }],
    );
  }
  return name;
}
