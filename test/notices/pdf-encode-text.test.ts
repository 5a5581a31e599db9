/**
 * The letters' fonts encode text with each glyph's code remembered per document (pdf-letter.ts,
 * rememberGlyphCodes); what they give must be what pdf-lib's own encodeText gives on the same
 * sequence of texts: the same codes, and the same subset (glyphs, their order, the ToUnicode list).
 * Seeded property (AMIABLE_SEED replays a run).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embedLetterFonts, loadPdfLibs } from '../../lambdas/notices/pdf-letter';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`pdf-encode-text.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);

interface Embedder {
  encodeText(text: string): { toString(): string };
  subset: { glyphs: number[] };
  glyphs: { id: number }[];
  glyphIdMap: Map<number, number>;
}
const embedderOf = (font: unknown) => (font as { embedder: Embedder }).embedder;

async function twoDocuments() {
  const { PDFDocument } = await loadPdfLibs();
  const ours = await embedLetterFonts(await PDFDocument.create());
  const theirs = await embedLetterFonts(await PDFDocument.create());
  // pdf-lib's own encodeText on the second document's embedders.
  for (const font of [theirs.regular, theirs.bold]) {
    const e = embedderOf(font);
    expect(Object.hasOwn(e, 'encodeText')).toBe(true);
    delete (e as Partial<Embedder>).encodeText;
    expect(Object.hasOwn(e, 'encodeText')).toBe(false);
  }
  return { ours, theirs };
}

describe('text encoded with remembered glyph codes', () => {
  it("is pdf-lib's encoding, with the same subset, for any sequence of texts (seeded property)", async () => {
    const pieces = ['Madame', 'Monsieur', 'fi', 'ffl', 'Łukasz', 'Ørsted', 'Kőszegi', '1 234,56 €', '«', '»', '–', '’', 'e\u0301', 'Ελλάδα', 'Москва', 'שלום', ' ', '\u00a0', 'x', ''];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), fc.boolean()), { minLength: 1, maxLength: 30 }), async (texts) => {
        const { ours, theirs } = await twoDocuments();
        for (const [words, bold] of texts) {
          const text = words.join(' ');
          const [a, b] = bold ? [ours.bold, theirs.bold] : [ours.regular, theirs.regular];
          expect(a.encodeText(text).toString()).toBe(b.encodeText(text).toString());
        }
        for (const [a, b] of [
          [ours.regular, theirs.regular],
          [ours.bold, theirs.bold],
        ] as const) {
          const [ea, eb] = [embedderOf(a), embedderOf(b)];
          expect(ea.subset.glyphs).toEqual(eb.subset.glyphs);
          expect(ea.glyphs.map((g) => g.id)).toEqual(eb.glyphs.map((g) => g.id));
          expect([...ea.glyphIdMap]).toEqual([...eb.glyphIdMap]);
        }
      }),
      { seed, numRuns: 60 },
    );
  });
});
