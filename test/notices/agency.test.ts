import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../lambdas/domain/money';
import { checkAgencyFirstLetter, htmlVisibleText } from '../../lambdas/notices/checker';
import { L111_8_PARAGRAPHS_2_3_FR } from '../../lambdas/notices/legal-texts';
import { renderNotice } from '../../lambdas/notices/render';
import { sampleContext, sampleDossier } from '../support/notice-samples';
import { letterReference } from '../../lambdas/notices/templates';
import { NOTICE_KINDS, type RenderedNotice } from '../../lambdas/notices/types';

const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/gu, ' ').toLowerCase();
const both = (r: RenderedNotice) => [flat(r.text), flat(htmlVisibleText(r.html))];

function expectIn(r: RenderedNotice, ...needles: string[]): void {
  for (const hay of both(r)) for (const n of needles) expect(hay, n).toContain(flat(n));
}

const agency = sampleDossier('agency');

describe('agency first letter (CPCE R124-4)', () => {
  it.each(['fr', 'en'] as const)('carries every R124-4 mention (%s)', async (language) => {
    const ctx = sampleContext(agency, 'first_reminder', language);
    const r = await renderNotice(ctx);
    const fr = language === 'fr';
    expectIn(
      r,
      // agency identity, address, and that it does amicable collection
      'Recouvrement Amiable du Sud-Ouest SARL',
      '5 allées Jean Jaurès, 31000 Toulouse',
      fr ? "exerce une activité de recouvrement amiable de créances pour le compte d’autrui" : 'carries out amicable debt collection on behalf of third parties',
      // creditor identity and address
      'Transports Garonne SA',
      '20 quai de la Daurade, 31000 Toulouse',
      // basis of the debt and its breakdown (principal, interest, other sums)
      'TG-2026-0419',
      formatMoney(235_000, language),
      formatMoney(ctx.breakdown.interest.lines[0]!.amountCents, language),
      formatMoney(ctx.breakdown.totalDueCents, language),
      // demand with payment methods
      fr ? 'Nous vous demandons de bien vouloir régler la somme de' : 'We ask you to pay the sum of',
      'FR76 1027 8022 0000 0202 6470 152',
      'CMCIFR2A',
      // no collection fee, and L111-8 paragraphs 2 and 3 verbatim (French text in both languages)
      fr ? 'Aucuns frais de recouvrement amiable ne vous sont réclamés' : 'No amicable collection fees are claimed from you',
      ...L111_8_PARAGRAPHS_2_3_FR,
      // the letter's reference and date, which later letters repeat
      letterReference(agency.invoice.invoiceNumber, 'first_reminder'),
      fr ? '9 avril 2026' : '9 April 2026',
    );
    expect(r.subject).toContain(fr ? 'pour le compte de Transports Garonne SA' : 'on behalf of Transports Garonne SA');
    expect(checkAgencyFirstLetter(ctx, r)).toEqual({ ok: true, missing: [] });
  });

  it('the English letter adds a translation of L111-8 after the French text', async () => {
    const r = await renderNotice(sampleContext(agency, 'first_reminder', 'en'));
    expectIn(r, 'The costs of collection undertaken without an enforceable title remain payable by the creditor', 'the French text above prevails');
  });

  it('never charges a collection fee: only principal, interest, statutory indemnity, payments, total', async () => {
    const ctx = sampleContext(agency, 'first_reminder', 'fr');
    const r = await renderNotice(ctx);
    const amounts = [...r.text.matchAll(/\u00a0: (-?[\d\u202f]+,\d\d\u00a0€)$/gmu)].map((m) => m[1]);
    const b = ctx.breakdown;
    const allowed = new Set([
      formatMoney(b.principalCents, 'fr'),
      ...b.interest.lines.map((l) => formatMoney(l.amountCents, 'fr')),
      formatMoney(b.indemnityCents, 'fr'),
      formatMoney(b.totalDueCents, 'fr'),
      formatMoney(ctx.invoice.amountCents, 'fr'),
    ]);
    expect(amounts.length).toBeGreaterThan(3);
    for (const a of amounts) expect(allowed).toContain(a);
    expect(flat(r.text)).not.toMatch(/frais de (dossier|gestion)|honoraires/);
  });

  it('a first letter missing an R124-4 mention is refused (checker on the output)', async () => {
    const ctx = sampleContext(agency, 'first_reminder', 'fr');
    const r = await renderNotice(ctx);
    const cut = (s: string) => s.replace(/Cependant, le créancier[\s\S]*?mauvaise foi\./g, '');
    const tampered = { ...r, text: cut(r.text), html: cut(r.html) };
    const result = checkAgencyFirstLetter(ctx, tampered);
    expect(result.ok).toBe(false);
    expect(result.missing).toContain('R124-4: text of L111-8 CPCE paragraphs 2 and 3');
  });
});

describe('later agency letters', () => {
  const later = NOTICE_KINDS.filter((k) => k !== 'first_reminder' && k !== 'litigation_handoff');

  it.each(later)('%s repeats the first letter reference and date', async (kind) => {
    for (const language of ['fr', 'en'] as const) {
      const r = await renderNotice(sampleContext(agency, kind, language));
      expectIn(r, 'TG-2026-0419-R1', language === 'fr' ? '9 avril 2026' : '9 April 2026', 'Recouvrement Amiable du Sud-Ouest SARL');
    }
  });

  it('are refused without the first letter reference', async () => {
    const ctx = { ...sampleContext(agency, 'formal_reminder', 'fr'), agencyFirstLetter: undefined };
    await expect(renderNotice(ctx)).rejects.toThrow(/first letter/);
  });

  it('the mise en demeure is sent by the agency on behalf of the creditor, both identified', async () => {
    const r = await renderNotice(sampleContext(agency, 'formal_notice', 'fr'));
    expectIn(
      r,
      'Recouvrement Amiable du Sud-Ouest SARL',
      'Recouvrement amiable pour le compte de Transports Garonne SA',
      'Transports Garonne SA, 20 quai de la Daurade, 31000 Toulouse, SIREN 440 112 233',
      'pour le compte de Transports Garonne SA, nous vous mettons en demeure de régler',
      // the debtor's SIREN is unknown: the address (abroad) is printed instead
      '14 Capel Street',
      'Irlande',
    );
  });
});
