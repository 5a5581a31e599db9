import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFaultInjection, type FaultRecord } from '../../local/fault-injection';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * A payment whose receipt could not go out (every SES send answered as failed, as after a crash
 * right after SES accepted it) and the client's replay of the same payment: the replay sends the
 * receipt that is due and not recorded as sent, as the same message (one Message-ID at the SES
 * endpoint however many attempts), records it, and a further replay sends nothing.
 */
describe('a replayed payment finishes what the first request owed', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-replay-')), 'faults.jsonl');
  let injector: ReturnType<typeof startFaultInjection> | null = null;
  afterAll(() => {
    injector?.stop();
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  });

  const receipts = (id: string) =>
    fs.existsSync(logFile)
      ? fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as FaultRecord)
          .filter((r) => r.type === 'ses_accepted' && r.tags?.amiable_dossier === id && r.tags?.amiable_kind === 'payment_receipt')
      : [];

  it('re-sends the receipt recorded as failed, with the Message-ID of the first attempts, once', async () => {
    const { api } = local;
    const created = await api.createInvoice(invoice({ invoiceNumber: 'RPL-1', amount: '480.00' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const payment = { amount: '480.00', paidOn: '2026-04-04', reference: 'VIR-RPL-1' };

    // Every SES send is accepted, then reported as failed: the receipt's attempts all "fail".
    injector = startFaultInjection({ rate: 0, crashAfterAccept: 1, seed: 7, logFile });
    const first = await api.pay(id, payment);
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('paid');
    const failed = first.body.events.filter((e: any) => e.type === 'message_failed' && e.kind === 'payment_receipt');
    expect(failed).toHaveLength(1);
    expect(failed[0].reference).toBe('VIR-RPL-1');
    expect(first.body.events.some((e: any) => e.type === 'message_sent')).toBe(false);
    const attempts = receipts(id);
    expect(attempts.length).toBeGreaterThan(1);
    expect(new Set(attempts.map((a) => a.messageId)).size).toBe(1);
    injector.stop();

    // The replay (same reference, amount and date): 200, the receipt goes out and is recorded.
    injector = startFaultInjection({ rate: 0, crashAfterAccept: 0, seed: 7, logFile });
    const replay = await api.pay(id, payment);
    expect(replay.status).toBe(200);
    const sent = replay.body.events.filter((e: any) => e.type === 'message_sent' && e.kind === 'payment_receipt');
    expect(sent).toHaveLength(1);
    expect(sent[0].reference).toBe('VIR-RPL-1');
    const all = receipts(id);
    expect(all).toHaveLength(attempts.length + 1);
    expect(new Set(all.map((a) => a.messageId))).toEqual(new Set([attempts[0]!.messageId]));
    const mails = (await api.emails()).filter((m: any) => String(m.subject).includes('RPL-1'));
    expect(mails.length).toBeGreaterThan(0);

    // Recorded as sent: a further replay sends nothing.
    const again = await api.pay(id, payment);
    expect(again.status).toBe(200);
    expect(receipts(id)).toHaveLength(all.length);
    expect(again.body.events.filter((e: any) => e.type === 'message_sent')).toHaveLength(1);

    // A different amount under the known reference is still refused, naming the field.
    const other = await api.pay(id, { ...payment, amount: '47.00' });
    expect(other.status).toBe(409);
    injector.stop();
    injector = null;
  });

  it('a replay of a payment that owed no receipt (partial, nothing claimed yet) sends nothing', async () => {
    const { api } = local;
    const created = await api.createInvoice(invoice({ invoiceNumber: 'RPL-2', amount: '300.00' }));
    const id = created.body.id as string;
    const payment = { amount: '100.00', paidOn: '2026-04-04', reference: 'VIR-RPL-2' };
    expect((await api.pay(id, payment)).status).toBe(201);
    const before = (await api.emails()).length;
    const replay = await api.pay(id, payment);
    expect(replay.status).toBe(200);
    expect((await api.emails()).length).toBe(before);
    expect(replay.body.events.filter((e: any) => e.type === 'message_sent' || e.type === 'message_failed')).toHaveLength(0);
  });
});
