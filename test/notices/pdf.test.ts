import { dirname } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { formatMoney } from '../../lambdas/domain/money';
import { PDF_PRODUCER, renderPdfLetter } from '../../lambdas/notices/pdf-letter';
import { toWinAnsi } from '../../lambdas/notices/pdf-winansi';
import { renderNotice } from '../../lambdas/notices/render';
import { sampleContext, sampleDossier } from '../support/notice-samples';
import type { NoticeContext } from '../../lambdas/notices/types';

const STANDARD_FONTS = `${dirname(require.resolve('pdfjs-dist/package.json'))}/standard_fonts/`;

async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number; info: Record<string, unknown> }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs detaches the buffer it is given: hand it a copy.
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    for (const item of content.items) if ('str' in item) parts.push(item.str, item.hasEOL ? '\n' : ' ');
  }
  const meta = await doc.getMetadata();
  const pages = doc.numPages;
  await doc.destroy();
  return { text: parts.join(''), pages, info: meta.info as Record<string, unknown> };
}

const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/gu, ' ');
const b2b = sampleDossier('b2b');

describe('mise en demeure PDF', () => {
  it.each(['fr', 'en'] as const)('is attached and its extracted text carries the mentions (%s)', async (language) => {
    const ctx = sampleContext(b2b, 'formal_notice', language);
    const r = await renderNotice(ctx);
    const [pdf] = r.attachments;
    expect(pdf?.filename).toBe('mise-en-demeure-F-2025-0142.pdf');
    expect(pdf?.contentType).toBe('application/pdf');
    const { text, info } = await pdfText(pdf!.content);
    const t = flat(text);
    const fr = language === 'fr';
    for (const needle of [
      fr ? 'MISE EN DEMEURE' : 'MISE EN DEMEURE (FORMAL NOTICE)',
      'Atelier Lumière SAS',
      'SIREN 832 145 676',
      'Boulangerie Dupont & Fils SARL',
      'SIREN 793 456 120',
      'F-2025-0142',
      fr ? '20 juillet 2026' : '20 July 2026',
      fr ? '15 décembre 2025' : '15 December 2025',
      formatMoney(ctx.breakdown.totalDueCents, language),
      formatMoney(ctx.breakdown.indemnityCents, language),
      formatMoney(-ctx.breakdown.paidCents, language),
      'FR76 3000 6000 0112 3456 7890 189',
      'AGRIFRPP882',
      'injonction de payer',
      'référé-provision',
      fr ? 'nous vous mettons en demeure de régler' : 'formal notice (mise en demeure) to pay',
      fr ? 'taux provisoire' : 'provisional rate',
      fr ? 'Fait à Lyon, le 10 juillet 2026' : 'Done at Lyon, on 10 July 2026',
      'Sophie Martin',
    ]) {
      expect(t, needle).toContain(flat(needle));
    }
    for (const line of ctx.breakdown.interest.lines) expect(t).toContain(flat(formatMoney(line.amountCents, language)));
    expect(info.Producer).toBe(PDF_PRODUCER);
    expect(String(info.CreationDate)).toMatch(/^D:20260710070000/);
    expect(String(info.ModDate)).toMatch(/^D:20260710070000/);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'fr');
    const a = await renderNotice(ctx);
    // The wall clock moves on (a day, without sleeping): nothing of it may leak into the bytes.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 86_400_000 });
    onTestFinished(() => void vi.useRealTimers());
    const b = await renderNotice(structuredClone(ctx));
    expect(Buffer.from(b.attachments[0]!.content).equals(Buffer.from(a.attachments[0]!.content))).toBe(true);
    expect(b.text).toBe(a.text);
    expect(b.html).toBe(a.html);
  });

  it('gives the same bytes whatever was rendered before (fonts and their layouts are shared across renders)', async () => {
    // A fresh module: nothing laid out yet.
    vi.resetModules();
    const fresh = (await import('../../lambdas/notices/render')).renderNotice;
    const ctx = sampleContext(b2b, 'formal_notice', 'en');
    const first = await fresh(ctx);
    // Another fresh module that first renders other letters (other names, amounts, language).
    vi.resetModules();
    const warm = (await import('../../lambdas/notices/render')).renderNotice;
    await warm(sampleContext(sampleDossier('b2c'), 'formal_notice', 'fr'));
    await warm(sampleContext(b2b, 'formal_notice', 'fr'));
    const again = await warm(ctx);
    expect(Buffer.from(again.attachments[0]!.content).equals(Buffer.from(first.attachments[0]!.content))).toBe(true);
    // Once more: its font subsets (same glyphs) and wrapped lines now come from memory, same bytes.
    const remembered = await warm(ctx);
    expect(Buffer.from(remembered.attachments[0]!.content).equals(Buffer.from(first.attachments[0]!.content))).toBe(true);
  });

  it('prints each letter its own debtor and amounts when letters are rendered back to back (no layout or width carried over)', async () => {
    // A fresh module, then three letters in a row: a debtor, a near namesake (same words but one,
    // same amounts), and another dossier (other names, other amounts).
    vi.resetModules();
    const render = (await import('../../lambdas/notices/render')).renderNotice;
    const a = sampleContext(b2b, 'formal_notice', 'fr');
    const b: NoticeContext = { ...a, debtor: { ...a.debtor, name: 'Boulangerie Durand & Fils SARL' } };
    const c = sampleContext(sampleDossier('b2c'), 'formal_notice', 'fr');
    expect(c.breakdown.totalDueCents).not.toBe(a.breakdown.totalDueCents);
    const texts: string[] = [];
    for (const ctx of [a, b, c]) texts.push(flat((await pdfText((await render(ctx)).attachments[0]!.content)).text));
    const [ta, tb, tc] = texts as [string, string, string];
    const total = (ctx: NoticeContext) => flat(formatMoney(ctx.breakdown.totalDueCents, 'fr'));
    expect(ta).toContain('Boulangerie Dupont & Fils SARL');
    expect(ta).not.toContain('Durand');
    expect(tb).toContain('Boulangerie Durand & Fils SARL');
    expect(tb).not.toContain('Dupont');
    expect(tc).toContain(flat(c.debtor.name));
    expect(tc).toContain(total(c));
    for (const other of [ta, tb]) {
      expect(other).toContain(total(a));
      expect(other).not.toContain(flat(c.debtor.name));
    }
    expect(tc).not.toContain(total(a));
    expect(tc).not.toContain('Boulangerie');
    // The third letter is the same document it is when rendered first in a process.
    vi.resetModules();
    const fresh = (await import('../../lambdas/notices/render')).renderNotice;
    const alone = await fresh(c);
    expect(flat((await pdfText(alone.attachments[0]!.content)).text)).toBe(tc);
  });

  it('changes when the sending instant changes', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'fr');
    const a = await renderNotice(ctx);
    const b = await renderNotice({ ...ctx, sentAt: '2026-07-10T07:00:01.000Z' });
    expect(Buffer.from(b.attachments[0]!.content).equals(Buffer.from(a.attachments[0]!.content))).toBe(false);
  });

  it('prints names exactly (embedded Unicode font), survives characters no font has, wraps/paginates long content', async () => {
    const base = sampleContext(b2b, 'formal_notice', 'fr');
    const long = Array.from({ length: 120 }, (_, i) => `ligne${i} Łódź “quoted” ≥ 5 → ok 😀 漢字`).join(' ');
    const ctx: NoticeContext = {
      ...base,
      debtor: { ...base.debtor, name: 'Ściśle Tajne Sp. z o.o. ‑ Zürich\u2009Œuvre 😀' },
      invoice: { ...base.invoice, description: long, invoiceNumber: 'F-2025-0142/Ⅻ' },
    };
    const r = await renderNotice(ctx);
    const { text, pages } = await pdfText(r.attachments[0]!.content);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain('Ściśle Tajne Sp. z o.o.'); // printed as given, not stripped to "Scisle"
    expect(text).toContain('Œuvre');
    expect(text).toContain('Łódź');
    expect(text).toContain('→');
    expect(text).toContain('MISE EN DEMEURE');
    expect(r.attachments[0]!.filename).toBe('mise-en-demeure-F-2025-0142.pdf');
  });

  it('every page carries the running footer with its number', async () => {
    const letter = {
      language: 'fr' as const,
      references: [],
      greeting: 'Madame, Monsieur,',
      blocks: Array.from({ length: 80 }, (_, i) => ({ type: 'paragraph' as const, text: `Paragraphe ${i} : ${'texte '.repeat(30)}` })),
      closing: 'Salutations.',
      signature: ['X'],
      footer: 'Pied de page',
    };
    const bytes = await renderPdfLetter(letter, { title: 't', subject: 's', author: 'a', date: '2026-01-01T00:00:00.000Z' });
    const { text, pages } = await pdfText(bytes);
    expect(pages).toBeGreaterThan(1);
    for (let i = 1; i <= pages; i++) expect(text).toContain(`Pied de page – page ${i}/${pages}`);
  });
});

describe('toWinAnsi', () => {
  const charset = new Set(
    [...Array(0x7f - 0x20).keys()].map((i) => i + 0x20).concat([0xa0, 0xe9, 0xe8, 0xe0, 0xc9, 0x20ac, 0x2019, 0xab, 0xbb, 0x153, 0x2013, 0xd7]),
  );
  it('maps formatMoney spaces and other unencodable characters', () => {
    expect(toWinAnsi('1\u202f250,00\u00a0€', charset)).toBe('1\u00a0250,00\u00a0€');
    expect(toWinAnsi('a\u2009b\u2011c\u2212d', charset)).toBe('a b-c-d');
    expect(toWinAnsi('ő ł 😀 ≥ 漢', charset)).toBe('o l ? >= ?');
    expect(toWinAnsi('é è « » œ – ×', charset)).toBe('é è « » œ – ×');
    expect(toWinAnsi('a\r\nb\tc\u0007d', charset)).toBe('a\nb c d');
  });
});
