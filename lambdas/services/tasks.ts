/**
 * Manual tasks: created at intake, listed per creditor, completed with a call log.
 *
 * Completing a task writes three things, in this order, so nothing is ever half-written:
 * 1. the call log as evidence (S3, Object Lock) at dossiers/<dossierId>/calls/<taskId>.json;
 * 2. the `call_logged` event (with the evidence key and SHA-256) on the dossier, through the
 *    store's optimistic-concurrency write; at most one per task;
 * 3. the task item, open -> completed, with a conditional write.
 * A crash after 1 leaves an unreferenced evidence object and an open task (a retry redoes it);
 * a crash after 2 leaves an open task whose call is logged: a retry finds the event, skips 1 and 2
 * and completes the task as the history records it. Two racing completions: one event, one
 * completed task; the loser gets 409 (its evidence copy, if written, stays unreferenced — the
 * event's SHA-256 names the authoritative version).
 */
import { Dossier } from '../domain/dossier';
import {
  assertOpen,
  callEvidenceKey,
  callLogDocument,
  CallInput,
  completedTask,
  isListed,
  loggedCall,
  logCall,
  sameCall,
  Task,
  TASK_ID,
  tasksForDossier,
  taskView,
  TaskView,
} from '../domain/dossier-tasks';
import { conflict, DomainError, notFound } from '../domain/errors';
import { clock } from '../adapters/clock';
import { getDossier, updateDossier } from '../adapters/dossier-store';
import { evidenceRef, putEvidence } from '../adapters/evidence-store';
import { getTask, listOpenTasks, putTaskIfAbsent, saveCompletedTask } from '../adapters/task-store';
import { decodeCursor, encodeCursor } from '../adapters/cursor';

/** Writes the dossier's tasks unless they exist; safe to repeat (intake replays call it again). */
export async function ensureTasks(d: Dossier): Promise<void> {
  for (const t of tasksForDossier(d)) await putTaskIfAbsent(t);
}

const READ_CONCURRENCY = 8;

async function dossiersOf(creditorId: string, ids: string[]): Promise<Map<string, Dossier>> {
  const found = new Map<string, Dossier>();
  for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
    const batch = await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map((id) => getDossier(id)));
    for (const d of batch) if (d && d.creditorId === creditorId) found.set(d.id, d);
  }
  return found;
}

/**
 * The creditor's open tasks that are due (dueAt <= now on the business clock), or all open ones
 * with `includeUpcoming`, oldest due first, a page at a time. Tasks of paid, cancelled or
 * handed-off dossiers are left out: each candidate's dossier is read for its status, balance and
 * debtor contact, but only the dossiers of the page being built (a page may come out shorter
 * than `limit` only on the last one). The cursor is the position (dueAt, task id) of the last task
 * examined, in the conventions of adapters/cursor.ts; a task completed between pages simply drops
 * out, one added before the cursor's position is seen on a fresh listing.
 */
export async function listTasks(
  creditorId: string,
  includeUpcoming: boolean,
  page: { limit: number; cursor?: string } = { limit: Number.MAX_SAFE_INTEGER },
): Promise<{ tasks: TaskView[]; nextCursor: string | null }> {
  const now = clock().now();
  const after = page.cursor === undefined ? null : taskPosition(creditorId, page.cursor);
  const candidates = (await listOpenTasks(creditorId))
    .filter((t) => includeUpcoming || Date.parse(t.dueAt) <= now.getTime())
    .sort(byDue)
    .filter((t) => !after || byDue(t, after) > 0);
  const tasks: TaskView[] = [];
  let examined = 0;
  while (tasks.length < page.limit && examined < candidates.length) {
    const batch = candidates.slice(examined, examined + Math.max(READ_CONCURRENCY, page.limit - tasks.length));
    const dossiers = await dossiersOf(creditorId, [...new Set(batch.map((t) => t.dossierId))]);
    for (const t of batch) {
      examined += 1;
      const d = dossiers.get(t.dossierId) ?? null;
      if (isListed(t, d, now, includeUpcoming)) tasks.push(taskView(t, d));
      if (tasks.length === page.limit) break;
    }
  }
  const last = candidates[examined - 1];
  const nextCursor = examined < candidates.length && last
    ? encodeCursor({ pk: `C#${creditorId}`, sk: `T#${last.id}`, dueAt: last.dueAt })
    : null;
  return { tasks, nextCursor };
}

function byDue(a: Pick<Task, 'dueAt' | 'id'>, b: Pick<Task, 'dueAt' | 'id'>): number {
  return Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.id.localeCompare(b.id);
}

/** The position a GET /tasks cursor continues after (400 on `cursor` if it is not one of this list). */
function taskPosition(creditorId: string, cursor: string): Pick<Task, 'dueAt' | 'id'> {
  const key = decodeCursor(cursor, {
    pk: `C#${creditorId}`,
    sk: /^T#tsk_[0-9a-f]{32}$/,
    dueAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/,
  })!;
  return { id: key.sk!.slice(2), dueAt: key.dueAt! };
}

/** Loads a task of this creditor; another creditor's task is indistinguishable from none. */
async function taskOf(creditorId: string, taskId: string): Promise<Task> {
  if (!TASK_ID.test(taskId)) throw notFound('Task');
  const task = await getTask(creditorId, taskId);
  if (!task || task.creditorId !== creditorId) throw notFound('Task');
  return task;
}

/** Completes a task (early completion allowed): call log as evidence, event, then the task. */
export async function completeTask(creditorId: string, taskId: string, input: CallInput): Promise<TaskView> {
  const task = await taskOf(creditorId, taskId);
  assertOpen(task);
  const now = clock().now();
  const current = await getDossier(task.dossierId);
  if (!current || current.creditorId !== creditorId) throw notFound('Task');

  let dossier = current;
  let event = loggedCall(current, task.id);
  if (!event) {
    const document = callLogDocument(task, input, now);
    const stored = await putEvidence(
      callEvidenceKey(task.dossierId, task.id),
      Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8'),
      'application/json',
      now,
    );
    const result = await updateDossier(task.dossierId, (d) =>
      logCall(d, task, input, now, evidenceRef(stored)),
    );
    dossier = result.dossier;
    event = result.event;
  }

  const done = completedTask(task, event);
  if (!(await saveCompletedTask(done))) {
    const latest = await getTask(creditorId, taskId);
    if (latest) assertOpen(latest);
    throw new DomainError(503, 'contention', 'The task is changing; retry.');
  }
  if (!sameCall(event, input)) {
    // An earlier attempt logged the call, then failed before completing the task.
    throw conflict(`The call for task ${task.id} was already logged on ${event.at} (outcome ${String(event.outcome)}); the task is now completed as logged.`, [
      { path: 'outcome', message: `already logged as ${String(event.outcome)}` },
    ]);
  }
  return taskView(done, dossier);
}
