/**
 * toWinAnsi returns a text whose characters it keeps as they are without copying it (pdf-winansi.ts,
 * printableAsIs); the result must be that of mapping each character (seeded property: AMIABLE_SEED
 * replays a run), for the letters' charset and for WinAnsi.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPdfLibs, pdfCharset } from '../../lambdas/notices/pdf-letter';
import { toWinAnsi, WIN_ANSI_CODE_POINTS } from '../../lambdas/notices/pdf-winansi';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`pdf-winansi.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);

/** Character by character: a NUL after each forces the full path (it maps to one space, cut off). */
const perCharacter = (text: string, charset: ReadonlySet<number>) =>
  [...text.replace(/\r\n?/g, '\n')].map((ch) => toWinAnsi(`${ch}\u0000`, charset).slice(0, -1)).join('');

describe('toWinAnsi', () => {
  it('maps a text as it maps each of its characters (seeded property)', async () => {
    await loadPdfLibs();
    const charsets = [pdfCharset(), WIN_ANSI_CODE_POINTS];
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(fc.constantFrom('a', 'É', 'ł', 'ő', '€', '\u202f', '\u00a0', '\t', '\r', '\n', '\r\n', '\u2028', '\u0085', '😀', '漢', '\u0301', ' '), { maxLength: 30 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(0, 1), (t, which) => {
        const charset = charsets[which]!;
        expect(toWinAnsi(t, charset)).toBe(perCharacter(t, charset));
      }),
      { seed, numRuns: 2000 },
    );
  });
});
