/**
 * Manual tasks (policy stages of kind "manual_task", e.g. the courtesy phone call) as pure
 * functions: which tasks a dossier gets at intake, which ones a creditor sees in its to-do list,
 * and how a completed call enters the dossier's history. The store and the HTTP layer
 * (services/tasks.ts) apply them; nothing here touches AWS.
 *
 * A task is its own item (pk "C#<creditorId>", sk "T#<taskId>"), written once at intake, so a
 * creditor's to-do list is one query; the dossier keeps the call log as `call_logged` events.
 */
import { balanceCents, Dossier, iso } from './dossier';
import { conflict } from './errors';
import type { EvidenceRef } from './evidence-chain';
import { sha256Hex } from './identity';
import type { DossierEvent, IsoInstant } from './model';
import { toDecimalString } from './money';
import { computeSchedule } from './schedule';
import { builtinPolicy } from './policy';

export const TASK_OUTCOMES = ['reached', 'no_answer', 'voicemail', 'promised_to_pay', 'refused', 'wrong_contact', 'other'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

/** Dossier statuses whose tasks no longer show in the to-do list (nothing left to call about). */
export const TASKLESS_STATUSES: ReadonlySet<string> = new Set(['paid', 'cancelled', 'handed_off']);

export interface Task {
  /** "tsk_" + 32 hex digits, deterministic per dossier and policy task. */
  id: string;
  creditorId: string;
  dossierId: string;
  invoiceNumber: string;
  /** A summary only: the name. Contact details are read from the dossier when listing. */
  debtor: { name: string };
  /** The policy stage id, e.g. "courtesy_call". */
  task: string;
  dueAt: IsoInstant;
  /** Last day to do it, when the law sets one (e.g. a declaration of claim, C. com. R622-24). */
  deadline?: string;
  status: 'open' | 'completed';
  createdAt: IsoInstant;
  outcome?: TaskOutcome;
  notes?: string;
  by?: string;
  completedAt?: IsoInstant;
}

export interface CallInput {
  outcome: TaskOutcome;
  notes?: string;
  /** Who made the call ("api" when the caller does not say). */
  by: string;
}

export const TASK_ID = /^tsk_[0-9a-f]{32}$/;

export function taskIdFor(dossierId: string, policyTaskId: string): string {
  // The separator cannot occur in either part: ("a","bc") and ("ab","c") stay distinct.
  return `tsk_${sha256Hex(`${dossierId}\u0000${policyTaskId}`).slice(0, 32)}`;
}

/**
 * The tasks a new dossier gets: the policy's manual tasks at their policy time, computed as of the
 * dossier's creation (so recomputing later, e.g. on a replayed intake, gives the same tasks).
 * A task whose time has already passed (an invoice pushed late) is due at once.
 */
export function tasksForDossier(d: Pick<Dossier, 'id' | 'creditorId' | 'invoice' | 'debtor' | 'region' | 'policyName' | 'createdAt'>): Task[] {
  const { tasks } = computeSchedule({
    dueDate: d.invoice.dueDate,
    policy: builtinPolicy(d.policyName),
    region: d.region,
    now: d.createdAt,
    amountCents: d.invoice.amountCents,
  });
  return tasks.map((t) => ({
    id: taskIdFor(d.id, t.id),
    creditorId: d.creditorId,
    dossierId: d.id,
    invoiceNumber: d.invoice.invoiceNumber,
    debtor: { name: d.debtor.name },
    task: t.id,
    dueAt: t.at,
    status: 'open',
    createdAt: d.createdAt,
  }));
}

/**
 * Whether an open task shows in the creditor's list: due (dueAt <= now) or, with
 * `includeUpcoming`, any open task; never once its dossier is paid, cancelled or handed off.
 */
export function isListed(task: Task, dossier: Pick<Dossier, 'status'> | null, now: Date, includeUpcoming: boolean): boolean {
  if (task.status !== 'open' || !dossier || TASKLESS_STATUSES.has(dossier.status)) return false;
  return includeUpcoming || Date.parse(task.dueAt) <= now.getTime();
}

export interface TaskView {
  id: string;
  dossierId: string;
  invoiceNumber: string;
  task: string;
  dueAt: IsoInstant;
  deadline?: string;
  status: 'open' | 'completed';
  /** The debtor's contact from the dossier (phone when the invoice gave one: these are call tasks). */
  debtor: { name: string; email: string | null; phone?: string };
  /** Null only if the dossier could not be read. */
  dossierStatus: string | null;
  balance: string | null;
  outcome?: TaskOutcome;
  notes?: string;
  by?: string;
  completedAt?: IsoInstant;
}

/** The task as the HTTP contract shows it, enriched from its dossier when known. */
export function taskView(task: Task, dossier: Dossier | null): TaskView {
  const view: TaskView = {
    id: task.id,
    dossierId: task.dossierId,
    invoiceNumber: task.invoiceNumber,
    task: task.task,
    dueAt: task.dueAt,
    status: task.status,
    debtor: {
      name: dossier?.debtor.name ?? task.debtor.name,
      email: dossier?.debtor.email ?? null,
      ...(dossier?.debtor.phone ? { phone: dossier.debtor.phone } : {}),
    },
    dossierStatus: dossier?.status ?? null,
    balance: dossier ? toDecimalString(balanceCents(dossier)) : null,
    ...(task.deadline ? { deadline: task.deadline } : {}),
  };
  if (task.status === 'completed') {
    view.outcome = task.outcome;
    if (task.notes !== undefined) view.notes = task.notes;
    view.by = task.by;
    view.completedAt = task.completedAt;
  }
  return view;
}

/** Refuses a second completion, saying how and when the first one went. */
export function assertOpen(task: Task): void {
  if (task.status === 'open') return;
  throw conflict(`Task ${task.id} was already completed on ${task.completedAt} (outcome ${task.outcome}, by ${task.by}).`, [
    { path: 'status', message: `completed ${task.completedAt} with outcome ${task.outcome}` },
  ]);
}

/** The call log kept as evidence: what was done, when, by whom, for which dossier. */
export function callLogDocument(task: Task, input: CallInput, now: Date) {
  return {
    kind: 'call_log',
    creditorId: task.creditorId,
    dossierId: task.dossierId,
    invoiceNumber: task.invoiceNumber,
    taskId: task.id,
    task: task.task,
    dueAt: task.dueAt,
    at: iso(now),
    outcome: input.outcome,
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    by: input.by,
  };
}

export function callEvidenceKey(dossierId: string, taskId: string): string {
  return `dossiers/${dossierId}/calls/${taskId}.json`;
}

/** The `call_logged` event already recorded for this task, if any. */
export function loggedCall(d: Pick<Dossier, 'events'>, taskId: string): DossierEvent | undefined {
  return d.events.find((e) => e.type === 'call_logged' && e.taskId === taskId);
}

export type LogCallResult = { kind: 'logged' | 'already_logged'; dossier: Dossier; event: DossierEvent };

/**
 * Appends the `call_logged` event. Idempotent per task: a task's call is logged once, and a retry
 * gets the event already recorded (the caller compares it with what it asked). Allowed whatever
 * the dossier's status: a call made before a payment may be logged after it.
 */
export function logCall(
  d: Dossier,
  task: Pick<Task, 'id' | 'task' | 'dossierId'>,
  input: CallInput,
  now: Date,
  evidence: EvidenceRef,
): LogCallResult {
  if (task.dossierId !== d.id) throw new RangeError(`task ${task.id} belongs to dossier ${task.dossierId}, not ${d.id}`);
  const existing = loggedCall(d, task.id);
  if (existing) return { kind: 'already_logged', dossier: d, event: existing };
  const event: DossierEvent = {
    type: 'call_logged',
    at: iso(now),
    taskId: task.id,
    task: task.task,
    outcome: input.outcome,
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    by: input.by,
    ...evidence,
  };
  return { kind: 'logged', dossier: { ...d, events: [...d.events, event] }, event };
}

/** Whether a logged call says what this request says (a retry of the same completion). */
export function sameCall(event: DossierEvent, input: CallInput): boolean {
  return event.outcome === input.outcome && (event.notes ?? undefined) === input.notes && event.by === input.by;
}

/** The task completed as the dossier's history records it (the event is the source of truth). */
export function completedTask(task: Task, event: DossierEvent): Task {
  assertOpen(task);
  const done: Task = {
    ...task,
    status: 'completed',
    outcome: event.outcome as TaskOutcome,
    by: event.by as string,
    completedAt: event.at,
  };
  if (typeof event.notes === 'string') done.notes = event.notes;
  return done;
}
