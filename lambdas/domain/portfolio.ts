/**
 * Receivables figures for the accountants' digest and GET /reports/summary, computed from the
 * dossiers alone (../shared/reference/metrics.md): open balance, aging buckets, balance-weighted
 * days past due, collected in a period, at-risk rate; and DSO by the countback method, which needs
 * the creditor's own figures (total receivables, monthly credit sales) and is left out without them.
 * Integer cents throughout; rates are decimal strings computed in integer arithmetic.
 */
import { daysInMonth as civilDaysInMonth, toEpochDay as epochDay } from './epoch-days';
import type { IsoDate } from './model';

export const AGING_BUCKETS = ['not_due', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** Days past due as of a date: the day after the due date is 1 day past due. */
export function daysPastDue(dueDate: IsoDate, asOf: IsoDate): number {
  return epochDay(asOf) - epochDay(dueDate);
}

export function agingBucket(dueDate: IsoDate, asOf: IsoDate): AgingBucket {
  const d = daysPastDue(dueDate, asOf);
  if (d <= 0) return 'not_due';
  if (d <= 30) return '1-30';
  if (d <= 60) return '31-60';
  if (d <= 90) return '61-90';
  return '90+';
}

/** What the figures need of one dossier. */
export interface DossierFigures {
  open: boolean;
  dueDate: IsoDate;
  balanceCents: number;
  payments: { amountCents: number; paidOn: IsoDate }[];
}

export interface PortfolioFigures {
  asOf: IsoDate;
  open: { count: number; balanceCents: number };
  aging: Record<AgingBucket, { count: number; balanceCents: number }>;
  /** sum(balance x days past due) / sum(balance), over open dossiers past due; null when none. */
  weightedDaysPastDue: string | null;
  /** Payments with a payment date in [from, to] (by payment date, not by recording time). */
  collected: { from: IsoDate; to: IsoDate; count: number; amountCents: number };
  /** Share of the open balance in collection that is 90+ days past due, percent with 2 decimals. */
  atRiskPercent: string | null;
}

/** a / b as a decimal string with `places` decimals, rounded half up, in integer arithmetic. */
export function ratio(a: bigint, b: bigint, places = 2): string {
  if (b <= 0n) throw new RangeError('ratio of a non-positive base');
  const scale = 10n ** BigInt(places);
  const q = (a * scale * 2n + b) / (2n * b);
  const whole = q / scale;
  const frac = (q % scale).toString().padStart(places, '0');
  return places === 0 ? whole.toString() : `${whole}.${frac}`;
}

export function portfolioFigures(dossiers: Iterable<DossierFigures>, asOf: IsoDate, period: { from: IsoDate; to: IsoDate }): PortfolioFigures {
  const aging = Object.fromEntries(AGING_BUCKETS.map((b) => [b, { count: 0, balanceCents: 0 }])) as PortfolioFigures['aging'];
  const open = { count: 0, balanceCents: 0 };
  const collected = { ...period, count: 0, amountCents: 0 };
  let weighted = 0n;
  let pastDueBalance = 0n;
  const from = epochDay(period.from);
  const to = epochDay(period.to);
  for (const d of dossiers) {
    for (const p of d.payments) {
      const day = epochDay(p.paidOn);
      if (day >= from && day <= to) {
        collected.count++;
        collected.amountCents += p.amountCents;
      }
    }
    if (!d.open || d.balanceCents <= 0) continue;
    open.count++;
    open.balanceCents += d.balanceCents;
    const bucket = aging[agingBucket(d.dueDate, asOf)];
    bucket.count++;
    bucket.balanceCents += d.balanceCents;
    const dpd = daysPastDue(d.dueDate, asOf);
    if (dpd > 0) {
      weighted += BigInt(d.balanceCents) * BigInt(dpd);
      pastDueBalance += BigInt(d.balanceCents);
    }
  }
  return {
    asOf,
    open,
    aging,
    weightedDaysPastDue: pastDueBalance > 0n ? ratio(weighted, pastDueBalance, 1) : null,
    collected,
    atRiskPercent: open.balanceCents > 0 ? ratio(BigInt(aging['90+'].balanceCents) * 100n, BigInt(open.balanceCents)) : null,
  };
}

export interface MonthlySales {
  /** YYYY-MM */
  month: string;
  creditSalesCents: number;
}

/**
 * DSO by the countback method: from total receivables at the end of the last month, subtract that
 * month's credit sales and count its days, then the month before, until the remainder is smaller
 * than a month's sales; then add that month's days x remainder / its sales. `months` newest first.
 * Returns days with 2 decimals, or null when the months given do not exhaust the receivables.
 */
export function dsoCountback(totalReceivablesCents: number, months: readonly MonthlySales[]): string | null {
  let remaining = BigInt(totalReceivablesCents);
  let wholeDays = 0n;
  for (const m of months) {
    const days = BigInt(daysInMonth(m.month));
    const sales = BigInt(m.creditSalesCents);
    if (remaining <= 0n) return ratio(wholeDays, 1n);
    if (sales > 0n && remaining < sales) {
      // wholeDays + days x remaining / sales, as one exact fraction.
      return ratio(wholeDays * sales + days * remaining, sales);
    }
    remaining -= sales;
    wholeDays += days;
  }
  return remaining <= 0n ? ratio(wholeDays, 1n) : null;
}

function daysInMonth(month: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new RangeError(`not a month YYYY-MM: ${month}`);
  return civilDaysInMonth(Number(m[1]), Number(m[2]));
}
