import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addRate, formatTables, TABLE_FILE, type Tables } from '../../scripts/rates-add';

/** The update procedure of the rate tables (npm run rates:add), on a copy of the real file. */
const tables = (): Tables => JSON.parse(readFileSync(TABLE_FILE, 'utf8'));

describe('npm run rates:add', () => {
  it('the file is kept one row per line (a new half-year is a one-line diff)', () => {
    expect(formatTables(tables())).toBe(readFileSync(TABLE_FILE, 'utf8'));
  });

  it('appends the next half-year with its source', () => {
    const { tables: t, action } = addRate(tables(), { table: 'ecb', halfYear: '2027-H1', rates: ['2.4'], source: 'ECB main refinancing rate in force on 1 Jan 2027: 2.40%' });
    expect(action).toBe('added');
    expect(t.ecb.at(-1)).toEqual({ halfYear: '2027-H1', ecbPercent: '2.40', source: 'ECB main refinancing rate in force on 1 Jan 2027: 2.40%' });
    const before = formatTables(tables()).split('\n');
    const after = formatTables(t).split('\n');
    expect(after.length - before.length).toBe(1);
  });

  it('confirms a provisional row (the 2026 H2 legal rate once its arrêté is published)', () => {
    const { tables: t, action } = addRate(tables(), {
      table: 'legal',
      halfYear: '2026-H2',
      rates: ['6.70', '2.65'],
      source: 'Legal interest rate 2026 H2, semi-annual arrêté (C. mon. fin. L313-2)',
    });
    expect(action).toBe('confirmed');
    expect(t.legalInterest.find((r) => r.halfYear === '2026-H2')).toEqual({
      halfYear: '2026-H2',
      individualPercent: '6.70',
      otherPercent: '2.65',
      source: 'Legal interest rate 2026 H2, semi-annual arrêté (C. mon. fin. L313-2)',
    });
  });

  it('refuses a gap, a confirmed row without --replace, a bad rate, a thin source or one naming files', () => {
    const source = 'ECB main refinancing rate in force on 1 Jul 2027: 2.40%';
    expect(() => addRate(tables(), { table: 'ecb', halfYear: '2027-H2', rates: ['2.40'], source })).toThrow(/must be 2027-H1/);
    expect(() => addRate(tables(), { table: 'ecb', halfYear: '2026-H1', rates: ['2.40'], source })).toThrow(/--replace/);
    expect(addRate(tables(), { table: 'ecb', halfYear: '2026-H1', rates: ['2.15'], source, replace: true }).action).toBe('replaced');
    expect(() => addRate(tables(), { table: 'ecb', halfYear: '2027-H1', rates: ['2,40'], source })).toThrow(/not a percentage/);
    expect(() => addRate(tables(), { table: 'legal', halfYear: '2027-H1', rates: ['6.5'], source })).toThrow(/two rates/);
    expect(() => addRate(tables(), { table: 'ecb', halfYear: '2027-H1', rates: ['2.40'], source: 'ECB' })).toThrow(/at least 20 characters/);
    expect(() => addRate(tables(), { table: 'ecb', halfYear: '2027-H1', rates: ['2.40'], source: 'see lambdas/domain/rates.ts for this' })).toThrow(/must not name files/);
  });
});
