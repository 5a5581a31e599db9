import { expect } from 'vitest';
import { resetClients, setClientHook } from '../../lambdas/adapters/aws-clients';
import type { LocalSystem } from '../../local/system';

/**
 * A Lambda killed between writing a dossier and starting the execution it names, simulated on the
 * real pipeline (test/local/regenerate-death.test.ts, stall-sweep.test.ts): the first
 * StartExecution of `successor` fails with an error the SDK does not retry, and every DynamoDB
 * write fails from then on until revive() (a dead Lambda writes nothing more: the flag of an
 * unstarted workflow is lost), so the API answers 500.
 */
/** What a dead Lambda no longer does: write the dossier (the flag of an unstarted workflow). */
const WRITES = new Set(['UpdateItemCommand', 'PutItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

const death = () => Object.assign(new Error('Lambda killed between the write and the start'), { name: 'SimulatedLambdaDeath', $fault: 'client' });

/**
 * `beforeStopOf`: runs before the stop of that execution goes through (after the regenerate's
 * write). Counts every StartExecution of `successor`, before and after revive().
 */
export function dieBeforeStarting(successor: string, beforeStopOf?: { name: string; run: () => Promise<void> }) {
  const seen = { starts: 0, failed: 0, flagsBlocked: 0 };
  let dead = false;
  setClientHook((service, c: any) => {
    if (service !== 'sfn' && service !== 'dynamodb') return;
    c.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input?: any }) => {
        if (service === 'dynamodb') {
          if (dead && WRITES.has(String(context.commandName))) {
            seen.flagsBlocked += 1;
            throw death();
          }
          return next(args);
        }
        if (beforeStopOf && context.commandName === 'StopExecutionCommand' && String(args.input?.executionArn).endsWith(`:${beforeStopOf.name}`)) {
          const run = beforeStopOf.run;
          beforeStopOf = undefined;
          await run();
        }
        if (context.commandName === 'StartExecutionCommand' && args.input?.name === successor) {
          seen.starts += 1;
          if (seen.failed === 0) {
            seen.failed += 1;
            dead = true;
            throw death();
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'dieBeforeStarting' },
    );
  });
  resetClients();
  // The API call has returned: what runs now (a rule's or a schedule's Lambda) is alive; starts are still counted.
  const revive = () => {
    dead = false;
  };
  return { seen, revive };
}

export function heal(): void {
  setClientHook(undefined);
  resetClients();
}

/** The executions of one dossier, oldest first. */
export function runsOf(sys: LocalSystem, id: string) {
  return sys.engine
    .list()
    .filter((r) => r.input?.dossierId === id)
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
}

/** `call` with a Lambda that dies at `successor`'s start: the API answers 500, then revived and healed. */
export async function dyingCall<T extends { status: number }>(sys: LocalSystem, successor: string, call: () => Promise<T>, beforeStopOf?: { name: string; run: () => Promise<void> }) {
  const { seen, revive } = dieBeforeStarting(successor, beforeStopOf);
  let made: T;
  try {
    made = await call();
    revive();
    await sys.executionEvents.idle();
  } finally {
    heal();
  }
  expect(seen.flagsBlocked, 'the dead Lambda tried to flag the dossier, and could not').toBeGreaterThan(0);
  return { made, seen };
}
