/**
 * npx tsx scripts/bench-reprice.ts [bench-results/bench-<at>.json]  (default: the latest)
 * Prices a stored `npm run bench` result again — the same metered invocations, requests, messages
 * and objects — with today's scripts/aws-prices.json and the vault lifecycle and tracing switch of
 * the template synthesized now (BENCH_TRACING=true|false overrides the switch,
 * BENCH_ARCHIVE_MIN_BYTES the archive rule's size: 131071 prices S3's 128 KiB default). A price or
 * a lifecycle change is then compared on identical work, without running the escalation again.
 */
import '../local/polyfills';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../local/template';
import { apiHandlers, archiveRule, costTable, functionConfigs, keptTable, pathCost, tracingOn, type PathCost } from './bench-cost';

const dir = path.resolve(__dirname, '..', 'bench-results');
const file =
  process.argv[2] ??
  path.join(
    dir,
    fs
      .readdirSync(dir)
      .filter((f) => /^bench-.*\.json$/.test(f))
      .sort()
      .at(-1) ?? '',
  );
const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
const template = synthesize().template;
const rule = archiveRule(template);
const archive = process.env.BENCH_ARCHIVE_MIN_BYTES ? { ...rule, minObjectBytes: Number(process.env.BENCH_ARCHIVE_MIN_BYTES) } : rule;
const tracing = process.env.BENCH_TRACING ? process.env.BENCH_TRACING === 'true' : tracingOn(template);
const configs = functionConfigs(template);
// API requests: the API-integrated handlers' invocations in the stored meter (the bench's client made only back-office requests while metering).
const api = apiHandlers(template);

const costs: PathCost[] = [];
for (const stale of (stored.costPerDossier ?? []) as PathCost[]) {
  const source = { 'full escalation': stored.escalation, 'paid after 1st reminder': stored.paidAfterFirstReminder, '6-instalment plan': stored.plan }[stale.path];
  if (!source?.meter) continue;
  costs.push(
    pathCost({
      path: stale.path,
      dossiers: stale.dossiers,
      transitions: stale.perDossier.transitions * stale.dossiers,
      executions: stale.perDossier.executions * stale.dossiers,
      meter: source.meter,
      configs,
      api,
      archive,
      tracing,
      exclude: ['digest'],
      budget: stale.budget,
    }),
  );
}
console.log(`repriced ${path.relative(process.cwd(), file)} (measured ${stored.at})`);
console.log(costTable(costs));
console.log(`(X-Ray ${tracing ? 'on' : 'off'}; objects above ${archive.minObjectBytes} bytes archived after ${archive.afterDays} days)`);
for (const c of costs) console.log(keptTable(c));
