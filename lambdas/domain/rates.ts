/**
 * Versioned rate tables, as data (rate-tables.json): one row per half-year, each with its source.
 *
 * - ECB main refinancing rate used for the B2B default late-payment rate (C. com. L441-10 II):
 *   "le taux applicable pendant le premier semestre de l'année concernée est le taux en vigueur au
 *   1er janvier de l'année en question; pour le second semestre, le taux en vigueur au 1er juillet".
 *   Default B2B rate = that ECB rate + 10 percentage points.
 * - Legal interest rate (taux de l'intérêt légal, C. mon. fin. L313-2), fixed per half-year by
 *   arrêté, with two columns: creditor who is a natural person not acting for professional needs
 *   ("individual"), and all other cases ("business").
 *
 * UPDATING: `npm run rates:add -- ecb 2027-H1 2.15 --source "..."` or
 * `npm run rates:add -- legal 2027-H1 6.50 2.40 --source "..."` (scripts/rates-add.ts) appends the
 * half-year (or confirms a provisional row) in rate-tables.json and re-checks the tables; the README
 * section "Rates" describes the procedure. The module checks the tables at load time (ordered,
 * contiguous, parseable, sourced) so a bad edit fails every test immediately.
 *
 * Provisional rates are printed as provisional on every letter, never as firm:
 * - a row marked `provisional: true` (an assumption awaiting confirmation, e.g. the ECB rate of a
 *   half-year that has not started, or a legal rate whose arrêté is not yet known);
 * - a half-year missing from a table: the last known row is used, marked provisional, never a
 *   throw nor a blocked send; the quote carries an `operatorAction` for the logs (what to add),
 *   which no letter prints.
 *
 * Rates are decimal strings ("12.15") handled as integer hundredths of a percent (1215): never
 * binary floats.
 */
import type { IsoDate } from './model';
import { requireIsoDate } from './epoch-days';
import TABLES from './rate-tables.json';

/** "2025-H1" (1 January - 30 June) or "2025-H2" (1 July - 31 December). */
export type HalfYear = `${number}-H1` | `${number}-H2`;
export type CreditorCategory = 'business' | 'individual';

export interface EcbRateRow {
  halfYear: HalfYear;
  /** ECB main refinancing operations rate in force on 1 January (H1) or 1 July (H2). */
  ecbPercent: string;
  source: string;
  /** The row is an assumption awaiting confirmation (its source says why): printed as provisional. */
  provisional?: boolean;
}

export interface LegalRateRow {
  halfYear: HalfYear;
  /** Creditor is a natural person not acting for professional needs (L313-2 CMF). */
  individualPercent: string;
  /** All other cases (a business creditor; also the basis of the 3x floor of L441-10 II). */
  otherPercent: string;
  source: string;
  /** The row is an assumption awaiting confirmation (its source says why): printed as provisional. */
  provisional?: boolean;
}

export const ECB_RATES: readonly EcbRateRow[] = TABLES.ecb as EcbRateRow[];
export const LEGAL_INTEREST_RATES: readonly LegalRateRow[] = TABLES.legalInterest as LegalRateRow[];

/** Points added to the ECB rate for the default B2B rate (C. com. L441-10 II), in hundredths. */
export const B2B_DEFAULT_MARGIN_HUNDREDTHS = 1000;

/** A rate resolved for one half-year. */
export interface RateQuote {
  /** The half-year asked for. */
  halfYear: HalfYear;
  /** The table row actually used (differs from halfYear when provisional). */
  tableHalfYear: HalfYear;
  /** Annual rate in percent, decimal string with two decimals ("12.15"). */
  ratePercent: string;
  /** The same rate in integer hundredths of a percent (1215). */
  hundredths: number;
  /**
   * True when the rate is not firm: the half-year is not in the table (last known rate used) or its
   * row is marked provisional. Letters print such a rate as provisional.
   */
  provisional: boolean;
  /** True when the row used is itself marked provisional (awaiting confirmation) in the table. */
  toConfirm: boolean;
  /** Public wording: where the rate comes from (may be printed in a letter's calculation notes). */
  source: string;
  /** For the logs only, never printed: what an operator should do (add or confirm the row). */
  operatorAction?: string;
}

// ---------------------------------------------------------------------------------------------
// Rate strings <-> integer hundredths of a percent
// ---------------------------------------------------------------------------------------------

const RATE = /^(0|[1-9]\d{0,2})(?:\.(\d{1,2})0*)?$/;

/**
 * "12.15" -> 1215, "8" -> 800, "8.5" -> 850, "8.500" -> 850. Null when malformed, negative, or
 * more precise than a hundredth of a percent ("8.125").
 */
export function parseRatePercent(text: string): number | null {
  if (typeof text !== 'string') return null;
  const m = RATE.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1215 -> "12.15". */
export function formatRatePercent(hundredths: number): string {
  if (!Number.isSafeInteger(hundredths) || hundredths < 0) throw new RangeError(`not a rate in hundredths: ${hundredths}`);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Half-years
// ---------------------------------------------------------------------------------------------

const HALF_YEAR = /^(\d{4})-H([12])$/;

export function parseHalfYear(text: string): { year: number; half: 1 | 2 } | null {
  const m = typeof text === 'string' ? HALF_YEAR.exec(text) : null;
  if (!m) return null;
  return { year: Number(m[1]), half: m[2] === '1' ? 1 : 2 };
}

function makeHalfYear(year: number, half: 1 | 2): HalfYear {
  return `${String(year).padStart(4, '0')}-H${half}` as HalfYear;
}

function requireHalfYear(hy: HalfYear): { year: number; half: 1 | 2 } {
  const p = parseHalfYear(hy);
  if (!p) throw new RangeError(`not a half-year (YYYY-H1|YYYY-H2): ${String(hy)}`);
  return p;
}

/** The half-year a calendar date falls in: 1 Jan - 30 Jun is H1, 1 Jul - 31 Dec is H2. */
export function halfYearOf(date: IsoDate): HalfYear {
  const d = requireIsoDate(date);
  return makeHalfYear(d.year, d.month <= 6 ? 1 : 2);
}

export function halfYearStart(hy: HalfYear): IsoDate {
  const { year, half } = requireHalfYear(hy);
  return `${String(year).padStart(4, '0')}-${half === 1 ? '01-01' : '07-01'}`;
}

export function halfYearEnd(hy: HalfYear): IsoDate {
  const { year, half } = requireHalfYear(hy);
  return `${String(year).padStart(4, '0')}-${half === 1 ? '06-30' : '12-31'}`;
}

export function nextHalfYear(hy: HalfYear): HalfYear {
  const { year, half } = requireHalfYear(hy);
  return half === 1 ? makeHalfYear(year, 2) : makeHalfYear(year + 1, 1);
}

/** Negative, zero or positive like a comparator. */
export function compareHalfYears(a: HalfYear, b: HalfYear): number {
  const pa = requireHalfYear(a);
  const pb = requireHalfYear(b);
  return pa.year * 2 + pa.half - (pb.year * 2 + pb.half);
}

// ---------------------------------------------------------------------------------------------
// Lookups (never throw)
// ---------------------------------------------------------------------------------------------

interface Lookup<T> {
  row: T;
  /** The half-year is missing from the table (the last, or earliest, known row is used). */
  missing: boolean;
  /** Public prefix explaining a missing half-year; '' when the row is exact. */
  note: string;
}

function lookup<T extends { halfYear: HalfYear }>(rows: readonly T[], hy: HalfYear, table: string): Lookup<T> {
  const last = rows[rows.length - 1]!;
  const wanted = parseHalfYear(hy);
  if (!wanted) {
    return { row: last, missing: true, note: `Provisional: unrecognised half-year "${String(hy)}"; last known ${table} (${last.halfYear}) applied. ` };
  }
  const exact = rows.find((r) => r.halfYear === hy);
  if (exact) return { row: exact, missing: false, note: '' };
  const key = wanted.year * 2 + wanted.half;
  let before: T | undefined;
  for (const r of rows) {
    const p = parseHalfYear(r.halfYear)!;
    if (p.year * 2 + p.half < key) before = r;
  }
  if (before) {
    return { row: before, missing: true, note: `Provisional: the ${table} for ${hy} is not yet known; the last known rate (${before.halfYear}) is applied. ` };
  }
  const first = rows[0]!;
  return { row: first, missing: true, note: `Provisional: the ${table} for ${hy} is not in the table; the earliest known rate (${first.halfYear}) is applied. ` };
}

function operatorAction(table: 'ecb' | 'legal', hy: HalfYear, missing: boolean, toConfirm: boolean): string | undefined {
  if (missing) return `rate table "${table}" has no row for ${hy}: add it with npm run rates:add -- ${table} ${hy} ... --source "..." (README, "Rates")`;
  if (toConfirm) return `rate table "${table}" row ${hy} is provisional: confirm it with npm run rates:add -- ${table} ${hy} ... --source "..." (README, "Rates")`;
  return undefined;
}

/** ECB main refinancing rate used for a half-year (in force on 1 Jan / 1 Jul). */
export function ecbRate(halfYear: HalfYear): RateQuote {
  const { row, missing, note } = lookup(ECB_RATES, halfYear, 'ECB rate');
  const hundredths = parseRatePercent(row.ecbPercent)!;
  const toConfirm = row.provisional === true;
  const action = operatorAction('ecb', halfYear, missing, toConfirm);
  return {
    halfYear,
    tableHalfYear: row.halfYear,
    ratePercent: formatRatePercent(hundredths),
    hundredths,
    provisional: missing || toConfirm,
    toConfirm,
    source: `${note}${row.source}`,
    ...(action ? { operatorAction: action } : {}),
  };
}

/** Default B2B late-payment rate: ECB rate of the half-year + 10 points (C. com. L441-10 II). */
export function b2bDefaultRate(halfYear: HalfYear): RateQuote {
  const ecb = ecbRate(halfYear);
  const hundredths = ecb.hundredths + B2B_DEFAULT_MARGIN_HUNDREDTHS;
  const ratePercent = formatRatePercent(hundredths);
  return {
    ...ecb,
    ratePercent,
    hundredths,
    source: `${ecb.source}; + 10 points = ${ratePercent}% (C. com. L441-10 II)`,
  };
}

/**
 * Legal interest rate of a half-year for the creditor's category (C. mon. fin. L313-2):
 * "individual" = creditor is a natural person not acting for professional needs; "business" =
 * all other cases.
 */
export function legalRate(halfYear: HalfYear, creditorCategory: CreditorCategory): RateQuote {
  const { row, missing, note } = lookup(LEGAL_INTEREST_RATES, halfYear, 'legal interest rate');
  const individual = creditorCategory === 'individual';
  const hundredths = parseRatePercent(individual ? row.individualPercent : row.otherPercent)!;
  const column = individual ? 'creditor is a private individual' : 'all other cases';
  const toConfirm = row.provisional === true;
  const action = operatorAction('legal', halfYear, missing, toConfirm);
  return {
    halfYear,
    tableHalfYear: row.halfYear,
    ratePercent: formatRatePercent(hundredths),
    hundredths,
    provisional: missing || toConfirm,
    toConfirm,
    source: `${note}${row.source}, column "${column}": ${formatRatePercent(hundredths)}%`,
    ...(action ? { operatorAction: action } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Table check: ordered, contiguous, parseable, printable sources. `npm run rates:add` runs it on
// every table it writes, and test/domain/rates.test.ts on the tables as shipped: they are bundled,
// fixed at build time, so a bad edit fails there rather than at each Lambda's cold start (issue 15).
// ---------------------------------------------------------------------------------------------

/** Words a source may not contain: a source can be printed in a letter's calculation notes. */
export const INTERNAL_WORDING = /lambdas\/|\.ts\b|\.json\b|npm run|operator|opérateur|TO CONFIRM/i;

export function checkRateTable<T extends { halfYear: HalfYear; source: string; provisional?: boolean }>(rows: readonly T[], rates: (row: T) => string[]): string[] {
  const problems: string[] = [];
  if (rows.length === 0) problems.push('empty table');
  rows.forEach((row, i) => {
    if (typeof row.source !== 'string' || row.source.trim().length < 20) problems.push(`row ${i}: a source of at least 20 characters is required`);
    else if (INTERNAL_WORDING.test(row.source)) problems.push(`row ${i}: the source may be printed in a letter and must not name files or operator steps`);
    if (row.provisional !== undefined && typeof row.provisional !== 'boolean') problems.push(`row ${i}: provisional must be true or absent`);
    if (!parseHalfYear(row.halfYear)) problems.push(`row ${i}: bad half-year ${String(row.halfYear)}`);
    else if (i > 0 && parseHalfYear(rows[i - 1]!.halfYear) && nextHalfYear(rows[i - 1]!.halfYear) !== row.halfYear) {
      problems.push(`row ${i}: ${row.halfYear} does not follow ${rows[i - 1]!.halfYear}`);
    }
    for (const r of rates(row)) if (parseRatePercent(r) === null) problems.push(`row ${i}: bad rate "${r}"`);
  });
  return problems;
}
