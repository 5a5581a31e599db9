import { withWholeHistory } from './dossier-history';
/**
 * POST /invoices/{id}/insolvency: the debtor is in insolvency proceedings. For this dossier and every
 * other open dossier of the same debtor at this creditor (same SIREN, else same e-mail): stop the
 * workflow and every message to the debtor, freeze the claim at the judgment date, draft the
 * declaration of claim to the mandataire (PDF kept in the vault as an evidence record) and open a
 * task with the declaration deadline. Rules: domain/insolvency.ts.
 */
import { Dossier, recordMessage, recordMessageFailure } from '../domain/dossier';
import { wasHandedOff } from '../domain/dossier-handoff';
import { debtorKey } from '../domain/debtor-key';
import { DomainError, notFound } from '../domain/errors';
import type { Task } from '../domain/dossier-tasks';
import { taskIdFor } from '../domain/dossier-tasks';
import { sha256Hex } from '../domain/identity';
import { claimAtJudgment, declarationDeadline, indemnityDropped, InsolvencyInput, openInsolvency, PROCEDURE_LABELS } from '../domain/insolvency';
import { buildLitigationDossier } from '../domain/litigation';
import type { CreditorProfile } from '../domain/model';
import { parseEuros, toDecimalString } from '../domain/money';
import { claimDraftFilename, renderClaimDraft } from '../notices/insolvency-claim';
import { renderHtml } from '../notices/render-html';
import { renderText } from '../notices/render-text';
import { litigationInsolvencyNotice } from '../notices/templates/litigation-handoff';
import { clock } from '../adapters/clock';
import { dossiersOfDebtor } from '../adapters/debtor-index';
import { getCreditor, updateDossier } from '../adapters/dossier-store';
import { evidenceRef, putEvidence, readEvidence } from '../adapters/evidence-store';
import { putTaskIfAbsent } from '../adapters/task-store';
import { dossierOf } from './dossier-access';
import { stopWaiting } from './generations';
import { sendRendered } from './outbound-mail';
import { log } from '../adapters/telemetry';

/** The task a declaration of claim becomes in the creditor's to-do list (GET /tasks). */
export const DECLARATION_TASK = 'insolvency_claim_declaration';

export interface InsolvencyDossierOutcome {
  id: string;
  invoiceNumber: string;
  status: string;
  /** opened: stopped and drafted now; already: the same judgment was recorded before; closed: paid or cancelled, left as is. */
  outcome: 'opened' | 'already' | 'closed';
  declaration: { amount: string; asOf: string; indemnityDropped: boolean; filename: string; key: string; sha256: string; taskId: string; deadline: string } | null;
}

export interface InsolvencyOutcome {
  debtor: { name: string; siren: string | null };
  judgment: InsolvencyInput;
  declarationDeadline: ReturnType<typeof declarationDeadline>;
  dossiers: InsolvencyDossierOutcome[];
}

export async function declareInsolvency(creditorId: string, dossierId: string, input: InsolvencyInput): Promise<InsolvencyOutcome> {
  const first = await dossierOf(creditorId, dossierId);
  const creditor = await getCreditor(creditorId);
  if (!creditor) throw new DomainError(503, 'creditor_missing', `Creditor ${creditorId} has no profile.`);
  const others = await dossiersOfDebtor(creditorId, debtorKey(first.debtor));
  const ids = [first.id, ...others.filter((id) => id !== first.id).sort()];
  const dossiers: InsolvencyDossierOutcome[] = [];
  for (const id of ids) dossiers.push(await applyTo(creditor, id, input));
  return {
    debtor: { name: first.debtor.name, siren: first.debtor.siren ?? null },
    judgment: input,
    declarationDeadline: declarationDeadline(input),
    dossiers,
  };
}

async function applyTo(creditor: CreditorProfile, id: string, input: InsolvencyInput): Promise<InsolvencyDossierOutcome> {
  const now = clock().now();
  const result = await updateDossier(id, (d) => {
    if (d.creditorId !== creditor.id) throw notFound('Dossier');
    return openInsolvency(d, input, now, Date.now());
  });
  let d = result.dossier;
  const base = { id: d.id, invoiceNumber: d.invoice.invoiceNumber };
  if (result.kind === 'closed') return { ...base, status: d.status, outcome: 'closed', declaration: null };
  if (result.kind === 'opened') await stopWaiting(d, 'insolvency');
  const drafted = d.events.find((e) => e.type === 'insolvency_claim_drafted' && e.judgmentDate === input.judgmentDate);
  const deadline = declarationDeadline(input);
  const taskId = taskIdFor(d.id, `${DECLARATION_TASK}:${input.judgmentDate}`);
  let declaration: InsolvencyDossierOutcome['declaration'];
  if (drafted) {
    declaration = {
      amount: String(drafted.amount),
      asOf: input.judgmentDate,
      indemnityDropped: drafted.indemnityDropped === true,
      filename: claimDraftFilename(d.invoice),
      key: String(drafted.evidenceKey),
      sha256: String(drafted.sha256),
      taskId,
      deadline: String(drafted.deadline),
    };
  } else {
    ({ dossier: d, declaration } = await draft(d, creditor, input, taskId, now));
  }
  if (result.kind === 'opened' && wasHandedOff(d) && declaration) d = await tellCounsel(d, creditor, input, declaration, now);
  // The task comes last: a retry after a failure re-creates it (idempotent), never a second draft.
  const task: Task = {
    id: taskId,
    creditorId: creditor.id,
    dossierId: d.id,
    invoiceNumber: d.invoice.invoiceNumber,
    debtor: { name: d.debtor.name },
    task: DECLARATION_TASK,
    dueAt: now.toISOString(),
    deadline: deadline.date,
    status: 'open',
    createdAt: now.toISOString(),
  };
  await putTaskIfAbsent(task);
  return { ...base, status: d.status, outcome: result.kind, declaration };
}

async function draft(d: Dossier, creditor: CreditorProfile, input: InsolvencyInput, taskId: string, now: Date) {
  const claim = claimAtJudgment(d, creditor, input.judgmentDate);
  const dropped = indemnityDropped(input.judgmentDate, d.invoice.dueDate);
  const deadline = declarationDeadline(input);
  // The documents to attach: the litigation dossier's list, as of the judgment.
  const documents = buildLitigationDossier({ dossier: await withWholeHistory(d), creditor, at: now.toISOString() })
    .documents.filter((x) => x.category !== 'payment')
    .map((x) => `${x.title}${x.date ? ` (${x.date})` : ''}${x.evidence ? ` – journal de preuves n° ${x.evidence.seq}, SHA-256 ${x.evidence.sha256}` : ''}`);
  const pdf = await renderClaimDraft({ creditor, debtor: d.debtor, invoice: d.invoice, insolvency: input, claim, indemnityDropped: dropped, deadline, documents, at: now.toISOString() });
  const stored = await putEvidence(`dossiers/${d.id}/insolvency/declaration-${input.judgmentDate}-${sha256Hex(pdf).slice(0, 16)}.pdf`, pdf, 'application/pdf', now);
  const amount = toDecimalString(claim.totalDueCents);
  const out = await updateDossier(d.id, (x) => ({
    dossier: {
      ...x,
      events: [
        ...x.events,
        {
          type: 'insolvency_claim_drafted',
          at: now.toISOString(),
          judgmentDate: input.judgmentDate,
          amount,
          principal: toDecimalString(claim.principalDueCents),
          interest: toDecimalString(claim.interest.totalCents),
          indemnity: toDecimalString(claim.indemnityCents),
          indemnityDropped: dropped,
          deadline: deadline.date,
          deadlineProvisional: deadline.provisional,
          taskId,
          ...evidenceRef(stored),
        },
      ],
    },
  }));
  return {
    dossier: out.dossier,
    declaration: { amount, asOf: input.judgmentDate, indemnityDropped: dropped, filename: claimDraftFilename(d.invoice), key: stored.key, sha256: stored.sha256, taskId, deadline: deadline.date },
  };
}

/** Counsel already holds the dossier: suspend the action (L622-21), declare the claim (L622-24). */
async function tellCounsel(d: Dossier, creditor: CreditorProfile, input: InsolvencyInput, declaration: NonNullable<InsolvencyDossierOutcome['declaration']>, now: Date): Promise<Dossier> {
  const kind = 'litigation_insolvency_notice';
  try {
    const pdf = await readAll(declaration.key);
    const deadline = declarationDeadline(input);
    const draftMessage = litigationInsolvencyNotice({
      creditor,
      debtor: d.debtor,
      invoice: d.invoice,
      judgment: {
        date: input.judgmentDate,
        procedureLabel: PROCEDURE_LABELS[input.procedure],
        court: input.court,
        mandataire: input.mandataire.name,
        role: input.procedure === 'liquidation' ? 'liquidateur' : 'mandataire judiciaire',
      },
      declaration: { amountCents: parseEuros(declaration.amount) ?? 0, deadline: deadline.date, deadlineProvisional: deadline.provisional, filename: declaration.filename },
      sentAt: now.toISOString(),
    });
    const info = await sendRendered({
      dossier: d,
      creditor,
      kind,
      slot: `${kind}-${input.judgmentDate}`,
      now,
      rendered: {
        to: draftMessage.to,
        subject: draftMessage.subject,
        text: renderText(draftMessage.letter),
        html: renderHtml(draftMessage.letter, draftMessage.subject),
        attachments: [{ filename: declaration.filename, contentType: 'application/pdf', content: pdf }],
      },
    });
    return (await updateDossier(d.id, (x) => ({ dossier: recordMessage(x, kind, `counsel:${kind}`, info, now, { judgmentDate: input.judgmentDate }) }))).dossier;
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    log.error('insolvency not reported to counsel', { dossierId: d.id, reason });
    return (await updateDossier(d.id, (x) => ({ dossier: recordMessageFailure(x, kind, `counsel:${kind}`, reason.slice(0, 500), now) }))).dossier;
  }
}

async function readAll(key: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of await readEvidence(key, null)) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}
