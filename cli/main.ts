/**
 * `npx amiable …`: the command line. A thin entry point over the HTTP API (the admin routes) and
 * the project's own modules — no second implementation of any rule.
 *
 * Subcommands live in modules of this folder, each exporting a function that registers its
 * commands on the program; adding one is one line in COMMANDS.
 */
import { Command, CommanderError } from 'commander';
import { registerCreditors } from './creditors';
import { registerImportEInvoice } from './einvoices';
import { registerImport } from './import';
import { registerKeys } from './keys';
import { registerVerify } from './verify';

const COMMANDS: ((program: Command) => void)[] = [
  registerCreditors,
  registerKeys,
  registerVerify,
  registerImportEInvoice,
  registerImport,
];

export function buildProgram(): Command {
  const program = new Command('amiable')
    .description('Amiable: creditors and API keys (admin API), CSV and e-invoice import (creditor API), and the offline evidence-bundle verifier')
    .option('--endpoint <url>', 'API URL (env AMIABLE_ADMIN_URL): locally e.g. http://127.0.0.1:3000, on AWS the AdminEndpoint stack output')
    .option('--admin-key <key>', 'local mode admin key (env AMIABLE_ADMIN_KEY); without it requests are SigV4-signed with your AWS credentials')
    .option('--region <region>', 'AWS region for SigV4 (default: from the endpoint host)')
    .option('--json', 'machine-readable JSON output')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  // Subcommands exit through the program too (usage errors: exit code 2).
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; anything else is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: ${(e as Error)?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
