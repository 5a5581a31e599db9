import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parisDateOf } from '../../lambdas/domain/dates';
import { prescriptionDate, prescriptionDetail, prescriptionWarning } from '../../lambdas/domain/prescription';
import { fromEpochDay, toEpochDay } from '../../lambdas/domain/epoch-days';

describe('prescriptionDate', () => {
  it('B2B: 5 years from the due date (C. com. L110-4)', () => {
    expect(prescriptionDate({ dueDate: '2025-05-15', debtorKind: 'business' })).toBe('2030-05-15');
    expect(prescriptionDetail({ dueDate: '2025-05-15', debtorKind: 'business' }).article).toContain('L110-4');
  });

  it('business to consumer: 2 years (C. conso. L218-2)', () => {
    expect(prescriptionDate({ dueDate: '2025-05-15', debtorKind: 'consumer' })).toBe('2027-05-15');
    expect(prescriptionDetail({ dueDate: '2025-05-15', debtorKind: 'consumer' }).article).toContain('L218-2');
  });

  it('29 February falls back to 28 February (prudent)', () => {
    expect(prescriptionDate({ dueDate: '2024-02-29', debtorKind: 'business' })).toBe('2029-02-28');
    expect(prescriptionDate({ dueDate: '2024-02-29', debtorKind: 'consumer' })).toBe('2026-02-28');
  });

  it('an acknowledgment (C. civ. 2240) restarts the full period from its date (C. civ. 2231)', () => {
    // Consumer, due 2025-05-15 -> 2027-05-15; payment plan signed 2026-02-01 -> 2028-02-01.
    const d = prescriptionDetail({ dueDate: '2025-05-15', debtorKind: 'consumer', acknowledgedOn: ['2026-02-01'] });
    expect(d.prescribesOn).toBe('2028-02-01');
    expect(d.runsFrom).toBe('2026-02-01');
    expect(d.acknowledgmentsApplied).toEqual(['2026-02-01']);
    // B2B, two acknowledgments, given out of order: the later one wins: 2027-03-10 + 5 = 2032-03-10.
    expect(
      prescriptionDate({ dueDate: '2025-05-15', debtorKind: 'business', acknowledgedOn: ['2027-03-10', '2026-01-05'] }),
    ).toBe('2032-03-10');
  });

  it('an acknowledgment after the period has run out does not revive it', () => {
    const d = prescriptionDetail({ dueDate: '2020-01-10', debtorKind: 'consumer', acknowledgedOn: ['2022-06-01'] });
    expect(d.prescribesOn).toBe('2022-01-10');
    expect(d.acknowledgmentsIgnored).toEqual(['2022-06-01']);
    // On the last day it still counts.
    expect(prescriptionDate({ dueDate: '2020-01-10', debtorKind: 'consumer', acknowledgedOn: ['2022-01-10'] })).toBe('2024-01-10');
  });

  it('an acknowledgment before the due date cannot shorten the period', () => {
    expect(prescriptionDate({ dueDate: '2025-05-15', debtorKind: 'consumer', acknowledgedOn: ['2025-04-01'] })).toBe('2027-05-15');
  });

  it('the mise en demeure is not an interruption (Cass. com. 18 May 2022, 20-23.204)', () => {
    const d = prescriptionDetail({ dueDate: '2025-05-15', debtorKind: 'business' });
    expect(d.notes.join('\n')).toMatch(/20-23\.204/);
  });

  it('property: the date is N years later and acknowledgments only ever extend it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toEpochDay('2015-01-01'), max: toEpochDay('2035-12-31') }),
        fc.boolean(),
        fc.array(fc.integer({ min: -100, max: 3000 }), { maxLength: 4 }),
        (due, business, offsets) => {
          const dueDate = fromEpochDay(due);
          const plain = prescriptionDate({ dueDate, debtorKind: business ? 'business' : 'consumer' });
          const years = business ? 5 : 2;
          expect(Number(plain.slice(0, 4)) - Number(dueDate.slice(0, 4))).toBe(years);
          const span = toEpochDay(plain) - due;
          expect(span).toBeGreaterThanOrEqual(365 * years);
          expect(span).toBeLessThanOrEqual(366 * years);
          const withAcks = prescriptionDate({
            dueDate,
            debtorKind: business ? 'business' : 'consumer',
            acknowledgedOn: offsets.map((o) => fromEpochDay(due + o)),
          });
          expect(toEpochDay(withAcks)).toBeGreaterThanOrEqual(toEpochDay(plain));
        },
      ),
    );
  });
});

describe('prescriptionWarning', () => {
  it('warns when the hand-off is within 90 days of prescription', () => {
    // 2027-03-01 -> 2027-05-15: 30 (rest of March) + 30 (April) + 15 = 75 days.
    const w = prescriptionWarning('2027-05-15', '2027-03-01');
    expect(w).toMatchObject({ level: 'approaching', daysLeft: 75, handoffOn: '2027-03-01' });
    // 2027-01-01 -> 2027-05-15: 30 + 28 + 31 + 30 + 15 = 134 days: no warning.
    expect(prescriptionWarning('2027-05-15', '2027-01-01')).toBeNull();
    // Custom threshold.
    expect(prescriptionWarning('2027-05-15', '2027-01-01', 200)).toMatchObject({ level: 'approaching', daysLeft: 134 });
  });

  it('boundaries: exactly warnDays warns, warnDays + 1 does not; last day is still "approaching"', () => {
    // 2027-05-15 minus 90 days = 2027-02-14 (Feb 14 -> May 15: 14 + 31 + 30 + 15 = 90).
    expect(prescriptionWarning('2027-05-15', '2027-02-14')?.daysLeft).toBe(90);
    expect(prescriptionWarning('2027-05-15', '2027-02-13')).toBeNull();
    expect(prescriptionWarning('2027-05-15', '2027-05-15')).toMatchObject({ level: 'approaching', daysLeft: 0 });
  });

  it('after the last day: prescribed', () => {
    expect(prescriptionWarning('2027-05-15', '2027-05-16')).toMatchObject({ level: 'prescribed', daysLeft: -1 });
  });

  it('takes instants in Europe/Paris time', () => {
    // 22:30 UTC on 14 May 2027 is 00:30 on 15 May in Paris (CEST, UTC+2).
    expect(parisDateOf('2027-05-14T22:30:00.000Z')).toBe('2027-05-15');
    expect(prescriptionWarning('2027-05-14', '2027-05-14T22:30:00.000Z')).toMatchObject({ level: 'prescribed', daysLeft: -1 });
    expect(() => parisDateOf('yesterday')).toThrow(RangeError);
  });
});

describe('starting point (Cass. com. 26 Feb 2020, 18-25.036)', () => {
  it('runs from the performance date when given, else from the issue date, and says which', () => {
    const withPerformance = prescriptionDetail({ performanceDate: '2026-02-15', issueDate: '2026-03-04', dueDate: '2026-04-03', debtorKind: 'business' });
    expect(withPerformance).toMatchObject({ prescribesOn: '2031-02-15', startsOn: '2026-02-15', startingPoint: 'performance_date' });
    expect(withPerformance.notes[0]).toMatch(/performance date \(Cass\. com\. 26 Feb 2020, 18-25\.036\)/);
    const fallback = prescriptionDetail({ issueDate: '2026-03-04', dueDate: '2026-04-03', debtorKind: 'consumer' });
    expect(fallback).toMatchObject({ prescribesOn: '2028-03-04', startsOn: '2026-03-04', startingPoint: 'issue_date' });
    expect(fallback.notes[0]).toMatch(/20-12\.520/);
  });
});

describe('public debtor (loi n° 68-1250 du 31 décembre 1968)', () => {
  it('four years from 1 January after the facts; every written claim of the creditor interrupts it', () => {
    const base = { performanceDate: '2026-04-30', issueDate: '2026-05-04', debtorKind: 'business' as const, publicSector: true };
    expect(prescriptionDetail(base)).toMatchObject({ years: 4, runsFrom: '2027-01-01', prescribesOn: '2030-12-31' });
    expect(prescriptionDetail({ ...base, writtenClaimsOn: ['2027-02-01'] })).toMatchObject({ runsFrom: '2028-01-01', prescribesOn: '2031-12-31' });
    expect(prescriptionDetail({ ...base, writtenClaimsOn: ['2031-01-02'] }).acknowledgmentsIgnored).toEqual(['2031-01-02']);
  });
});
