/**
 * The digest Lambda's work for `npm run bench` (scripts/bench-digest.ts), in a process of its own
 * so its peak memory is measured alone. BENCH_MODE=report builds the report (reads + figures +
 * the CSV rows); BENCH_MODE=digest does what the digest function does for one creditor (report,
 * render, chart, CSV, MIME, vault, SES). The environment points at the parent's emulators.
 * Prints one JSON line.
 */
import '../local/polyfills';
import { performance } from 'node:perf_hooks';
import { installClock } from '../lambdas/adapters/clock';
import { openDossiersCsv } from '../lambdas/digest/open-dossiers-csv';
import { creditorReport } from '../lambdas/services/reports';
import { sendDigest } from '../lambdas/services/digest';

async function main() {
  const creditorId = process.env.BENCH_CREDITOR!;
  const now = new Date(process.env.BENCH_NOW!);
  const since = process.env.BENCH_SINCE!;
  installClock({ now: () => now });
  // What the process holds before any work (Node, tsx's transpiled modules, the SDK clients).
  const baselineRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 10);
  const t = performance.now();
  let extra: Record<string, unknown> = {};
  if (process.env.BENCH_MODE === 'report') {
    const { report, openRows } = await creditorReport(creditorId, { since, completeRows: true }, now);
    const csv = openDossiersCsv(openRows, report.asOf, 'fr');
    extra = { open: report.portfolio.open, activeInPeriod: report.happened.newDossiers.count, csvBytes: csv.length };
  } else {
    const out = await sendDigest(creditorId, now);
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const clients = await import('../lambdas/adapters/clients/s3');
    const eml = await clients.s3().send(new GetObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: out.evidenceKey! }));
    extra = { status: out.status, emlBytes: (await eml.Body!.transformToByteArray()).length };
  }
  const ms = performance.now() - t;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  console.log(JSON.stringify({ ms, baselineRssMb, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), heapPeakMb: Math.round(heapPeak / 2 ** 20), ...extra }));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
