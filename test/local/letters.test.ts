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

describe('point 1: a rate awaiting confirmation is printed as provisional on real letters', () => {
  // Due Wednesday 3 June 2026: the mise en demeure goes out on Friday 3 July, its penalties span
  // 2026 H1 (firm) and 2026 H2 (ECB rate for 1 July not yet confirmed).
  const local = useLocalSystem({ clockStart: '2026-06-04T10:00:00Z' });

  it('the H2 line says "taux provisoire", the H1 line does not, and no message names a file or an operator step', async () => {
    const { body } = await local.api.createInvoice(invoice({ invoiceNumber: 'RATE-H2', issueDate: '2026-05-04', dueDate: '2026-06-03' }));
    await local.api.advanceTo('2026-07-03T12:00:00Z');
    const med = (await mailsOf(local.api, 'RATE-H2')).find((m) => /Mise en demeure/.test(m.subject));
    for (const text of [flat(med.body.text), (await pdfOf(med)).text]) {
      const h1 = text.slice(text.indexOf('Pénalités de retard du 4 juin 2026 au 30 juin 2026'));
      const h2 = text.slice(text.indexOf('Pénalités de retard du 1er juillet 2026 au 3 juillet 2026'));
      expect(h1.slice(0, 160)).not.toContain('taux provisoire');
      expect(h2.slice(0, 160)).toMatch(/3 jours × 12,15 % l’?'?an sur 1 250,00 € – taux provisoire/);
      expect(text).toContain('Montant provisoire');
    }
    // The hand-off to the lawyer carries the calculation notes: public wording only.
    await local.api.advanceTo('2026-07-16T12:00:00Z');
    expect((await local.api.getInvoice(body.id)).body.status).toBe('handed_off');
    const all = await mailsOf(local.api, 'RATE-H2');
    expect(all.map((m) => m.subject)).toHaveLength(4);
    for (const m of all) expect(`${m.subject}\n${m.body.text}\n${m.body.html}`).not.toMatch(/lambdas\/|rates\.ts|rate-tables|npm run|operator|TO CONFIRM/i);
    expect(flat(all[3].body.text)).toMatch(/provisional until the rate in force on 1 Jul 2026 is confirmed/);
  });
});
