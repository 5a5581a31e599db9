/**
 * Handlers that misbehave, for test/local/handler-workers.test.ts: loaded in local mode's handler
 * worker threads (local/handler-workers.ts `extraModules`), never by local mode itself.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { clock } from '../../lambdas/adapters/clock';
import { DomainError } from '../../lambdas/domain/errors';

type Event = { action: string; [k: string]: any };

export async function handler(event: Event, context: { functionName: string; awsRequestId: string; getRemainingTimeInMillis(): number }): Promise<unknown> {
  switch (event.action) {
    case 'echo':
      return {
        event,
        env: process.env[event.env] ?? null,
        now: clock().now().toISOString(),
        context: { functionName: context.functionName, awsRequestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis() },
      };
    case 'clock-after': {
      // The instant before and after the main thread moved the clock (it does so within `ms`).
      const before = clock().now().toISOString();
      await new Promise((r) => setTimeout(r, event.ms));
      return { before, after: clock().now().toISOString() };
    }
    case 'throw':
      throw Object.assign(new Error(event.message), { name: event.name, retryable: true, $metadata: { httpStatusCode: 500 } });
    case 'domain':
      throw new DomainError(409, 'conflict_here', 'a domain refusal', [{ path: 'x', message: 'taken' }]);
    case 'exit':
      // A handler that ends its runtime (as process.exit does a Lambda's).
      setImmediate(() => process.exit(3));
      return new Promise(() => undefined);
    case 'uncaught':
      setImmediate(() => {
        throw new Error('thrown outside the handler');
      });
      return new Promise(() => undefined);
    case 'oom': {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
    }
    case 'sdk': {
      // A call to a DynamoDB endpoint the main thread serves (or not) in-process.
      const ddb = new DynamoDBClient({ endpoint: event.endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
      try {
        return await ddb.send(new ListTablesCommand({}));
      } finally {
        ddb.destroy();
      }
    }
    case 'function-inside':
      // A result the structured clone refuses: what a JSON round trip keeps comes back (as Lambda's).
      return { kept: event.n, dropped: () => 1 };
    case 'thread':
      return { threadId: (await import('node:worker_threads')).threadId };
    case 'hang':
      return new Promise(() => undefined);
    default:
      throw new Error(`unknown action ${event.action}`);
  }
}
