/**
 * `npx amiable import-einvoice <files...> [--dry-run]`: imports Factur-X PDFs, UBL and CII XML
 * files through POST /invoices/import (the creditor's API key, not the admin API), a few at a
 * time, with one result line per file and a progress bar on a terminal. `--dry-run` sends
 * nothing: each file is read and mapped locally by the same modules the API runs (lambdas/einvoice),
 * so everything but the checks that need the creditor's profile (seller SIREN, IBAN) and its
 * dossiers (200/409) is checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { MultiBar, Presets } from 'cli-progress';
import { DomainError, type ErrorDetail } from '../lambdas/domain/errors';
import { submissionFromEInvoice } from '../lambdas/einvoice/mapping';
import { readEInvoice, sniff } from '../lambdas/einvoice/read';
import { toDecimalString } from '../lambdas/domain/money';
import { apiBase, UsageError } from './admin-client';
import { action } from './command';
import { printJson } from './output';

export interface ImportOptions {
  endpoint: string;
  apiKey?: string;
  dryRun?: boolean;
  debtorEmail?: string;
  language?: string;
  concurrency?: number;
  /** Called after each file (the progress bar). */
  onResult?: (r: FileResult) => void;
}

export interface FileResult {
  file: string;
  /** created (201), existing (200), dry_run_ok, or refused (any error). */
  outcome: 'created' | 'existing' | 'dry_run_ok' | 'refused';
  status: number | null;
  dossierId?: string;
  invoiceNumber?: string;
  summary?: string;
  error?: { code: string; message: string; details: ErrorDetail[] };
}

/** The media type a file is sent as: its extension, else its first bytes. */
export function contentTypeOf(file: string, bytes: Uint8Array): string {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.pdf') return 'application/pdf';
  if (ext === '.xml') return 'application/xml';
  const kind = sniff(bytes);
  return kind === 'pdf' ? 'application/pdf' : kind === 'xml' ? 'application/xml' : 'application/octet-stream';
}

export async function importFiles(files: string[], opts: ImportOptions): Promise<FileResult[]> {
  const results: FileResult[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await importOne(files[i], opts);
      opts.onResult?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, files.length)) }, worker));
  return results;
}

async function importOne(file: string, opts: ImportOptions): Promise<FileResult> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { file, outcome: 'refused', status: null, error: { code: 'unreadable_file', message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, details: [] } };
  }
  const type = contentTypeOf(file, bytes);
  if (opts.dryRun) return dryRun(file, bytes, type, opts);
  const url = new URL('invoices/import', apiBase(opts.endpoint));
  if (opts.debtorEmail) url.searchParams.set('debtorEmail', opts.debtorEmail);
  if (opts.language) url.searchParams.set('language', opts.language);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': type, 'x-api-key': opts.apiKey ?? '', accept: 'application/json' }, body: bytes });
  } catch (e) {
    throw new Error(`cannot reach ${url.origin}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: { code: 'not_json', message: text.slice(0, 300), details: [] } };
  }
  if (res.status === 201 || res.status === 200) {
    return { file, outcome: res.status === 201 ? 'created' : 'existing', status: res.status, dossierId: body.id, invoiceNumber: body.invoiceNumber, summary: `${body.amount} EUR due ${body.dueDate}` };
  }
  return { file, outcome: 'refused', status: res.status, error: { code: body?.error?.code ?? 'error', message: body?.error?.message ?? `HTTP ${res.status}`, details: body?.error?.details ?? [] } };
}

async function dryRun(file: string, bytes: Uint8Array, type: string, opts: ImportOptions): Promise<FileResult> {
  try {
    const read = await readEInvoice(bytes, type);
    const { invoice, debtor } = submissionFromEInvoice(read, null, { debtorEmail: opts.debtorEmail, language: opts.language });
    return {
      file,
      outcome: 'dry_run_ok',
      status: null,
      invoiceNumber: invoice.invoiceNumber,
      summary: `${read.format}: ${toDecimalString(invoice.amountCents)} EUR due ${invoice.dueDate}, ${debtor.name}${debtor.siren ? ` (SIREN ${debtor.siren})` : ''}, ${debtor.email}`,
    };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { file, outcome: 'refused', status: e.status, error: { code: e.code, message: e.message, details: e.details } };
  }
}

export function resultLines(r: FileResult): string[] {
  if (r.outcome !== 'refused') {
    const what = r.outcome === 'created' ? '201 created' : r.outcome === 'existing' ? '200 already there' : 'ok (dry run)';
    return [`${r.file}: ${what} ${r.invoiceNumber ?? ''}${r.dossierId ? ` ${r.dossierId}` : ''}${r.summary ? ` (${r.summary})` : ''}`.replace(/\s+$/, '')];
  }
  const e = r.error!;
  return [
    `${r.file}: ${r.status ?? 'not sent'} ${e.code}: ${e.message}`,
    ...e.details.map((d) => `  ${[d.businessTerm, d.path || '(file)'].filter(Boolean).join(' ')}: ${d.message}${d.xpath ? ` [${d.xpath}]` : ''}`),
  ];
}

export function registerImportEInvoice(program: Command): void {
  program
    .command('import-einvoice')
    .description('import e-invoices (Factur-X PDF, UBL 2.1 or UN/CEFACT CII XML) as dossiers, through POST /invoices/import')
    .argument('<files...>', 'the files (.pdf, .xml)')
    .option('--api-key <key>', "the creditor's operator API key (env AMIABLE_API_KEY)")
    .option('--dry-run', 'read and map each file locally and print what would be imported; send nothing (the seller and IBAN checks need the API)')
    .option('--debtor-email <email>', 'e-mail address of the debtor when a file has none (BT-49)')
    .option('--language <fr|en>', "the debtors' language (default fr)")
    .option('--concurrency <n>', 'files sent at once (1-16)', '4')
    .action(
      action(async (ctx, files: string[]) => {
        const o = ctx.opts;
        const concurrency = Number(o.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UsageError('--concurrency must be a whole number from 1 to 16');
        const endpoint = o.endpoint ?? process.env.AMIABLE_API_URL ?? process.env.AMIABLE_ADMIN_URL;
        const apiKey = o.apiKey ?? process.env.AMIABLE_API_KEY;
        if (!o.dryRun && !endpoint) throw new UsageError('no endpoint: pass --endpoint <url> or set AMIABLE_API_URL (locally http://127.0.0.1:3000, on AWS the ApiUrl output)');
        if (!o.dryRun && !apiKey) throw new UsageError("no API key: pass --api-key or set AMIABLE_API_KEY (the creditor's operator key)");
        // A bar only where someone watches (both streams on a terminal), for more than one file.
        const bar = !ctx.json && files.length > 1 && process.stderr.isTTY && process.stdout.isTTY ? new MultiBar({ format: ' {bar} {value}/{total} files | {refused} refused | ETA {eta}s', hideCursor: true, stream: process.stderr }, Presets.shades_classic) : null;
        const progress = bar?.create(files.length, 0, { refused: 0 });
        let refused = 0;
        const results = await importFiles(files, {
          endpoint: endpoint ?? 'http://127.0.0.1',
          apiKey,
          dryRun: Boolean(o.dryRun),
          debtorEmail: o.debtorEmail,
          language: o.language,
          concurrency,
          onResult: (r) => {
            if (r.outcome === 'refused') refused++;
            if (!ctx.json) {
              const text = `${resultLines(r).join('\n')}\n`;
              if (bar) bar.log(text);
              else process.stdout.write(text);
            }
            progress?.increment(1, { refused });
          },
        });
        bar?.stop();
        const count = (k: FileResult['outcome']) => results.filter((r) => r.outcome === k).length;
        if (ctx.json) printJson({ results });
        else {
          const ok = o.dryRun ? `${count('dry_run_ok')} readable` : `${count('created')} created, ${count('existing')} already there`;
          process.stdout.write(`${files.length} file${files.length > 1 ? 's' : ''}: ${ok}, ${refused} refused\n`);
        }
        if (refused > 0) process.exitCode = 1;
      }),
    );
}
