/**
 * npm run rates:add -- <table> <half-year> <rate...> --source "<where the rate comes from>" [--provisional] [--replace]
 *
 *   npm run rates:add -- ecb 2027-H1 2.15 --source "ECB main refinancing rate in force on 1 Jan 2027: 2.15% (since ...)"
 *   npm run rates:add -- legal 2026-H2 6.70 2.65 --source "Legal interest rate 2026 H2, arrêté of ... (C. mon. fin. L313-2)"
 *
 * Adds one half-year to lambdas/domain/rate-tables.json (ecb: the ECB main refinancing rate in force
 * on 1 January / 1 July; legal: the legal interest rate, "creditor is a private individual" then "all
 * other cases"), or confirms a row marked provisional (same half-year, without --provisional).
 * A confirmed row is only replaced with --replace (a published rate does not change: a correction
 * is a deliberate act). Then it re-checks: the tables are validated before anything is written
 * (contiguous half-years, rates to the hundredth, a source of at least 20 characters that names no
 * file or operator step, since sources can be printed in a letter's calculation notes), and the
 * written file is loaded again through lambdas/domain/rates.ts, which prints the rates the letters
 * will use for that half-year. Run the rate tests afterwards: npx vitest run test/domain.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRateTable, nextHalfYear, parseHalfYear, parseRatePercent, type EcbRateRow, type HalfYear, type LegalRateRow } from '../lambdas/domain/rates';

export const TABLE_FILE = join(__dirname, '..', 'lambdas', 'domain', 'rate-tables.json');

export interface Tables {
  ecb: EcbRateRow[];
  legalInterest: LegalRateRow[];
}

export interface AddRequest {
  table: 'ecb' | 'legal';
  halfYear: string;
  rates: string[];
  source: string;
  provisional?: boolean;
  replace?: boolean;
}

/** The tables with the row added or confirmed; throws with every problem found. */
export function addRate(tables: Tables, req: AddRequest): { tables: Tables; action: 'added' | 'confirmed' | 'replaced' } {
  const problems: string[] = [];
  if (!parseHalfYear(req.halfYear)) problems.push(`half-year must be YYYY-H1 or YYYY-H2, got "${req.halfYear}"`);
  const wanted = req.table === 'ecb' ? 1 : 2;
  if (req.rates.length !== wanted) {
    problems.push(req.table === 'ecb' ? 'ecb takes one rate (the ECB main refinancing rate)' : 'legal takes two rates: creditor is a private individual, then all other cases');
  }
  for (const r of req.rates) if (parseRatePercent(r) === null) problems.push(`"${r}" is not a percentage with at most two decimals`);
  if (problems.length) throw new Error(problems.join('; '));
  const hy = req.halfYear as HalfYear;
  const fmt = (r: string) => {
    const h = parseRatePercent(r)!;
    return `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
  };
  const row =
    req.table === 'ecb'
      ? ({ halfYear: hy, ecbPercent: fmt(req.rates[0]!), ...(req.provisional ? { provisional: true } : {}), source: req.source.trim() } as EcbRateRow)
      : ({ halfYear: hy, individualPercent: fmt(req.rates[0]!), otherPercent: fmt(req.rates[1]!), ...(req.provisional ? { provisional: true } : {}), source: req.source.trim() } as LegalRateRow);
  const key = req.table === 'ecb' ? 'ecb' : 'legalInterest';
  const rows = [...tables[key]] as (EcbRateRow | LegalRateRow)[];
  const at = rows.findIndex((r) => r.halfYear === hy);
  let action: 'added' | 'confirmed' | 'replaced';
  if (at >= 0) {
    if (!rows[at]!.provisional && !req.replace) throw new Error(`${hy} is already in the ${req.table} table as a confirmed rate; pass --replace to correct it`);
    action = rows[at]!.provisional ? 'confirmed' : 'replaced';
    rows[at] = row;
  } else {
    const last = rows[rows.length - 1]!.halfYear;
    if (nextHalfYear(last) !== hy) throw new Error(`the ${req.table} table ends at ${last}: the next row must be ${nextHalfYear(last)}, not ${hy}`);
    rows.push(row);
    action = 'added';
  }
  const next: Tables = { ...tables, [key]: rows } as Tables;
  const check = [
    ...checkRateTable(next.ecb, (r: EcbRateRow) => [r.ecbPercent]).map((p) => `ecb ${p}`),
    ...checkRateTable(next.legalInterest, (r: LegalRateRow) => [r.individualPercent, r.otherPercent]).map((p) => `legal ${p}`),
  ];
  if (check.length) throw new Error(`the table would be invalid: ${check.join('; ')}`);
  return { tables: next, action };
}

/** One row per line, so that a new half-year is a one-line diff. */
export function formatTables(t: Tables): string {
  const rows = (list: object[]) => list.map((r) => `    ${JSON.stringify(r).replace(/,"/g, ', "').replace(/":/g, '": ').replace(/^\{/, '{ ').replace(/\}$/, ' }')}`).join(',\n');
  return `{\n  "ecb": [\n${rows(t.ecb)}\n  ],\n  "legalInterest": [\n${rows(t.legalInterest)}\n  ]\n}\n`;
}

function parseArgs(argv: string[]): AddRequest {
  const positional: string[] = [];
  let source = '';
  let provisional = false;
  let replace = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--source') source = argv[++i] ?? '';
    else if (a.startsWith('--source=')) source = a.slice('--source='.length);
    else if (a === '--provisional') provisional = true;
    else if (a === '--replace') replace = true;
    else positional.push(a);
  }
  const [table, halfYear, ...rates] = positional;
  if (table !== 'ecb' && table !== 'legal') throw new Error('usage: npm run rates:add -- <ecb|legal> <YYYY-H1|YYYY-H2> <rate...> --source "..." [--provisional] [--replace]');
  if (!source.trim()) throw new Error('--source "<where the rate comes from>" is required');
  return { table, halfYear: halfYear ?? '', rates, source, provisional, replace };
}

function main(): void {
  const req = parseArgs(process.argv.slice(2));
  const current = JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as Tables;
  const { tables, action } = addRate(current, req);
  writeFileSync(TABLE_FILE, formatTables(tables));
  console.log(`${action} ${req.table} ${req.halfYear} in ${TABLE_FILE}`);
  // Re-check: load the written file through the module the letters use (its load-time check runs).
  const probe = `const r = require('./lambdas/domain/rates'); const hy = ${JSON.stringify(req.halfYear)};
    for (const q of [r.b2bDefaultRate(hy), r.legalRate(hy, 'individual'), r.legalRate(hy, 'business')])
      console.log('  ' + q.ratePercent + '%' + (q.provisional ? ' (provisional)' : '') + ' - ' + q.source);`;
  execFileSync(process.execPath, ['--import', 'tsx', '-e', probe], { cwd: join(__dirname, '..'), stdio: 'inherit' });
  console.log('Now run the rate tests: npx vitest run test/domain (test/domain/rates.test.ts lists the reference figures).');
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
