import { describe, expect, it } from 'vitest';
import { invoice, useLocalSystem } from '../support/local-client';
import { creditorApi, flat, mailsOf, pdfOf } from '../support/letters';

/**
 * Letters a court would uphold (issue 13), on the real pipeline: intake -> rules -> dossier ->
 * the message that leaves, read back from the SES emulator (text and PDF attachment).
 * The invoice is due Friday 2026-04-03; under the default stages the mise en demeure goes out on
 * Monday 4 May 2026 at 09:00 Paris.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';

describe('point 5: the grace period has one source, the policy', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('a 15-day policy schedules, prints and explains 15 days, and the hand-off waits for them', async () => {
    const api = await creditorApi(local.api, 'grace-fifteen', { policyName: 'fr-fifteen-days-grace' });
    const { body } = await api.createInvoice(invoice({ invoiceNumber: 'GRACE-15' }));
    expect(body.deadline).toBe('2026-05-19');
    await local.api.advanceTo('2026-05-05T12:00:00Z');
    const view = (await api.getInvoice(body.id)).body;
    // Monday 4 May + 15 days = Tuesday 19 May; the hand-off on the next business day.
    expect(view.deadline).toBe('2026-05-19');
    expect(view.nextAction).toEqual({ stage: 'litigation_handoff', at: '2026-05-20T07:00:00.000Z' });
    const med = (await mailsOf(local.api, 'GRACE-15')).find((m) => /Mise en demeure/.test(m.subject));
    const text = flat(med.body.text);
    expect(text).toContain('au plus tard le 19 mai 2026');
    expect(text).toContain('Ce délai de quinze jours court à compter du lendemain');
    expect(text).not.toMatch(/huit jours/);
    const pdf = await pdfOf(med);
    expect(pdf.text).toContain('au plus tard le 19 mai 2026');
    expect(pdf.text).toContain('Ce délai de quinze jours');
    await local.api.advanceTo('2026-05-20T12:00:00Z');
    const after = (await api.getInvoice(body.id)).body;
    expect(after.events.find((e: any) => e.stage === 'litigation_handoff')?.at).toBe('2026-05-20T07:00:00.000Z');
  });
});
