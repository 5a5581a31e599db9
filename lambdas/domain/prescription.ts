/**
 * Prescription (limitation period) of the claim.
 *
 * - B2B: 5 years, "les obligations nées à l'occasion de leur commerce entre commerçants ou entre
 *   commerçants et non-commerçants se prescrivent par cinq ans" (C. com. L110-4).
 * - Business to consumer: 2 years, "l'action des professionnels, pour les biens ou les services
 *   qu'ils fournissent aux consommateurs, se prescrit par deux ans" (C. conso. L218-2).
 * - Runs from the performance of the service or the delivery of the goods, not from the invoice or
 *   its due date (Cass. com. 26 Feb 2020, n° 18-25.036; for L218-2, Cass. 1re civ. 19 May 2021,
 *   n° 20-12.520 and 3e civ. 1 Mar 2023, n° 21-23.176): the invoice's `performanceDate` when the
 *   creditor gives it, else its issue date (an invoice is issued on delivery or performance, C. com.
 *   L441-9; never later than the facts, so the fallback is the prudent side only when the invoice
 *   was issued promptly — the view says which was used). Counted in days (C. civ. 2228); acquired
 *   when the last day of the term is over (C. civ. 2229). We return that last day: the same calendar
 *   date N years after the start (29 February -> 28 February, the earlier and prudent choice).
 * - The debtor's acknowledgment of the debt interrupts it (C. civ. 2240, e.g. a signed payment
 *   plan; case law also treats a partial payment as an acknowledgment — pass its date in
 *   acknowledgedOn if the operator wants it counted); interruption starts a new period of the same
 *   length from the acknowledgment (C. civ. 2231). An acknowledgment after the period has run out
 *   does not revive it (renunciation, C. civ. 2250-2251, is not modelled).
 * - A mise en demeure does NOT interrupt prescription (Cass. com. 18 May 2022, n° 20-23.204); it
 *   is deliberately not an input. A court claim including injonction de payer (C. civ. 2241) and
 *   enforcement (2244) do interrupt it, but they happen after the amicable stage.
 */
import { parisDateOf } from './dates';
import type { DebtorKind, IsoDate } from './model';
import { addYears, compareIsoDates, daysBetween, maxIsoDate, requireIsoDate } from './epoch-days';

export interface PrescriptionInput {
  /** Performance of the service / delivery of the goods: the starting point when known. */
  performanceDate?: IsoDate;
  /** The invoice's issue date: the starting point when the performance date is not given. */
  issueDate?: IsoDate;
  /** Legacy callers only (used when neither date above is given). */
  dueDate?: IsoDate;
  debtorKind: DebtorKind;
  /**
   * The debtor is a public person (debtor segment "public-sector"): the four-year rule of loi
   * n° 68-1250 du 31 décembre 1968 applies instead (see publicPrescription).
   */
  publicSector?: boolean;
  /** Public sector only: dates of the creditor's written claims (the letters sent), which interrupt it. */
  writtenClaimsOn?: readonly IsoDate[];
  /** Dates of acknowledgments of the debt by the debtor (C. civ. 2240). */
  acknowledgedOn?: readonly IsoDate[];
}

export interface PrescriptionDetail {
  /** Last day on which the creditor can still act; prescribed from the next day. */
  prescribesOn: IsoDate;
  years: 5 | 4 | 2;
  article: string;
  /** Start of the period currently running (the starting point or the last effective acknowledgment). */
  runsFrom: IsoDate;
  /** The starting point of the first period, and which date it is. */
  startsOn: IsoDate;
  startingPoint: 'performance_date' | 'issue_date' | 'due_date';
  acknowledgmentsApplied: IsoDate[];
  /** Acknowledgments dated after the period had already run out. */
  acknowledgmentsIgnored: IsoDate[];
  notes: string[];
}

export function prescriptionDetail(input: PrescriptionInput): PrescriptionDetail {
  const startingPoint = input.performanceDate !== undefined ? 'performance_date' : input.issueDate !== undefined ? 'issue_date' : 'due_date';
  const startsOn = (input.performanceDate ?? input.issueDate ?? input.dueDate) as IsoDate;
  requireIsoDate(startsOn, startingPoint === 'performance_date' ? 'performanceDate' : startingPoint === 'issue_date' ? 'issueDate' : 'dueDate');
  if (input.publicSector) return publicPrescription(input, startsOn, startingPoint);
  const b2b = input.debtorKind === 'business';
  const years = b2b ? 5 : 2;
  const article = b2b ? 'C. com. L110-4 (5 years, commercial)' : 'C. conso. L218-2 (2 years, professional against consumer)';
  const acks = [...(input.acknowledgedOn ?? [])];
  acks.forEach((a) => requireIsoDate(a, 'acknowledgedOn[]'));
  acks.sort(compareIsoDates);

  let runsFrom = startsOn;
  let prescribesOn = addYears(startsOn, years);
  const applied: IsoDate[] = [];
  const ignored: IsoDate[] = [];
  for (const ack of acks) {
    if (compareIsoDates(ack, prescribesOn) > 0) {
      ignored.push(ack);
      continue;
    }
    const restarted = addYears(ack, years);
    // An acknowledgment before the starting point cannot shorten the period that starts there.
    if (compareIsoDates(restarted, prescribesOn) > 0) {
      prescribesOn = restarted;
      runsFrom = maxIsoDate(ack, runsFrom);
    }
    applied.push(ack);
  }
  const from = { performance_date: 'the performance date', issue_date: 'the issue date (no performance date given)', due_date: 'the due date' }[startingPoint];
  const notes = [
    `Prescription ${years} years (${article}) from ${runsFrom}; last day to act ${prescribesOn} (C. civ. 2228-2229). The first period starts on ${startsOn}, ${from} (Cass. com. 26 Feb 2020, 18-25.036${b2b ? '' : '; Cass. 1re civ. 19 May 2021, 20-12.520'}).`,
    'A mise en demeure does not interrupt prescription (Cass. com. 18 May 2022, 20-23.204).',
  ];
  if (applied.length > 0) notes.push(`Interrupted by acknowledgment(s) of ${applied.join(', ')} (C. civ. 2240): new period of the same length (C. civ. 2231).`);
  if (ignored.length > 0) notes.push(`Acknowledgment(s) of ${ignored.join(', ')} came after the period had run out and do not revive it.`);
  return { prescribesOn, years, article, runsFrom, startsOn, startingPoint, acknowledgmentsApplied: applied, acknowledgmentsIgnored: ignored, notes };
}

/**
 * Claims on the State, départements, communes and public establishments (loi n° 68-1250 du 31
 * décembre 1968, "déchéance quadriennale"): art. 1, prescribed four years from the first day of
 * the year following the one in which the rights were acquired (here: the performance, else the
 * issue date); art. 2, interrupted by any written claim of the creditor to the authority about the
 * debt (each reminder and the mise en demeure) and by the authority's own acknowledgment, a new four-year
 * period then running from the first day of the following year. So, unlike C. civ. 2240 debts,
 * the letters themselves interrupt it.
 */
function publicPrescription(input: PrescriptionInput, startsOn: IsoDate, startingPoint: PrescriptionDetail['startingPoint']): PrescriptionDetail {
  const nextJan1 = (d: IsoDate): IsoDate => `${String(Number(d.slice(0, 4)) + 1).padStart(4, '0')}-01-01`;
  const lastDay = (jan1: IsoDate): IsoDate => `${String(Number(jan1.slice(0, 4)) + 3).padStart(4, '0')}-12-31`;
  let runsFrom = nextJan1(startsOn);
  let prescribesOn = lastDay(runsFrom);
  const applied: IsoDate[] = [];
  const ignored: IsoDate[] = [];
  const events = [...(input.acknowledgedOn ?? []), ...(input.writtenClaimsOn ?? [])];
  events.forEach((e) => requireIsoDate(e, 'acknowledgedOn[] / writtenClaimsOn[]'));
  for (const e of events.sort(compareIsoDates)) {
    if (compareIsoDates(e, prescribesOn) > 0) {
      ignored.push(e);
      continue;
    }
    const from = nextJan1(e);
    if (compareIsoDates(from, runsFrom) > 0) {
      runsFrom = from;
      prescribesOn = lastDay(from);
    }
    applied.push(e);
  }
  const article = 'Loi n° 68-1250 du 31 décembre 1968 (4 years, public debtor)';
  const notes = [
    `Public debtor: prescription 4 years (${article}) from ${runsFrom}, the first day of the year following the ${startingPoint === 'performance_date' ? 'performance' : 'issue'} date ${startsOn} or the last interruption; last day to act ${prescribesOn}.`,
    'Interrupted by every written claim of the creditor about the debt (each reminder, the mise en demeure) and by the debtor\'s acknowledgment (loi 68-1250, art. 2).',
  ];
  return { prescribesOn, years: 4, article, runsFrom, startsOn, startingPoint, acknowledgmentsApplied: applied, acknowledgmentsIgnored: ignored, notes };
}

/** Last day on which the creditor can still act (see prescriptionDetail). */
export function prescriptionDate(input: PrescriptionInput): IsoDate {
  return prescriptionDetail(input).prescribesOn;
}

export interface PrescriptionWarning {
  level: 'approaching' | 'prescribed';
  prescribesOn: IsoDate;
  /** Calendar date of the hand-off in Europe/Paris. */
  handoffOn: IsoDate;
  /** prescribesOn - handoffOn in days (0: the hand-off is on the last day; negative: too late). */
  daysLeft: number;
  message: string;
}

/**
 * Warns when the litigation hand-off happens fewer than `warnDays` days before the claim
 * prescribes (level "approaching"), or after it (level "prescribed"). Null when there is time.
 */
export function prescriptionWarning(prescribesOn: IsoDate, handoffAt: string, warnDays = 90): PrescriptionWarning | null {
  requireIsoDate(prescribesOn, 'prescribesOn');
  if (!Number.isSafeInteger(warnDays) || warnDays < 0) throw new RangeError(`warnDays must be a non-negative integer: ${warnDays}`);
  const handoffOn = parisDateOf(handoffAt);
  const daysLeft = daysBetween(handoffOn, prescribesOn);
  if (daysLeft < 0) {
    return {
      level: 'prescribed',
      prescribesOn,
      handoffOn,
      daysLeft,
      message: `The claim prescribed after ${prescribesOn}: the hand-off of ${handoffOn} is ${-daysLeft} day(s) too late; a court claim would be time-barred unless an acknowledgment (C. civ. 2240) is on file.`,
    };
  }
  if (daysLeft <= warnDays) {
    return {
      level: 'approaching',
      prescribesOn,
      handoffOn,
      daysLeft,
      message: `The claim prescribes after ${prescribesOn}, ${daysLeft} day(s) after the hand-off of ${handoffOn}: file the court claim (e.g. injonction de payer, C. civ. 2241) or obtain an acknowledgment before then. A mise en demeure does not interrupt prescription.`,
    };
  }
  return null;
}
