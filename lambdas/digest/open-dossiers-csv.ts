/**
 * The digest's CSV of open dossiers, made to open cleanly in French Excel: UTF-8 with a byte order
 * mark, ";" between fields, decimal commas, dates DD/MM/YYYY, CRLF line ends. One row per dossier
 * open at the end of the period: invoice, debtor, amount, balance, due date, days past due (0 when
 * not yet due), status, stage reached, next action and its date (Europe/Paris). Text cells are
 * quoted when needed and a cell that a spreadsheet would read as a formula (= + - @, tab, CR) is
 * prefixed with an apostrophe (CSV injection).
 */
import { isoMillis, parisDayAndTime } from '../domain/dates';
import type { Language } from '../domain/model';
import type { ReportRow } from '../domain/report';
import { rowDaysPastDue } from '../domain/report';
import { CSV_COLUMNS, label, STAGE_LABELS, STATUS_LABELS } from './wording';

const BOM = '\ufeff';

/** "1250,00": decimal comma, no thousands separator (Excel reads it as a number). */
export function csvAmount(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

export function csvDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export function csvInstant(at: string): string {
  const ms = isoMillis(at, 'UTC');
  return Number.isNaN(ms) ? at : parisDayAndTime(ms);
}

/** One text cell: formula-looking text neutralised, quoted when it holds ; " or a line break. */
export function csvText(value: string): string {
  let v = value.replace(/\r\n?/g, '\n');
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function openDossiersCsv(rows: readonly ReportRow[], asOf: string, language: Language): Buffer {
  const lines = [CSV_COLUMNS[language].map(csvText).join(';')];
  for (const r of rows) {
    lines.push(
      [
        csvText(r.invoiceNumber),
        csvText(r.debtorName),
        r.amountCents === null ? '' : csvAmount(r.amountCents),
        csvAmount(r.balanceCents),
        csvDate(r.dueDate),
        String(Math.max(0, rowDaysPastDue(r, asOf))),
        csvText(label(STATUS_LABELS, r.status, language)),
        csvText(label(STAGE_LABELS, r.stage ?? 'none', language)),
        r.nextAction ? csvText(label(STAGE_LABELS, r.nextAction.stage, language)) : '',
        r.nextAction ? csvInstant(r.nextAction.at) : '',
      ].join(';'),
    );
  }
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
