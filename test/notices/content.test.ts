import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../lambdas/domain/money';
import { renderNotice } from '../../lambdas/notices/render';
import { allSampleContexts, sampleContext, sampleDossier } from '../support/notice-samples';
import { NOTICE_KINDS, type NoticeContext, type RenderedNotice } from '../../lambdas/notices/types';
import { checkNotice, htmlVisibleText } from '../../lambdas/notices/checker';
import { recommendRoute } from '../../lambdas/domain/court-route';

/** Whitespace-insensitive view (formatMoney uses U+202F / U+00A0, text is wrapped at 76 columns). */
const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/gu, ' ');

function expectIn(r: RenderedNotice, ...needles: string[]): void {
  // Case-insensitive: the plain-text renderer prints headings in capitals.
  const text = flat(r.text).toLowerCase();
  const html = flat(htmlVisibleText(r.html)).toLowerCase();
  for (const n of needles) {
    expect(text, `text should contain ${n}`).toContain(flat(n).toLowerCase());
    expect(html, `html should contain ${n}`).toContain(flat(n).toLowerCase());
  }
}

function expectNotIn(r: RenderedNotice, ...needles: string[]): void {
  for (const n of needles) {
    expect(flat(r.text).toLowerCase()).not.toContain(flat(n).toLowerCase());
    expect(flat(htmlVisibleText(r.html)).toLowerCase()).not.toContain(flat(n).toLowerCase());
  }
}

const b2b = sampleDossier('b2b');
const b2c = sampleDossier('b2c');

describe('every sample notice renders in both languages', () => {
  const cases = allSampleContexts().map(({ dossier, ctx }) => [`${dossier.name} ${ctx.kind} ${ctx.language}`, ctx] as const);
  it.each(cases)('%s', async (_name, ctx: NoticeContext) => {
    const r = await renderNotice(ctx);
    expect(r.kind).toBe(ctx.kind);
    expect(r.subject).toContain(ctx.invoice.invoiceNumber);
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.html.startsWith('<!DOCTYPE html>')).toBe(true);
    // A consumer's receipt is in French (loi 94-665 art. 2), with an English translation.
    const consumerReceipt = ctx.kind === 'payment_receipt' && ctx.debtor.kind === 'consumer';
    expect(r.html).toContain(`<html lang="${consumerReceipt ? 'fr' : ctx.language}">`);
    if (consumerReceipt && ctx.language === 'en') expect(r.text.toLowerCase()).toContain('english translation (the french text prevails)');
    expect(r.text.length).toBeGreaterThan(200);
    expect(r.to).toBe(ctx.kind === 'litigation_handoff' ? 'litigation_contact' : 'debtor');
    expect(r.attachments.length).toBe(ctx.kind === 'formal_notice' || ctx.kind === 'litigation_handoff' ? 1 : 0);
  });

  it('covers all nine kinds', () => {
    expect(new Set(allSampleContexts().map((c) => c.ctx.kind))).toEqual(new Set(NOTICE_KINDS));
  });
});

describe('first reminder', () => {
  it('is courteous, assumes an oversight and gives the payment means (fr)', async () => {
    const r = await renderNotice(sampleContext(b2b, 'first_reminder', 'fr'));
    expect(r.subject).toBe('Rappel : facture F-2025-0142 échue le 15 décembre 2025');
    expectIn(r, 'simple oubli', 'F-2025-0142', '14 novembre 2025', '15 décembre 2025', '4 800,00 €', 'FR76 3000 6000 0112 3456 7890 189', 'AGRIFRPP882', 'https://pay.atelier-lumiere.example/f/F-2025-0142', 'Sophie Martin');
    expectNotIn(r, 'mise en demeure', 'injonction');
  });

  it('is courteous in English', async () => {
    const r = await renderNotice(sampleContext(b2b, 'first_reminder', 'en'));
    expect(r.subject).toBe('Reminder: invoice F-2025-0142 was due on 15 December 2025');
    expectIn(r, 'simple oversight', '€4,800.00', '14 November 2025', 'IBAN', 'AGRIFRPP882');
  });
});

describe('formal reminder', () => {
  it('gives context, dates, amounts with penalties and indemnity, deadline, payment methods, contact (B2B)', async () => {
    const ctx = sampleContext(b2b, 'formal_reminder', 'fr');
    const r = await renderNotice(ctx);
    // The engine's deadline: 8 days after sending, but before the mise en demeure it announces.
    expect(r.subject).toContain('19 janvier 2026');
    expectIn(
      r,
      'Malgré notre précédent rappel',
      '14 novembre 2025',
      '15 décembre 2025',
      'Pénalités de retard du 16 décembre 2025 au 31 décembre 2025',
      '16 jours × 12,15 % l’an sur 4 800,00 €',
      'Indemnité forfaitaire pour frais de recouvrement',
      formatMoney(4000, 'fr'),
      formatMoney(ctx.breakdown.totalDueCents, 'fr'),
      'au plus tard le 19 janvier 2026',
      'IBAN',
      'Sophie Martin',
    );
  });

  it('English amounts and dates are formatted the English way', async () => {
    const ctx = sampleContext(b2b, 'formal_reminder', 'en');
    const r = await renderNotice(ctx);
    expectIn(r, '12 January 2026', '12.15% a year', '€40.00', formatMoney(ctx.breakdown.totalDueCents, 'en'), 'no later than 19 January 2026');
  });

  it('is refused without a deadline', async () => {
    const ctx = { ...sampleContext(b2b, 'formal_reminder', 'fr'), deadline: undefined };
    await expect(renderNotice(ctx)).rejects.toThrow(/deadline/);
  });
});

describe('B2B versus B2C', () => {
  it.each(['first_reminder', 'formal_reminder', 'formal_notice'] as const)('B2C %s has no penalties, no indemnity', async (kind) => {
    for (const language of ['fr', 'en'] as const) {
      const r = await renderNotice(sampleContext(b2c, kind, language));
      expectNotIn(r, 'pénalités de retard', 'indemnité forfaitaire', 'late-payment penalties', 'recovery indemnity', 'L441-10', 'D441-5', '40,00', '€40');
    }
  });

  it('B2C mise en demeure says legal interest runs from the notice', async () => {
    expectIn(await renderNotice(sampleContext(b2c, 'formal_notice', 'fr')), 'fait courir les intérêts au taux légal', '1231-6');
    expectIn(await renderNotice(sampleContext(b2c, 'formal_notice', 'en')), 'interest at the statutory rate to run');
  });

  it('B2B mise en demeure says penalties keep running and shows the indemnity', async () => {
    const r = await renderNotice(sampleContext(b2b, 'formal_notice', 'fr'));
    expectIn(r, 'Les pénalités de retard continuent de courir', 'Indemnité forfaitaire', '40,00 €');
  });

  it('refuses a B2C breakdown carrying the 40 EUR indemnity', async () => {
    const ctx = sampleContext(b2c, 'formal_reminder', 'fr');
    const bad = { ...ctx, breakdown: { ...ctx.breakdown, indemnityCents: 4000, totalDueCents: ctx.breakdown.totalDueCents + 4000 } };
    await expect(renderNotice(bad)).rejects.toThrow(/indemnity/);
  });

  it('refuses a breakdown whose total does not add up', async () => {
    const ctx = sampleContext(b2b, 'formal_reminder', 'fr');
    await expect(renderNotice({ ...ctx, breakdown: { ...ctx.breakdown, totalDueCents: 1 } })).rejects.toThrow(/totalDueCents/);
  });

  it('refuses a regime that contradicts the debtor kind', async () => {
    const ctx = sampleContext(b2b, 'first_reminder', 'fr');
    await expect(renderNotice({ ...ctx, debtor: { ...ctx.debtor, kind: 'consumer' } })).rejects.toThrow(/regime/);
  });

  it('B2C litigation hand-off shows legal interest lines, labelled as such', async () => {
    const r = await renderNotice(sampleContext(b2c, 'litigation_handoff'));
    // From the day after the mise en demeure; the payment of 23 April lowers the basis from the 24th.
    expectIn(r, 'Intérêts au taux légal du 22 avril 2026 au 23 avril 2026', 'Intérêts au taux légal du 24 avril 2026 au 20 mai 2026', '2,62 %', 'juge des contentieux de la protection', 'petites créances', '2 ans (art. L218-2');
  });
});

describe('provisional rates', () => {
  it('are worded as provisional in both languages', async () => {
    const fr = await renderNotice(sampleContext(b2b, 'formal_notice', 'fr'));
    expectIn(fr, 'taux provisoire (dernier taux publié connu, à confirmer)', 'Montant provisoire');
    const en = await renderNotice(sampleContext(b2b, 'formal_notice', 'en'));
    expectIn(en, 'provisional rate (last published rate known, to be confirmed)', 'Provisional amount');
  });

  it('are not mentioned when no line is provisional', async () => {
    const r = await renderNotice(sampleContext(b2b, 'formal_reminder', 'fr'));
    expectNotIn(r, 'provisoire');
  });
});

describe('mise en demeure (e-mail body)', () => {
  it.each(['fr', 'en'] as const)('carries every mention (%s)', async (language) => {
    const ctx = sampleContext(b2b, 'formal_notice', language);
    const r = await renderNotice(ctx);
    const fr = language === 'fr';
    expect(r.subject).toBe(fr ? 'Mise en demeure – facture F-2025-0142' : 'Mise en demeure (formal notice) – invoice F-2025-0142');
    expectIn(
      r,
      'MISE EN DEMEURE',
      'Atelier Lumière SAS',
      '12 rue de la République',
      '832 145 676',
      'Boulangerie Dupont & Fils SARL',
      '3 place du Marché',
      '793 456 120',
      'F-2025-0142',
      "Conception et pose de l'éclairage de la boutique",
      fr ? '15 décembre 2025' : '15 December 2025',
      fr ? '20 juillet 2026' : '20 July 2026',
      formatMoney(480_000, language),
      formatMoney(-100_000, language),
      formatMoney(ctx.breakdown.totalDueCents, language),
      fr ? 'nous vous mettons en demeure de régler' : 'formal notice (mise en demeure) to pay',
      'FR76 3000 6000 0112 3456 7890 189',
      'AGRIFRPP882',
      'injonction de payer',
      'référé-provision',
      fr ? 'action en paiement devant le tribunal' : 'action for payment before the competent court',
      'Sophie Martin',
      fr ? 'Fait à Lyon, le 10 juillet 2026' : 'Done at Lyon, on 10 July 2026',
      fr ? "article 1344 du Code civil" : 'article 1344 of the French Civil Code',
    );
    for (const line of ctx.breakdown.interest.lines) expectIn(r, formatMoney(line.amountCents, language), `${line.days} ${fr ? 'jours' : 'days'}`);
  });

  it('never threatens beyond lawful consequences', async () => {
    for (const language of ['fr', 'en'] as const) {
      const r = await renderNotice(sampleContext(b2b, 'formal_notice', language));
      expectNotIn(r, 'huissier à votre domicile', 'saisie', 'fichier', 'code pénal', 'poursuites pénales', 'police', 'criminal', 'seizure', 'blacklist', 'frais de dossier', 'collection fee');
    }
  });

  it('prints "1er" for the first of the month in French', async () => {
    const r = await renderNotice(sampleContext(b2b, 'formal_notice', 'fr'));
    expectIn(r, '1er janvier 2026', '1er juillet 2026');
  });
});

describe('follow-up letters', () => {
  it('payment receipt: amount, date, reference, balance', async () => {
    const ctx = sampleContext(b2b, 'payment_receipt', 'fr');
    const r = await renderNotice(ctx);
    expectIn(r, '1 000,00 €', '31 mars 2026', 'VIR-20260331-0077', formatMoney(ctx.payment!.balanceCents, 'fr'));
  });

  it('payment receipt for a settled dossier says so', async () => {
    const ctx = sampleContext(b2b, 'payment_receipt', 'en');
    const r = await renderNotice({ ...ctx, payment: { ...ctx.payment!, balanceCents: 0 } });
    expectIn(r, 'paid in full', '€0.00');
    expectNotIn(r, 'IBAN');
  });

  it('promise confirmation: amount and date, reminders paused', async () => {
    const r = await renderNotice(sampleContext(b2b, 'promise_confirmation', 'en'));
    expectIn(r, '€4,800.00', '20 February 2026', 'pausing our reminders');
  });

  it('payment plan: every instalment and the plan total', async () => {
    const ctx = sampleContext(b2b, 'payment_plan_confirmation', 'fr');
    const r = await renderNotice(ctx);
    for (const i of ctx.plan!.instalments) expectIn(r, formatMoney(i.amountCents, 'fr'));
    expectIn(r, '30 avril 2026', '31 mai 2026', '30 juin 2026', formatMoney(ctx.plan!.instalments.reduce((s, i) => s + i.amountCents, 0), 'fr'));
    // What the plan covers, the acknowledgment of the debt, and what a missed instalment does.
    const accessories = ctx.breakdown.totalDueCents - ctx.breakdown.principalDueCents;
    expect(accessories).toBeGreaterThan(0);
    expectIn(r, 'en principal', `(${formatMoney(accessories, 'fr')} au`, 'ne vous sont pas réclamées tant que', 'article 2240 du Code civil', 'dans les 2 jours ouvrés');
    const strict = await renderNotice({ ...ctx, plan: { ...ctx.plan!, toleranceBusinessDays: 5 } });
    expectIn(strict, 'dans les 5 jours ouvrés');
  });

  it('instalment reminder: date and amount', async () => {
    const ctx = sampleContext(b2b, 'instalment_reminder', 'en');
    expectIn(await renderNotice(ctx), 'due on 30 April 2026', formatMoney(ctx.instalment!.amountCents, 'en'));
  });

  it('dispute acknowledgment: reference and reason, reminders paused', async () => {
    const r = await renderNotice(sampleContext(b2b, 'dispute_acknowledgment', 'fr'));
    expectIn(r, 'DSP-0007', "nous attendons l'intervention promise", 'suspendues');
  });

  it('refuses a follow-up without its data', async () => {
    await expect(renderNotice({ ...sampleContext(b2b, 'payment_receipt'), payment: undefined })).rejects.toThrow(/payment/);
    await expect(renderNotice({ ...sampleContext(b2b, 'payment_plan_confirmation'), plan: { instalments: [] } })).rejects.toThrow(/instalment/);
  });
});

describe('litigation hand-off', () => {
  it('goes to the litigation contact, in French, whatever the debtor language, without internal ids', async () => {
    const ctx = { ...sampleContext(sampleDossier('agency'), 'litigation_handoff'), language: 'en' as const };
    const r = await renderNotice(ctx);
    expect(r.to).toBe('litigation_contact');
    expect(r.html).toContain('<html lang="fr">');
    expect(r.subject).toBe("Transmission contentieux – facture TG-2026-0419 – Épicerie O'Brien & Cie (réf. TG-2026-0419-CTX)");
    // The agency's counsel contact has no title: the neutral salutation; the creditor's reference and the
    // readable one (with the agency's first letter), never the dossier id.
    expectIn(r, 'Madame, Monsieur,', 'Référence du créancier : facture n° TG-2026-0419', 'TG-2026-0419-CTX', 'TG-2026-0419-R1', 'non communiqué');
    expect(`${r.subject}${r.text}${r.html}`).not.toContain(ctx.dossierId);
  });

  it('says "Maître," to a lawyer and words the hand-off in French only (no English calculation note)', async () => {
    const ctx = sampleContext(b2b, 'litigation_handoff');
    const r = await renderNotice(ctx);
    expect(r.text).toMatch(/^Maître,$/m);
    expect(r.text).not.toMatch(/Bonjour/);
    expectIn(r, 'Nous vous prions d’agréer, Maître, l’expression de nos salutations distinguées.', 'F-2025-0142-CTX', 'preuves d’envoi');
    for (const note of ctx.breakdown.notes) expect(r.text).not.toContain(note);
    expect(r.text).not.toMatch(/\b(the|and|of|penalties|payment)\b/);
    expect(r.text).not.toMatch(/lambdas\/|\.ts\b/);
  });

  it('states the route with its reason and rule, the prior-attempt rule, the prescription, and the court that follows (B2B, Paris)', async () => {
    const ctx = sampleContext(b2b, 'litigation_handoff');
    const r = await renderNotice(ctx);
    expectIn(
      r,
      'Procédure simplifiée de recouvrement des petites créances',
      'inférieure ou égale à 5 000 €',
      'art. L125-1 et R125-1 CPCE',
      'tribunal des activités économiques de Paris',
      'Cerfa n° 12946',
      'art. 750-1 CPC',
      'art. L110-4 C. com.',
      formatMoney(ctx.breakdown.totalDueCents, 'fr'),
      'soit 1,26 € par jour',
    );
  });

  it('attaches the litigation dossier PDF and links the evidence bundle, saying how to get a fresh link', async () => {
    const ctx = sampleContext(b2b, 'litigation_handoff');
    const r = await renderNotice(ctx);
    expect(r.attachments.map((a) => [a.filename, a.contentType])).toEqual([['dossier-contentieux-F-2025-0142.pdf', 'application/pdf']]);
    expect(Buffer.from(r.attachments[0]!.content.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expectIn(r, ctx.litigation!.bundle.url, 'valable 15 minutes', 'nouveau lien', 'Sophie Martin', ctx.litigation!.bundle.head.hash);
    expect(r.html).toContain(`<a href="${ctx.litigation!.bundle.url}">`);
  });

  it('routes a debtor in Dublin to the European order for payment, never to a French court', async () => {
    const r = await renderNotice(sampleContext(sampleDossier('agency'), 'litigation_handoff'));
    expectIn(r, 'Injonction de payer européenne (règlement (CE) n° 1896/2006)', 'Irlande', 'Formulaire type A', 'règlement européen des petits litiges');
    expectNotIn(r, 'tribunal de commerce du lieu', 'procédure simplifiée de recouvrement des petites créances');
  });

  it('follows the amount with its accessories: above 5 000 EUR, the injonction de payer', async () => {
    const ctx = sampleContext(b2b, 'litigation_handoff');
    const ld = ctx.litigation!.dossier;
    const over = { ...ld, route: { ...ld.route, ...recommendRoute({ debtor: ctx.debtor, asOf: ld.asOf, principalDueCents: 480_000, totalDueCents: 500_001 }) } };
    const r = await renderNotice({ ...ctx, litigation: { ...ctx.litigation!, dossier: over } });
    expectIn(r, 'Injonction de payer. Débiteur établi en France', 'supérieure à 5 000 €');
  });

  it('is refused without its litigation dossier, or with an internal id in it', async () => {
    const ctx = sampleContext(b2b, 'litigation_handoff');
    await expect(renderNotice({ ...ctx, litigation: undefined })).rejects.toThrow(/litigation dossier/);
    const r = await renderNotice(ctx);
    expect(checkNotice(ctx, { ...r, text: `${r.text}\nDossier ${ctx.dossierId}` }).missing).toContain('no internal dossier id in the message');
    expect(checkNotice(ctx, { ...r, attachments: [] }).missing).toContain('litigation dossier PDF attached');
    expect(checkNotice(ctx, { ...r, text: r.text.replace(ctx.litigation!.bundle.url, '') }).missing).toContain('evidence bundle link (missing from text)');
  });
});
