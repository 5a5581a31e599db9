import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '../../lambdas/domain/evidence-chain';
import { carrierOf, isAttachment } from '../../lambdas/services/evidence-source';

/** Records only as far as carrierOf reads them (seq, type, fact). */
const rec = (seq: number, type: string, fact: Record<string, unknown> = {}) => ({ seq, type, fact: { type, at: '2026-05-13T07:00:00.000Z', ...fact } }) as unknown as EvidenceRecord;
const pdf = (seq: number) => rec(seq, 'litigation_dossier_stored', { format: 'pdf', attachedTo: 'litigation_handoff' });
const handoff = (seq: number) => rec(seq, 'notice_sent', { stage: 'litigation_handoff' });

describe('the message that keeps a hand-off PDF (services/evidence-source.ts)', () => {
  it('is the first hand-off message after it', () => {
    const all = [rec(1, 'created'), rec(2, 'litigation_dossier_stored', { format: 'json' }), pdf(3), rec(4, 'evidence_bundle_issued'), handoff(5), rec(6, 'handed_off')];
    expect(isAttachment(all[2]!)).toBe(true);
    expect(isAttachment(rec(3, 'litigation_dossier_stored', { format: 'pdf' }))).toBe(false);
    expect(carrierOf(all[2]!, all)?.seq).toBe(5);
  });

  it('is none while the hand-off has not been sent, or when a later PDF was established before the message', () => {
    expect(carrierOf(pdf(3), [pdf(3), rec(4, 'evidence_bundle_issued')])).toBeNull();
    // An attempt that never sent, then a hand-off established anew days later: its message carries the later PDF.
    const all = [pdf(3), rec(4, 'payment_recorded'), rec(5, 'litigation_dossier_stored', { format: 'json' }), pdf(6), handoff(7)];
    expect(carrierOf(all[0]!, all)).toBeNull();
    expect(carrierOf(all[3]!, all)?.seq).toBe(7);
    // A message of the stage before the PDF is not its carrier (an earlier generation's).
    expect(carrierOf(pdf(5), [handoff(2), pdf(5)])).toBeNull();
  });
});
