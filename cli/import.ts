/**
 * `amiable import invoices.csv [--dry-run] [--map mapping.json]`: an accounting export into
 * Amiable through POST /invoices/batch (creditor API, x-api-key), resumable.
 *
 * Nothing is created twice: a dossier's id is derived from creditor + invoice number, so sending
 * a row again answers `unchanged`; and a state file next to the CSV (`<file>.import-state.json`,
 * or --state) records each row the API accepted, with a hash of what was sent, so a re-run after
 * an interruption (Ctrl+C, network, a crash) skips them and finishes the rest. A row whose content
 * changed since is sent again (and answered `conflict` if its dossier differs).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { apiBase, ApiError, UsageError } from './admin-client';
import { action, readJsonFile } from './command';
import { printJson } from './output';
import { columnOf, readInvoiceCsv, type ColumnMapping, type CsvRow, type RowProblem } from './invoice-csv';
import { MAX_BATCH_INVOICES } from '../lambdas/http/batch-validation';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import overdue invoices from a CSV export through POST /invoices/batch (resumable; see docs/csv-import.md)')
    .argument('<file.csv>', 'the CSV export (UTF-8 or Windows-1252, ";" or "," separated)')
    .option('--dry-run', 'read and check every row, send nothing')
    .option('--map <mapping.json>', 'column names and defaults for this export (docs/csv-import.md)')
    .option('--api-key <key>', "the creditor's operator API key (env AMIABLE_API_KEY)")
    .option('--state <file>', 'progress file (default: <file.csv>.import-state.json)')
    .option('--batch-size <n>', `invoices per request (1-${MAX_BATCH_INVOICES})`, String(MAX_BATCH_INVOICES))
    .option('--quiet', 'no progress bar')
    .action(
      action(async (ctx, file: string) => {
        const code = await runImport(file, {
          dryRun: Boolean(ctx.opts.dryRun),
          map: ctx.opts.map,
          apiKey: ctx.opts.apiKey ?? process.env.AMIABLE_API_KEY,
          endpoint: ctx.opts.endpoint ?? process.env.AMIABLE_API_URL,
          state: ctx.opts.state,
          batchSize: Number(ctx.opts.batchSize),
          quiet: Boolean(ctx.opts.quiet) || ctx.json,
          json: ctx.json,
        });
        process.exitCode = code;
      }),
    );
}

export interface ImportOptions {
  dryRun: boolean;
  map?: string;
  apiKey?: string;
  endpoint?: string;
  state?: string;
  batchSize: number;
  quiet: boolean;
  json: boolean;
}

/** The state file: what the API accepted, by invoice number, with the hash of the row sent. */
interface ImportState {
  version: 1;
  endpoint: string;
  done: Record<string, { line: number; id: string; sha256: string }>;
}

interface Summary {
  rows: number;
  created: number;
  unchanged: number;
  alreadyImported: number;
  conflict: number;
  invalid: number;
  failed: number;
}

const RETRIES = 4;

/** Runs an import; resolves with the exit code (0: every row is in, 1: some row is not). */
export async function runImport(file: string, opts: ImportOptions): Promise<number> {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1 || opts.batchSize > MAX_BATCH_INVOICES) {
    throw new UsageError(`--batch-size must be an integer from 1 to ${MAX_BATCH_INVOICES}`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const mapping = opts.map ? (readJsonFile(opts.map) as ColumnMapping) : {};
  const read = readInvoiceCsv(bytes, mapping);
  const problems: RowProblem[] = [...read.problems];
  const badRows = invalidBefore(read);
  const summary: Summary = { rows: read.rows.length + badRows, created: 0, unchanged: 0, alreadyImported: 0, conflict: 0, invalid: badRows, failed: 0 };
  const headerBroken = read.problems.some((p) => p.line === 1);

  if (opts.dryRun || headerBroken) {
    return finish(file, opts, read, summary, problems, opts.dryRun ? `dry run: ${read.rows.length} row(s) ready to send, nothing sent` : 'nothing sent');
  }
  if (!opts.endpoint) throw new UsageError('no endpoint: pass --endpoint <API URL> or set AMIABLE_API_URL (locally e.g. http://127.0.0.1:3000; on AWS the ApiUrl output)');
  if (!opts.apiKey) throw new UsageError("no API key: pass --api-key or set AMIABLE_API_KEY (the creditor's operator key)");
  const base = apiBase(opts.endpoint);
  const stateFile = opts.state ?? `${file}.import-state.json`;
  const state = loadState(stateFile, base.href);

  const todo: CsvRow[] = [];
  for (const row of read.rows) {
    const prior = state.done[row.invoiceNumber];
    if (prior && prior.sha256 === rowHash(row)) summary.alreadyImported++;
    else todo.push(row);
  }

  const bar = !opts.quiet && process.stderr.isTTY ? progressBar(read.rows.length, summary.alreadyImported) : null;
  const started = Date.now();
  let retry: CsvRow[] = [];
  try {
    let queue = todo;
    for (let round = 0; queue.length > 0 && round <= RETRIES; round++) {
      if (round > 0) await sleep(500 * 2 ** round);
      retry = [];
      for (const batch of batches(queue, opts.batchSize)) {
        const results = await postBatch(base, opts.apiKey, batch.map((r) => r.body));
        batch.forEach((row, k) => {
          const r = results[k];
          if (r?.status === 'created' || r?.status === 'unchanged') {
            summary[r.status as 'created' | 'unchanged']++;
            state.done[row.invoiceNumber] = { line: row.line, id: r.id, sha256: rowHash(row) };
          } else if (r?.status === 'conflict' || r?.status === 'invalid') {
            summary[r.status as 'conflict' | 'invalid']++;
            const details: { path: string; message: string }[] = r.error?.details?.length ? r.error.details : [{ path: '', message: r.error?.message ?? r.status }];
            for (const d of details) problems.push({ line: row.line, field: d.path ? columnOf(d.path, read.columns) : '', message: `${r.status}: ${d.path ? d.message : r.error?.message ?? ''}`.trim() });
          } else {
            retry.push(row); // failed (retryable) or missing: sent again, then reported
          }
        });
        saveState(stateFile, state);
        bar?.update(summary.alreadyImported + summary.created + summary.unchanged + summary.conflict + summary.invalid - badRows, { rate: rate(summary, started) });
      }
      queue = retry;
    }
  } finally {
    saveState(stateFile, state);
    bar?.stop();
  }
  for (const row of retry) {
    summary.failed++;
    problems.push({ line: row.line, field: '', message: 'failed after retries (nothing half-done: run the same command again to finish)' });
  }
  const secs = (Date.now() - started) / 1000;
  return finish(file, opts, read, summary, problems, `sent in ${secs.toFixed(1)} s; progress in ${stateFile}`);
}

/**
 * Requests of at most `size` rows and about 900 KB of JSON, so a batch of long rows stays under
 * the local front's 1 MiB body limit (API Gateway takes 10 MB).
 */
const MAX_REQUEST_BYTES = 900_000;
function* batches(rows: CsvRow[], size: number): Generator<CsvRow[]> {
  let current: CsvRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const n = Buffer.byteLength(JSON.stringify(row.body)) + 1;
    if (current.length > 0 && (current.length >= size || bytes + n > MAX_REQUEST_BYTES)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += n;
  }
  if (current.length > 0) yield current;
}

function invalidBefore(read: { problems: RowProblem[] }): number {
  return new Set(read.problems.filter((p) => p.line > 1).map((p) => p.line)).size;
}

function rate(s: Summary, started: number): string {
  const n = s.created + s.unchanged + s.conflict;
  return (n / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(0);
}

function progressBar(total: number, already: number): SingleBar {
  // Written to stderr, only on a terminal: piped or --quiet runs print the summary alone.
  const bar = new SingleBar({
    format: 'import [{bar}] {percentage}% | {value}/{total} invoices | {rate}/s | ETA {eta_formatted}',
    stream: process.stderr,
    hideCursor: true,
    etaBuffer: 20,
  });
  bar.start(total, already, { rate: '0' });
  return bar;
}

/** One POST /invoices/batch, retried on network errors, 429 and 5xx (the batch is idempotent). */
async function postBatch(base: URL, apiKey: string, bodies: unknown[]): Promise<any[]> {
  const url = new URL('invoices/batch', base);
  for (let attempt = 0; ; attempt++) {
    let res: Response | undefined;
    let failure: string;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': apiKey }, body: JSON.stringify({ invoices: bodies }) });
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : null;
      if (res.status === 207) return parsed.results;
      if (res.status !== 429 && res.status < 500) throw new ApiError(res.status, parsed);
      failure = `HTTP ${res.status}`;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      failure = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    }
    if (attempt >= RETRIES) throw new Error(`cannot send a batch to ${url.origin} (${failure}); what was sent is recorded: run the same command again to resume`);
    await sleep(1000 * 2 ** attempt);
  }
}

function rowHash(row: CsvRow): string {
  return createHash('sha256').update(JSON.stringify(row.body)).digest('hex');
}

function loadState(file: string, endpoint: string): ImportState {
  if (!fs.existsSync(file)) return { version: 1, endpoint, done: {} };
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as ImportState;
  // Another API (e.g. local mode, then AWS): what was imported there says nothing about here.
  if (state.version !== 1 || state.endpoint !== endpoint) return { version: 1, endpoint, done: {} };
  return state;
}

/**
 * How many rows a state file records as imported (0 while it does not exist or is being replaced):
 * what a watcher of a running import (the bench, the kill test) reads to know how far it got.
 */
export function importedRows(stateFile: string): number {
  try {
    return Object.keys((JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ImportState).done).length;
  } catch {
    return 0;
  }
}

/** Written whole to a temporary file, then renamed: an interruption leaves the old or the new state, never half of one. */
function saveState(file: string, state: ImportState): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}

function finish(file: string, opts: ImportOptions, read: ReturnType<typeof readInvoiceCsv>, summary: Summary, problems: RowProblem[], note: string): number {
  problems.sort((a, b) => a.line - b.line);
  const ok = problems.length === 0;
  if (opts.json) {
    printJson({ file, encoding: read.encoding, separator: read.separator, summary, problems, note });
    return ok ? 0 : 1;
  }
  for (const p of problems) process.stderr.write(`${file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}\n`);
  process.stdout.write(
    [
      `${file}: ${read.encoding}, separator "${read.separator}", ${summary.rows} row(s)`,
      `  created ${summary.created}, unchanged ${summary.unchanged}, already imported ${summary.alreadyImported}, conflict ${summary.conflict}, invalid ${summary.invalid}, failed ${summary.failed}`,
      `  ${note}`,
      '',
    ].join('\n'),
  );
  return ok ? 0 : 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
