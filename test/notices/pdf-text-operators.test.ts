/**
 * A letter's lines are drawn with operators built from shared parts (pdf-text-operators.ts); they
 * must write what pdf-lib's drawText writes for the same line (seeded property: AMIABLE_SEED
 * replays a run), whatever lines and letters came before (the parts are shared).
 */
import fc from 'fast-check';
import { PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { loadPdfLibs } from '../../lambdas/notices/pdf-letter';
import { lineOperators } from '../../lambdas/notices/pdf-text-operators';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`pdf-text-operators.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);

describe('line operators', () => {
  it("write drawText's operators for any line (seeded property)", async () => {
    const libs = await loadPdfLibs();
    const { PDFHexString, degrees, rgb, textOperators } = libs;
    const ops = lineOperators(libs);
    const none = degrees(0);
    const written = (list: { toString(): string }[]) => list.map((o) => o.toString()).join('\n');
    const coordinate = fc.oneof(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 900 }), fc.constantFrom(0, 56, 775.89, 1e-7, 123456789012345680000));
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), maxLength: 40 }),
        fc.constantFrom('F1', 'DejaVuSans-7098480789', 'DejaVuSans-Bold-1'),
        fc.constantFrom(8, 9, 10, 11, 16, 10.5),
        fc.tuple(fc.constantFrom(0, 0.35, 0.38, 1, 0.1234567), fc.constantFrom(0, 0.35), fc.constantFrom(0, 0.38)),
        coordinate,
        coordinate,
        (hex, name, size, [r, g, b], x, y) => {
          const options = { color: rgb(r, g, b), font: PDFName.of(name), size, x, y };
          const line = PDFHexString.of(hex);
          expect(written(ops(line, options)!)).toBe(written(textOperators(line, { ...options, rotate: none, xSkew: none, ySkew: none })));
        },
      ),
      { seed, numRuns: 2000 },
    );
  });
});
