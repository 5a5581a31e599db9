/**
 * Intake of one overdue invoice: validate, create the dossier (idempotently), start its workflow.
 */
import { dossierView, DossierView, newDossier, sameSubmission, workflowInput, Dossier } from '../domain/dossier';
import { boundedStart } from '../domain/execution-horizon';
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

/** How the received bytes are kept: a JSON request body by default; an e-invoice file as what it is. */
export interface ReceivedAs {
  contentType: string;
  /** File extension of the evidence object (json, pdf, xml). */
  extension: string;
  /** E-invoice syntax (factur-x, ubl, cii): recorded on the `created` entry with the content type. */
  einvoiceFormat?: string;
}

const JSON_BODY: ReceivedAs = { contentType: 'application/json', extension: 'json' };

/**
 * `received` is the request body exactly as the creditor sent it (the JSON body, or the e-invoice
 * file of POST /invoices/import): the evidence log's first record points at it, so what the claim
 * rests on is kept byte for byte, not as Amiable parsed it.
 */
export async function intakeInvoice(creditorId: string, submission: { invoice: Invoice; debtor: Debtor }, received: Uint8Array, as: ReceivedAs = JSON_BODY): Promise<IntakeResult> {
  const id = dossierIdFor(creditorId, submission.invoice.invoiceNumber);
  const existing = await getDossier(id);
  if (existing) return replay(existing, submission);
  const policyName = await policyNameOf(creditorId);
  const formalNoticeChannel = (await getCreditor(creditorId))?.formalNoticeChannel;
  const now = clock().now();
  // Keyed by content: a concurrent identical request stores the same bytes under the same key.
  const stored = await putEvidence(`dossiers/${id}/invoice/received-${sha256Hex(received).slice(0, 16)}.${as.extension}`, received, as.contentType, now);
  const dossier = newDossier({
    id,
    creditorId,
    ...submission,
    executionName: executionNameFor(creditorId, submission.invoice.invoiceNumber),
    now,
    policyName,
    formalNoticeChannel,
    received: as.einvoiceFormat ? { ...evidenceRef(stored), contentType: as.contentType, einvoiceFormat: as.einvoiceFormat } : evidenceRef(stored),
  });
  if (!(await createDossier(dossier))) {
    // Lost a race with an identical (or conflicting) submission: answer as a replay.
    return replay((await getDossier(id))!, submission);
  }
  await ensureTasks(dossier);
  await indexDebtorDossier(creditorId, debtorKey(dossier.debtor), dossier.id);
  await ensureWorkflow(dossier);
  return { created: true, view: dossierView(dossier, clock().now()) };
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
  return { created: false, view: dossierView(existing, clock().now()) };
}

async function ensureWorkflow(d: Dossier): Promise<void> {
  const input = boundedStart(workflowInput(d), clock().now());
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
