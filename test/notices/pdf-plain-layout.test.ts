/**
 * The letters' text is laid out without fontkit's OpenType engine when no substitution can touch it
 * (lambdas/notices/pdf-plain-layout.ts). What it gives must be what fontkit's layout gives: the same
 * glyph objects (so the same ids, advance widths and code points: what pdf-lib measures, encodes and
 * writes into the ToUnicode map); text it does not lay out goes to fontkit. Checked on each font
 * character alone and in context, on the letters' own lines, and on seeded random strings (fast-check;
 * AMIABLE_SEED replays a run).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fontBytes } from '../../lambdas/notices/fonts';
import { loadPdfLibs, pdfSafeText } from '../../lambdas/notices/pdf-letter';
import { plainLayout } from '../../lambdas/notices/pdf-plain-layout';
import { renderNotice } from '../../lambdas/notices/render';
import { allSampleContexts } from '../support/notice-samples';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`pdf-plain-layout.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);

interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/** One font as fontkit parses it (no memo, no patch: its own layout), and the plain layout over it. */
async function font(weight: 'regular' | 'bold') {
  const { fontkit } = await loadPdfLibs();
  const f = fontkit.create(Buffer.from(fontBytes(weight))) as unknown as {
    layout(text: string): { glyphs: Glyph[] };
    characterSet: number[];
  };
  return { f, plain: plainLayout<Glyph>(f as never, { ligatures: true }), strict: plainLayout<Glyph>(f as never, { ligatures: false }) };
}

/** Same glyph objects as fontkit's, or no layout at all; returns whether the plain layout gave one. */
function same(fonts: Awaited<ReturnType<typeof font>>, text: string): boolean {
  const fast = fonts.plain(text);
  if (!fast) return false;
  const real = fonts.f.layout(text).glyphs;
  expect(fast.length, JSON.stringify(text)).toBe(real.length);
  fast.forEach((g, i) => {
    if (g !== real[i]) expect({ text, i, id: g.id, advance: g.advanceWidth }).toEqual({ text, i, id: real[i]!.id, advance: real[i]!.advanceWidth });
  });
  return true;
}

describe.each(['regular', 'bold'] as const)('plain layout (%s)', (weight) => {
  it('gives fontkit glyphs for every character of the font, alone and between others', async () => {
    const fonts = await font(weight);
    const bmp = fonts.f.characterSet.filter((cp) => cp < 0x10000).map((cp) => String.fromCharCode(cp));
    let laid = 0;
    for (const c of bmp) {
      // Alone; after Latin text (script taken from it); first (its script chosen); next to f and i (ligatures), an accent.
      for (const text of [c, `Ab${c}`, `${c}Ab`, `f${c}`, `${c}i`, `${c}\u0301`, `${c}${c}`, `${c}fi`, `${c}ffl`]) if (same(fonts, text)) laid++;
    }
    // Most of the font's characters are laid out without fontkit (not: Hebrew, Arabic, combining accents...).
    expect(laid).toBeGreaterThan(bmp.length * 3);
    // Latin ligatures (fi, ffl...) are laid out as fontkit forms them; not without the latn script system.
    for (const text of ['fi', 'fl', 'ff', 'affiche', 'ﬁn', 'afflux officiel', 'effi ffi fffi']) expect(same(fonts, text), text).toBe(true);
    expect(fonts.plain('fi')!.length).toBe(1);
    for (const text of ['fi', 'Ελλάδα fi', 'Москва fl']) expect(fonts.strict(text), text).toBeUndefined();
    // The dotless i before an accent, Hebrew, a soft hyphen are fontkit's.
    for (const text of ['i\u0301', 'j\u0308', 'שלום', 'abc\u00ad', 'Ελλάδα fi', '1 fi\u0301']) expect(fonts.plain(text), text).toBeUndefined();
    for (const text of ['Łukasz Wróbel – Ørsted & Kőszegi', '1 234,56 €', 'Ελλάδα', 'Москва', 'il fait', '']) expect(same(fonts, text), text).toBe(true);
  });

  it("gives fontkit glyphs for the letters' lines", async () => {
    const fonts = await font(weight);
    const lines = new Set<string>();
    for (const { ctx } of allSampleContexts()) for (const line of (await renderNotice(ctx)).text.split('\n')) lines.add(pdfSafeText(line));
    let laid = 0;
    for (const line of lines) if (same(fonts, line)) laid++;
    // Most lines have no ligature: laid out here.
    expect(laid).toBeGreaterThan(lines.size / 2);
  });

  it('gives fontkit glyphs, or none, for random strings (seeded property)', async () => {
    const fonts = await font(weight);
    const bmp = fonts.f.characterSet.filter((cp) => cp < 0x10000).map((cp) => String.fromCharCode(cp));
    // Characters the substitutions act on or next to, the letters' own, and any of the font's.
    const near = ['f', 'f', 'ff', 'fi', 'i', 'l', 'j', 'I', 'J', 'ı', 'ȷ', 'į', '\u0301', '\u0308', '\u0323', '\u02e5', '\u02e9', 'ь', 'б', 'Ŋ', 'ſ', ' ', '\u00a0', 'a', 'é', '€', '1', ',', '.', '’', '–', 'ffi'];
    const piece = fc.oneof(fc.constantFrom(...near), fc.constantFrom(...bmp), fc.constantFrom('Ελ', 'Мо', 'ש', 'م', '\u00ad', '\u200b', '😀', '\ufe0f'));
    let laid = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        runs++;
        if (same(fonts, pieces.join(''))) laid++;
      }),
      { seed, numRuns: 3000 },
    );
    console.log(`pdf-plain-layout property (${weight}): ${laid} of ${runs} strings laid out without fontkit`);
    expect(laid).toBeGreaterThan(runs / 10);
  });
});
