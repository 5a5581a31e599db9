/**
 * ALERTING_ENTRY_TYPES is what the alerts function's stream filter passes (lib/accountant-mail.ts):
 * a change that appended only other entry types must never call for an alert, whatever came before
 * it in the history. Seeded property (AMIABLE_SEED replays a failure).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERTING_ENTRY_TYPES, alertsFor } from '../../lambdas/domain/accountant-alerts';
import { DETAIL_TYPE_OF } from '../../lambdas/domain/dossier-events';
import { COMPACTABLE_TYPES } from '../../lambdas/domain/history-window';
import type { DossierEvent } from '../../lambdas/domain/model';

const KNOWN = [...new Set([...Object.keys(DETAIL_TYPE_OF), ...COMPACTABLE_TYPES, ...ALERTING_ENTRY_TYPES, 'stage_reopened', 'call_logged', 'escalation_resumed'])];
const alerting = new Set<string>(ALERTING_ENTRY_TYPES);

const entry = (types: fc.Arbitrary<string>): fc.Arbitrary<DossierEvent> =>
  fc.record({
    type: types,
    at: fc.constant('2026-04-08T10:00:00.000Z'),
    bounceType: fc.constantFrom('Permanent', 'Transient', undefined),
    reason: fc.string({ maxLength: 8 }),
  }) as fc.Arbitrary<DossierEvent>;

describe('the entry types an alert can come from', () => {
  it('a change that appended none of ALERTING_ENTRY_TYPES calls for no alert, whatever the history before it', () => {
    const anyType = fc.oneof(fc.constantFrom(...KNOWN), fc.string({ minLength: 1, maxLength: 12 }));
    const quiet = anyType.filter((t) => !alerting.has(t));
    fc.assert(
      fc.property(fc.array(entry(anyType), { maxLength: 12 }), fc.array(entry(quiet), { minLength: 1, maxLength: 6 }), (before, appended) => {
        expect(alertsFor({ events: [...before, ...appended] }, before.length)).toEqual([]);
      }),
    );
  });

  it('each of them can call for one (so none is in the filter for nothing)', () => {
    const at = '2026-04-08T10:00:00.000Z';
    for (const type of ALERTING_ENTRY_TYPES) {
      const e: DossierEvent = { type, at, bounceType: 'Permanent', reason: 'r' };
      expect(alertsFor({ events: [e] }, 0), type).toHaveLength(1);
    }
  });
});
