import { withWholeHistory } from './dossier-history';
/**
 * The accountants' report of one creditor (GET /reports/summary; the digest renders the same
 * object): reads what domain/report.ts needs through the indexes, then builds it.
 */
import { PARIS } from '../domain/dates';
import { addDays } from '../domain/epoch-days';
import { holidayRegionFor, localDate, localTimeToInstant, nextBusinessDayAfter } from '../domain/calendar';
import type { Dossier } from '../domain/dossier';
import { DomainError, notFound } from '../domain/errors';
import type { CreditorProfile, IsoDate, IsoInstant } from '../domain/model';
import { buildReport, OPEN_STATUSES, type ReceivablesMonth, type ReportDetail } from '../domain/report';
import { getCreditor } from '../adapters/creditor-store';
import { deferredAlerts, getDigestState, listReceivables, putReceivables } from '../adapters/accountant-store';
import { dossierIdsActiveSince, readDossiers, summariesByStatus } from '../adapters/report-source';
import { listOpenTasks } from '../adapters/task-store';

const dateOf = (at: IsoInstant) => localDate(at, PARIS);
const midnight = (date: IsoDate) => localTimeToInstant(date, '00:00', PARIS);

export interface ReportRequest {
  /** Report date (aging); default: today in Paris. Not after today. */
  asOf?: IsoDate;
  /** Start of the period; default: the last digest sent, else midnight (Paris) of the day before asOf. */
  since?: IsoInstant;
  /** End of the period (digests); default: now when asOf is today, else midnight after asOf. */
  until?: IsoInstant;
  /** Also read in full the open dossiers whose summary lacks the invoice amount (for the CSV). */
  completeRows?: boolean;
}

export interface CreditorReport extends ReportDetail {
  creditor: CreditorProfile;
}

export async function creditorReport(creditorId: string, req: ReportRequest, now: Date): Promise<CreditorReport> {
  const creditor = await getCreditor(creditorId);
  if (!creditor) throw notFound('Creditor');
  const nowIso = now.toISOString();
  const today = dateOf(nowIso);
  const asOf = req.asOf ?? today;
  if (asOf > today) throw new DomainError(400, 'validation_failed', 'Invalid query', [{ path: 'asOf', message: `must not be after today (${today})` }]);
  const until = normal(req.until ?? (asOf === today ? nowIso : midnight(addDays(asOf, 1))));
  let since = req.since;
  if (since === undefined) {
    const state = await getDigestState(creditorId);
    since = state && Date.parse(state.lastUntil) < Date.parse(until) ? state.lastUntil : midnight(addDays(asOf, -1));
  }
  since = normal(since);
  if (Date.parse(since) > Date.parse(until)) {
    throw new DomainError(400, 'validation_failed', 'Invalid query', [{ path: 'since', message: `must not be after the end of the period (${until})` }]);
  }
  // Every dossier active since the start of the day `since` falls on is read in full: payments
  // dated that day or later were recorded then or later (paidOn is never after its recording day).
  const readFrom = normal(midnight(dateOf(since)));
  const region = holidayRegionFor({ postalCode: creditor.address.postalCode, country: creditor.address.country });
  const nextUntil = midnight(addDays(nextBusinessDayAfter(asOf, region), 1));

  const [openSummaries, activeIds, tasks, receivables, deferred] = await Promise.all([
    summariesByStatus(creditorId, OPEN_STATUSES),
    dossierIdsActiveSince(creditorId, readFrom),
    listOpenTasks(creditorId),
    listReceivables(creditorId),
    deferredAlerts(creditorId, since, until),
  ]);
  const needFull = new Set(activeIds);
  for (const s of openSummaries) {
    if (s.status === 'needs_attention' || s.status === 'paused_dispute') needFull.add(s.id);
    if (req.completeRows && typeof s.amount !== 'string') needFull.add(s.id);
  }
  // The report reads payments and SES facts from the history: a dossier whose item holds part of it is completed from the log.
  const full: Dossier[] = await Promise.all(
    (await readDossiers([...needFull])).filter((d) => d.creditorId === creditorId).map(withWholeHistory),
  );
  const detail = buildReport(
    {
      creditorId,
      asOf,
      since,
      until,
      builtAt: nowIso,
      nextUntil,
      openSummaries,
      full,
      readFrom,
      tasks,
      receivables,
      deferredAlerts: deferred,
    },
    { dateOf },
  );
  return { ...detail, creditor };
}

function normal(at: IsoInstant): IsoInstant {
  return new Date(Date.parse(at)).toISOString();
}

export async function recordReceivables(creditorId: string, m: ReceivablesMonth, now: Date): Promise<ReceivablesMonth> {
  if (!(await getCreditor(creditorId))) throw notFound('Creditor');
  await putReceivables(creditorId, m, now);
  return m;
}
