import { dirname } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney, parseEuros } from '../../lambdas/domain/money';
import { bundlePath, counselSalutation, litigationLetter, renderLitigationPdf } from '../../lambdas/notices/litigation-dossier';
import { renderNotice } from '../../lambdas/notices/render';
import { sampleContext, sampleDossier } from '../support/notice-samples';

const STANDARD_FONTS = `${dirname(require.resolve('pdfjs-dist/package.json'))}/standard_fonts/`;

/** The text of each page, as pdfjs extracts it. */
async function pages(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false }).promise;
  const out: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    out.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join(''));
  }
  await doc.destroy();
  return out;
}

const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/gu, ' ');
const eur = (d: string) => flat(formatMoney(parseEuros(d)!, 'fr'));

describe('litigation dossier PDF', () => {
  const ctx = sampleContext(sampleDossier('b2b'), 'litigation_handoff');
  const ld = ctx.litigation!.dossier;

  it('is the attachment of the hand-off, byte for byte what renderLitigationPdf makes (deterministic)', async () => {
    const r = await renderNotice(ctx);
    const direct = await renderLitigationPdf(ld);
    expect(Buffer.compare(Buffer.from(r.attachments[0]!.content), Buffer.from(direct))).toBe(0);
    expect(Buffer.compare(Buffer.from(await renderLitigationPdf(structuredClone(ld))), Buffer.from(direct))).toBe(0);
  });

  it('says on page 1 what is owed, what runs, which route before whom, what CPC 750-1 asks and when it prescribes', async () => {
    const [first, ...rest] = (await pages(await renderLitigationPdf(ld))).map(flat);
    expect(first).toMatch(/DOSSIER CONTENTIEUX/);
    expect(first).toContain('Référence du créancier : facture n° F-2025-0142');
    expect(first).toContain(`Montant dû au 27 juillet 2026 : ${eur(ld.claim.due.total)}`);
    expect(first).toContain(`soit ${eur(ld.interestRunning.perDay)} par jour`);
    expect(first).toContain('Voie recommandée : Procédure simplifiée de recouvrement des petites créances');
    expect(first).toContain('Tentative préalable (art. 750-1 CPC)');
    expect(first).toContain('Prescription : 14 novembre 2030');
    expect(rest.length).toBeGreaterThan(0);
  });

  it('lists every document with its record number, bundle file and full SHA-256, then the timeline', async () => {
    const text = flat((await pages(await renderLitigationPdf(ld))).join(' '));
    for (const doc of ld.documents) {
      expect(text).toContain(`Pièce n° ${doc.n} –`);
      if (doc.evidence) {
        expect(text).toContain(`Journal de preuves n° ${doc.evidence.seq}, fichier du lot : ${bundlePath(doc.evidence.key)}`);
        expect(text).toContain(`SHA-256 ${doc.evidence.sha256}`);
      }
    }
    expect(text).toContain('Remise le');
    expect(text).toContain('9. Chronologie');
    expect(text).toContain('Mise en demeure envoyée au débiteur');
    expect(text).toContain('POST /invoices/{id}/evidence-bundle');
    // No internal id: the bundle paths are relative to the dossier's folder.
    expect(text).not.toContain(ld.dossierId);
  });

  it('words everything in French', () => {
    const letter = litigationLetter(ld);
    const all = JSON.stringify(letter);
    expect(all).not.toMatch(/\b(the|and|penalties|payment|Day count)\b/);
    expect(letter.language).toBe('fr');
  });
});

describe('litigation dossier PDF rendered in a warm process', () => {
  it('gives the same bytes as in a fresh one, its deflated ToUnicode CMaps taken from memory or not (pdf-letter.ts deflatedCmap)', async () => {
    const ld = (kind: 'b2b' | 'b2c' | 'agency') => sampleContext(sampleDossier(kind), 'litigation_handoff').litigation!.dossier;
    const fresh = async () => {
      vi.resetModules();
      return (await import('../../lambdas/notices/litigation-dossier')).renderLitigationPdf;
    };
    const cold = new Map<string, Buffer>();
    for (const kind of ['b2b', 'b2c', 'agency'] as const) cold.set(kind, Buffer.from(await (await fresh())(ld(kind))));
    // One process: each rendered after the others, then again (its CMaps' text now remembered).
    const warm = await fresh();
    for (const kind of ['agency', 'b2c', 'b2b', 'b2b', 'agency', 'b2c'] as const) {
      expect(Buffer.from(await warm(ld(kind))).equals(cold.get(kind)!), kind).toBe(true);
    }
    // Each ToUnicode stream inflates to a CMap (the memo holds deflated text, not anything else).
    const pdf = cold.get('b2b')!.toString('latin1');
    const cmaps = [...pdf.matchAll(/\/ToUnicode (\d+) 0 R/g)].map((m) => m[1]!);
    expect(cmaps).toHaveLength(2);
    for (const n of cmaps) {
      const at = pdf.indexOf(`\n${n} 0 obj`);
      const start = pdf.indexOf('stream\n', at) + 'stream\n'.length;
      const end = pdf.indexOf('\nendstream', start);
      expect(inflateSync(cold.get('b2b')!.subarray(start, end)).toString('latin1')).toMatch(/begincmap[\s\S]*beginbfrange|begincmap[\s\S]*beginbfchar/);
    }
  });
});

describe('counselSalutation', () => {
  it.each([
    ['Maître Claire Fontaine', 'Maître,'],
    ['Me Claire Rousseau', 'Maître,'],
    ['maître paul lemoine', 'Maître,'],
    ['Service juridique Transports Garonne', 'Madame, Monsieur,'],
    ['Mélanie Dubois', 'Madame, Monsieur,'],
  ])('%s -> %s', (name, expected) => expect(counselSalutation(name)).toBe(expected));
});
