import { describe, expect, it } from 'vitest';
import { ARCHIVE_MIN_OBJECT_BYTES } from '../../lib/evidence-vault';
import { keptAs, storageClassAtPut } from '../../lambdas/adapters/evidence-archive';
import { storageUsd } from '../../scripts/bench-cost';
import prices from '../../scripts/aws-prices.json';

/**
 * The vault's archive size (lib/evidence-vault.ts) against the prices of scripts/aws-prices.json:
 * archiving an object above it to Glacier IR (billed at least 128 KiB, plus the transition) must
 * cost less over ten years than keeping it in Standard, and one just below must not be worth it.
 */
const rule = { afterDays: 90, minObjectBytes: ARCHIVE_MIN_OBJECT_BYTES };
const standardOnly = { afterDays: Infinity, minObjectBytes: Infinity };

describe('archive rule of the evidence vault', () => {
  it('archives what costs less archived: the size is at or above the ten-year break-even', () => {
    const breakEven = [...Array(256).keys()]
      .map((k) => (k + 1) * 1024)
      .find((bytes) => storageUsd(bytes, { ...rule, minObjectBytes: 0 }).usd < storageUsd(bytes, standardOnly).usd)!;
    expect(breakEven).toBeGreaterThan(16 * 1024);
    expect(ARCHIVE_MIN_OBJECT_BYTES).toBeGreaterThanOrEqual(breakEven);
    // ...and not far above it: a mise en demeure with its PDF (about 58 KiB) is archived.
    expect(ARCHIVE_MIN_OBJECT_BYTES).toBeLessThan(breakEven + 8 * 1024);
  });

  it('keeps a reminder in Standard and archives a message with its PDF, for about half its Standard cost', () => {
    expect(storageUsd(7 * 1024, rule)).toEqual({ usd: storageUsd(7 * 1024, standardOnly).usd, transitions: 0, archived: 0 });
    const notice = storageUsd(58 * 1024, rule);
    expect(notice.transitions).toBe(1);
    expect(notice.usd).toBeLessThan(0.6 * storageUsd(58 * 1024, standardOnly).usd);
  });

  it('PUTs the hand-off to counsel in Glacier IR at once, where that costs less than Standard then the lifecycle, PUT price included', () => {
    // Ten years of one message, PUT included (lambdas/adapters/evidence-archive.ts has the numbers).
    const viaLifecycle = (bytes: number) => storageUsd(bytes, rule).usd + prices.s3PerPut.usd;
    const atPut = (bytes: number) => storageUsd(bytes, rule, 'GLACIER_IR').usd + prices.s3GlacierInstantRetrievalPerPut.usd;
    const handoff = 88 * 1024;
    expect(storageClassAtPut('litigation_handoff', handoff)).toBe('GLACIER_IR');
    expect(storageUsd(handoff, rule, 'GLACIER_IR')).toMatchObject({ transitions: 0, archived: 1 });
    const saving = viaLifecycle(handoff) - atPut(handoff);
    expect(saving).toBeGreaterThan(0.000009);
    // A read in its first 90 days costs a Glacier IR GET and retrieval instead of a Standard GET:
    // the saving pays for about 0.8 of them (an evidence bundle issued after the hand-off).
    const read = prices.s3GlacierInstantRetrievalPerGet.usd + (handoff / 1024 ** 3) * prices.s3GlacierInstantRetrievalPerGbRetrieved.usd - prices.s3PerGet.usd;
    expect(saving / read).toBeGreaterThan(0.75);
    // Every other message stays in Standard at PUT: a mise en demeure is read by the hand-off's bundle
    // weeks later, and a small message would pay Glacier IR's 128 KiB minimum for ten years.
    expect(storageClassAtPut('formal_notice', 58 * 1024)).toBeUndefined();
    expect(storageClassAtPut('litigation_handoff', ARCHIVE_MIN_OBJECT_BYTES)).toBeUndefined();
    expect(atPut(ARCHIVE_MIN_OBJECT_BYTES - 8 * 1024)).toBeGreaterThan(storageUsd(ARCHIVE_MIN_OBJECT_BYTES - 8 * 1024, standardOnly).usd + prices.s3PerPut.usd);
  });

  it('keeps gzipped exactly the messages that stay in Standard; archived ones as sent', () => {
    expect(keptAs('first_reminder', 7 * 1024)).toEqual({ compress: true });
    expect(keptAs('litigation_payment_update', ARCHIVE_MIN_OBJECT_BYTES)).toEqual({ compress: true });
    // Above the archive size the object is billed at Glacier IR's 128 KiB minimum: nothing to gain.
    expect(keptAs('formal_notice', 58 * 1024)).toEqual({});
    expect(keptAs('litigation_handoff', 88 * 1024)).toEqual({ storageClass: 'GLACIER_IR' });
  });
});
