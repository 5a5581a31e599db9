/**
 * The e-invoice import at volume (part of `npm run bench`; BENCH_EINVOICES files, default 1,000,
 * 0 skips; BENCH_ONLY=einvoice runs it alone): files generated as the tests generate them (a third
 * each Factur-X PDF, UBL, CII), then
 * - reading + mapping each format in process (no HTTP, no storage): ms per file;
 * - one request at a time, interleaved: JSON (POST /invoices) vs each e-invoice format (median ms);
 * - ingesting them all into a fresh local mode with the CLI's importer (`npx amiable
 *   import-einvoice`, 4 files at a time over HTTP): each one read, checked, stored as evidence,
 *   its dossier written and its workflow started. Wall time and files per second.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { importFiles } from '../cli/einvoices';
import { submissionFromEInvoice } from '../lambdas/einvoice/mapping';
import { readEInvoice } from '../lambdas/einvoice/read';
import { startLocalSystem } from '../local/system';
import { ciiXml, DEMO_SELLER, facturXPdf, sampleEInvoice, ublXml } from '../test/support/einvoice-fixtures';
import { invoice } from '../test/support/sample-invoice';

export async function benchEInvoices(n: number, row: (name: string, value: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-bench-einvoices-'));
  try {
    const files: string[] = [];
    const kinds = ['factur-x', 'ubl', 'cii'] as const;
    for (let i = 0; i < n; i++) {
      const kind = kinds[i % 3];
      const inv = sampleEInvoice({ invoiceNumber: `BENCH-EI-${i}`, amountDue: `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}` });
      const file = path.join(dir, `${String(i).padStart(5, '0')}.${kind === 'factur-x' ? 'pdf' : 'xml'}`);
      fs.writeFileSync(file, kind === 'factur-x' ? await facturXPdf(ciiXml(inv)) : kind === 'ubl' ? ublXml(inv) : ciiXml(inv));
      files.push(file);
    }
    const sizes = kinds.map((k, j) => fs.statSync(files[j]).size);
    row('e-invoice files generated', `${n} (${kinds.map((k, j) => `${k} ${(sizes[j] / 1024).toFixed(1)} KiB`).join(', ')})`);

    const seller = { legalName: DEMO_SELLER.name, siren: DEMO_SELLER.siren, iban: DEMO_SELLER.iban };
    for (const [j, kind] of kinds.entries()) {
      const sample = files.filter((_, i) => i % 3 === j).slice(0, 100).map((f) => fs.readFileSync(f));
      const type = kind === 'factur-x' ? 'application/pdf' : 'application/xml';
      const t = performance.now();
      for (const bytes of sample) submissionFromEInvoice(await readEInvoice(bytes, type), seller, {});
      row(`  read + map ${kind} in process`, `${((performance.now() - t) / sample.length).toFixed(2)} ms/file`);
    }

    const sys = await startLocalSystem({ clockStart: '2026-04-06T08:00:00Z', accountantMail: false });
    try {
      // Per request, sequential and interleaved (so the machine's load weighs on each the same):
      // POST /invoices with JSON, then POST /invoices/import with UBL, CII and Factur-X.
      const times: Record<string, number[]> = { json: [], ubl: [], cii: [], 'factur-x': [] };
      const rounds = Math.min(50, n);
      for (let i = 0; i < rounds; i++) {
        const calls: [string, string, string, Uint8Array | string][] = [
          ['json', '/invoices', 'application/json', JSON.stringify(invoice({ invoiceNumber: `BENCH-SEQ-J-${i}` }))],
          ['ubl', '/invoices/import', 'application/xml', ublXml(sampleEInvoice({ invoiceNumber: `BENCH-SEQ-U-${i}` }))],
          ['cii', '/invoices/import', 'application/xml', ciiXml(sampleEInvoice({ invoiceNumber: `BENCH-SEQ-C-${i}` }))],
          ['factur-x', '/invoices/import', 'application/pdf', await facturXPdf(ciiXml(sampleEInvoice({ invoiceNumber: `BENCH-SEQ-P-${i}` })))],
        ];
        for (const [kind, route, type, body] of calls) {
          const t0 = performance.now();
          const res = await fetch(`${sys.apiUrl}${route}`, { method: 'POST', headers: { 'content-type': type, 'x-api-key': sys.apiKey }, body });
          if (res.status !== 201) throw new Error(`${kind} ${res.status} ${await res.text()}`);
          times[kind].push(performance.now() - t0);
        }
      }
      const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
      row(`intake over HTTP, ${rounds} rounds interleaved (median)`, Object.entries(times).map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(', '));
      const t = performance.now();
      const results = await importFiles(files, { endpoint: sys.apiUrl, apiKey: sys.apiKey, concurrency: 4 });
      const ms = performance.now() - t;
      const created = results.filter((r) => r.outcome === 'created').length;
      if (created !== n) throw new Error(`imported ${created}/${n}: ${JSON.stringify(results.find((r) => r.outcome !== 'created'))}`);
      row(`ingest ${n} e-invoices, local mode (CLI, 4 at a time)`, `${(ms / 1000).toFixed(1)} s wall, ${(n / (ms / 1000)).toFixed(1)} files/s, ${(ms / n).toFixed(1)} ms/file`);
    } finally {
      await sys.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
