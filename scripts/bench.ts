/**
 * `npm run bench`: prints numbers, asserts nothing. Measures the pure schedule computation, the
 * in-process synth, and local mode end to end (intake over HTTP, a full escalation of N dossiers
 * under the simulated clock, with notices rendered, evidence stored and e-mails "sent").
 */
import '../local/polyfills';
import { performance } from 'node:perf_hooks';
import { computeSchedule } from '../lambdas/domain/schedule';
import { DEFAULT_POLICY } from '../lambdas/domain/policy';
import { synthesize } from '../local/template';
import { startLocalSystem } from '../local/system';
import { invoice } from '../test/support/local-client';

const N = Number(process.env.BENCH_DOSSIERS ?? 50);

function row(name: string, value: string) {
  console.log(`${name.padEnd(48)} ${value}`);
}

async function main() {
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
