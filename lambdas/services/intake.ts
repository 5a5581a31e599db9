import { viewOf } from './dossier-history';
/**
 * Intake of one overdue invoice: validate, create the dossier (idempotently), start its workflow.
 */
import { newDossier, sameSubmission, workflowInput, Dossier } from '../domain/dossier';
import type { DossierView } from '../domain/dossier-view';
import { conflict, DomainError } from '../domain/errors';
import { dossierIdFor, executionNameFor } from '../domain/identity';
import type { CreditorProfile, Debtor, Invoice } from '../domain/model';
import { parseEuros } from '../domain/money';
import { assertPursued, BUILTIN_POLICIES, builtinPolicy, DEFAULT_POLICY, isBuiltinPolicyName, minimumPursued } from '../domain/policy';
import { clock } from '../adapters/clock';
import { createDossier, getCreditor, getDossier } from '../adapters/dossier-store';
import { readForIntake, type IntakeRead } from '../adapters/intake-read';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { sha256Hex } from '../domain/identity';
import { ensureTasks } from './tasks';
import { indexDebtorDossier } from '../adapters/debtor-index';
import { debtorKey } from '../domain/debtor-key';

export interface IntakeResult {
  created: boolean;
  view: DossierView;
  /** The dossier's first execution waits in the bulk-intake queue (only with `start: 'queued'`). */
  pendingStart: boolean;
}

/**
 * Starts a dossier's execution (services/intake-start.ts). Given by the intakes that start at once
 * (POST /invoices, POST /invoices/import): a queued intake (POST /invoices/batch, whose role may
 * not call Step Functions) then carries no Step Functions client in its bundle.
 */
export interface WorkflowStarter {
  /** Starts the execution of a new (or never started) dossier, if it has a first step. */
  ensureWorkflow(d: Dossier): Promise<void>;
  /** Starts a dossier queued by a batch (clears its pendingStart marker). */
  startPending(dossierId: string): Promise<{ dossier: Dossier | null }>;
}

export interface IntakeOptions {
  /** Required unless `start` is 'queued'. */
  starter?: WorkflowStarter;
  /**
   * `now` (POST /invoices): the execution is started before answering. `queued` (POST
   * /invoices/batch): the dossier is stored with a `pendingStart` marker and the caller queues its
   * start (services/bulk-intake.ts), so a large batch never bursts StartExecution.
   */
  start?: 'now' | 'queued';
  /**
   * The creditor's profile, when the caller already read it (once per batch): its policy and mise
   * en demeure channel are then taken from it instead of a read per invoice.
   */
  creditor?: IntakeCreditor;
  /** How the received bytes are kept (default: a JSON request body). */
  receivedAs?: ReceivedAs;
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
/**
 * `received` is the request body exactly as the creditor sent it (the JSON body, the e-invoice file
 * of POST /invoices/import, or for a batch item that item's JSON alone): the evidence log's first
 * record points at it, so what the claim rests on is kept byte for byte, not as Amiable parsed it.
 */
export async function intakeInvoice(
  creditorId: string,
  submission: { invoice: Invoice; debtor: Debtor },
  received: Uint8Array,
  options: IntakeOptions = {},
): Promise<IntakeResult> {
  const queued = options.start === 'queued';
  const as = options.receivedAs ?? JSON_BODY;
  const id = dossierIdFor(creditorId, submission.invoice.invoiceNumber);
  // The dossier (an invoice sent again is a replay) and, unless the caller read it (once per
  // batch), the profile, in one request: the policy and the mise en demeure's channel are fixed at intake.
  const given = options.creditor;
  const read = given ? { dossier: await getDossier(id) } : await readForIntake(id, creditorId);
  if (read.dossier) return replay(read.dossier, submission, queued, options);
  const creditor = given ?? intakeTermsOf(await (read as IntakeRead).creditor());
  const { policyName, formalNoticeChannel } = creditor;
  // Before anything is stored: an invoice the creditor does not pursue leaves nothing behind.
  assertPursued(submission.invoice.invoiceNumber, submission.invoice.amountCents, creditor.minimumAmountCents);
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
  if (queued && workflowInput(dossier)) dossier.pendingStart = { queuedAt: now.toISOString() };
  const { created, evidenceHead } = await createDossier(dossier);
  if (!created) {
    // Lost a race with an identical (or conflicting) submission: answer as a replay.
    return replay((await getDossier(id))!, submission, queued, options);
  }
  await ensureTasks(dossier);
  await indexDebtorDossier(creditorId, debtorKey(dossier.debtor), dossier.id);
  if (!dossier.pendingStart) await starterOf(options).ensureWorkflow(dossier);
  // The answer shows the log's head the create reached (no read of its record back).
  const shown = evidenceHead ? { ...dossier, evidenceHead } : dossier;
  return { created: true, view: await viewOf(shown, clock().now()), pendingStart: Boolean(dossier.pendingStart) };
}

function starterOf(options: IntakeOptions): WorkflowStarter {
  if (!options.starter) throw new Error('an intake that starts its execution at once needs options.starter (services/intake-start.ts)');
  return options.starter;
}

async function replay(existing: Dossier, submission: { invoice: Invoice; debtor: Debtor }, queued: boolean, options: IntakeOptions): Promise<IntakeResult> {
  if (!sameSubmission(existing, submission)) {
    throw conflict(`Invoice ${submission.invoice.invoiceNumber} already exists with different content.`, [
      { path: 'invoiceNumber', message: 'already used by another invoice of this creditor' },
    ]);
  }
  // A retried request after a crash between the put and the tasks or the start: both are idempotent.
  await ensureTasks(existing);
  await indexDebtorDossier(existing.creditorId, debtorKey(existing.debtor), existing.id);
  // Queued intake: a dossier still waiting for its start is queued again by the caller; one
  // already started is left alone (its start is not repeated through the queue).
  if (queued) return { created: false, view: await viewOf(existing, clock().now()), pendingStart: Boolean(existing.pendingStart) };
  // A single POST of an invoice still queued starts it at once (and clears the marker).
  if (existing.pendingStart) {
    const started = await starterOf(options).startPending(existing.id);
    return { created: false, view: await viewOf(started.dossier ?? existing, clock().now()), pendingStart: false };
  }
  if (existing.execution?.generation === 1 && existing.stage === null) await starterOf(options).ensureWorkflow(existing);
  return { created: false, view: await viewOf(existing, clock().now()), pendingStart: false };
}

/**
 * The policy a new dossier of this creditor runs under, fixed at intake (a later profile change
 * does not move running dossiers). No profile or no policyName: the default policy. A name that
 * is not a built-in policy refuses the invoice rather than silently escalating on other terms.
 */
export async function creditorForIntake(creditorId: string): Promise<IntakeCreditor> {
  return intakeTermsOf(await getCreditor(creditorId));
}

/** creditorForIntake of a profile already read (null: no profile). */
export function intakeTermsOf(creditor: CreditorProfile | null): IntakeCreditor {
  const policyName = policyNameFor(creditor);
  const minimumAmountCents = minimumPursued(builtinPolicy(policyName), creditor?.minimumAmount !== undefined ? (parseEuros(creditor.minimumAmount) ?? undefined) : undefined);
  return { policyName, formalNoticeChannel: creditor?.formalNoticeChannel, ...(minimumAmountCents !== undefined ? { minimumAmountCents } : {}) };
}

/** What intake takes from the creditor profile. */
export interface IntakeCreditor {
  policyName: string;
  formalNoticeChannel: CreditorProfile['formalNoticeChannel'];
  /** Below this amount an invoice is refused (the profile's minimumAmount, else the policy's). */
  minimumAmountCents?: number;
}

/** The built-in policy a profile names (the default without one); an unknown name is a 422. */
function policyNameFor(creditor: { policyName?: string } | null): string {
  const name = creditor?.policyName ?? DEFAULT_POLICY.name;
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
