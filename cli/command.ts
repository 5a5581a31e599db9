/**
 * What every subcommand shares: the global options (--endpoint, --admin-key, --region, --json),
 * the admin API client built from them, and error reporting with the CLI's exit codes
 * (0 ok, 1 failure, 2 usage error).
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { AdminClient, UsageError } from './admin-client';
import { reportError } from './output';

export interface ActionContext {
  /** The global and command options, merged. */
  opts: Record<string, any>;
  json: boolean;
  /** The admin API client (built on first use: commands that need no API never ask for an endpoint). */
  client(): AdminClient;
}

/** Wraps a command's action: builds its context, reports failures, sets the exit code. */
export function action<A extends unknown[]>(fn: (ctx: ActionContext, ...args: A) => Promise<void>) {
  return async function (this: Command, ...args: unknown[]): Promise<void> {
    const opts = this.optsWithGlobals();
    let client: AdminClient | undefined;
    const ctx: ActionContext = {
      opts,
      json: Boolean(opts.json),
      client: () => (client ??= new AdminClient({ endpoint: opts.endpoint, adminKey: opts.adminKey, region: opts.region })),
    };
    try {
      await fn(ctx, ...(args.slice(0, fn.length - 1) as A));
    } catch (e) {
      process.exitCode = reportError(e, ctx.json);
    }
  };
}

/** Reads a JSON file given on the command line (a usage error when missing or not JSON). */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
}
