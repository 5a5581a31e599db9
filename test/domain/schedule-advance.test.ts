import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeSend, Dossier, newDossier, scheduleFor } from '../../lambdas/domain/dossier';
import type { Stage } from '../../lambdas/domain/model';

/**
 * A send at exactly its scheduled instant advances the stored schedule instead of recomputing it
 * (completeSend): the result must be what recomputing gives, for any due date, debtor region
 * and sending history. Seeded: FC_SEED replays a run.
 */
const SEED = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
const INFO = { messageId: 'm', evidenceKey: 'k', sha256: 's', to: 'd@example.com' };

function dossier(dueDate: string, postalCode: string, country: string): Dossier {
  const d = newDossier({
    id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    creditorId: 'c',
    executionName: 'exec-1',
    now: new Date(`${dueDate}T10:00:00Z`),
    invoice: { invoiceNumber: 'F1', issueDate: dueDate, dueDate, amountCents: 125_000, currency: 'EUR' },
    debtor: {
      kind: 'business',
      name: 'D',
      email: 'd@example.com',
      language: 'fr',
      address: { line1: 'l', postalCode, city: 'X', country },
    },
  });
  return { ...d, version: 1 };
}

describe('schedule advanced on a send at its scheduled instant', () => {
  it(`equals the schedule recomputed from the history (seed ${SEED}, FC_SEED to replay)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 730 }),
        fc.constantFrom(['75011', 'FR'], ['67000', 'FR'], ['97200', 'FR'], ['97400', 'FR'], ['10115', 'DE']),
        (offset, [postalCode, country]) => {
          const due = new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
          let d = dossier(due, postalCode, country);
          while (d.nextAction && d.status === 'active') {
            const stage = d.nextAction.stage as Stage;
            const now = new Date(d.nextAction.at);
            const token = `t-${stage}`;
            const next = completeSend({ ...d, sending: { stage, token, leaseUntil: 0 } }, stage, token, now, INFO);
            const recomputed = scheduleFor(next, now);
            expect(next.schedule).toEqual(recomputed.stages);
            expect(next.deadline).toEqual(recomputed.deadline);
            d = next;
          }
          expect(d.status).toBe('handed_off');
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
