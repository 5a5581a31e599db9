import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DossierEvent } from '../../lambdas/domain/model';
import {
  COMPACTABLE_TYPES,
  entryAt,
  heldEntries,
  historyLength,
  RECENT_ENTRIES,
  seqOf,
  windowFor,
  type HistoryWindow,
} from '../../lambdas/domain/history-window';

/**
 * The dossier item's window on its history: a life of changes, each appending a few entries and
 * then storing the window with the evidence head of the time (the log lags by 0..n entries).
 * Whatever the life, the window never drops an entry the log does not hold, keeps every entry of
 * a type the rules read and the last RECENT_ENTRIES, and answers each held entry at its position.
 */
const SEED = Number(process.env.AMIABLE_SEED ?? Date.now() % 2 ** 31);
const TYPES = ['payment_recorded', 'email_delivered', 'message_sent', 'notice_sent', 'stage_reopened', 'call_logged', 'accountant_alert', 'needs_attention'];

describe(`history window (seed ${SEED}: replay with AMIABLE_SEED=${SEED})`, () => {
  it('keeps what the log lacks, what the rules read and the recent entries; positions stay true', () => {
    const change = fc.record({
      types: fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 4 }),
      logLag: fc.nat({ max: 6 }),
    });
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 120 }), (changes) => {
        const whole: DossierEvent[] = [{ type: 'created', at: 't0' }];
        let stored: HistoryWindow = { events: [...whole] };
        for (const c of changes) {
          // A pure transition appends to whatever `events` holds.
          const appended = c.types.map((type, i) => ({ type, at: `t${whole.length + i}` }));
          const next: HistoryWindow = { ...stored, events: [...stored.events, ...appended] };
          whole.push(...appended);
          expect(historyLength(next)).toBe(whole.length);
          // The head read with the dossier before this change, lagging behind it.
          const before = whole.length - appended.length;
          const logged = Math.max(0, before - c.logLag);
          stored = windowFor(next, logged);
          expect(historyLength(stored)).toBe(whole.length);
          const held = heldEntries(stored);
          const seqs = held.map((h) => h.seq);
          expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
          for (const { seq, entry } of held) {
            expect(entry).toBe(whole[seq - 1]);
            expect(entryAt(stored, seq)).toBe(entry);
          }
          const heldSet = new Set(seqs);
          whole.forEach((e, i) => {
            const seq = i + 1;
            const must = seq > logged || seq > whole.length - RECENT_ENTRIES || !COMPACTABLE_TYPES.has(e.type);
            expect(heldSet.has(seq), `seq ${seq} (${e.type}) logged up to ${logged}`).toBe(must);
            if (!must) expect(entryAt(stored, seq)).toBeUndefined();
          });
          stored.events.forEach((_, i) => expect(seqOf(stored, i)).toBe(seqs[i]));
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('stores a short history exactly as before (no positions, no length)', () => {
    const events = Array.from({ length: RECENT_ENTRIES }, (_, i) => ({ type: 'payment_recorded', at: `t${i}` }));
    expect(windowFor({ events }, RECENT_ENTRIES)).toEqual({ events, eventSeqs: undefined, historyLength: undefined });
    const longer = [...events, { type: 'payment_recorded', at: 'late' }];
    const w = windowFor({ events: longer }, longer.length);
    expect(w.events).toHaveLength(RECENT_ENTRIES);
    expect(w.eventSeqs![0]).toBe(2);
    expect(w.historyLength).toBe(RECENT_ENTRIES + 1);
    // Appended in memory after a windowed read: positions continue after historyLength.
    const appended = { ...w, events: [...w.events, { type: 'paid', at: 'end' }] };
    expect(seqOf(appended, appended.events.length - 1)).toBe(RECENT_ENTRIES + 2);
    expect(entryAt(appended, RECENT_ENTRIES + 2)).toEqual({ type: 'paid', at: 'end' });
  });
});
