/**
 * Reading an accounting export (CSV) into POST /invoices bodies, row by row, with every bad row
 * reported by its line number and field. Pure: bytes in, rows out; cli/import.ts sends them.
 *
 * - Encoding: UTF-8 with or without BOM; a file that is not valid UTF-8 is read as Windows-1252
 *   (what French Excel and most accounting software write "CSV" in), through iconv-lite.
 * - Separator: `;` (French Excel) or `,`, whichever the header line has more of outside quotes.
 * - Headers: the default column names below, in English or French, accents, case, spaces and
 *   punctuation ignored ("Date d'échéance" = "date_echeance" = "dueDate"); a mapping file renames
 *   columns and gives defaults (docs/csv-import.md).
 * - Values: amounts with a decimal comma or point and thousands separators ("1 250,00",
 *   "1.250,00", "1250.00"); dates JJ/MM/AAAA (also JJ-MM-AAAA, JJ.MM.AAAA) or ISO AAAA-MM-JJ.
 * Each row is then validated by the API's own parser (lambdas/http/validation.ts parseInvoice),
 * so a row refused here would be refused by the API for the same reason.
 */
import { parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';
import { DomainError } from '../lambdas/domain/errors';
import { parseInvoice } from '../lambdas/http/validation';

/** The fields a row may give, with the header names accepted for each (compared normalized). */
export const COLUMNS = {
  invoiceNumber: ['invoiceNumber', 'numero_facture', 'numéro de facture', 'n° facture', 'facture', 'numero'],
  issueDate: ['issueDate', 'date_facture', 'date de facture', "date d'émission", 'date_emission'],
  dueDate: ['dueDate', 'date_echeance', "date d'échéance", 'échéance', 'echeance'],
  amount: ['amount', 'montant_ttc', 'montant ttc', 'montant'],
  currency: ['currency', 'devise'],
  description: ['description', 'libellé', 'libelle', 'objet'],
  performanceDate: ['performanceDate', 'date_prestation', 'date de prestation', 'date de livraison'],
  contractualPenaltyRate: ['contractualPenaltyRate', 'taux_penalites', 'taux de pénalités'],
  debtorKind: ['debtorKind', 'type_debiteur', 'type de débiteur', 'type client'],
  debtorName: ['debtorName', 'raison_sociale', 'raison sociale', 'nom_client', 'client', 'débiteur', 'nom'],
  debtorEmail: ['debtorEmail', 'email', 'e-mail', 'courriel', 'email_client'],
  debtorLanguage: ['debtorLanguage', 'langue'],
  debtorSiren: ['debtorSiren', 'siren'],
  debtorPhone: ['debtorPhone', 'telephone', 'téléphone', 'tel'],
  debtorSegment: ['debtorSegment', 'segment'],
  addressLine1: ['addressLine1', 'adresse', 'adresse1', 'adresse ligne 1'],
  addressLine2: ['addressLine2', 'adresse2', 'adresse ligne 2', "complément d'adresse"],
  postalCode: ['postalCode', 'code_postal', 'code postal', 'cp'],
  city: ['city', 'ville', 'commune'],
  country: ['country', 'pays'],
} as const;

export type Field = keyof typeof COLUMNS;

/** Needed in every row (or given by the mapping's defaults). */
export const REQUIRED: readonly Field[] = ['invoiceNumber', 'issueDate', 'dueDate', 'amount', 'debtorName', 'debtorEmail', 'addressLine1', 'postalCode', 'city'];

/** Values used when the file has no such column (a mapping's `defaults` override them). */
export const DEFAULTS: Partial<Record<Field, string>> = { currency: 'EUR', debtorKind: 'business', debtorLanguage: 'fr', country: 'FR' };

/** The mapping file (--map): `columns` field -> header in the file, `defaults` field -> value. */
export interface ColumnMapping {
  columns?: Partial<Record<Field, string>>;
  defaults?: Partial<Record<Field, string>>;
}

export interface RowProblem {
  /** Line in the file (1 = the header line). */
  line: number;
  field: string;
  message: string;
}

export interface CsvRow {
  line: number;
  invoiceNumber: string;
  /** The POST /invoices body. */
  body: Record<string, unknown>;
}

export interface CsvReadResult {
  encoding: 'utf-8' | 'windows-1252';
  separator: ';' | ',';
  /** Which header each field was read from. */
  columns: Partial<Record<Field, string>>;
  rows: CsvRow[];
  problems: RowProblem[];
}

export function normalizeHeader(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** UTF-8 (BOM or not) if it decodes as such, else Windows-1252. */
export function decode(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(body), 'win1252'), encoding: 'windows-1252' };
  }
}

export function detectSeparator(text: string): ';' | ',' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  let semis = 0;
  let commas = 0;
  let quoted = false;
  for (const c of firstLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ';') semis++;
    else if (!quoted && c === ',') commas++;
  }
  return semis >= commas && semis > 0 ? ';' : ',';
}

/**
 * "1 250,00", "1.250,00", "1,250.00", "1250,5" -> "1250.00" / "1250.50"; null when not an amount
 * or ambiguous ("1.250": thousands or decimals?). At most 2 decimals, as the API requires.
 */
export function normalizeAmount(raw: string): string | null {
  let s = raw.replace(/[\s\u00a0\u202f€]/g, '').replace(/EUR$/i, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  const decimalSep = lastComma > lastDot ? ',' : '.';
  const decimals = s.length - 1 - Math.max(lastComma, lastDot);
  if ((lastComma >= 0 || lastDot >= 0) && decimals >= 1 && decimals <= 2) {
    const [int, frac] = [s.slice(0, s.lastIndexOf(decimalSep)), s.slice(s.lastIndexOf(decimalSep) + 1)];
    if (!/^\d{1,3}([.,\s]?\d{3})*$|^\d+$/.test(int)) return null;
    s = `${int.replace(/[.,]/g, '')}.${frac.padEnd(2, '0')}`;
  } else {
    // No decimal part: digits only. "1.250" or "0,125" is refused, not guessed (1250 or 0.125?).
    if (!/^\d+$/.test(s)) return null;
    s = `${s}.00`;
  }
  return s.replace(/^0+(?=\d)/, '');
}

/** "31/03/2026", "31-03-2026", "31.03.2026" or "2026-03-31" -> "2026-03-31"; null otherwise. */
export function normalizeDate(raw: string): string | null {
  const s = raw.trim();
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (fr) return `${fr[3]}-${fr[2].padStart(2, '0')}-${fr[1].padStart(2, '0')}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  return null;
}

const KIND: Record<string, 'business' | 'consumer'> = {
  business: 'business',
  professionnel: 'business',
  pro: 'business',
  entreprise: 'business',
  b2b: 'business',
  societe: 'business',
  consumer: 'consumer',
  particulier: 'consumer',
  consommateur: 'consumer',
  b2c: 'consumer',
};

/** The field the API names for a CSV field (so an API error points at a column). */
const API_PATH: Record<Field, string> = {
  invoiceNumber: 'invoiceNumber',
  issueDate: 'issueDate',
  dueDate: 'dueDate',
  amount: 'amount',
  currency: 'currency',
  description: 'description',
  performanceDate: 'performanceDate',
  contractualPenaltyRate: 'contractualPenaltyRate',
  debtorKind: 'debtor.kind',
  debtorName: 'debtor.name',
  debtorEmail: 'debtor.email',
  debtorLanguage: 'debtor.language',
  debtorSiren: 'debtor.siren',
  debtorPhone: 'debtor.phone',
  debtorSegment: 'debtor.segment',
  addressLine1: 'debtor.address.line1',
  addressLine2: 'debtor.address.line2',
  postalCode: 'debtor.address.postalCode',
  city: 'debtor.address.city',
  country: 'debtor.address.country',
};
const FIELD_OF_PATH = new Map(Object.entries(API_PATH).map(([f, p]) => [p, f]));

/** An API field path ("debtor.address.postalCode") as the CSV field and its column header. */
export function columnOf(path: string, columns: Partial<Record<Field, string>>): string {
  const field = FIELD_OF_PATH.get(path) as Field | undefined;
  if (!field) return path;
  return columns[field] ? `${field} (column "${columns[field]}")` : field;
}

export function readInvoiceCsv(bytes: Uint8Array, mapping: ColumnMapping = {}): CsvReadResult {
  const { text, encoding } = decode(bytes);
  const separator = detectSeparator(text);
  const records = (parse as unknown as (t: string, o: object) => unknown)(text, { delimiter: separator, relax_column_count: true, skip_empty_lines: true, info: true, bom: true }) as {
    record: string[];
    info: { lines: number };
  }[];
  const problems: RowProblem[] = [];
  if (records.length === 0) return { encoding, separator, columns: {}, rows: [], problems: [{ line: 1, field: '', message: 'the file is empty' }] };

  // Which column holds each field: the mapping's names first, then the default names.
  const header = records[0].record.map((h) => h.trim());
  const byName = new Map(header.map((h, i) => [normalizeHeader(h), i]));
  const index: Partial<Record<Field, number>> = {};
  const columns: Partial<Record<Field, string>> = {};
  for (const field of Object.keys(COLUMNS) as Field[]) {
    const wanted = mapping.columns?.[field];
    if (wanted !== undefined) {
      const i = byName.get(normalizeHeader(wanted));
      if (i === undefined) problems.push({ line: 1, field, message: `the mapping names column "${wanted}", which the file does not have` });
      else index[field] = i;
    } else {
      const i = COLUMNS[field].map((n) => byName.get(normalizeHeader(n))).find((x) => x !== undefined);
      if (i !== undefined) index[field] = i;
    }
    if (index[field] !== undefined) columns[field] = header[index[field]!];
  }
  const defaults = { ...DEFAULTS, ...mapping.defaults };
  for (const field of REQUIRED) {
    if (index[field] === undefined && defaults[field] === undefined && !problems.some((p) => p.field === field)) {
      problems.push({ line: 1, field, message: `no column for ${field} (accepted headers: ${COLUMNS[field].join(', ')}; or name it in --map)` });
    }
  }
  if (problems.length) return { encoding, separator, columns, rows: [], problems };

  const rows: CsvRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const cell = (f: Field): string | undefined => {
      const i = index[f];
      const v = i === undefined ? undefined : record[i]?.trim();
      return v ? v : defaults[f];
    };
    const rowProblems: RowProblem[] = [];
    const date = (f: Field): string | undefined => {
      const v = cell(f);
      if (v === undefined) return undefined;
      const d = normalizeDate(v);
      if (d === null) rowProblems.push({ line, field: columnOf(API_PATH[f], columns), message: `"${v}" is not a date (JJ/MM/AAAA or AAAA-MM-JJ)` });
      return d ?? v;
    };
    const amountRaw = cell('amount');
    const amount = amountRaw === undefined ? undefined : normalizeAmount(amountRaw);
    if (amountRaw !== undefined && amount === null) rowProblems.push({ line, field: columnOf('amount', columns), message: `"${amountRaw}" is not an amount such as 1250,00` });
    const kindRaw = cell('debtorKind');
    const kind = kindRaw === undefined ? undefined : (KIND[normalizeHeader(kindRaw)] ?? kindRaw);
    const rate = cell('contractualPenaltyRate');
    const body: Record<string, unknown> = {
      invoiceNumber: cell('invoiceNumber'),
      issueDate: date('issueDate'),
      dueDate: date('dueDate'),
      amount: amount ?? amountRaw,
      currency: cell('currency'),
      ...(cell('description') !== undefined ? { description: cell('description') } : {}),
      ...(cell('performanceDate') !== undefined ? { performanceDate: date('performanceDate') } : {}),
      ...(rate !== undefined ? { contractualPenaltyRate: rate.replace(',', '.').replace(/\s*%$/, '') } : {}),
      debtor: {
        kind,
        name: cell('debtorName'),
        email: cell('debtorEmail'),
        language: cell('debtorLanguage')?.toLowerCase(),
        ...(cell('debtorSiren') !== undefined ? { siren: cell('debtorSiren')!.replace(/\s/g, '') } : {}),
        ...(cell('debtorPhone') !== undefined ? { phone: cell('debtorPhone') } : {}),
        ...(cell('debtorSegment') !== undefined ? { segment: cell('debtorSegment') } : {}),
        address: {
          line1: cell('addressLine1'),
          ...(cell('addressLine2') !== undefined ? { line2: cell('addressLine2') } : {}),
          postalCode: cell('postalCode'),
          city: cell('city'),
          country: cell('country')?.toUpperCase(),
        },
      },
    };
    // The API's own validation, so the report names every field the API would refuse (a field
    // already reported as unreadable above is not reported twice).
    const unreadable = new Set(rowProblems.map((p) => p.field));
    try {
      parseInvoice(body);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      for (const d of e.details) {
        const field = columnOf(d.path, columns);
        if (!unreadable.has(field)) rowProblems.push({ line, field, message: d.message });
      }
    }
    const invoiceNumber = String(body.invoiceNumber ?? '');
    if (rowProblems.length === 0 && firstLineOf.has(invoiceNumber)) {
      rowProblems.push({ line, field: columnOf('invoiceNumber', columns), message: `invoice ${invoiceNumber} is already on line ${firstLineOf.get(invoiceNumber)}` });
    }
    if (rowProblems.length) {
      problems.push(...rowProblems);
      continue;
    }
    firstLineOf.set(invoiceNumber, line);
    rows.push({ line, invoiceNumber, body });
  }
  return { encoding, separator, columns, rows, problems };
}
