import { describe, expect, it } from 'vitest';
import { assertSendable, checkFormalNotice, checkNotice, NoticeNotSendableError } from '../../lambdas/notices/checker';
import { assertHandoffSendable } from '../../lambdas/notices/check-handoff';
import { renderNotice } from '../../lambdas/notices/render';
import { sampleContext, sampleDossier } from '../support/notice-samples';
import type { NoticeContext, RenderedNotice } from '../../lambdas/notices/types';

const b2b = sampleDossier('b2b');
const b2c = sampleDossier('b2c');

function without(r: RenderedNotice, pattern: RegExp): RenderedNotice {
  return { ...r, text: r.text.replace(pattern, ''), html: r.html.replace(pattern, '') };
}

describe('checkFormalNotice', () => {
  it.each([
    ['b2b', 'fr'],
    ['b2b', 'en'],
    ['b2c', 'fr'],
    ['b2c', 'en'],
    ['agency', 'fr'],
    ['agency', 'en'],
  ] as const)('accepts the sample mise en demeure (%s, %s)', async (name, language) => {
    const ctx = sampleContext(sampleDossier(name), 'formal_notice', language);
    const r = await renderNotice(ctx);
    expect(checkFormalNotice(ctx, r)).toEqual({ ok: true, missing: [] });
  });

  it('renderNotice refuses a mise en demeure without deadline, naming it', async () => {
    const ctx: NoticeContext = { ...sampleContext(b2b, 'formal_notice', 'fr'), deadline: undefined };
    const err = await renderNotice(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoticeNotSendableError);
    expect((err as NoticeNotSendableError).missing).toContain('payment deadline (firm date)');
    expect((err as Error).message).toMatch(/payment deadline/);
  });

  it('renderNotice refuses a mise en demeure without IBAN or BIC', async () => {
    const base = sampleContext(b2b, 'formal_notice', 'en');
    const ctx: NoticeContext = { ...base, creditor: { ...base.creditor, iban: '', bic: ' ' } };
    await expect(renderNotice(ctx)).rejects.toThrow(/IBAN; BIC/);
  });

  it('refuses a deadline shorter than the 8-day grace period', async () => {
    const ctx: NoticeContext = { ...sampleContext(b2b, 'formal_notice', 'fr'), deadline: '2026-07-15' };
    await expect(renderNotice(ctx)).rejects.toThrow(/at least 8 days after sending/);
  });

  it('refuses a creditor without a contact person', async () => {
    const base = sampleContext(b2c, 'formal_notice', 'fr');
    const ctx: NoticeContext = { ...base, creditor: { ...base.creditor, contact: { name: '', email: '' } } };
    await expect(renderNotice(ctx)).rejects.toThrow(/contact person/);
  });

  it('detects mentions removed from the output, per format', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'fr');
    const r = await renderNotice(ctx);
    const noInjonction = without(r, /injonction de payer/g);
    expect(checkFormalNotice(ctx, noInjonction).missing).toContain('consequence: injonction de payer (missing from text, html)');

    const noDemand = { ...r, text: r.text.replace(/nous vous mettons en demeure de régler/g, 'nous vous prions de régler') };
    expect(checkFormalNotice(ctx, noDemand).missing).toContain('express demand to pay (missing from text)');

    const noPlace = without(r, /Fait à Lyon, le 10 juillet 2026/g);
    expect(checkFormalNotice(ctx, noPlace).missing).toContain('place and date (missing from text, html)');
  });

  it('requires the PDF letter and checks the mentions inside it', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'fr');
    const r = await renderNotice(ctx);
    expect(checkFormalNotice(ctx, { ...r, attachments: [] }).missing).toContain('PDF letter attached');

    // A PDF of another mise en demeure (other debtor, other amounts) is caught.
    const other = await renderNotice(sampleContext(b2c, 'formal_notice', 'fr'));
    const swapped = { ...r, attachments: other.attachments };
    const missing = checkFormalNotice(ctx, swapped).missing;
    expect(missing).toContain('debtor identity (missing from pdf)');
    expect(missing).toContain('total due (missing from pdf)');
  });

  it('an English mise en demeure must say "Mise en demeure (formal notice)" in the subject', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'en');
    const r = await renderNotice(ctx);
    expect(checkFormalNotice(ctx, { ...r, subject: 'Formal notice – invoice F-2025-0142' }).missing).toEqual([
      'subject: "Mise en demeure"',
      'subject: "Mise en demeure (formal notice)"',
    ]);
  });

  it('assertSendable throws an Error listing every missing mention', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'fr');
    const r = await renderNotice(ctx);
    const gutted = without(r, /IBAN|référé-provision/g);
    expect(() => assertSendable(ctx, gutted)).toThrow(Error);
    expect(() => assertSendable(ctx, gutted)).toThrow(/consequence: référé-provision/);
  });
});

describe('checkNotice (other kinds)', () => {
  it('flags B2B-only wording in a B2C notice', async () => {
    const ctx = sampleContext(b2c, 'first_reminder', 'fr');
    const r = await renderNotice(ctx);
    const polluted = { ...r, text: `${r.text}\nPénalités de retard : 12,00 €\n` };
    expect(checkNotice(ctx, polluted).missing).toContain('B2C notice must not mention "pénalités de retard" (found in text)');
  });

  it('flags a subject without the invoice number or with a line break', async () => {
    const ctx = sampleContext(b2b, 'first_reminder', 'en');
    const r = await renderNotice(ctx);
    expect(checkNotice(ctx, { ...r, subject: 'Reminder' }).missing).toContain('subject: invoice number');
    expect(checkNotice(ctx, { ...r, subject: `${r.subject}\r\nBcc: x@example.com` }).missing).toContain('subject without control characters');
  });

  it('flags a hand-off addressed to the debtor', async () => {
    const ctx = sampleContext(b2b, 'litigation_handoff');
    const r = await renderNotice(ctx);
    expect(checkNotice(ctx, { ...r, to: 'debtor' }).missing).toContain('recipient must be litigation_contact');
  });

  it('flags active content in the HTML', async () => {
    const ctx = sampleContext(b2b, 'dispute_acknowledgment', 'fr');
    const r = await renderNotice(ctx);
    expect(checkNotice(ctx, { ...r, html: r.html.replace('</body>', '<script>x()</script></body>') }).missing).toContain('HTML free of active content');
  });

  it('requires the amounts of a formal reminder', async () => {
    const ctx = sampleContext(b2b, 'formal_reminder', 'fr');
    const r = await renderNotice(ctx);
    const noIndemnity = without(r, /40,00\u00a0€/g);
    expect(checkNotice(ctx, noIndemnity).missing).toContain('recovery indemnity (40 EUR, D441-5)');
  });
});

describe("the hand-off Lambda's own check (check-handoff.ts)", () => {
  // The hand-off Lambda checks its message with assertHandoffSendable, not assertSendable (so it
  // bundles no other kind's lists): both must refuse the same messages, naming the same mentions.
  it.each(['b2b', 'b2c', 'agency'] as const)('refuses what checkNotice refuses, with the same list (%s)', async (name) => {
    const ctx = sampleContext(sampleDossier(name), 'litigation_handoff');
    const r = await renderNotice(ctx);
    const variants: RenderedNotice[] = [
      r,
      { ...r, to: 'debtor' },
      { ...r, subject: 'Transmission' },
      { ...r, attachments: [] },
      without(r, /nouveau lien/g),
      without(r, new RegExp(ctx.litigation!.dossier.route.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')),
      { ...r, text: `${r.text}\nvoir lambdas/services/litigation.ts`, html: r.html.replace('</body>', `<p>${ctx.dossierId}</p></body>`) },
      { ...r, text: `${r.text}\nnous pourrons, sans autre avis, saisir` },
    ];
    for (const v of variants) {
      const expected = checkNotice(ctx, v);
      const err = (() => {
        try {
          assertHandoffSendable(ctx, v);
          return null;
        } catch (e) {
          return e;
        }
      })();
      if (expected.ok) expect(err).toBeNull();
      else {
        expect(err).toBeInstanceOf(NoticeNotSendableError);
        expect((err as NoticeNotSendableError).missing).toEqual(expected.missing);
      }
    }
    expect(checkNotice(ctx, variants[1]!).ok).toBe(false);
  });

  it('checks the hand-off only', async () => {
    const ctx = sampleContext(b2b, 'first_reminder', 'fr');
    expect(() => assertHandoffSendable(ctx, { kind: ctx.kind, to: 'debtor', subject: '', text: '', html: '', attachments: [] })).toThrow(/litigation hand-off/);
  });
});
