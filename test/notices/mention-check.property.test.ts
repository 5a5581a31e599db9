/**
 * The mention check's search (notices/mention-check.ts: haystacks, findMissing, htmlVisibleText),
 * which prepares each needle once and normalises each text once however many checks read it,
 * against the search as it was written before (below, verbatim: every needle prepared per source
 * and per test, every text normalised at each call): for any texts, HTML, PDF text and mentions,
 * the same mentions are reported missing, in the same words. The texts mix every whitespace the
 * check folds, case, composed and decomposed accents and characters the PDF fonts print otherwise.
 * Seeded fast-check: AMIABLE_SEED replays a run.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compact, findMissing, haystacks, htmlVisibleText, norm, type Haystacks, type Mention, type Source } from '../../lambdas/notices/mention-check';
import { loadPdfLibs, pdfSafeText } from '../../lambdas/notices/pdf-letter';
import type { RenderedNotice } from '../../lambdas/notices/types';
import { testSeed } from '../support/seed';

const seed = testSeed();
console.log(`mention-check.property.test.ts: fast-check seed ${seed} (replay with AMIABLE_SEED=${seed})`);

// ---- the search as written before (the oracle) ----

function oracleVisibleText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/i, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
      if (code[0] === '#') {
        const cp = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : entity;
      }
      return named[code.toLowerCase()] ?? entity;
    });
}

function oracleHaystacks(rendered: Pick<RenderedNotice, 'text' | 'html'>, pdfText?: string): Haystacks {
  const raw: Partial<Record<Source, string>> = { text: rendered.text, html: oracleVisibleText(rendered.html) };
  if (pdfText !== undefined) raw.pdf = pdfText;
  const h: Haystacks = { normal: {}, compact: {} };
  for (const [k, v] of Object.entries(raw) as [Source, string][]) {
    h.normal[k] = norm(v);
    h.compact[k] = compact(v);
  }
  return h;
}

function oracleFindMissing(mentions: Mention[], h: Haystacks): string[] {
  const missing: string[] = [];
  const sources = Object.keys(h.normal) as Source[];
  for (const m of mentions) {
    const absentFrom = sources.filter((src) => {
      const hay = (m.compact ? h.compact[src] : h.normal[src]) ?? '';
      const base = m.compact ? compact : norm;
      const prep = src === 'pdf' ? (s: string) => base(pdfSafeText(s)) : base;
      const pdfCompact = src === 'pdf' ? (h.compact.pdf ?? '') : '';
      return !m.needles.every((needle) => {
        const options = Array.isArray(needle) ? needle : [needle];
        return options.some(
          (o) =>
            (prep(o) !== '' && hay.includes(prep(o))) ||
            (src === 'pdf' && compact(pdfSafeText(o)) !== '' && pdfCompact.includes(compact(pdfSafeText(o)))),
        );
      });
    });
    if (absentFrom.length === sources.length) missing.push(m.name);
    else if (absentFrom.length) missing.push(`${m.name} (missing from ${absentFrom.join(', ')})`);
  }
  return missing;
}

// ---- arbitraries ----

/** Pieces of letters: words, amounts, every whitespace folded, accents both ways, PDF-mapped characters. */
const piece = fc.constantFrom(
  'Mise', 'en', 'demeure', 'FACTURE', 'F-2026-001', '1 234,56 €', '1\u202f234,56\u00a0€', 'é', 'e\u0301', 'É', 'Łódź', 'Ő', 'ø', '—', '…', '’',
  ' ', '  ', '\n', '\t', '\u00a0', '\u202f', 'FR76 3000 6000 0112 3456 7890 189', 'FR7630006000011234567890189', '&amp;', '&#233;', '&nbsp;', '&bogus;', '<b>', '</b>',
  '<head><title>x</title></head>', '<p style="a">', 'nous', 'Nous', 'L441-10', '2240', '',
);
const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

/** A needle: a slice of one of the texts (so mentions are found as often as not), or a text of its own. */
function needleFrom(texts: string[]) {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...texts), fc.nat(), fc.nat({ max: 30 })).map(([t, at, len]) => t.slice(at % (t.length + 1), (at % (t.length + 1)) + len)),
    text,
  );
}

const scenario = fc
  .record({ text, html: text, pdf: fc.option(text, { nil: undefined }) })
  .chain((s) => {
    const needle = needleFrom([s.text, s.html, s.pdf ?? '']);
    const mention = fc.record({
      name: fc.constantFrom('a', 'b', 'c'),
      needles: fc.array(fc.oneof(needle, fc.array(needle, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 }),
      compact: fc.option(fc.boolean(), { nil: undefined }),
    });
    return fc.record({ s: fc.constant(s), mentions: fc.array(mention, { maxLength: 6 }) });
  });

describe('mention search: needles prepared once, texts normalised once', () => {
  // pdfSafeText maps to the embedded fonts' charset.
  beforeAll(async () => {
    await loadPdfLibs();
  });

  it('reports what the search as written before reports, for any texts and mentions', () => {
    fc.assert(
      fc.property(scenario, ({ s, mentions }) => {
        const rendered = { text: s.text, html: s.html } as RenderedNotice;
        const expected = oracleFindMissing(mentions, oracleHaystacks(rendered, s.pdf));
        // Twice: the second check reads the texts as the first one left them normalised.
        expect(findMissing(mentions, haystacks(rendered, s.pdf))).toEqual(expected);
        expect(findMissing(mentions, haystacks(rendered, s.pdf))).toEqual(expected);
        expect(haystacks(rendered, s.pdf)).toEqual(oracleHaystacks(rendered, s.pdf));
      }),
      { seed, numRuns: 400 },
    );
  });

  it('a compact haystack is its normal one without spaces (how haystacks derives it), for any Unicode text', () => {
    const anyText = fc.array(fc.oneof(piece, fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('\u2028', '\ufeff', '\u3000', '\u1680', '\v', '\f', '\r\n', 'İ', 'ẞ')), { maxLength: 30 });
    fc.assert(
      fc.property(anyText, (parts) => {
        const t = parts.join('');
        expect(norm(t).replaceAll(' ', '')).toBe(compact(t));
        expect(haystacks({ text: t, html: '' } as RenderedNotice).compact.text).toBe(compact(t));
      }),
      { seed, numRuns: 1000 },
    );
  });

  it('a text seen before gives its own result, whatever was checked in between', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 60 }), (htmls, picks) => {
        for (const i of picks) {
          const html = htmls[i % htmls.length]!;
          expect(htmlVisibleText(html)).toBe(oracleVisibleText(html));
          expect(haystacks({ text: html, html } as RenderedNotice).normal.text).toBe(norm(html));
        }
      }),
      { seed, numRuns: 200 },
    );
  });
});
