/**
 * `npm run bench`: prints numbers, asserts nothing. Measures the pure schedule computation, the
 * in-process synth, and local mode end to end (intake over HTTP, a full escalation of N dossiers
 * under the simulated clock, with notices rendered, evidence stored and e-mails "sent"), and N
 * payment plans of 6 instalments followed to the end (reminders, checkpoints, payments), and the
 * accountants' digest of a creditor with BENCH_DIGEST_DOSSIERS open dossiers (default 100,000; 0
 * skips it; scripts/bench-digest.ts), and each Lambda bundle against its SDK floor (size and init;
 * scripts/bench-bundles.ts). BENCH_DOSSIERS sets N (default 50).
 *
 * Phases: bundles, escalation, digest; all by default. `npm run bench -- --only=bundles` (or
 * BENCH_PHASES=bundles,digest) runs some alone; BENCH_ONLY=digest still means --only=digest.
 * Results a phase keeps go to bench-results/ (git-ignored).
 */
import '../local/polyfills';
import { performance } from 'node:perf_hooks';
import { computeSchedule } from '../lambdas/domain/schedule';
import { DEFAULT_POLICY } from '../lambdas/domain/policy';
import { synthesize } from '../local/template';
import { startLocalSystem } from '../local/system';
import { invoice } from '../test/support/sample-invoice';
import { verifyZip } from '../cli/verify';
import { benchDigest } from './bench-digest';
import { benchBundles } from './bench-bundles';

const N = Number(process.env.BENCH_DOSSIERS ?? 50);
const DIGEST_DOSSIERS = Number(process.env.BENCH_DIGEST_DOSSIERS ?? 100_000);

function row(name: string, value: string) {
  console.log(`${name.padEnd(48)} ${value}`);
}

const PHASES = ['bundles', 'escalation', 'digest'] as const;

function selectedPhases(): Set<string> {
  const arg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const chosen = (arg ?? process.env.BENCH_PHASES ?? process.env.BENCH_ONLY ?? PHASES.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = chosen.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown bench phase ${unknown.join(', ')} (phases: ${PHASES.join(', ')})`);
  return new Set(chosen);
}

async function main() {
  const phases = selectedPhases();
  // 0. Each Lambda bundle against its SDK floor.
  if (phases.has('bundles')) await benchBundles(row);
  if (phases.has('escalation')) await escalationBench();
  // 6. The accountants' digest at scale.
  if (phases.has('digest') && DIGEST_DOSSIERS > 0) await benchDigest(DIGEST_DOSSIERS, row);
}

async function escalationBench() {
  // 1. Schedule computation (pure domain).
  const iterations = 2000;
  let t = performance.now();
  for (let i = 0; i < iterations; i++) {
    const due = new Date(Date.UTC(2026, 0, 1) + (i % 700) * 86_400_000).toISOString().slice(0, 10);
    computeSchedule({ dueDate: due, policy: DEFAULT_POLICY, region: 'FR', now: '2026-01-01T08:00:00.000Z' });
  }
  row('computeSchedule', `${((performance.now() - t) / iterations).toFixed(3)} ms/call`);

  // 2. Synth in-process (bundling skipped, as local mode does).
  t = performance.now();
  synthesize();
  row('synth in-process (no bundling)', `${(performance.now() - t).toFixed(0)} ms`);

  // 3. Local mode end to end.
  t = performance.now();
  const sys = await startLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  row('local mode start (synth + emulators)', `${(performance.now() - t).toFixed(0)} ms`);
  try {
    const headers = { 'content-type': 'application/json', 'x-api-key': sys.apiKey };
    t = performance.now();
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${sys.apiUrl}/invoices`, { method: 'POST', headers, body: JSON.stringify(invoice({ invoiceNumber: `BENCH-${i}` })) });
      if (res.status !== 201) throw new Error(`intake ${res.status}`);
    }
    const intakeMs = performance.now() - t;
    row(`intake, ${N} invoices sequential over HTTP`, `${(intakeMs / N).toFixed(1)} ms/invoice (${(N / (intakeMs / 1000)).toFixed(0)}/s)`);

    t = performance.now();
    const res = await fetch(`${sys.apiUrl}/_local/clock`, { method: 'POST', headers, body: JSON.stringify({ advance: 'P60D' }) });
    if (res.status !== 200) throw new Error(`clock ${res.status}`);
    const escalationMs = performance.now() - t;
    const store = (await (await fetch(`${sys.sesUrl}/store`)).json()) as any;
    row(`full escalation of ${N} dossiers (60 simulated days)`, `${(escalationMs / 1000).toFixed(2)} s wall`);
    row('  e-mails sent', String(store.emails.length));
    row('  per notice (render + PDF + MIME + S3 + SES + 2 writes)', `${(escalationMs / store.emails.length).toFixed(1)} ms`);
    const states = sys.engine.list().reduce((n, r) => n + r.trail.length, 0);
    row('  state transitions (entered states)', `${states} (${(states / N).toFixed(0)} per dossier)`);

    // 4. Payment plans: N dossiers on 6 monthly instalments, each paid on its due date.
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${sys.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${await r.text()}`);
      return (await r.json()) as any;
    };
    const today = ((await call('GET', '/_local/clock')).now as string).slice(0, 10);
    const dueDates = Array.from({ length: 6 }, (_, k) => new Date(Date.parse(today) + (k + 1) * 30 * 86_400_000).toISOString().slice(0, 10));
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const v = await call('POST', '/invoices', invoice({ invoiceNumber: `BENCH-PLAN-${i}`, amount: '600.00', issueDate: today, dueDate: today }));
      ids.push(v.id);
    }
    const mailsBefore = ((await (await fetch(`${sys.sesUrl}/store`)).json()) as any).emails.length;
    t = performance.now();
    for (const id of ids) await call('POST', `/invoices/${id}/payment-plan`, { instalments: dueDates.map((dueDate) => ({ dueDate, amount: '100.00' })) });
    row(`payment plans agreed, ${N} over HTTP`, `${((performance.now() - t) / N).toFixed(1)} ms/plan (incl. confirmation e-mail)`);
    let advanceMs = 0;
    let payMs = 0;
    for (const [k, dueDate] of dueDates.entries()) {
      let t0 = performance.now();
      await call('POST', '/_local/clock', { to: `${dueDate}T10:00:00Z` });
      advanceMs += performance.now() - t0;
      t0 = performance.now();
      for (const id of ids) await call('POST', `/invoices/${id}/payments`, { amount: '100.00', paidOn: dueDate, reference: `ECH-${k}` });
      payMs += performance.now() - t0;
    }
    let t0 = performance.now();
    await call('POST', '/_local/clock', { advance: 'P10D' });
    advanceMs += performance.now() - t0;
    const planViews = await Promise.all(ids.map((id) => call('GET', `/invoices/${id}`)));
    const paidPlans = planViews.filter((v) => v.status === 'paid' && v.paymentPlan.status === 'completed').length;
    const reminders = planViews.reduce((n, v) => n + v.events.filter((e: any) => e.kind === 'instalment_reminder').length, 0);
    const planMails = ((await (await fetch(`${sys.sesUrl}/store`)).json()) as any).emails.length - mailsBefore;
    row(`  6 instalments x ${N}: clock advances (checkpoints)`, `${(advanceMs / 1000).toFixed(2)} s wall, ${reminders} reminders sent`);
    row('  payments recorded over HTTP', `${(payMs / (6 * N)).toFixed(1)} ms/payment`);
    row('  plans completed and paid', `${paidPlans}/${N}; e-mails ${planMails} (confirmation + reminders + receipt)`);
    const planRuns = sys.engine.list().filter((r) => r.name.endsWith('-2'));
    const planStates = planRuns.reduce((n, r) => n + r.trail.length, 0);
    row('  state transitions per plan execution', `${(planStates / Math.max(1, planRuns.length)).toFixed(0)}`);

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
    row('  cost per bundle on AWS (compute + requests)', `$${cost.toFixed(6)} (+ $${((median.size / 2 ** 30) * 0.023 * 12 * 10).toFixed(6)} to store it 10 years in S3 Standard)`);
  } finally {
    await sys.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
