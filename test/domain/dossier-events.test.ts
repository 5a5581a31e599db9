import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendedEntries, BUS_PUBLISHED_ELSEWHERE, DETAIL_TYPE_OF, DETAIL_TYPES, eventsFor } from '../../lambdas/domain/dossier-events';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS, retryDelaySeconds, signPayload, subscribes, verifySignature } from '../../lambdas/domain/webhooks';

const SEED = Number(process.env.AMIABLE_SEED ?? 20260601);
const dossier = { id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa', creditorId: 'demo-creditor', invoiceNumber: 'F-1', status: 'active' };

describe('dossier events (the mapping from history entries)', () => {
  it('maps each state change to its detail-type, with an id stable across redeliveries, and ignores the rest', () => {
    const entries = [
      { type: 'created', at: '2026-04-04T10:00:00.000Z', invoiceNumber: 'F-1', body: 'not carried' },
      { type: 'message_sent', at: '2026-04-05T07:00:00.000Z', kind: 'receipt' },
      { type: 'payment_recorded', at: '2026-04-06T07:00:00.000Z', amount: '10.00', paidOn: '2026-04-06', reference: 'R', allocation: { internal: true } },
      { type: 'dispute_upheld', at: '2026-04-07T07:00:00.000Z', disputeId: 'dsp_1', creditNoteAmount: '5.00' },
      { type: 'cancelled', at: '2026-04-07T07:00:00.000Z', reason: 'dispute upheld' },
    ];
    const events = eventsFor(dossier, appendedEntries([], entries));
    expect(events.map((e) => e.detailType)).toEqual(['DossierCreated', 'PaymentRecorded', 'DisputeResolved', 'DossierClosed']);
    expect(events.map((e) => e.detail.eventId)).toEqual([0, 2, 3, 4].map((seq) => `${dossier.id}:${seq}`));
    expect(events[1].detail.data).toEqual({ amount: '10.00', paidOn: '2026-04-06', reference: 'R' });
    expect(events[2].detail.data).toEqual({ disputeId: 'dsp_1', creditNoteAmount: '5.00', outcome: 'upheld' });
    expect(events[3].detail.data).toEqual({ reason: 'dispute upheld', outcome: 'cancelled' });
    // Only the appended tail is mapped, at its positions.
    const again = eventsFor(dossier, appendedEntries(entries.slice(0, 3), entries));
    expect(again.map((e) => e.detail.eventId)).toEqual([`${dossier.id}:3`, `${dossier.id}:4`]);
  });

  it('covers every detail-type the brief lists; DossierHandedOff stays off the bus here (the hand-off publishes it)', () => {
    expect(DETAIL_TYPES).toEqual([
      'DossierCreated', 'NoticeSent', 'PaymentRecorded', 'PromiseAgreed', 'PromiseKept', 'PromiseBroken', 'PaymentPlanAgreed',
      'PaymentPlanKept', 'PaymentPlanBroken', 'DisputeOpened', 'DisputeResolved', 'DossierNeedsAttention', 'DossierHandedOff', 'DossierClosed',
    ]);
    expect([...BUS_PUBLISHED_ELSEWHERE]).toEqual(['DossierHandedOff']);
    for (const type of Object.keys(DETAIL_TYPE_OF)) expect(eventsFor(dossier, [{ seq: 0, entry: { type, at: 'x' } }])).toHaveLength(1);
  });
});

describe('webhook signatures and retries', () => {
  it('verifies what it signed, and nothing altered or stale (property, seeded)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ unit: 'binary' }), fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), fc.string({ minLength: 1, unit: 'binary' }), (secret, body, t, extra) => {
        const header = signPayload(secret, t, body);
        expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        expect(verifySignature(secret, header, body, t + 299)).toBe(true);
        expect(verifySignature(secret, header, body + extra, t)).toBe(false);
        expect(verifySignature(secret + extra, header, body, t)).toBe(false);
        expect(verifySignature(secret, header, body, t + 301)).toBe(false);
        expect(verifySignature(secret, header.replace(/^t=\d+/, `t=${t + 1}`), body, t)).toBe(false);
        expect(verifySignature(secret, undefined, body, t)).toBe(false);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('retries on the documented schedule: 30 s, 2 min, 8 min, then every 15 min (SQS max), 8 attempts', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelaySeconds)).toEqual([30, 120, 480, 900, 900, 900, 900, null]);
    expect(RETRY_DELAYS_SECONDS.every((s) => s <= 900)).toBe(true);
    expect(RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0)).toBe(70 * 60 + 30);
  });

  it('subscribes by detail-type, or to everything with "*"', () => {
    expect(subscribes(['PaymentRecorded'], 'PaymentRecorded')).toBe(true);
    expect(subscribes(['PaymentRecorded'], 'DossierClosed')).toBe(false);
    expect(subscribes(['*'], 'DossierClosed')).toBe(true);
  });
});
