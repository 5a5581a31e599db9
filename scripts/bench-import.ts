/**
 * The CSV import at scale in local mode (npm run bench phase "import", or alone:
 * `npx tsx scripts/bench-import.ts`): BENCH_IMPORT_ROWS invoices (default 10,000) through
 * `npx amiable import` (a child process, as a user runs it), killed (SIGKILL) once half are recorded,
 * then run again to the end; then every dossier is checked (one dossier, one execution, no
 * pendingStart). Prints wall times and rates; asserts nothing but reports loss and duplicates.
 */
import '../local/polyfills';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalSystem } from '../local/system';
import { dossierIdFor } from '../lambdas/domain/identity';
import { getDossier } from '../lambdas/adapters/dossier-store';
import { invoiceExport } from '../test/support/invoice-export';
import { importedRows } from '../cli/import';

const CLI = path.join(__dirname, '..', 'bin', 'amiable-cli.cjs');

function runCli(args: string[], killWhen?: () => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = killWhen ? setInterval(() => killWhen() && child.kill('SIGKILL'), 50) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function benchImport(rows: number, row: (name: string, value: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-bench-import-'));
  const sys = await startLocalSystem({ accountantMail: false, clockStart: '2026-04-06T08:00:00Z', dataDir: path.join(dir, 'data') });
  try {
    const file = path.join(dir, 'export.csv');
    fs.writeFileSync(file, invoiceExport(rows, 11));
    const stateFile = `${file}.import-state.json`;
    const done = () => importedRows(stateFile);
    const args = ['import', file, '--endpoint', sys.apiUrl, '--api-key', sys.apiKey, '--quiet'];
    const t0 = performance.now();
    await runCli(args, () => done() >= rows / 2);
    const t1 = performance.now();
    const halfway = done();
    const second = await runCli(args);
    const t2 = performance.now();
    await sys.clock.settle();
    const t3 = performance.now();
    row(`import ${rows}: first run (killed at ${halfway})`, `${((t1 - t0) / 1000).toFixed(1)} s`);
    row(`import ${rows}: resumed run (exit ${second.code})`, `${((t2 - t1) / 1000).toFixed(1)} s`);
    row(`import ${rows}: last workflow started after`, `${((t3 - t0) / 1000).toFixed(1)} s wall (${(rows / ((t3 - t0) / 1000)).toFixed(0)} invoices/s)`);
    row(`import ${rows}: resumed run says`, second.stdout.split('\n')[1]?.trim() ?? '');
    const runs = new Map<string, number>();
    for (const e of sys.engine.list()) runs.set(e.input?.dossierId, (runs.get(e.input?.dossierId) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    let pending = 0;
    for (let i = 0; i < rows; i++) {
      const id = dossierIdFor(sys.creditorId, `IMP-${String(i).padStart(6, '0')}`);
      const d = await getDossier(id);
      if (!d || !runs.get(id)) lost++;
      if ((runs.get(id) ?? 0) > 1 || (d && d.events.filter((e) => e.type === 'created').length !== 1)) duplicated++;
      if (d?.pendingStart) pending++;
    }
    row(`import ${rows}: lost / duplicated / still pending`, `${lost} / ${duplicated} / ${pending} (executions: ${runs.size})`);
  } finally {
    await sys.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchImport(Number(process.env.BENCH_IMPORT_ROWS ?? 10_000), (name, value) => console.log(`${name.padEnd(48)} ${value}`)).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
