/**
 * The letters' font subsets are encoded by pdf-font-subset.ts instead of fontkit's encoder; the bytes
 * must be fontkit's, for the subsets letters make and for any glyph set (seeded property: AMIABLE_SEED
 * replays a run), short and long glyph offsets, composite glyphs (their components appended) included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fontBytes } from '../../lambdas/notices/fonts';
import { fontkitSubsetBytes, subsetEncoder, type TtfSubset } from '../../lambdas/notices/pdf-font-subset';
import { loadPdfLibs } from '../../lambdas/notices/pdf-letter';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`pdf-font-subset.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);

type Font = { createSubset(): TtfSubset & { includeGlyph(id: number): number }; numGlyphs: number; glyphForCodePoint(cp: number): { id: number } };

async function font(weight: 'regular' | 'bold'): Promise<Font> {
  const { fontkit } = await loadPdfLibs();
  return fontkit.create(Buffer.from(fontBytes(weight))) as unknown as Font;
}

/** Both encodings of the subset of `ids` (two subsets built alike: encoding appends composite glyphs' components). */
async function both(f: Font, encode: (s: TtfSubset) => Uint8Array, ids: number[]) {
  const [a, b] = [f.createSubset(), f.createSubset()];
  for (const id of ids) {
    a.includeGlyph(id);
    b.includeGlyph(id);
  }
  return { ours: Buffer.from(encode(a)), theirs: Buffer.from(await fontkitSubsetBytes(b)) };
}

describe.each(['regular', 'bold'] as const)('font subset bytes (%s)', (weight) => {
  it("are fontkit's for a letter's glyphs, composites and long offsets", async () => {
    const f = await font(weight);
    const encode = (await subsetEncoder(f.createSubset()))!;
    expect(encode).toBeDefined();
    const text = 'Mise en demeure – Madame, Monsieur, Łukasz Wróbel, Ørsted & Kőszegi: 1 234,56 € dûs au 12/03/2026. «Ça» ÉÈÊËÀÂÎÏÔÙÛÜŸÇ';
    const letter = [...new Set([...text].map((c) => f.glyphForCodePoint(c.codePointAt(0)!).id))];
    for (const ids of [[], letter, Array.from({ length: 1500 }, (_, i) => i * 3 + 1)]) {
      const { ours, theirs } = await both(f, encode, ids);
      expect(ours.equals(theirs), `${ids.length} glyphs`).toBe(true);
    }
    // The 1,500-glyph subset needs long offsets (over 0xffff bytes of glyphs): head.indexToLocFormat 1.
    const { ours } = await both(f, encode, Array.from({ length: 1500 }, (_, i) => i * 3 + 1));
    expect(ours.length).toBeGreaterThan(0x10000);
  });

  it("are fontkit's for any glyph set (seeded property)", async () => {
    const f = await font(weight);
    const encode = (await subsetEncoder(f.createSubset()))!;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: f.numGlyphs - 1 }), { maxLength: 120 }), async (ids) => {
        const { ours, theirs } = await both(f, encode, ids);
        expect(ours.equals(theirs)).toBe(true);
      }),
      { seed, numRuns: 150 },
    );
  });
});
