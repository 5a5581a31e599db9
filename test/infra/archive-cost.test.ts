import { describe, expect, it } from 'vitest';
import { ARCHIVE_MIN_OBJECT_BYTES } from '../../lib/evidence-vault';
import { storageUsd } from '../../scripts/bench-cost';

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
    expect(storageUsd(7 * 1024, rule)).toEqual({ usd: storageUsd(7 * 1024, standardOnly).usd, transitions: 0 });
    const notice = storageUsd(58 * 1024, rule);
    expect(notice.transitions).toBe(1);
    expect(notice.usd).toBeLessThan(0.6 * storageUsd(58 * 1024, standardOnly).usd);
  });
});
