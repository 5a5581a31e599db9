/** Reading accounting exports: encodings, separators, French headers and formats, bad rows by line and field. */
import fc from 'fast-check';
import * as iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decode, detectSeparator, normalizeAmount, normalizeDate, readInvoiceCsv } from '../../cli/invoice-csv';
import { toDecimalString } from '../../lambdas/domain/money';

const FR_HEADER = 'N° facture;Date facture;Date d\'échéance;Montant TTC;Raison sociale;Courriel;Adresse;Code postal;Ville;SIREN;Type client';
const frRow = (n: string, amount = '1 250,00', extra: Partial<Record<'issue' | 'due' | 'email' | 'cp', string>> = {}) =>
  `${n};${extra.issue ?? '04/03/2026'};${extra.due ?? '03/04/2026'};${amount};Boulangerie Dupont SARL;${extra.email ?? 'compta@dupont.example'};3 place du Marché;${extra.cp ?? '75011'};Paris;732 829 320;Professionnel`;

describe('CSV export -> invoices', () => {
  it('reads a French Excel export: BOM, ";", French headers, decimal commas, JJ/MM/AAAA dates', () => {
    const text = `\uFEFF${FR_HEADER}\r\n${frRow('F-1')}\r\n${frRow('F-2', '12,5')}\r\n`;
    const out = readInvoiceCsv(Buffer.from(text, 'utf8'));
    expect(out.problems).toEqual([]);
    expect(out).toMatchObject({ encoding: 'utf-8', separator: ';' });
    expect(out.rows.map((r) => [r.line, r.invoiceNumber])).toEqual([
      [2, 'F-1'],
      [3, 'F-2'],
    ]);
    expect(out.rows[0].body).toEqual({
      invoiceNumber: 'F-1',
      issueDate: '2026-03-04',
      dueDate: '2026-04-03',
      amount: '1250.00',
      currency: 'EUR',
      debtor: {
        kind: 'business',
        name: 'Boulangerie Dupont SARL',
        email: 'compta@dupont.example',
        language: 'fr',
        siren: '732829320',
        address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' },
      },
    });
    expect(out.rows[1].body.amount).toBe('12.50');
  });

  it('detects Windows-1252 (no valid UTF-8) and keeps accented names', () => {
    const text = `${FR_HEADER}\n${frRow('F-1').replace('Boulangerie Dupont SARL', 'Crêperie Élodie')}\n`;
    const bytes = iconv.encode(text, 'win1252');
    const out = readInvoiceCsv(bytes);
    expect(out.encoding).toBe('windows-1252');
    expect(out.problems).toEqual([]);
    expect((out.rows[0].body.debtor as any).name).toBe('Crêperie Élodie');
    expect((out.rows[0].body.debtor as any).address.line1).toBe('3 place du Marché');
  });

  it('reads "," exports with English headers and ISO dates', () => {
    const text = [
      'invoiceNumber,issueDate,dueDate,amount,debtorName,debtorEmail,addressLine1,postalCode,city,debtorKind,debtorLanguage',
      'INV-9,2026-03-04,2026-04-03,"1,250.00","Smith, Ltd",ap@smith.example,1 rue X,69001,Lyon,consumer,EN',
    ].join('\n');
    const out = readInvoiceCsv(Buffer.from(text));
    expect(out.problems).toEqual([]);
    expect(out.separator).toBe(',');
    expect(out.rows[0].body).toMatchObject({ amount: '1250.00', issueDate: '2026-03-04', debtor: { name: 'Smith, Ltd', kind: 'consumer', language: 'en' } });
  });

  it('reports every bad row with its line number and field, and keeps the good ones', () => {
    const text = [
      FR_HEADER,
      frRow('F-1'),
      frRow('F-2', '12,345'), // 3 decimals
      frRow('F-3', '100,00', { due: '31/02/2026' }), // no such day
      frRow('F-4', '100,00', { email: 'pas-un-email' }),
      frRow('F-1'), // the same invoice twice
      frRow('F-5', '100,00', { due: '2026/04/03' }),
      frRow('F-6', '100,00', { cp: '7501' }),
      frRow('F-7', '100,00', { issue: '05/04/2026' }), // due before issue
    ].join('\n');
    const out = readInvoiceCsv(Buffer.from(text));
    expect(out.rows.map((r) => r.invoiceNumber)).toEqual(['F-1']);
    expect(out.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'amount (column "Montant TTC")'],
      [4, 'dueDate (column "Date d\'échéance")'], // not a calendar date
      [4, 'dueDate (column "Date d\'échéance")'], // and before the issue date
      [5, 'debtorEmail (column "Courriel")'],
      [6, 'invoiceNumber (column "N° facture")'],
      [7, 'dueDate (column "Date d\'échéance")'],
      [8, 'postalCode (column "Code postal")'],
      [9, 'dueDate (column "Date d\'échéance")'],
    ]);
    expect(out.problems[4].message).toBe('invoice F-1 is already on line 2');
  });

  it('a mapping file renames columns and gives defaults; a missing column is reported on line 1', () => {
    const text = 'Pièce;Émise le;Payable le;TTC;Client;Mail;Rue;CP;Localité\nA-1;04/03/2026;03/04/2026;99,90;Dupont;a@b.example;1 rue Y;13001;Marseille\n';
    expect(readInvoiceCsv(Buffer.from(text)).problems.map((p) => [p.line, p.field])).toContainEqual([1, 'invoiceNumber']);
    const out = readInvoiceCsv(Buffer.from(text), {
      columns: { invoiceNumber: 'Pièce', issueDate: 'Émise le', dueDate: 'Payable le', amount: 'TTC', debtorName: 'Client', debtorEmail: 'Mail', addressLine1: 'Rue', postalCode: 'CP', city: 'Localité' },
      defaults: { debtorKind: 'consumer' },
    });
    expect(out.problems).toEqual([]);
    expect(out.rows[0].body).toMatchObject({ invoiceNumber: 'A-1', amount: '99.90', debtor: { kind: 'consumer', address: { city: 'Marseille' } } });
    const wrong = readInvoiceCsv(Buffer.from(text), { columns: { invoiceNumber: 'Numéro' } });
    expect(wrong.problems).toContainEqual({ line: 1, field: 'invoiceNumber', message: 'the mapping names column "Numéro", which the file does not have' });
  });

  it('formats: separators, dates, encodings', () => {
    expect(detectSeparator('"a;b",c,d\n')).toBe(',');
    expect(detectSeparator('a;b;c\n')).toBe(';');
    expect(normalizeDate('4/3/2026')).toBe('2026-03-04');
    expect(normalizeDate('04.03.2026')).toBe('2026-03-04');
    expect(normalizeDate('2026-03-04')).toBe('2026-03-04');
    expect(normalizeDate('03/2026')).toBeNull();
    for (const s of ['1.250', '0,125', '12,345', '-5,00', 'abc', '1,2,3']) expect(normalizeAmount(s), s).toBeNull();
    expect(decode(Buffer.from([0xef, 0xbb, 0xbf, 0x41])).text).toBe('A');
  });

  it('property: any amount in cents written the French or the English way reads back exactly', () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
    console.log(`invoice-csv amounts: seed ${seed} (replay with FC_SEED=${seed})`);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999_999 }), fc.constantFrom(' ', '\u00a0', '\u202f', '.', ''), fc.boolean(), (cents, group, french) => {
        const [int, frac] = toDecimalString(cents).split('.');
        const grouped = french ? int.replace(/\B(?=(\d{3})+(?!\d))/g, group) : int.replace(/\B(?=(\d{3})+(?!\d))/g, group === '.' ? ',' : group);
        const written = french ? `${grouped},${frac}` : `${grouped}.${frac}`;
        expect(normalizeAmount(written)).toBe(toDecimalString(cents));
      }),
      { seed, numRuns: 500 },
    );
  });
});
