import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, LocalSystem } from '../../local/system';
import { client, invoice } from '../support/local-client';

/**
 * Payments racing sends: many dossiers fall due at the same instant while full payments arrive at
 * random moments. Whatever the interleaving, no notice_sent may follow the payment that settled
 * the debt, and every e-mail that left is recorded (no send happens unrecorded).
 */
describe('payment vs send race', () => {
  let sys: LocalSystem;
  let api: ReturnType<typeof client>;
  const DOSSIERS_PER_ROUND = 25;
  const ROUNDS = 4;
  const stats = { interleavings: 0, paidBeforeSend: 0, paidAfterSend: 0 };

  beforeAll(async () => {
    sys = await startLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
    api = client(sys);
  });
  afterAll(async () => {
    console.log(`race: ${stats.interleavings} interleavings, payment first ${stats.paidBeforeSend}, send first ${stats.paidAfterSend}`);
    await sys?.stop();
  });

  it('never records or sends a notice after the settling payment', async () => {
    let seq = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const ids: string[] = [];
      for (let i = 0; i < DOSSIERS_PER_ROUND; i++) {
        const r = await api.createInvoice(invoice({ invoiceNumber: `RACE-${round}-${i}`, amount: `${100 + i}.00` }));
        expect(r.status).toBe(201);
        ids.push(r.body.id);
      }
      const firstReminderAt = (await api.getInvoice(ids[0])).body.nextAction.at;
      // Sends fire when the clock reaches the reminder; payments land at random real moments.
      const advancing = api.advanceTo(firstReminderAt);
      const paying = ids.map(async (id, i) => {
        await new Promise((r) => setTimeout(r, Math.random() * 400));
        const p = await api.pay(id, { amount: `${100 + i}.00`, paidOn: '2026-04-04', reference: `PAY-${seq++}` });
        expect(p.status).toBe(201);
      });
      await Promise.all([advancing, ...paying]);
      await api.advance('P40D'); // later stages would fire now if anything was left running

      const mails = await api.emails();
      for (const id of ids) {
        const v = (await api.getInvoice(id)).body;
        expect(v.status).toBe('paid');
        const types: string[] = v.events.map((e: any) => e.type);
        const paidAt = types.indexOf('paid');
        expect(paidAt).toBeGreaterThan(0);
        expect(types.slice(paidAt + 1)).not.toContain('notice_sent');
        const sent = v.events.filter((e: any) => e.type === 'notice_sent');
        expect(sent.length).toBeLessThanOrEqual(1);
        if (sent.length) stats.paidAfterSend++;
        else stats.paidBeforeSend++;
        // Every e-mail to this debtor for this invoice is a recorded notice.
        const mine = new RegExp(`${v.invoiceNumber}(?![0-9])`);
        const forThis = mails.filter((m: any) => mine.test(m.subject) && !/reçu|receipt/i.test(m.subject));
        expect(forThis.length).toBe(sent.length);
        stats.interleavings++;
      }
    }
    expect(stats.interleavings).toBe(DOSSIERS_PER_ROUND * ROUNDS);
  });
});
