import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embedLetterFonts, loadPdfLibs, pdfSafeText, wrapByWords, wrapLine } from '../../lambdas/notices/pdf-letter';
import { renderNotice } from '../../lambdas/notices/render';
import { allSampleContexts } from '../support/notice-samples';

/**
 * The letter writer measures a candidate line as the sum of its words' remembered widths
 * (wrapByWords); the lines it keeps must be those of laying out every candidate (wrapLine), or the
 * printed text would move between lines. wrapByWords may give up (null: the writer then measures
 * that text the old way), never give other lines.
 */
async function fonts() {
  const { PDFDocument } = await loadPdfLibs();
  const doc = await PDFDocument.create();
  const { regular, bold } = await embedLetterFonts(doc);
  return [
    { key: 'regular', font: regular },
    { key: 'bold', font: bold },
  ] as const;
}

// Widths the writer wraps at (full column, half column, a table's column), and sizes.
const WIDTHS = [483.28, 229.64, 150.76];
const SIZES = [8, 10];

describe('lines measured by word sums', () => {
  it('are the lines of the text of every sample letter, at widths and sizes the writer wraps at', async () => {
    const fs = await fonts();
    const texts = new Set<string>();
    for (const { ctx } of allSampleContexts()) {
      const r = await renderNotice(ctx);
      for (const line of r.text.split('\n')) if (line.trim()) texts.add(pdfSafeText(line));
    }
    expect(texts.size).toBeGreaterThan(200);
    let checked = 0;
    for (const text of texts) {
      for (const { key, font } of fs) {
        for (const width of WIDTHS) {
          for (const size of SIZES) {
            // Never given up on the letters' own text (else nothing would be saved).
            expect(wrapByWords(text, font, key, size, width), text).toEqual(wrapLine(text, font, size, width));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(2_000);
  });

  it('are the lines of laying out each candidate, or none, for any text (seeded property)', async () => {
    const fs = await fonts();
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`pdf-wrap property: seed ${seed} (replay with FC_SEED=${seed})`);
    // Words from scripts a name may come in, ligature-prone Latin, marks, digits and punctuation,
    // empty words (double spaces), and words wider than any column.
    const pieces = ['ffi', 'fl', 'Œuvre', 'Łódź', 'Zürich', 'Ščęść', 'Ελλάδα', 'Москва', 'שלום', 'مرحبا', 'e\u0301', 'a\u0308\u0323', '1 234,56 €', '«', '»', '–', '—', '…', '’', 'Ⅻ', '😀', '漢字', '-', '/', '%', ''];
    const word = fc.oneof(
      fc.constantFrom(...pieces),
      fc.array(fc.constantFrom(...pieces, 'a', 'B', 'é', 'ß', 'ñ', 'Ø', '0', '9', '.', ','), { maxLength: 6 }).map((p) => p.join('')),
      fc.integer({ min: 30, max: 90 }).map((n) => 'x'.repeat(n)),
    );
    let gaveUp = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(word, { minLength: 1, maxLength: 40 }), fc.constantFrom(...WIDTHS, 455.28, 365.28), fc.constantFrom(...SIZES, 9, 11, 16), fc.constantFrom(0, 1), async (words, width, size, which) => {
        const { key, font } = fs[which]!;
        const text = pdfSafeText(words.join(' '));
        const fast = wrapByWords(text, font, key, size, width);
        runs++;
        if (fast === null) gaveUp++;
        else expect(fast).toEqual(wrapLine(text, font, size, width));
      }),
      { seed, numRuns: 400 },
    );
    console.log(`pdf-wrap property: ${gaveUp} of ${runs} texts measured the old way`);
  });
});
