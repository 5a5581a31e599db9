/**
 * The due date an invoice's payment terms (EN 16931 BT-20, free text) state, when they state one
 * this code can read without guessing. C. com. L441-10 I: the agreed term runs from the invoice
 * date ("30 jours", "net 30", "60 jours date de facture"), or "45 jours fin de mois" when expressly
 * agreed. Anything else (a date inside the text, "fin de mois le 10", "à 30 jours de livraison",
 * instalments) is not read: the caller refuses the invoice and asks for BT-9.
 *
 * "N jours fin de mois" is computed as the invoice date plus N days, then the end of that month
 * (the method the DGCCRF describes first; the other one, end of month then N days, must be given
 * as BT-9). Due "à réception" / "comptant" / "upon receipt" is the invoice date.
 */
import { addCalendarDays } from './calendar';
import type { IsoDate } from './model';

export type TermsReading = { dueDate: IsoDate; rule: string } | null;

/** Longest term read (days): beyond a year it is not a payment term but a mistake or a schedule. */
const MAX_DAYS = 365;

export function dueDateFromTerms(terms: string, issueDate: IsoDate): TermsReading {
  const t = terms
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/[.;]$/, '');
  if (/^(paiement )?(a reception( de (la )?facture)?|comptant|due on receipt|upon receipt|payable on receipt|immediate|immediat)$/.test(t)) {
    return { dueDate: issueDate, rule: 'due on receipt: the invoice date' };
  }
  const endOfMonth = /^(?:paiement |payment |payable )?(?:a )?(\d{1,3}) (?:jours|days|j)(?: date de facture)? (?:fin de mois|end of month|fdm|eom)$/.exec(t);
  if (endOfMonth) {
    const days = Number(endOfMonth[1]);
    if (days < 1 || days > MAX_DAYS) return null;
    const plus = addCalendarDays(issueDate, days);
    return { dueDate: lastDayOfMonth(plus), rule: `${days} days end of month: invoice date + ${days} days, then the end of that month` };
  }
  const net =
    /^(?:paiement |payment |payable |reglement )?(?:a |within |in )?(\d{1,3}) ?(?:jours|days|j|d)(?: net(?:s)?)?(?: (?:date de facture|a compter de la date de (?:la )?facture|from (?:the )?invoice date|after invoice date|date of invoice))?$/.exec(t) ??
    /^net ?(\d{1,3})(?: (?:jours|days))?$/.exec(t);
  if (net) {
    const days = Number(net[1]);
    if (days > MAX_DAYS) return null;
    return { dueDate: addCalendarDays(issueDate, days), rule: `${days} days from the invoice date` };
  }
  return null;
}

function lastDayOfMonth(date: IsoDate): IsoDate {
  const [y, m] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
}
