/**
 * `npm run bench`: prints numbers, asserts nothing. Measures the pure schedule computation, the
 * in-process synth, and local mode end to end (intake over HTTP, a full escalation of N dossiers
 * under the simulated clock, with notices rendered, evidence stored and e-mails "sent"), and N
 * payment plans of 6 instalments followed to the end (reminders, checkpoints, payments), and the
 * accountants' digest of a creditor with BENCH_DIGEST_DOSSIERS open dossiers (default 100,000; 0
 * skips it; scripts/bench-digest.ts), each Lambda bundle against its SDK floor (size and init;
 * scripts/bench-bundles.ts), the CSV import of BENCH_IMPORT_ROWS invoices (default 10,000; 0 skips
 * it), killed halfway and resumed (scripts/bench-import.ts), and BENCH_EINVOICES e-invoice files
 * (default 1,000; 0 skips) imported through the CLI's importer (scripts/bench-einvoice.ts).
 * The escalation phase starts with each stage's notice rendered warm and one hand-off's evidence
 * bundle ZIP (scripts/bench-letters.ts; BENCH_LETTERS renders per stage, default 30, 0 skips).
 * BENCH_DOSSIERS sets N (default 50). Local mode runs on a temporary data dir (BENCH_IN_MEMORY=1:
 * in memory); BENCH_ACCOUNTANT_MAIL=0 leaves the accountants' digest and alerts out. The escalation
 * phase also prints the cost per dossier by path (scripts/bench-cost.ts, prices in
 * scripts/aws-prices.json) from what local mode metered (scripts/bench-meter.ts).
 *
 * Phases: bundles, escalation, digest, import, einvoice; all by default. `npm run bench --
 * --only=bundles` (or BENCH_PHASES=bundles,digest) runs some alone; BENCH_ONLY=digest still means
 * --only=digest. Every figure is also written as JSON under bench-results/ (git-ignored).
 */
import '../local/polyfills';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { computeSchedule } from '../lambdas/domain/schedule';
import { DEFAULT_POLICY } from '../lambdas/domain/policy';
import { synthesize } from '../local/template';
import { startLocalSystem } from '../local/system';
import { invoice } from '../test/support/sample-invoice';
import { verifyZip } from '../cli/verify';
import { benchDigest } from './bench-digest';
import { benchEInvoices } from './bench-einvoice';
import { installMeter, meterIndexWrites, meterStreamConsumers, SAMPLE_EVERY, sampleEveryNth, samplesAbandoned, since, snapshot } from './bench-meter';
import { streamConsumers } from '../local/dynamodb-stream';
import { apiHandlers, apiInvocations, archiveRule, costTable, durationTable, functionConfigs, keptTable, pathCost, tracingOn, type PathCost } from './bench-cost';
import { indexesOfTable } from './gsi-writes';
import prices from './aws-prices.json';
import { EXPORT_EXPIRY_DAYS } from '../lib/bundle-exports';
import { benchBundles } from './bench-bundles';
import { benchLetters } from './bench-letters';
import { boundHeapGrowth } from '../local/heap-growth';

// As npm start runs local mode (local/main.ts).
boundHeapGrowth();

const N = Number(process.env.BENCH_DOSSIERS ?? 50);
/**
 * The full escalation's cost table is metered on BENCH_COST_DOSSIERS dossiers (default 100, at
 * most N), duration samples included; then N dossiers run with no duration sampled for the wall
 * time (BENCH_THROUGHPUT=0 skips that run). Later phases sample a bounded number per function
 * (a stride of BENCH_LAMBDA_SAMPLE x N / BENCH_COST_DOSSIERS).
 */
const COST_N = Math.min(N, Math.max(1, Number(process.env.BENCH_COST_DOSSIERS ?? 100)));
const THROUGHPUT = process.env.BENCH_THROUGHPUT !== '0';
const DIGEST_DOSSIERS = Number(process.env.BENCH_DIGEST_DOSSIERS ?? 100_000);
const EINVOICES = Number(process.env.BENCH_EINVOICES ?? 1000);
import { benchImport } from './bench-import';
/** CSV import through POST /invoices/batch, interrupted and resumed (scripts/bench-import.ts); 0 skips it. */
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);

function row(name: string, value: string) {
  console.log(`${name.padEnd(48)} ${value}`);
}

const PHASES = ['bundles', 'escalation', 'digest', 'import', 'einvoice'] as const;
/** Scheduled functions whose cost is per creditor or deployment, not per dossier: left out of the per-dossier figures. */
const PER_DEPLOYMENT = ['digest', 'stall-sweep'];

function selectedPhases(): Set<string> {
  const arg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const chosen = (arg ?? process.env.BENCH_PHASES ?? process.env.BENCH_ONLY ?? PHASES.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = chosen.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown bench phase ${unknown.join(', ')} (phases: ${PHASES.join(', ')})`);
  return new Set(chosen);
}

async function main() {
  const phases = selectedPhases();
  const results: Record<string, unknown> = {};
  // 0. Each Lambda bundle against its SDK floor.
  if (phases.has('bundles')) await benchBundles(row);
  if (phases.has('escalation')) await escalationBench(results);
  // 6. The accountants' digest at scale.
  if (phases.has('digest') && DIGEST_DOSSIERS > 0) await benchDigest(DIGEST_DOSSIERS, row);
  // 7. The CSV import of an accounting export (10,000 invoices by default), interrupted and resumed.
  if (phases.has('import') && IMPORT_ROWS > 0) await benchImport(IMPORT_ROWS, row);
  // 8. E-invoice import (scripts/bench-einvoice.ts).
  if (phases.has('einvoice') && EINVOICES > 0) await benchEInvoices(EINVOICES, row);
  writeResults(results, true);
}

/** Runs `task` over `items`, `limit` at a time (an integrator's bounded concurrency). */
async function pool<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * CPU seconds of each thread of this process (handler workers, V8's background GC and compiler
 * threads, libuv helpers), by thread id, from /proc (Linux; null elsewhere). With handlers in worker
 * threads, the wall time on an otherwise idle machine is at least the busiest thread's CPU: the main
 * thread runs the emulators and the engine.
 */
function threadCpuSeconds(): Map<string, number> | null {
  try {
    const tick = 100; // USER_HZ on Linux
    const byThread = new Map<string, number>();
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byThread.set(tid, (Number(fields[11]) + Number(fields[12])) / tick);
    }
    return byThread;
  } catch {
    return null;
  }
}

/**
 * CPU spent by thread between two readings: the main thread, the busiest other thread (the handler
 * worker: every thread is named "node", so it is told by its CPU) and all the others together (V8's
 * background threads: concurrent marking, scavenging and compilation). Threads that ended meanwhile
 * (a replaced worker) are missing from the second reading: the split is approximate then.
 */
function threadSplit(before: Map<string, number>, after: Map<string, number>): { main: number; worker: number; background: number } {
  const spent = [...after].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)] as const);
  const main = spent.find(([tid]) => Number(tid) === process.pid)?.[1] ?? 0;
  const others = spent.filter(([tid]) => Number(tid) !== process.pid).map(([, s]) => s).sort((a, b) => b - a);
  return { main, worker: others[0] ?? 0, background: others.slice(1).reduce((a, b) => a + b, 0) };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}


async function escalationBench(results: Record<string, unknown>) {
  // 1. Schedule computation (pure domain).
  const iterations = 2000;
  let t = performance.now();
  for (let i = 0; i < iterations; i++) {
    const due = new Date(Date.UTC(2026, 0, 1) + (i % 700) * 86_400_000).toISOString().slice(0, 10);
    computeSchedule({ dueDate: due, policy: DEFAULT_POLICY, region: 'FR', now: '2026-01-01T08:00:00.000Z' });
  }
  const scheduleMs = (performance.now() - t) / iterations;
  row('computeSchedule', `${scheduleMs.toFixed(3)} ms/call`);
  // Each stage's notice, rendered warm, and one hand-off's evidence bundle ZIP (scripts/bench-letters.ts).
  await benchLetters(row);

  // 2. Synth (bundling skipped, as local mode does; in a child process: local/template.ts).
  t = performance.now();
  synthesize();
  row('synth (child process, no bundling)', `${(performance.now() - t).toFixed(0)} ms`);

  // 3. Local mode end to end, on a data dir (as `npm start` runs) unless BENCH_IN_MEMORY=1, with
  // every Lambda invocation and SDK call metered for the cost table (scripts/bench-meter.ts).
  installMeter();
  const dataDir = process.env.BENCH_IN_MEMORY === '1' ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-bench-'));
  t = performance.now();
  const sys = await startLocalSystem({ clockStart: '2026-04-04T10:00:00Z', dataDir, accountantMail: process.env.BENCH_ACCOUNTANT_MAIL !== '0' });
  row(`local mode start (synth + emulators${dataDir ? ', data dir' : ', in memory'})`, `${(performance.now() - t).toFixed(0)} ms`);
  const configs = functionConfigs(sys.synthesized.template);
  // Index writes, from the table's index definitions in the template (dynalite reports none).
  meterIndexWrites(sys.synthesized.tableName, indexesOfTable(sys.synthesized.table));
  // The stream consumers are never held back by a duration sample (it would batch their records).
  meterStreamConsumers(streamConsumers(sys.synthesized.template, sys.synthesized.functions).map((c) => c.handler));
  const wholeBefore = snapshot();
  // The handlers behind API Gateway (its integrations), from the template: a cross-check of the requests counted below.
  const api = apiHandlers(sys.synthesized.template);
  const archive = archiveRule(sys.synthesized.template);
  // X-Ray as the template configures it (-c amiable:tracing); BENCH_TRACING=true|false prices the other setting.
  const tracing = process.env.BENCH_TRACING ? process.env.BENCH_TRACING === 'true' : tracingOn(sys.synthesized.template);
  const costs: PathCost[] = [];
  // Transitions of the executions started since `before` (names of earlier executions).
  const executionsSince = (before: Set<string>) => sys.engine.list().filter((r) => !before.has(r.arn));
  const transitionsOf = (runs: { trail: string[] }[]) => runs.reduce((n, r) => n + r.trail.length, 0);
  const arns = () => new Set(sys.engine.list().map((r) => r.arn));
  try {
    const headers = { 'content-type': 'application/json', 'x-api-key': sys.apiKey };
    // HTTP requests a real back office makes (intake, payments, plans: API Gateway bills each);
    // the local-only routes (/_local/...) are not counted.
    let backOffice = 0;
    const call = async (method: string, path: string, body?: unknown) => {
      if (!path.startsWith('/_local/')) backOffice++;
      const r = await fetch(`${sys.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${await r.text()}`);
      return (await r.json()) as any;
    };
    // The clock is moved in-process (what POST /_local/clock does): one HTTP call moving weeks of
    // a large run can outlast the HTTP client's 300 s header timeout on a loaded machine.
    const advance = (body: unknown) => sys.clock.advanceTo(sys.clock.targetOf(body));
    /** API requests billed to a phase, checked against the API handlers' invocations the meter saw. */
    const apiRequestsSince = (before: number, meter: ReturnType<typeof since>, phase: string) => {
      const requests = backOffice - before;
      const invoked = apiInvocations(meter, api, ['digest']);
      if (invoked !== requests) row(`  WARNING ${phase}: API requests made / API handler invocations`, `${requests} / ${invoked}`);
      return requests;
    };
    // Counted without reading the outbox: GET /store of 4,000 letters (their PDFs in base64) parsed
    // whole in this process took its peak from ~1 GB to 2.1 GB at N=1000.
    const mailCount = async () => sys.outboxSize();

    // 3a. Full escalation. Two runs: the cost table's, of COST_N dossiers with every
    // BENCH_LAMBDA_SAMPLE-th invocation's duration sampled alone (scripts/bench-meter.ts), and the
    // throughput run of N dossiers with no duration sampled: each sample holds every other invocation
    // back, so a metered run's wall time measures the sampling as much as the system (at N=100 with
    // the handlers in worker threads, most of it). Counts (requests, units, bytes) are metered in both.
    const escalate = async (count: number, prefix: string) => {
      const meterBefore = snapshot();
      const execBefore = arns();
      const requestsBefore = backOffice;
      const mailsBefore = await mailCount();
      let t0 = performance.now();
      await pool([...Array(count).keys()], 8, async (i) => {
        await call('POST', '/invoices', invoice({ invoiceNumber: `${prefix}-${i}` }));
      });
      const intakeMs = performance.now() - t0;
      t0 = performance.now();
      const loadBefore = os.loadavg()[0];
      // CPU seconds of this process (user + system, every thread): comparable across runs where wall time depends on the machine's load.
      const cpuBefore = process.cpuUsage();
      const threadsBefore = threadCpuSeconds();
      await advance({ advance: 'P60D' });
      const escalationMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpuBefore);
      const threadsAfter = threadCpuSeconds();
      const threads = threadsBefore && threadsAfter ? threadSplit(threadsBefore, threadsAfter) : null;
      // The 1-minute load average as the phase ends (the machine is shared: wall times depend on it).
      const load = { before: loadBefore, after: os.loadavg()[0], cores: os.cpus().length };
      const runs = executionsSince(execBefore);
      const meter = since(meterBefore);
      return {
        count,
        intakeMs,
        escalationMs,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        threads,
        load,
        peakRss: peakRssMb(),
        emails: (await mailCount()) - mailsBefore,
        runs,
        // The hand-off step ends the execution; its outcome is the execution's output (lib/dunning-workflow.ts).
        handedOff: runs.filter((r) => (r.output as any)?.next?.outcome === 'handed_off').length,
        meter,
        apiRequests: apiRequestsSince(requestsBefore, meter, `full escalation (${prefix})`),
      };
    };
    const report = (e: Awaited<ReturnType<typeof escalate>>, what: string) => {
      row(`intake, ${e.count} invoices over HTTP (8 at a time)`, `${(e.intakeMs / e.count).toFixed(1)} ms/invoice (${(e.count / (e.intakeMs / 1000)).toFixed(0)}/s)`);
      row(`full escalation of ${e.count} dossiers (60 simulated days)${what}`, `${(e.escalationMs / 1000).toFixed(2)} s wall (${(e.count / (e.escalationMs / 1000)).toFixed(1)} dossiers/s), peak RSS ${e.peakRss} MB`);
      row('  CPU time (user + system, all threads)', `${e.cpuSeconds.toFixed(1)} s (${((e.cpuSeconds * 1000) / e.count).toFixed(0)} ms per dossier)`);
      if (e.threads) row('  CPU by thread: main (emulators, engine) / busiest other (handler worker) / rest (V8 background)', `${e.threads.main.toFixed(1)} s / ${e.threads.worker.toFixed(1)} s / ${e.threads.background.toFixed(1)} s`);
      row('  load average (1 min) before / after', `${e.load.before.toFixed(1)} / ${e.load.after.toFixed(1)} on ${e.load.cores} cores`);
      row('  handed off / e-mails sent', `${e.handedOff}/${e.count} / ${e.emails}`);
    };
    row('  handler worker threads (AMIABLE_LOCAL_WORKERS)', sys.workers === 0 ? '0: handlers in the main thread' : `${sys.workers}`);
    const costRun = await escalate(COST_N, 'BENCH-COST');
    report(costRun, `, durations sampled (cost table)`);
    let runs = costRun.runs;
    const escalationTransitions = transitionsOf(runs);
    row('  state transitions (entered states)', `${escalationTransitions} (${(escalationTransitions / COST_N).toFixed(1)} per dossier)`);
    row('  one execution, state by state', runs[0]?.trail.join(' > ') ?? '-');
    costs.push(pathCost({ path: 'full escalation', dossiers: COST_N, transitions: escalationTransitions, executions: runs.length, meter: costRun.meter, whole: since(wholeBefore), configs, apiRequests: costRun.apiRequests, api, archive, tracing, exclude: PER_DEPLOYMENT, budget: { transitions: 14, usd: 0.001 } }));
    results.escalationCost = { dossiers: COST_N, wallSeconds: costRun.escalationMs / 1000, cpuSeconds: costRun.cpuSeconds, emails: costRun.emails, handedOff: costRun.handedOff, transitionsPerDossier: escalationTransitions / COST_N, meter: costRun.meter };
    writeResults(results);
    if (THROUGHPUT) {
      sampleEveryNth(0);
      const e = await escalate(N, 'BENCH');
      sampleEveryNth(SAMPLE_EVERY);
      report(e, ', no duration sampled (throughput)');
      row('  per notice (render + PDF + MIME + S3 + SES + writes)', `${(e.escalationMs / Math.max(1, e.emails)).toFixed(1)} ms`);
      results.escalation = { dossiers: N, workers: sys.workers, threadCpuSeconds: e.threads, intakeMsPerInvoice: e.intakeMs / N, wallSeconds: e.escalationMs / 1000, cpuSeconds: e.cpuSeconds, dossiersPerSecond: N / (e.escalationMs / 1000), load: e.load, peakRssMb: e.peakRss, emails: e.emails, handedOff: e.handedOff, transitionsPerDossier: transitionsOf(e.runs) / N, meter: e.meter };
      writeResults(results);
    }
    let meterBefore: ReturnType<typeof snapshot>;
    let execBefore: Set<string>;
    let requestsBefore: number;
    let meter: ReturnType<typeof since>;
    let apiRequests: number;

    // 3b. Paid after the first reminder: one notice, then a settling payment (receipt, execution stopped).
    const P = Math.min(N, 100);
    let today = ((await call('GET', '/_local/clock')).now as string).slice(0, 10);
    meterBefore = snapshot();
    execBefore = arns();
    requestsBefore = backOffice;
    const paidIds: string[] = [];
    await pool([...Array(P).keys()], 8, async (i) => {
      paidIds[i] = (await call('POST', '/invoices', invoice({ invoiceNumber: `BENCH-PAID-${i}`, issueDate: today, dueDate: today }))).id;
    });
    await advance({ advance: 'P8D' });
    const paidOn = ((await call('GET', '/_local/clock')).now as string).slice(0, 10);
    await pool(paidIds, 8, async (id) => {
      await call('POST', `/invoices/${id}/payments`, { amount: '1250.00', paidOn, reference: 'VIR-BENCH' });
    });
    await advance({ advance: 'P30D' });
    meter = since(meterBefore);
    apiRequests = apiRequestsSince(requestsBefore, meter, 'paid after the first reminder');
    runs = executionsSince(execBefore);
    const paidViews = await Promise.all(paidIds.slice(0, 20).map((id) => call('GET', `/invoices/${id}`)));
    const firstOnly = paidViews.every((v) => v.status === 'paid' && v.events.filter((e: any) => e.type === 'notice_sent').length === 1);
    const send = meter['send-notice'];
    const perSend = send ? { reads: send.ddbReads / send.invocations, writes: send.ddbWrites / send.invocations, readUnits: send.readUnits / send.invocations, writeUnits: send.writeUnits / send.invocations } : null;
    row(`paid after the first reminder, ${P} dossiers`, `${firstOnly ? 'one notice each, then paid' : 'UNEXPECTED: not one notice then paid'}; ${(transitionsOf(runs) / P).toFixed(1)} transitions per dossier`);
    if (perSend) row('  per send (first reminder): DynamoDB requests', `${perSend.reads.toFixed(2)} reads, ${perSend.writes.toFixed(2)} writes (${perSend.readUnits.toFixed(1)} RRU, ${perSend.writeUnits.toFixed(1)} WRU)`);
    costs.push(pathCost({ path: 'paid after 1st reminder', dossiers: P, transitions: transitionsOf(runs), executions: runs.length, meter, whole: since(wholeBefore), configs, apiRequests, api, archive, tracing, exclude: PER_DEPLOYMENT, budget: { transitions: null, usd: null } }));
    results.paidAfterFirstReminder = { dossiers: P, transitionsPerDossier: transitionsOf(runs) / P, perSend, meter };
    writeResults(results);

    // 4. Payment plans: N dossiers on 6 monthly instalments, each paid on its due date; about as many
    // duration samples as for COST_N dossiers (a longer stride), not N / BENCH_LAMBDA_SAMPLE.
    sampleEveryNth(SAMPLE_EVERY * Math.ceil(N / COST_N));
    today = ((await call('GET', '/_local/clock')).now as string).slice(0, 10);
    const dueDates = Array.from({ length: 6 }, (_, k) => new Date(Date.parse(today) + (k + 1) * 30 * 86_400_000).toISOString().slice(0, 10));
    meterBefore = snapshot();
    execBefore = arns();
    requestsBefore = backOffice;
    const ids: string[] = [];
    await pool([...Array(N).keys()], 8, async (i) => {
      ids[i] = (await call('POST', '/invoices', invoice({ invoiceNumber: `BENCH-PLAN-${i}`, amount: '600.00', issueDate: today, dueDate: today }))).id;
    });
    const mailsBefore = await mailCount();
    t = performance.now();
    await pool(ids, 8, async (id) => {
      await call('POST', `/invoices/${id}/payment-plan`, { instalments: dueDates.map((dueDate) => ({ dueDate, amount: '100.00' })) });
    });
    row(`payment plans agreed, ${N} over HTTP (8 at a time)`, `${((performance.now() - t) / N).toFixed(1)} ms/plan (incl. confirmation e-mail)`);
    let advanceMs = 0;
    let payMs = 0;
    for (const [k, dueDate] of dueDates.entries()) {
      let t0 = performance.now();
      await advance({ to: `${dueDate}T10:00:00Z` });
      advanceMs += performance.now() - t0;
      t0 = performance.now();
      await pool(ids, 8, async (id) => {
        await call('POST', `/invoices/${id}/payments`, { amount: '100.00', paidOn: dueDate, reference: `ECH-${k}` });
      });
      payMs += performance.now() - t0;
    }
    let t0 = performance.now();
    await advance({ advance: 'P10D' });
    advanceMs += performance.now() - t0;
    meter = since(meterBefore);
    apiRequests = apiRequestsSince(requestsBefore, meter, '6-instalment plan');
    runs = executionsSince(execBefore);
    const planViews: any[] = [];
    await pool(ids, 8, async (id, i) => {
      planViews[i] = await call('GET', `/invoices/${id}`);
    });
    const paidPlans = planViews.filter((v) => v.status === 'paid' && v.paymentPlan.status === 'completed').length;
    const reminders = planViews.reduce((n, v) => n + v.events.filter((e: any) => e.kind === 'instalment_reminder').length, 0);
    const planMails = (await mailCount()) - mailsBefore;
    row(`  6 instalments x ${N}: clock advances (checkpoints)`, `${(advanceMs / 1000).toFixed(2)} s wall, ${reminders} reminders sent, peak RSS ${peakRssMb()} MB`);
    row('  payments recorded over HTTP (8 at a time)', `${(payMs / (6 * N)).toFixed(1)} ms/payment`);
    row('  plans completed and paid', `${paidPlans}/${N}; e-mails ${planMails} (confirmation + reminders + receipt)`);
    const planRuns = runs.filter((r) => r.name.endsWith('-2'));
    row('  state transitions per plan execution', `${(transitionsOf(planRuns) / Math.max(1, planRuns.length)).toFixed(1)} (whole dossier: ${(transitionsOf(runs) / N).toFixed(1)})`);
    costs.push(pathCost({ path: '6-instalment plan', dossiers: N, transitions: transitionsOf(runs), executions: runs.length, meter, whole: since(wholeBefore), configs, apiRequests, api, archive, tracing, exclude: PER_DEPLOYMENT, budget: { transitions: 30, usd: 0.002 } }));
    results.plan = { dossiers: N, advanceSeconds: advanceMs / 1000, msPerPayment: payMs / (6 * N), paidPlans, reminders, planMails, transitionsPerPlanExecution: transitionsOf(planRuns) / Math.max(1, planRuns.length), transitionsPerDossier: transitionsOf(runs) / N, meter };

    console.log('');
    console.log(costTable(costs));
    console.log(
      [
        `(prices: scripts/aws-prices.json; the accountants' daily digest and the stall sweep (every 6 hours) are per creditor, not per dossier, and left out; X-Ray ${tracing ? 'on' : 'off'} as amiable:tracing${process.env.BENCH_TRACING ? ' (BENCH_TRACING)' : ''}; objects above ${archive.minObjectBytes} bytes archived after ${archive.afterDays} days, or from their PUT when it names GLACIER_IR (its dearer PUT and any Glacier IR read in the S3 requests); bytes kept are the bytes stored (gzipped where the vault keeps them so).`,
        ` Lambda: in-process wall durations are not billed (N dossiers share one process: each would pay for the others' CPU). Every ${process.env.BENCH_LAMBDA_SAMPLE ?? 4}th invocation of each function (BENCH_LAMBDA_SAMPLE) runs with no other in flight but the table's stream consumers, which are never held back (${samplesAbandoned} could not at first); its process CPU, stretched by the CPU share of the configured memory (1 vCPU at ${prices.assumptions.lambdaMemoryMbPerVcpu} MB), plus an assumed round trip per AWS request (ms: ${Object.entries(prices.assumptions.requestLatencyMs).map(([k, v]) => `${k} ${v}`).join(', ')}), rounded up to 1 ms, is the billed duration, at the configured memory; the CPU includes the in-process emulators answering it; init (cold starts) not counted.`,
        ' DynamoDB: write units include the global secondary indexes\' writes, from the template\'s index definitions and each item before and after the write (scripts/gsi-writes.ts; dynalite reports the table\'s only).)',
      ].join('\n'),
    );
    console.log('');
    console.log(durationTable(since(wholeBefore), configs, PER_DEPLOYMENT));
    console.log('');
    for (const c of costs) console.log(keptTable(c));
    console.log('');
    results.costPerDossier = costs;
    results.peakRssMb = peakRssMb();
    writeResults(results);

    // 5. Evidence bundle of a dossier with 50 records: the invoice, 48 part payments, a bundle's own record excluded.
    const big = await call('POST', '/invoices', invoice({ invoiceNumber: 'BENCH-EVIDENCE', amount: '5000.00', issueDate: today, dueDate: today }));
    for (let k = 0; k < 49; k++) await call('POST', `/invoices/${big.id}/payments`, { amount: '10.00', paidOn: today, reference: `EV-${k}` });
    const log = await call('GET', `/invoices/${big.id}/evidence`);
    const bundles: { ms: number; size: number }[] = [];
    for (let k = 0; k < 5; k++) {
      t0 = performance.now();
      const b = await call('POST', `/invoices/${big.id}/evidence-bundle`);
      bundles.push({ ms: performance.now() - t0, size: b.size });
    }
    const median = [...bundles].sort((a, b) => a.ms - b.ms)[2];
    row(`evidence bundle, ${log.records.length}-record dossier (median of 5)`, `${median.ms.toFixed(0)} ms, ${(median.size / 1024).toFixed(1)} KiB`);
    const zip = new Uint8Array(await (await fetch((await call('POST', `/invoices/${big.id}/evidence-bundle`)).url)).arrayBuffer());
    t0 = performance.now();
    const verified = verifyZip(zip);
    row('  offline verify of that bundle', `${(performance.now() - t0).toFixed(1)} ms: ${verified.lines[0]}`);
    // Cost on AWS (../shared/reference/aws-facts.md list prices, eu-west-3 order of magnitude): one 512 MB arm64
    // Lambda run of about the local time, 1 GET per object + 1 PUT (ZIP) + 1 PUT (fact) + DynamoDB reads/writes.
    const objects = log.records.length;
    const cost = (median.ms / 1000) * 0.5 * 0.0000133334 + 0.2 / 1e6 + (objects * 0.0004) / 1000 + (2 * 0.005) / 1000 + (3 * 0.625 + (objects / 4) * 0.125) / 1e6;
    // The ZIP stays in the exports bucket (S3 Standard) until its expiry, at most one day past EXPORT_EXPIRY_DAYS;
    // what is kept 10 years is its issuance record (a fact, counted in the per-dossier tables).
    const exportUsd = (median.size / 2 ** 30) * prices.s3StandardPerGbMonth.usd * ((EXPORT_EXPIRY_DAYS + 1) / 30.4);
    row('  cost per bundle on AWS (compute + requests)', `$${cost.toFixed(6)} (+ $${exportUsd.toFixed(8)} to keep it ${EXPORT_EXPIRY_DAYS}-${EXPORT_EXPIRY_DAYS + 1} days in the exports bucket)`);
  } finally {
    await sys.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Results as JSON under bench-results/ (git-ignored), one file per run, rewritten after each phase. */
const RESULTS_FILE = path.resolve(__dirname, '..', 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);

function writeResults(results: Record<string, unknown>, final = false): void {
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify({ at: new Date().toISOString(), dossiers: N, complete: final, ...results }, null, 2));
  if (final) row('results written to', path.relative(process.cwd(), RESULTS_FILE));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
