/**
 * Where the DynamoDB units of a bench run go, per dossier: `npx tsx scripts/ddb-trace-summary.ts
 * <file>` over the file `BENCH_DDB_TRACE=<file> npm run bench -- --only=escalation` wrote. Each
 * dossier is put on its path by the functions that touched it (the hand-off: full escalation; a
 * checkpoint review: 6-instalment plan; its bundle read: the bench's evidence-bundle dossier; else
 * paid after the first reminder), and its requests summed by function, command and item type
 * (DOSSIER: the dossier item; E#: its evidence-log records). Requests on no dossier's key
 * (queries, profiles, pause keys, the digest) are listed apart, in total.
 */
import fs from 'node:fs';

interface Line {
  handler: string;
  name: string;
  key: string | null;
  units: number;
}

const file = process.argv[2];
if (!file) throw new Error('usage: tsx scripts/ddb-trace-summary.ts <BENCH_DDB_TRACE file>');
const lines: Line[] = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

const dossierOf = (key: string | null) => /^D#([^|]+)\|(.*)$/.exec(key ?? '');
const touchedBy = new Map<string, Set<string>>();
for (const l of lines) {
  const m = dossierOf(l.key);
  if (m) (touchedBy.get(m[1]!) ?? touchedBy.set(m[1]!, new Set()).get(m[1]!)!).add(l.handler);
}
const pathOf = (id: string) => {
  const by = touchedBy.get(id)!;
  if (by.has('handoff')) return 'full escalation';
  if (by.has('review-commitment')) return '6-instalment plan';
  if (by.has('evidence')) return "the bench's evidence-bundle dossier";
  return 'paid after 1st reminder';
};
const isWrite = (name: string) => /Put|Update|Delete|Write/.test(name);

const rows = new Map<string, { requests: number; units: number }>();
const dossiers = new Map<string, number>();
for (const id of touchedBy.keys()) dossiers.set(pathOf(id), (dossiers.get(pathOf(id)) ?? 0) + 1);
for (const l of lines) {
  const m = dossierOf(l.key);
  const path = m ? pathOf(m[1]!) : 'not on a dossier key';
  const item = m ? (m[2]!.startsWith('E#') ? 'E#' : m[2]!) : (l.key ?? '').slice(0, 40);
  const k = [path, l.handler, l.name, item].join('\t');
  const row = rows.get(k) ?? { requests: 0, units: 0 };
  row.requests++;
  row.units += l.units;
  rows.set(k, row);
}

for (const path of ['full escalation', 'paid after 1st reminder', '6-instalment plan', "the bench's evidence-bundle dossier", 'not on a dossier key']) {
  const n = path === 'not on a dossier key' ? 1 : (dossiers.get(path) ?? 0);
  if (n === 0) continue;
  const mine = [...rows].filter(([k]) => k.startsWith(`${path}\t`)).sort((a, b) => b[1].units - a[1].units);
  const total = (w: boolean) => mine.filter(([k]) => isWrite(k.split('\t')[2]!) === w).reduce((s, [, r]) => s + r.units, 0) / n;
  console.log(`${path}${n > 1 ? ` (${n} dossiers, per dossier)` : ' (in total)'}: ${total(false).toFixed(1)} read units, ${total(true).toFixed(1)} write units`);
  for (const [k, r] of mine.slice(0, 25)) {
    const [, handler, name, item] = k.split('\t');
    console.log(`  ${handler!.padEnd(20)} ${name!.padEnd(26)} ${item!.padEnd(12)} ${(r.requests / n).toFixed(2).padStart(7)} req ${(r.units / n).toFixed(2).padStart(7)} units`);
  }
}
