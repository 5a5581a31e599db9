/**
 * `amiable verify bundle.zip [--head <hash>]`: checks an evidence bundle offline (no network, no
 * AWS): every file against the manifest, the whole hash chain recomputed, and with --head that the
 * chain ends at a head the auditor obtained elsewhere. Exit 0 with one line
 * `OK <n> records, head <hash>`; otherwise exit 1 and one line per problem.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { unzipSync } from 'fflate';
import { verifyBundle } from '../lambdas/domain/evidence-verify';

export interface VerifyOutcome {
  exitCode: 0 | 1;
  lines: string[];
}

export function verifyZip(zip: Uint8Array, expectedHead?: string): VerifyOutcome {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (e) {
    return { exitCode: 1, lines: [`not a readable ZIP file (${(e as Error).message})`] };
  }
  const files = new Map(Object.entries(entries).filter(([path]) => !path.endsWith('/')));
  const result = verifyBundle(files, expectedHead);
  if (result.ok) return { exitCode: 0, lines: [`OK ${result.records} records, head ${result.head!.hash}`] };
  return { exitCode: 1, lines: result.problems.map((p) => p.message) };
}

export function verifyFile(path: string, expectedHead?: string): VerifyOutcome {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { exitCode: 1, lines: [`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`] };
  }
  return verifyZip(bytes, expectedHead);
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check an evidence bundle offline: files, hash chain, and optionally the expected head')
    .argument('<bundle.zip>', 'the bundle downloaded from POST /invoices/{id}/evidence-bundle (or from S3)')
    .option('--head <hash>', 'the chain head (SHA-256, hex) obtained elsewhere; the chain must end at it')
    .action((bundle: string, opts: { head?: string }) => {
      if (opts.head !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.head)) {
        program.error('--head must be a SHA-256 in hex (64 characters)', { exitCode: 2 });
      }
      const outcome = verifyFile(bundle, opts.head);
      for (const line of outcome.lines) console.log(line);
      process.exitCode = outcome.exitCode;
    });
}
