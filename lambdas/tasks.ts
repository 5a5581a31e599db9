import type { APIGatewayProxyEvent } from 'aws-lambda';
import { completeTask, listTasks } from './services/tasks';
import { creditorOf, errorResponse, json, parseBody, route } from './http/response';
import { parseTaskCompletion, parseTaskListQuery } from './http/validation';

export const TASKS = '/tasks';
export const COMPLETE = '/tasks/{taskId}/complete';

/**
 * Manual tasks of the caller's creditor (policy stages of kind "manual_task"), routed by resource:
 * - GET /tasks[?include=upcoming][&limit=][&cursor=]: 200 { tasks, nextCursor } — open tasks due
 *   now (or all open ones), oldest due first, 100 a page by default; tasks of paid, cancelled or
 *   handed-off dossiers are not listed.
 * - POST /tasks/{taskId}/complete: 200 with the completed task; 404 unknown (or another
 *   creditor's) task; 409 already completed.
 */
export const handler = route(async (event: APIGatewayProxyEvent) => {
  const creditorId = creditorOf(event);
  switch (event.resource) {
    case TASKS: {
      const { includeUpcoming, limit, cursor } = parseTaskListQuery(event.queryStringParameters);
      return json(200, await listTasks(creditorId, includeUpcoming, { limit, ...(cursor !== undefined ? { cursor } : {}) }));
    }
    case COMPLETE: {
      const input = parseTaskCompletion(parseBody(event));
      return json(200, await completeTask(creditorId, event.pathParameters?.taskId ?? '', input));
    }
    default:
      return errorResponse(404, 'not_found', 'No such route.');
  }
});
