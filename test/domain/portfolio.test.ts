import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGING_BUCKETS, agingBucket, DossierFigures, dsoCountback, portfolioFigures, ratio } from '../../lambdas/domain/portfolio';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

describe('portfolio figures', () => {
  it('puts the due date itself in "not yet due" and the day after in 1-30 (metrics.md)', () => {
    expect(agingBucket('2026-03-31', '2026-03-31')).toBe('not_due');
    expect(agingBucket('2026-03-31', '2026-04-01')).toBe('1-30');
    expect(agingBucket('2026-03-31', '2026-04-30')).toBe('1-30');
    expect(agingBucket('2026-03-31', '2026-05-01')).toBe('31-60');
    expect(agingBucket('2026-03-31', '2026-06-29')).toBe('61-90');
    expect(agingBucket('2026-03-31', '2026-06-30')).toBe('90+');
  });

  it('works the countback example of metrics.md to 75.17 days', () => {
    // 212,000 - 100,000 (Oct, 31 d) - 80,000 (Sep, 30 d) = 32,000; 32,000 / 70,000 x 31 = 14.17.
    expect(dsoCountback(21_200_000, [
      { month: '2025-10', creditSalesCents: 10_000_000 },
      { month: '2025-09', creditSalesCents: 8_000_000 },
      { month: '2025-08', creditSalesCents: 7_000_000 },
    ])).toBe('75.17');
    expect(dsoCountback(21_200_000, [{ month: '2025-10', creditSalesCents: 10_000_000 }])).toBeNull();
    expect(dsoCountback(0, [{ month: '2024-02', creditSalesCents: 1 }])).toBe('0.00');
    expect(dsoCountback(500, [{ month: '2024-02', creditSalesCents: 1000 }])).toBe('14.50'); // leap February
  });

  it('rounds ratios half up in integer arithmetic', () => {
    expect(ratio(1n, 3n)).toBe('0.33');
    expect(ratio(2n, 3n)).toBe('0.67');
    expect(ratio(1n, 8n, 2)).toBe('0.13');
    expect(ratio(5n, 2n, 0)).toBe('3');
  });

  const dossierArb: fc.Arbitrary<DossierFigures> = fc.record({
    open: fc.boolean(),
    dueDate: fc.integer({ min: 0, max: 400 }).map(day),
    balanceCents: fc.integer({ min: 0, max: 50_000_000 }),
    payments: fc.array(fc.record({ amountCents: fc.integer({ min: 1, max: 1_000_000 }), paidOn: fc.integer({ min: 0, max: 400 }).map(day) }), { maxLength: 4 }),
  });

  it('conserves cents: buckets add up to the open balance and count; collected is the payments in the period (property)', () => {
    fc.assert(
      fc.property(fc.array(dossierArb, { maxLength: 40 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 60 }), (ds, asOf, span) => {
        const f = portfolioFigures(ds, day(asOf), { from: day(Math.max(0, asOf - span)), to: day(asOf) });
        const open = ds.filter((d) => d.open && d.balanceCents > 0);
        expect(f.open.balanceCents).toBe(open.reduce((s, d) => s + d.balanceCents, 0));
        expect(f.open.count).toBe(open.length);
        expect(AGING_BUCKETS.reduce((s, b) => s + f.aging[b].balanceCents, 0)).toBe(f.open.balanceCents);
        expect(AGING_BUCKETS.reduce((s, b) => s + f.aging[b].count, 0)).toBe(f.open.count);
        const inPeriod = ds.flatMap((d) => d.payments).filter((p) => p.paidOn >= day(Math.max(0, asOf - span)) && p.paidOn <= day(asOf));
        expect(f.collected.amountCents).toBe(inPeriod.reduce((s, p) => s + p.amountCents, 0));
        if (f.atRiskPercent !== null) {
          const pct = Number(f.atRiskPercent);
          expect(pct).toBeGreaterThanOrEqual(0);
          expect(pct).toBeLessThanOrEqual(100);
          expect(Math.abs(pct - (100 * f.aging['90+'].balanceCents) / f.open.balanceCents)).toBeLessThanOrEqual(0.005 + 1e-9);
        } else expect(f.open.balanceCents).toBe(0);
      }),
    );
  });

  it('weights days past due by balance (property: between the smallest and largest days past due)', () => {
    fc.assert(
      fc.property(fc.array(dossierArb, { minLength: 1, maxLength: 30 }), (ds) => {
        const asOf = day(450);
        const f = portfolioFigures(ds, asOf, { from: asOf, to: asOf });
        const late = ds
          .filter((d) => d.open && d.balanceCents > 0)
          .map((d) => 450 - (Date.parse(d.dueDate) - Date.UTC(2026, 0, 1)) / 86_400_000)
          .filter((dpd) => dpd > 0);
        if (late.length === 0) {
          expect(f.weightedDaysPastDue).toBeNull();
        } else {
          const w = Number(f.weightedDaysPastDue);
          expect(w).toBeGreaterThanOrEqual(Math.min(...late) - 0.05);
          expect(w).toBeLessThanOrEqual(Math.max(...late) + 0.05);
        }
      }),
    );
  });
});
