/** How the CLI prints: readable lines and tables by default, JSON with --json. */
import { ApiError, UsageError } from './admin-client';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain text table: one header line, then one line per row, columns padded. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  process.stdout.write(`${[line(headers), ...rows.map(line)].join('\n')}\n`);
}

/**
 * Reports a failure on stderr and returns the exit code: 2 for a usage error, 1 otherwise. An
 * API error shows its status, code and message, then each field path on its own line.
 */
export function reportError(e: unknown, json: boolean): number {
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  if (e instanceof ApiError) {
    if (json) {
      process.stderr.write(`${JSON.stringify({ status: e.status, ...(e.body ?? {}) })}\n`);
      return 1;
    }
    const err = e.body?.error ?? {};
    const lines = [`Error ${e.status} ${err.code ?? ''}: ${err.message ?? e.message}`.replace(' :', ':')];
    for (const d of err.details ?? []) lines.push(`  ${d.path || '(body)'}: ${d.message}`);
    process.stderr.write(`${lines.join('\n')}\n`);
    return 1;
  }
  process.stderr.write(`error: ${(e as Error)?.message ?? String(e)}\n`);
  return 1;
}
