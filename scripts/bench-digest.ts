/**
 * The digest of a creditor with many open dossiers (npm run bench, BENCH_DIGEST_DOSSIERS, default
 * 100,000): the dossiers are seeded straight into the local table with BatchWriteItem, as
 * dossier-store writes them (listing attributes included), 1% of them active in the period (read
 * in full), then the digest is built, kept and sent by a child process that plays the Lambda (so
 * its peak memory is the digest's, not the emulators'): build time and peak RSS are printed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '../lambdas/adapters/clients/dynamodb-documents';
import { documentsOver } from '../lambdas/adapters/clients/dynamodb-documents';
import { toItem } from '../lambdas/adapters/dossier-store';
import { putCreditor } from '../lambdas/adapters/creditor-store';
import { newDossier } from '../lambdas/domain/dossier';
import { dossierIdFor, executionNameFor } from '../lambdas/domain/identity';
import { startLocalSystem } from '../local/system';
import { DEMO_PROFILE_PATH, loadCreditorProfile } from '../local/creditor-profile';

const CREDITOR = 'bench-digest';
const NOW = '2026-05-06T05:30:00.000Z';
/** The previous digest (its period ends where this one starts). */
const SINCE = '2026-05-05T05:30:00.000Z';

export async function benchDigest(n: number, row: (name: string, value: string) => void): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-bench-digest-'));
  // Dynalite on disk (a data dir), so the table does not sit in this process's memory; no stream
  // consumers: the seeding is direct and the digest is run by hand below.
  const sys = await startLocalSystem({ dataDir, clockStart: NOW, accountantMail: false });
  try {
    await putCreditor({ ...loadCreditorProfile(DEMO_PROFILE_PATH), id: CREDITOR, legalName: 'Bench Digest SAS' }, new Date('2026-05-05T00:00:00Z'));
    // Items marshalled as the store marshalls them (the same document client options).
    const ddb = new DynamoDBClient({});
    const documents = documentsOver(ddb);
    const table = sys.synthesized.tableName;
    const t = performance.now();
    const recent = Math.floor(n / 100);
    const items = function* () {
      for (let i = 0; i < n; i++) {
        const invoiceNumber = `BD-${String(i).padStart(6, '0')}`;
        const due = new Date(Date.UTC(2026, 0, 1) + (i % 150) * 86_400_000).toISOString().slice(0, 10);
        const created = i < recent ? '2026-05-05T10:00:00.000Z' : '2026-03-01T10:00:00.000Z';
        const d = newDossier({
          id: dossierIdFor(CREDITOR, invoiceNumber),
          creditorId: CREDITOR,
          executionName: executionNameFor(CREDITOR, invoiceNumber),
          now: new Date(created),
          invoice: { invoiceNumber, issueDate: '2025-12-01', dueDate: due, amountCents: 10_000 + ((i * 7919) % 500_000), currency: 'EUR' },
          debtor: {
            kind: 'business',
            name: `Débiteur ${i} SARL`,
            email: `compta${i}@debtor.example`,
            language: 'fr',
            address: { line1: `${i} rue du Commerce`, postalCode: '69002', city: 'Lyon', country: 'FR' },
          },
        });
        yield toItem(d);
      }
    };
    const source = items();
    let written = 0;
    const writer = async () => {
      for (;;) {
        const batch: any[] = [];
        for (let k = 0; k < 25; k++) {
          const next = source.next();
          if (next.done) break;
          batch.push({ PutRequest: { Item: next.value } });
        }
        if (batch.length === 0) return;
        let request: any = { [table]: batch };
        while (request && Object.keys(request).length > 0) {
          const out = await documents.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems;
        }
        written += batch.length;
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    ddb.destroy();
    row(`digest: seeded ${written} open dossiers (BatchWriteItem)`, `${((performance.now() - t) / 1000).toFixed(1)} s`);

    // The digest function's work, in a process of its own (as a Lambda would be).
    const worker = (mode: 'report' | 'digest') =>
      new Promise<any>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bench-digest-worker.ts')], {
          env: { ...process.env, BENCH_MODE: mode, BENCH_CREDITOR: CREDITOR, BENCH_NOW: NOW, BENCH_SINCE: SINCE },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let stdout = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').pop()!)) : reject(new Error(`digest worker (${mode}) exited ${code}: ${stdout}`))));
      });
    const report = await worker('report');
    row(`digest of ${n} open dossiers: the report alone`, `${(report.ms / 1000).toFixed(2)} s, peak RSS ${report.maxRssMb} MB (${report.baselineRssMb} MB before any work), heap peak ${report.heapPeakMb} MB`);
    row('  figures', `${report.open.count} open, ${report.open.balance} EUR; ${report.activeInPeriod} active in the period (read in full)`);
    const digest = await worker('digest');
    row('  whole digest: report, chart, CSV, MIME, vault, SES', `${(digest.ms / 1000).toFixed(2)} s, peak RSS ${digest.maxRssMb} MB (${digest.baselineRssMb} MB before any work), heap peak ${digest.heapPeakMb} MB; the function has 1024 MB, 5 min`);
    row('  message', `${(digest.emlBytes / 2 ** 20).toFixed(1)} MiB (CSV ${(report.csvBytes / 2 ** 20).toFixed(1)} MiB before base64); SES v2 limit 40 MB`);
  } finally {
    await sys.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
