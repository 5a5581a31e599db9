/**
 * The mise en demeure by a registered channel (domain/registered.ts):
 * - registered post: the print-ready PDF is kept in the evidence vault, a task asks the operator to
 *   post it by LRAR; the operator then records the tracking number (with the posting receipt) and
 *   the acknowledgment of receipt (first presentation date, outcome, scan), each kept as evidence.
 *   The acknowledgment moves the deadline and the hand-off: the execution is restarted on them.
 * - registered e-mail: the provider deposits and notifies; its proofs are kept as evidence; the
 *   notification is the first presentation.
 * Both hold the send lease like an e-mail send, so a settling payment waits for them.
 */
import { completeSend, Dossier, firstUnsent, policyOf, releaseSend, scheduleFor, SentInfo, sentStages } from '../domain/dossier';
import { taskIdFor, type Task } from '../domain/dossier-tasks';
import { DomainError } from '../domain/errors';
import { sha256Hex } from '../domain/identity';
import { channelFor, recordPosting, recordPresentation, type PostingInput, type PresentationInput, type RegisteredLetter } from '../domain/registered';
import { addressInline } from '../notices/format';
import { renderNoticeWith } from '../notices/render';
import { formalNotice } from '../notices/templates/formal-notice';
import { clock } from '../adapters/clock';
import { getCreditor, updateDossier } from '../adapters/dossier-store';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { getTask, putTaskIfAbsent, saveCompletedTask } from '../adapters/task-store';
import { dossierView, type DossierView } from '../domain/dossier-view';
import { noticeContext } from './outbound-mail';
import { registeredEmailProvider } from './registered-email';
import { dossierOf, updateOwnDossier } from './dossier-access';
import { regenerate } from './generations';

export const POST_TASK = 'post_registered_letter';

/** Sends the claimed mise en demeure by registered post or registered e-mail, and records it. */
export async function dispatchRegistered(claimed: Dossier, token: string, slot: string, now: Date): Promise<{ sent: boolean; dossier: Dossier }> {
  try {
    const creditor = await getCreditor(claimed.creditorId);
    if (!creditor) throw new DomainError(404, 'DossierNotFound', `creditor ${claimed.creditorId} not found`);
    const { channel, fallbackReason } = channelFor(claimed);
    if (channel === 'email') throw new Error('dispatchRegistered called for an e-mail mise en demeure');
    const graceDays = policyOf(claimed).graceDays;
    const rendered = await renderNoticeWith(noticeContext({ dossier: claimed, creditor, kind: 'formal_notice', now, extra: { graceDays, channel } }), formalNotice);
    const pdf = rendered.attachments.find((a) => a.contentType === 'application/pdf')!;
    const base = `dossiers/${claimed.id}/notices/formal_notice/${sha256Hex(slot).slice(0, 16)}`;
    const document = await putEvidence(`${base}.pdf`, pdf.content, 'application/pdf', now);
    const letter: RegisteredLetter = { slot, channel, preparedAt: now.toISOString(), documentKey: document.key };
    const extraEvents: Record<string, unknown>[] = [];
    let to = `${claimed.debtor.name}, ${addressInline(claimed.debtor.address, 'fr')}`;
    if (channel === 'registered_email') {
      const receipt = await registeredEmailProvider().send({
        reference: `${claimed.id}.${slot}`,
        sender: { name: creditor.agency?.legalName ?? creditor.legalName, email: creditor.sender.email },
        recipient: { name: claimed.debtor.name, email: claimed.debtor.email },
        subject: rendered.subject,
        document: { filename: pdf.filename, contentType: pdf.contentType, bytes: pdf.content },
        at: now,
      });
      const deposit = await putEvidence(`${base}-lre-deposit.json`, receipt.depositProof.bytes, receipt.depositProof.contentType, now);
      const notification = await putEvidence(`${base}-lre-notification.json`, receipt.notificationProof.bytes, receipt.notificationProof.contentType, now);
      Object.assign(letter, { providerId: receipt.providerId, presentedOn: receipt.notifiedOn, outcome: 'notified' });
      to = claimed.debtor.email;
      extraEvents.push(
        { type: 'registered_email_deposited', slot, providerId: receipt.providerId, depositedAt: receipt.depositedAt, ...evidenceRef(deposit) },
        { type: 'registered_letter_presented', slot, channel, presentedOn: receipt.notifiedOn, outcome: 'notified', ...evidenceRef(notification) },
      );
    } else {
      // The operator's task: post it by LRAR, then record the tracking number.
      const task: Task = {
        id: taskIdFor(claimed.id, `${POST_TASK}:${slot}`),
        creditorId: claimed.creditorId,
        dossierId: claimed.id,
        invoiceNumber: claimed.invoice.invoiceNumber,
        debtor: { name: claimed.debtor.name },
        task: POST_TASK,
        dueAt: now.toISOString(),
        status: 'open',
        createdAt: now.toISOString(),
      };
      await putTaskIfAbsent(task);
    }
    const info = { messageId: '', to, ...evidenceRef(document), channel, ...(fallbackReason ? { channelFallback: fallbackReason } : {}) } as SentInfo;
    const done = await updateDossier(claimed.id, (d) => {
      const withLetter: Dossier = { ...d, registered: [...(d.registered ?? []), letter] };
      const sent = completeSend(withLetter, 'formal_notice', token, now, info);
      const at = now.toISOString();
      return { dossier: { ...sent, events: [...sent.events, ...extraEvents.map((e) => ({ ...e, at }) as Dossier['events'][number])] } };
    });
    return { sent: true, dossier: done.dossier };
  } catch (e) {
    // Nothing recorded as sent: the lease is released and the state machine retries (then flags).
    await updateDossier(claimed.id, (d) => ({ dossier: releaseSend(d, token) }));
    throw e;
  }
}

async function keepProof(dossierId: string, slotKey: string, what: string, document: { filename: string; contentType: string; bytes: Uint8Array } | undefined, fact: unknown, now: Date) {
  const bytes = document ? document.bytes : new Uint8Array(Buffer.from(`${JSON.stringify(fact, null, 2)}\n`, 'utf8'));
  const ext = document ? (document.filename.match(/\.[A-Za-z0-9]{1,8}$/)?.[0] ?? '.bin').toLowerCase() : '.json';
  const key = `dossiers/${dossierId}/registered/${slotKey}-${what}-${sha256Hex(bytes).slice(0, 16)}${ext}`;
  return evidenceRef(await putEvidence(key, bytes, document ? document.contentType : 'application/json', now));
}

export interface PostingRequest {
  trackingNumber: string;
  postedOn: string;
  document?: { filename: string; contentType: string; bytes: Uint8Array };
}

/** The operator posted the LRAR: tracking number (and posting receipt) kept; the task is completed. */
export async function recordRegisteredPosting(creditorId: string, dossierId: string, input: PostingRequest): Promise<{ created: boolean; view: DossierView }> {
  const current = await dossierOf(creditorId, dossierId);
  const letter = current.registered?.at(-1);
  const now = clock().now();
  const evidence = await keepProof(current.id, sha256Hex(letter?.slot ?? 'none').slice(0, 12), 'posting', input.document, { trackingNumber: input.trackingNumber, postedOn: input.postedOn }, now);
  const posting: PostingInput = { trackingNumber: input.trackingNumber, postedOn: input.postedOn, evidence };
  const result = await updateOwnDossier(creditorId, dossierId, (d) => {
    const r = recordPosting(d, posting, now);
    return { dossier: r.duplicate ? d : { ...d, registered: r.registered, events: r.events }, duplicate: r.duplicate };
  });
  if (letter) {
    const task = await getTask(creditorId, taskIdFor(current.id, `${POST_TASK}:${letter.slot}`));
    if (task && task.status === 'open') {
      await saveCompletedTask({ ...task, status: 'completed', outcome: 'other', notes: `posted by LRAR on ${input.postedOn}, tracking ${input.trackingNumber}`, by: 'api', completedAt: now.toISOString() });
    }
  }
  return { created: !result.duplicate, view: dossierView(result.dossier, clock().now()) };
}

export interface ReceiptRequest {
  presentedOn: string;
  outcome: 'signed' | 'unclaimed' | 'refused';
  document: { filename: string; contentType: string; bytes: Uint8Array };
}

/**
 * The acknowledgment of receipt: its scan kept, the first presentation recorded; the deadline and
 * the hand-off now run from it, so the waiting execution is replaced by one waiting for them.
 */
export async function recordRegisteredReceipt(creditorId: string, dossierId: string, input: ReceiptRequest): Promise<{ created: boolean; view: DossierView }> {
  const current = await dossierOf(creditorId, dossierId);
  const letter = current.registered?.at(-1);
  const now = clock().now();
  const evidence = await keepProof(current.id, sha256Hex(letter?.slot ?? 'none').slice(0, 12), 'receipt', input.document, null, now);
  const presentation: PresentationInput = { presentedOn: input.presentedOn, outcome: input.outcome, evidence };
  let duplicate = false;
  const apply = (d: Dossier) => {
    const r = recordPresentation(d, presentation, now);
    duplicate = Boolean(r.duplicate);
    return { ...d, registered: r.registered, events: r.events };
  };
  // Still waiting for the hand-off: a new execution waits for the new one. Otherwise just record it.
  if (current.status === 'active' && current.nextAction?.stage === 'litigation_handoff') {
    const result = await regenerate(creditorId, dossierId, 'registered_letter_presented', (d, nameFor) => {
      const next = apply(d);
      if (duplicate) return { dossier: d };
      const { dossier } = rescheduled(next, now);
      const generation = (d.execution?.generation ?? 1) + 1;
      return { dossier: { ...dossier, execution: { name: nameFor(generation), generation } } };
    });
    return { created: !duplicate, view: dossierView(result.dossier, clock().now()) };
  }
  const result = await updateOwnDossier(creditorId, dossierId, (d) => ({ dossier: apply(d) }));
  return { created: !duplicate, view: dossierView(result.dossier, clock().now()) };
}

/** The schedule recomputed from the recorded first presentation (deadline, hand-off). */
function rescheduled(d: Dossier, now: Date): { dossier: Dossier } {
  const computed = scheduleFor(d, now);
  const nextAction = firstUnsent(computed.stages, sentStages(d));
  return {
    dossier: {
      ...d,
      schedule: computed.stages,
      deadline: computed.deadline,
      nextAction,
      events: [...d.events, { type: 'deadline_moved', at: now.toISOString(), reason: 'first presentation of the registered mise en demeure', deadline: computed.deadline, nextStage: nextAction?.stage ?? null, scheduledAt: nextAction?.at ?? null }],
    },
  };
}
