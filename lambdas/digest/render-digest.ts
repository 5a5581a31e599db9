/**
 * The accountants' digest as an e-mail: a rendering of the report (domain/report.ts), in French or
 * English, HTML and plain text, with the aging chart as an inline PNG (cid) and the CSV of open
 * dossiers attached. Every string from a dossier or a profile reaches the HTML through escapeHtml
 * and the subject through singleLine (lambdas/notices/escape.ts: the notices' own rules). A period
 * in which nothing happened gives a one-line digest (no chart, no CSV).
 */
import { isoWeekday } from '../domain/calendar';
import { hhmm, isoMillis, parisDate, PARIS, zonedTime } from '../domain/dates';
import { addDays } from '../domain/epoch-days';
import type { CreditorProfile, Language } from '../domain/model';
import { formatMoney, parseEuros } from '../domain/money';
import type { HappenedItem, ListOf, Report, ReportRow } from '../domain/report';
import { escapeHtml as e, singleLine } from '../notices/escape';
import { formatDate } from '../notices/format';
import type { NoticeAttachment } from '../notices/types';
import { agingChartPng, chartLabels, share } from './aging-chart';
import { openDossiersCsv } from './open-dossiers-csv';
import { BUCKET_LABELS, count, fill, label, STAGE_LABELS, TASK_LABELS, W, WEEKDAYS } from './wording';

export const CHART_CID = 'aging-chart@amiable';


export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
  attachments: NoticeAttachment[];
  oneLine: boolean;
}

/** How many items of each list the e-mail shows (the report holds up to 100, GET /reports/summary). */
const SHOWN = 20;

const cents = (s: string) => parseEuros(s) ?? 0;
const money = (s: string, l: Language) => formatMoney(cents(s), l);

function longDate(date: string, l: Language): string {
  return `${WEEKDAYS[l][isoWeekday(date) - 1]} ${formatDate(date, l)}`;
}

function instant(at: string, l: Language): string {
  // To the nearest minute (a first period starts 1 ms before the creditor's creation instant).
  const t = zonedTime(isoMillis(at, 'UTC') + 30_000, PARIS);
  return `${longDate(t.date, l)} ${l === 'fr' ? 'à' : 'at'} ${hhmm(t)}`;
}

/** French puts a (no-break) space before a colon; English does not. */
const colon = (l: Language) => (l === 'fr' ? '\u00a0: ' : ': ');

function decimal(s: string, l: Language): string {
  return l === 'fr' ? s.replace('.', ',') : s;
}

function percent(s: string, l: Language): string {
  return l === 'fr' ? `${s.replace('.', ',')}\u00a0%` : `${s}%`;
}

/** The items of a report list as lines of text (plain, unescaped). */
function lines(list: ListOf<HappenedItem>, describe: (i: HappenedItem) => string, l: Language): string[] {
  const out = list.items.slice(0, SHOWN).map((i) => `${i.invoiceNumber} — ${singleLine(i.debtorName)} — ${describe(i)}`);
  if (list.count > out.length) out.push(fill(W.more[l], { n: list.count - out.length }));
  return out;
}

interface Section {
  title: string;
  lines: string[];
}

function happenedSections(r: Report, l: Language): Section[] {
  const h = r.happened;
  const when = (i: HappenedItem) => instant(i.at, l);
  const sections: [string, ListOf<HappenedItem>, (i: HappenedItem) => string][] = [
    [W.newDossiers[l], h.newDossiers, (i) => `${money(i.amount ?? '0', l)}, ${W.due[l]} ${formatDate(i.date ?? '', l)}`],
    [W.cancelled[l], h.cancelled, (i) => singleLine(i.reason ?? '')],
    [W.noticesSent[l], h.noticesSent, (i) => `${label(STAGE_LABELS, i.stage, l)}, ${when(i)}`],
    [`${W.paymentsReceived[l]} (${W.total[l]} ${money(h.paymentsReceived.total, l)})`, h.paymentsReceived, (i) => `${money(i.amount ?? '0', l)}, ${W.paidOn[l]} ${formatDate(i.paidOn ?? '', l)}${i.reference ? ` (${singleLine(i.reference)})` : ''}`],
    [W.disputesOpened[l], h.disputesOpened, (i) => `${singleLine(i.reason ?? '')}${i.amount ? ` (${money(i.amount, l)})` : ''}`],
    [W.disputesResolved[l], h.disputesResolved, (i) => `${i.outcome === 'rejected' ? W.rejected[l] : W.upheld[l]}${i.amount ? ` (${money(i.amount, l)})` : ''}`],
    [W.promisesAgreed[l], h.promisesAgreed, (i) => `${money(i.amount ?? '0', l)}, ${formatDate(i.date ?? '', l)}`],
    [W.promisesKept[l], h.promisesKept, (i) => money(i.amount ?? '0', l)],
    [W.promisesBroken[l], h.promisesBroken, (i) => money(i.amount ?? '0', l)],
    [W.plansAgreed[l], h.plansAgreed, (i) => money(i.amount ?? '0', l)],
    [W.plansCompleted[l], h.plansCompleted, (i) => when(i)],
    [W.plansBroken[l], h.plansBroken, (i) => (i.date ? formatDate(i.date, l) : when(i))],
    [W.bounces[l], h.bounces, (i) => `${singleLine(i.recipient ?? '')}${i.reason ? ` (${singleLine(i.reason)})` : ''}`],
    [W.complaints[l], h.complaints, (i) => singleLine(i.recipient ?? '')],
    [W.handOffs[l], h.handOffs, (i) => when(i)],
  ];
  return sections.filter(([, list]) => list.count > 0).map(([title, list, describe]) => ({ title: `${title}${colon(l)}${list.count}`, lines: lines(list, describe, l) }));
}

function nextSection(r: Report, l: Language): Section {
  const byStage = Object.entries(r.next.byStage).map(([stage, n]) => `${label(STAGE_LABELS, stage, l)}${colon(l)}${n}`);
  const items = r.next.items.slice(0, SHOWN).map((i) => `${instant(i.at, l)} — ${label(STAGE_LABELS, i.stage, l)} — ${i.invoiceNumber} — ${singleLine(i.debtorName)} (${money(i.balance, l)})`);
  if (r.next.count > items.length) items.push(fill(W.more[l], { n: r.next.count - items.length }));
  const until = addDays(parisDate(r.next.until), -1);
  return { title: `${W.next[l]} (${W.nextUntil[l]} ${longDate(until, l)})`, lines: r.next.count ? [byStage.join(' ; '), ...items] : [W.nothingNext[l]] };
}

function humanSections(r: Report, l: Language): Section[] {
  const a = r.attention;
  const out: Section[] = [];
  const att = (title: string, list: Report['attention']['needsAttention']) => {
    if (!list.count) return;
    const ls = list.items.slice(0, SHOWN).map((i) => `${i.invoiceNumber} — ${singleLine(i.debtorName)} (${money(i.balance, l)})${i.since ? `, ${W.since[l]} ${instant(i.since, l)}` : ''}${colon(l)}${singleLine(i.reason)}`);
    if (list.count > ls.length) ls.push(fill(W.more[l], { n: list.count - ls.length }));
    out.push({ title: `${title} (${list.count})`, lines: ls });
  };
  att(W.needsAttention[l], a.needsAttention);
  att(W.openDisputes[l], a.openDisputes);
  if (a.dueCallTasks.count) {
    const ls = a.dueCallTasks.items.slice(0, SHOWN).map((t) => `${t.invoiceNumber} — ${singleLine(t.debtorName)} — ${label(TASK_LABELS, t.task, l)}, ${instant(t.dueAt, l)}`);
    if (a.dueCallTasks.count > ls.length) ls.push(fill(W.more[l], { n: a.dueCallTasks.count - ls.length }));
    out.push({ title: `${W.dueCalls[l]} (${a.dueCallTasks.count})`, lines: ls });
  }
  if (a.deferredAlerts.count) {
    out.push({ title: `${W.deferredAlerts[l]} (${a.deferredAlerts.count})`, lines: a.deferredAlerts.items.slice(0, SHOWN).map((x) => `${x.kind} — ${x.dossierId} — ${instant(x.at, l)}`) });
  }
  return out;
}

function humanCount(r: Report): number {
  const a = r.attention;
  return a.needsAttention.count + a.openDisputes.count + a.dueCallTasks.count + a.deferredAlerts.count;
}

export interface DigestInput {
  report: Report;
  openRows: readonly ReportRow[];
  creditor: CreditorProfile;
  language: Language;
}

export function renderDigest(input: DigestInput): RenderedDigest {
  const { report: r, creditor, language: l } = input;
  const name = singleLine(creditor.legalName);
  const p = r.portfolio;
  const subjectFigures = `${count(p.open.count, W.dossier, W.dossiers, l)}, ${money(p.open.balance, l)}`;
  const human = humanCount(r);

  if (r.happened.empty) {
    const text = fill(W.oneLine[l], {
      since: instant(r.period.since, l),
      open: count(p.open.count, W.dossier, W.dossiers, l),
      balance: money(p.open.balance, l),
      human: human ? fill(W.oneLineHuman[l], { n: human }) : W.oneLineNone[l],
    });
    const subject = singleLine(`${W.subject[l]} ${formatDate(r.asOf, l)} — ${name}${colon(l)}${subjectFigures}`);
    return {
      subject,
      text: `${text}\n`,
      html: page(l, subject, `<p>${e(text)}</p>`),
      attachments: [],
      oneLine: true,
    };
  }

  const subject = singleLine(
    `${W.subject[l]} ${formatDate(r.asOf, l)} — ${name}${colon(l)}${subjectFigures}${human ? ` ; ${fill(W.oneLineHuman[l], { n: human })}` : ''}`,
  );
  const collectedDays =
    p.collected.to < p.collected.from
      ? W.noCompleteDay[l]
      : p.collected.to === p.collected.from
        ? `${W.onDay[l]} ${formatDate(p.collected.from, l)}`
        : `${formatDate(p.collected.from, l)} – ${formatDate(p.collected.to, l)}`;
  const dsoWhy =
    p.dso.missingMonth && p.dso.atEndOf ? fill(W.dsoMissingMonth[l], { end: p.dso.atEndOf, month: p.dso.missingMonth }) : W.dsoNoFigures[l];
  const figures: [string, string][] = [
    [W.openBalance[l], `${money(p.open.balance, l)} (${count(p.open.count, W.dossier, W.dossiers, l)})${p.handedOff.count ? `, ${W.handedOff[l]} ${money(p.handedOff.balance, l)} (${p.handedOff.count})` : ''}`],
    [`${W.collected[l]}, ${collectedDays}`, `${money(p.collected.amount, l)} (${count(p.collected.count, W.payment, W.payments, l)})`],
    [W.atRisk[l], p.atRiskPercent === null ? '—' : `${percent(p.atRiskPercent, l)} ${W.ofOpen[l]}`],
    [W.weighted[l], p.weightedDaysPastDue === null ? '—' : `${decimal(p.weightedDaysPastDue, l)} ${W.days[l]}`],
    [
      `${W.dso[l]}${p.dso.atEndOf ? ` ${W.dsoAt[l]} ${p.dso.atEndOf}` : ''}`,
      p.dso.days === null ? `${W.notComputed[l]}${colon(l)}${dsoWhy}` : `${decimal(p.dso.days, l)} ${W.days[l]}`,
    ],
  ];
  const total = cents(p.open.balance);
  const agingRows = p.aging.map((b) => [label(BUCKET_LABELS, b.bucket, l), String(b.count), money(b.balance, l), share(cents(b.balance), total, l)]);
  const stageRows = p.byStage.filter((s) => s.count > 0).map((s) => [label(STAGE_LABELS, s.stage, l), String(s.count), money(s.balance, l)]);
  const happened = happenedSections(r, l);
  const next = nextSection(r, l);
  const humans = humanSections(r, l);
  const periodLine = `${W.period[l]} ${instant(r.period.since, l)} ${W.to[l]} ${instant(r.period.until, l)}`;
  const evidenceText = fill(W.evidenceText[l], { n: r.evidence.dossiers });
  const csvLine = fill(W.csv[l], { n: input.openRows.length });
  const basis = W.basisText[l];
  const footer = fill(W.footer[l], { creditor: name });
  const chartAlt = p.aging.map((b, i) => `${chartLabels(l)[i]}: ${money(b.balance, l)}`).join(', ');

  // --- plain text
  const t: string[] = [`${W.title[l]} ${longDate(r.asOf, l)} — ${name}`, periodLine, '', `== ${W.figures[l]} ==`];
  for (const [k, v] of figures) t.push(`${k}${colon(l)}${v}`);
  t.push('', `== ${W.aging[l]} ==`);
  for (const row of agingRows) t.push(`${row[0]}${colon(l)}${row[2]} (${count(Number(row[1]), W.dossier, W.dossiers, l)}, ${row[3]})`);
  if (stageRows.length) {
    t.push('', `== ${W.byStage[l]} ==`);
    for (const row of stageRows) t.push(`${row[0]}${colon(l)}${row[2]} (${row[1]})`);
  }
  t.push('', `== ${W.happened[l]} ==`);
  for (const s of happened) t.push(s.title, ...s.lines.map((x) => `  - ${x}`));
  t.push('', `== ${next.title} ==`, ...next.lines.map((x) => `  - ${x}`));
  t.push('', `== ${W.human[l]} ==`);
  if (humans.length === 0) t.push(W.nothingHuman[l]);
  for (const s of humans) t.push(s.title, ...s.lines.map((x) => `  - ${x}`));
  t.push('', `== ${W.evidence[l]} ==`, r.evidence.root, evidenceText, '', csvLine, '', `== ${W.basis[l]} ==`, ...basis, '', footer, '');

  // --- HTML
  const TH = 'padding:4px 8px;text-align:left;border-bottom:2px solid #1f2328';
  const TD = 'padding:4px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top';
  const NUM = `${TD};text-align:right;white-space:nowrap`;
  const table = (head: string[], rows: string[][], numeric: number[]) =>
    '<table role="presentation" style="border-collapse:collapse;width:100%;margin:8px 0">' +
    `<tr>${head.map((h, i) => `<th style="${TH}${numeric.includes(i) ? ';text-align:right' : ''}">${e(h)}</th>`).join('')}</tr>` +
    rows.map((row) => `<tr>${row.map((c, i) => `<td style="${numeric.includes(i) ? NUM : TD}">${e(c)}</td>`).join('')}</tr>`).join('') +
    '</table>';
  const h2 = (s: string) => `<h2 style="font-size:17px;margin:24px 0 6px;border-bottom:1px solid #d0d7de;padding-bottom:4px">${e(s)}</h2>`;
  const section = (s: Section) => `${s.title ? `<p style="margin:10px 0 4px"><strong>${e(s.title)}</strong></p>` : ''}<ul style="margin:0;padding-left:20px">${s.lines.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`;
  const parts: string[] = [
    `<h1 style="font-size:20px;margin:0 0 4px">${e(`${W.title[l]} ${longDate(r.asOf, l)}`)}</h1>`,
    `<p style="margin:0;color:#57606a">${e(name)}<br>${e(periodLine)}</p>`,
    h2(W.figures[l]),
    '<table role="presentation" style="border-collapse:collapse;width:100%">' +
      figures.map(([k, v]) => `<tr><td style="${TD};color:#57606a">${e(k)}</td><td style="${TD}"><strong>${e(v)}</strong></td></tr>`).join('') +
      '</table>',
    h2(W.aging[l]),
    `<img src="cid:${CHART_CID}" width="560" height="230" alt="${e(`${W.aging[l]}: ${chartAlt}`)}" style="display:block;max-width:100%;height:auto;border:0">`,
    table([W.bucket[l], W.count[l], W.amount[l], W.share[l]], [...agingRows, [W.total[l], String(p.open.count), money(p.open.balance, l), '']], [1, 2, 3]),
    ...(stageRows.length ? [h2(W.byStage[l]), table([W.stage[l], W.count[l], W.amount[l]], stageRows, [1, 2])] : []),
    h2(W.happened[l]),
    ...happened.map(section),
    h2(next.title),
    section({ title: '', lines: next.lines }),
    h2(W.human[l]),
    ...(humans.length ? humans.map(section) : [`<p>${e(W.nothingHuman[l])}</p>`]),
    h2(W.evidence[l]),
    `<p style="font-family:Consolas,Menlo,monospace;font-size:13px;word-break:break-all;background:#f6f8fa;padding:8px">${e(r.evidence.root)}</p>`,
    `<p style="color:#57606a">${e(evidenceText)}</p>`,
    `<p>${e(csvLine)}</p>`,
    h2(W.basis[l]),
    ...basis.map((b) => `<p style="color:#57606a;font-size:12px">${e(b)}</p>`),
    `<p style="color:#57606a;font-size:12px;border-top:1px solid #d0d7de;padding-top:8px">${e(footer)}</p>`,
  ];
  const chart = agingChartPng(
    p.aging.map((b, i) => ({ label: chartLabels(l)[i], cents: cents(b.balance) })),
    l,
  );
  const csv = openDossiersCsv(input.openRows, r.asOf, l);
  return {
    subject,
    text: t.join('\n'),
    html: page(l, subject, parts.join('\n')),
    attachments: [
      { filename: 'balance-agee.png', contentType: 'image/png', content: chart, cid: CHART_CID },
      { filename: `${l === 'fr' ? 'dossiers-ouverts' : 'open-dossiers'}-${r.asOf}.csv`, contentType: 'text/csv', content: csv },
    ],
    oneLine: false,
  };
}

function page(l: Language, subject: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${l}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(subject)}</title></head>`,
    '<body style="margin:0 auto;padding:16px;max-width:680px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2328">',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
