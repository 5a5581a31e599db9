/**
 * Manual tasks in the dossier table: one item per task, pk "C#<creditorId>", sk "T#<taskId>",
 * next to the creditor's profile, so a creditor's to-do list is one Query and another creditor's
 * task is simply not found. Writes are conditional: creation is idempotent, completion happens once.
 */
import { GetCommand, QueryCommand } from './clients/dynamodb-documents';
import type { Task } from '../domain/dossier-tasks';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { conditionalPutDocument } from './conditional-put';
import { settings } from './env';

const PK = (creditorId: string) => `C#${creditorId}`;
const SK = (taskId: string) => `T#${taskId}`;

function toItem(t: Task): Record<string, unknown> {
  return { pk: PK(t.creditorId), sk: SK(t.id), ...t };
}

function fromItem(item: Record<string, unknown>): Task {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as Task;
}

/** Creates the task unless it exists (a replayed intake, or a completed task): never overwrites. */
export async function putTaskIfAbsent(t: Task): Promise<boolean> {
  return conditionalPutDocument({
    Item: toItem(t),
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

export async function getTask(creditorId: string, taskId: string): Promise<Task | null> {
  const out = await dynamodbDocuments().send(
    new GetCommand({
      TableName: settings.tableName(),
      Key: { pk: PK(creditorId), sk: SK(taskId) },
      ConsistentRead: true,
    }),
  );
  return out.Item ? fromItem(out.Item) : null;
}

/** The creditor's open tasks (every page), in no particular order. */
export async function listOpenTasks(creditorId: string): Promise<Task[]> {
  const tasks: Task[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamodbDocuments().send(
      new QueryCommand({
        TableName: settings.tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
        FilterExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': PK(creditorId), ':t': 'T#', ':open': 'open' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) tasks.push(fromItem(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return tasks;
}

/** Writes the completed task only if it is still open; false when someone completed it first. */
export async function saveCompletedTask(t: Task): Promise<boolean> {
  return conditionalPutDocument({
    Item: toItem(t),
    ConditionExpression: 'attribute_exists(pk) AND #status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':open': 'open' },
  });
}
