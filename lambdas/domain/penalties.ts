/**
 * Late-payment interest lines, in exact arithmetic.
 *
 * B2B (C. com. L441-10 II): penalties are due "le jour suivant la date de règlement figurant sur
 * la facture", with no reminder needed. Default rate = ECB main refinancing rate + 10 points, the
 * H1 rate being the ECB rate in force on 1 January and the H2 rate the one in force on 1 July
 * (see rates.ts). A contractual rate (invoice or creditor terms) replaces it, but "ne peut
 * toutefois fixer un taux inférieur à trois fois le taux d'intérêt légal": a lower contractual
 * rate is refused and the default rate applies.
 *
 * B2C: no L441-10 penalties; moratory interest at the legal rate (C. civ. 1231-6, 1344-1) for
 * the creditor's category (C. mon. fin. L313-2), from the mise en demeure.
 *
 * Conventions (stated in the breakdown notes as well):
 * - Day count actual/365: amount = basis x rate x days / 365, also in leap years (French practice
 *   for L441-10 penalties). Each day of delay takes the rate of the half-year it falls in.
 * - Lines are split at half-year boundaries (1 Jan, 1 Jul) and at payment dates.
 * - A payment made on day D still leaves day D on the old basis; the basis drops from D + 1.
 * - Each line is computed as an exact rational (BigInt) and rounded half-up to the cent; the
 *   total is the sum of the rounded lines.
 */
import type { IsoDate, PenaltyLine } from './model';
import type { Cents } from './money';
import { assertCents } from './money';
import { addDays, compareIsoDates, daysBetween, minIsoDate, requireIsoDate } from './epoch-days';
import {
  b2bDefaultRate,
  ecbRate,
  formatRatePercent,
  halfYearEnd,
  halfYearOf,
  legalRate,
  parseRatePercent,
  type CreditorCategory,
  type HalfYear,
} from './rates';

export type InterestBasis = 'l441-10' | 'contractual' | 'legal' | 'ccp-l2192-13';

/** How the interest of a dossier is computed. */
export type InterestRegime =
  | {
      kind: 'b2b';
      /** Contractual rate in percent per year ("15.00"), when the invoice or terms state one. */
      contractualRatePercent?: string;
      /** Where the contractual rate comes from, for the line source ("invoice", "creditor terms"). */
      contractualRateOrigin?: string;
    }
  | { kind: 'b2c'; creditorCategory: CreditorCategory }
  /**
   * A public-sector buyer (Code de la commande publique L2192-13, R2192-31, R2192-32): moratory
   * interest at the ECB rate "en vigueur au premier jour de calendrier du semestre de l'année civile
   * au cours duquel les intérêts moratoires ont commencé à courir, majoré de huit points" — one rate,
   * fixed for the whole delay, the half-year being that of the first day of delay.
   */
  | { kind: 'public'; startHalfYear: HalfYear };

/** Points added to the ECB rate for public-sector moratory interest (CCP R2192-31), in hundredths. */
export const PUBLIC_SECTOR_MARGIN_HUNDREDTHS = 800;

export const DAY_COUNT_NOTE =
  'Day count actual/365: each line = basis x annual rate x days / 365 (also in leap years); each day of delay takes the rate of the half-year it falls in (H1: rate in force on 1 January, H2: on 1 July).';
export const ROUNDING_NOTE =
  'Each line is computed in exact arithmetic and rounded half-up to the cent; the total is the sum of the rounded lines.';
export const PAYMENT_DAY_NOTE =
  'A payment made on day D reduces the basis from D + 1: day D itself still bears interest on the amount unpaid that morning.';

// ---------------------------------------------------------------------------------------------
// Contractual rate validation (C. com. L441-10 II, 3x legal interest floor)
// ---------------------------------------------------------------------------------------------

export interface ContractualRateError {
  code: 'invalid_rate' | 'below_legal_floor';
  message: string;
  /** The rate as given. */
  ratePercent: string;
  halfYear: HalfYear;
  /** 3 x the legal interest rate "all other cases" of the half-year (below_legal_floor only). */
  floorPercent?: string;
  legalRatePercent?: string;
  /** True when the legal rate used for the floor is itself provisional. */
  provisional: boolean;
  source: string;
}

export type ContractualRateValidation =
  | {
      ok: true;
      ratePercent: string;
      hundredths: number;
      halfYear: HalfYear;
      floorPercent: string;
      provisional: boolean;
      source: string;
    }
  | { ok: false; error: ContractualRateError };

/**
 * Checks a contractual late-payment rate against the floor of C. com. L441-10 II: it may not be
 * below 3 x the legal interest rate ("all other cases" column, C. mon. fin. L313-2) of the
 * half-year containing `onDate`. A rate equal to the floor is accepted.
 */
export function validateContractualRate(ratePercent: string, onDate: IsoDate): ContractualRateValidation {
  const halfYear = halfYearOf(onDate);
  const legal = legalRate(halfYear, 'business');
  const floor = legal.hundredths * 3;
  const floorPercent = formatRatePercent(floor);
  const hundredths = parseRatePercent(ratePercent);
  if (hundredths === null) {
    return {
      ok: false,
      error: {
        code: 'invalid_rate',
        message: `Contractual rate "${String(ratePercent)}" is not a percentage with at most two decimals (e.g. "15.00").`,
        ratePercent: String(ratePercent),
        halfYear,
        provisional: false,
        source: 'C. com. L441-10 II',
      },
    };
  }
  const floorSource = `floor 3 x legal interest rate ${legal.ratePercent}% = ${floorPercent}% for ${halfYear} (C. com. L441-10 II; ${legal.source})`;
  if (hundredths < floor) {
    return {
      ok: false,
      error: {
        code: 'below_legal_floor',
        message: `Contractual rate ${formatRatePercent(hundredths)}% refused for ${halfYear}: below 3 x the legal interest rate (${legal.ratePercent}%) = ${floorPercent}% (C. com. L441-10 II); the default rate (ECB + 10 points) applies.`,
        ratePercent: formatRatePercent(hundredths),
        halfYear,
        floorPercent,
        legalRatePercent: legal.ratePercent,
        provisional: legal.provisional,
        source: floorSource,
      },
    };
  }
  return {
    ok: true,
    ratePercent: formatRatePercent(hundredths),
    hundredths,
    halfYear,
    floorPercent,
    provisional: legal.provisional,
    source: floorSource,
  };
}

// ---------------------------------------------------------------------------------------------
// Rate of a half-year under a regime
// ---------------------------------------------------------------------------------------------

export interface LineRate {
  hundredths: number;
  ratePercent: string;
  provisional: boolean;
  source: string;
  basis: InterestBasis;
  /** Set when a contractual rate was given but refused for this half-year. */
  refused?: ContractualRateError;
}

export function rateForHalfYear(regime: InterestRegime, halfYear: HalfYear): LineRate {
  if (regime.kind === 'public') {
    const ecb = ecbRate(regime.startHalfYear);
    const hundredths = ecb.hundredths + PUBLIC_SECTOR_MARGIN_HUNDREDTHS;
    const ratePercent = formatRatePercent(hundredths);
    return {
      hundredths,
      ratePercent,
      provisional: ecb.provisional,
      source: `Moratory interest (CCP L2192-13): ECB rate in force on the first day of ${regime.startHalfYear}, the half-year in which interest started, + 8 points = ${ratePercent}%, fixed for the whole delay (CCP R2192-31); ${ecb.source}`,
      basis: 'ccp-l2192-13',
    };
  }
  if (regime.kind === 'b2c') {
    const q = legalRate(halfYear, regime.creditorCategory);
    return {
      hundredths: q.hundredths,
      ratePercent: q.ratePercent,
      provisional: q.provisional,
      source: `Legal interest (C. civ. 1231-6, 1344-1): ${q.source}`,
      basis: 'legal',
    };
  }
  const def = b2bDefaultRate(halfYear);
  const defaultRate: LineRate = {
    hundredths: def.hundredths,
    ratePercent: def.ratePercent,
    provisional: def.provisional,
    source: def.source,
    basis: 'l441-10',
  };
  if (regime.contractualRatePercent === undefined) return defaultRate;
  const v = validateContractualRate(regime.contractualRatePercent, halfYearEnd(halfYear));
  const origin = regime.contractualRateOrigin ?? 'contract';
  if (!v.ok) {
    return { ...defaultRate, source: `${v.error.message} ${defaultRate.source}`, refused: v.error };
  }
  return {
    hundredths: v.hundredths,
    ratePercent: v.ratePercent,
    // The rate itself is agreed, hence firm: only the floor it was checked against may be provisional
    // (the source says so), which does not change the amount printed.
    provisional: false,
    source: `Contractual rate ${v.ratePercent}% (${origin}) replaces the default rate, C. com. L441-10 II; ${v.source}${v.provisional ? ' (floor checked against a provisional legal rate)' : ''}`,
    basis: 'contractual',
  };
}

// ---------------------------------------------------------------------------------------------
// Exact amounts
// ---------------------------------------------------------------------------------------------

/** Divides two non-negative BigInts rounding half-up. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('divideHalfUp expects numerator >= 0 and denominator > 0');
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** 100 (percent) x 100 (hundredths) x 365 (actual/365). */
const DENOMINATOR = 100n * 100n * 365n;

/**
 * basis x (rate in hundredths of a percent / 10,000) x days / 365, rounded half-up to the cent.
 */
export function interestCents(basisCents: Cents, rateHundredths: number, days: number): Cents {
  assertCents(basisCents);
  if (basisCents < 0 || days < 0 || !Number.isSafeInteger(days) || !Number.isSafeInteger(rateHundredths) || rateHundredths < 0) {
    throw new RangeError(`interestCents: invalid inputs (${basisCents}, ${rateHundredths}, ${days})`);
  }
  const result = Number(divideHalfUp(BigInt(basisCents) * BigInt(rateHundredths) * BigInt(days), DENOMINATOR));
  assertCents(result);
  return result;
}

/**
 * Lines for the days `from`..`to` inclusive at a constant basis, split at half-year boundaries.
 * No line when the basis is 0 or the period is empty.
 */
export function periodLines(from: IsoDate, to: IsoDate, basisCents: Cents, regime: InterestRegime): PenaltyLine[] {
  assertCents(basisCents);
  if (basisCents < 0) throw new RangeError(`negative basis: ${basisCents}`);
  if (basisCents === 0 || compareIsoDates(from, to) > 0) return [];
  const lines: PenaltyLine[] = [];
  let start = from;
  while (compareIsoDates(start, to) <= 0) {
    const hy = halfYearOf(start);
    const end = minIsoDate(to, halfYearEnd(hy));
    const days = daysBetween(start, end) + 1;
    const rate = rateForHalfYear(regime, hy);
    lines.push({
      from: start,
      to: end,
      days,
      ratePercent: rate.ratePercent,
      basisCents,
      amountCents: interestCents(basisCents, rate.hundredths, days),
      provisional: rate.provisional,
      source: rate.source,
    });
    start = addDays(end, 1);
  }
  return lines;
}

export interface InterestLinesInput {
  regime: InterestRegime;
  /** Amount on which interest runs before any payment (amount incl. VAT). */
  principalCents: Cents;
  /** First day of delay (B2B: the day after the due date; B2C: the day after the mise en demeure). */
  firstDay: IsoDate;
  /** Last day counted, inclusive (the as-of date). */
  lastDay: IsoDate;
  /** Payments applied to the principal; each reduces the basis from the day after it. */
  principalPayments: readonly { amountCents: Cents; paidOn: IsoDate }[];
}

/**
 * Interest lines for a principal reduced by payments (principal-first allocation), split at
 * half-year boundaries and at payment dates. Payments before firstDay reduce the starting basis;
 * payments after lastDay are ignored. The basis never goes below 0.
 */
export function interestLines(input: InterestLinesInput): PenaltyLine[] {
  const { regime, firstDay, lastDay } = input;
  requireIsoDate(firstDay, 'firstDay');
  requireIsoDate(lastDay, 'lastDay');
  assertCents(input.principalCents);
  if (input.principalCents < 0) throw new RangeError('negative principal');
  const payments = [...input.principalPayments]
    .map((p) => {
      assertCents(p.amountCents);
      if (p.amountCents < 0) throw new RangeError(`negative payment: ${p.amountCents}`);
      requireIsoDate(p.paidOn, 'paidOn');
      return p;
    })
    .sort((a, b) => compareIsoDates(a.paidOn, b.paidOn));
  let basis = input.principalCents;
  let cursor = firstDay;
  const lines: PenaltyLine[] = [];
  for (const p of payments) {
    if (compareIsoDates(p.paidOn, lastDay) > 0) break;
    if (compareIsoDates(p.paidOn, cursor) >= 0) {
      lines.push(...periodLines(cursor, p.paidOn, basis, regime));
      cursor = addDays(p.paidOn, 1);
    }
    basis = Math.max(0, basis - p.amountCents);
  }
  lines.push(...periodLines(cursor, lastDay, basis, regime));
  return lines;
}

export function sumLines(lines: readonly PenaltyLine[]): Cents {
  return lines.reduce((total, line) => total + line.amountCents, 0);
}
