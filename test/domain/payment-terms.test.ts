import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../lambdas/domain/calendar';
import { dueDateFromTerms } from '../../lambdas/domain/payment-terms';

// Replay a failure with FC_SEED=<seed printed below>.
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`payment-terms properties: FC_SEED=${seed}`);

const issueDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const days = fc.integer({ min: 1, max: 120 });

describe('due date from payment terms (BT-20)', () => {
  it.each([
    ['30 jours', '2026-03-04', '2026-04-03'],
    ['Paiement à 30 jours date de facture', '2026-03-04', '2026-04-03'],
    ['net 30', '2026-03-04', '2026-04-03'],
    ['Net30', '2026-03-04', '2026-04-03'],
    ['60 days from invoice date', '2026-01-31', '2026-04-01'],
    ['45 jours fin de mois', '2026-03-04', '2026-04-30'],
    ['45 days end of month', '2026-01-20', '2026-03-31'],
    ['Paiement à réception', '2026-03-04', '2026-03-04'],
    ['comptant', '2026-03-04', '2026-03-04'],
  ])('"%s" from %s is %s', (terms, issue, due) => {
    expect(dueDateFromTerms(terms, issue)?.dueDate).toBe(due);
  });

  it.each(['Selon conditions particulières', '30 jours fin de mois le 10', 'à 30 jours de livraison', 'payable le 15/04/2026', '3 fois sans frais', '400 jours', ''])(
    'does not guess: "%s"',
    (terms) => {
      expect(dueDateFromTerms(terms, '2026-03-04')).toBeNull();
    },
  );

  it('"N jours" is the invoice date plus N calendar days, whatever the wording', () => {
    fc.assert(
      fc.property(issueDate, days, fc.constantFrom('%d jours', 'net %d', 'Paiement à %d jours date de facture', '%d days'), (issue, n, wording) => {
        expect(dueDateFromTerms(wording.replace('%d', String(n)), issue)?.dueDate).toBe(addCalendarDays(issue, n));
      }),
      { seed, numRuns: 300 },
    );
  });

  it('"N jours fin de mois" is the last day of the month of invoice date + N: never earlier, at most a month later', () => {
    fc.assert(
      fc.property(issueDate, days, (issue, n) => {
        const due = dueDateFromTerms(`${n} jours fin de mois`, issue)!.dueDate;
        const plus = addCalendarDays(issue, n);
        expect(due.slice(0, 7)).toBe(plus.slice(0, 7));
        expect(due >= plus).toBe(true);
        expect(addCalendarDays(due, 1).slice(8)).toBe('01');
      }),
      { seed, numRuns: 300 },
    );
  });
});
