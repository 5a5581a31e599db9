import { describe, expect, it } from 'vitest';
import { client, invoice, useLocalSystem } from '../support/local-client';

/**
 * A send reads one thing besides taking its lease: the debtor's e-mail pause, at the moment it
 * sends (services/notice-dispatch.ts claims the stage without reading the dossier). That read must
 * be fresh: a dossier already waiting for its next notice when another dossier of the same debtor
 * bounces must not be mailed. (delivery-events.test.ts covers a dossier created after the pause.)
 */
const CLOCK_START = '2026-04-04T10:00:00Z';

type Api = ReturnType<typeof client>;

async function mailsFor(api: Api, invoiceNumber: string): Promise<any[]> {
  return (await api.emails()).filter((m: any) => String(m.subject).includes(invoiceNumber));
}

describe('the e-mail pause read by each send is fresh', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('stops the next notice of a dossier that was already waiting when another dossier of its debtor bounced', async () => {
    const { api } = local;
    // Same debtor (same SIREN): A falls due first, B three weeks later; both wait from the start.
    const a = await api.createInvoice(invoice({ invoiceNumber: 'FRESH-A' }));
    const b = await api.createInvoice(invoice({ invoiceNumber: 'FRESH-B', dueDate: '2026-04-24', debtor: { ...invoice().debtor, email: 'direction@boulangerie-dupont.example' } }));
    expect([a.status, b.status]).toEqual([201, 201]);
    const bFirst = b.body.nextAction;
    expect(bFirst.stage).toBe('first_reminder');

    // A's first reminder goes out and bounces hard while B waits.
    await api.advanceTo('2026-04-08T12:00:00Z');
    expect(await mailsFor(api, 'FRESH-A')).toHaveLength(1);
    expect(await mailsFor(api, 'FRESH-B')).toHaveLength(0);
    const sent = (await api.getInvoice(a.body.id)).body.events.find((e: any) => e.type === 'notice_sent');
    const bounce = await api.call('POST', '/_local/ses/events', { messageId: sent.messageId, type: 'Bounce', bounceType: 'Permanent', diagnosticCode: 'smtp; 550 5.1.1 user unknown' });
    expect(bounce.status).toBe(202);
    expect((await api.getInvoice(b.body.id)).body.status).toBe('active');

    // B's first reminder falls due: its send reads the pause recorded meanwhile and sends nothing.
    await api.advanceTo(new Date(Date.parse(bFirst.at) + 3_600_000).toISOString());
    expect(await mailsFor(api, 'FRESH-B')).toHaveLength(0);
    const view = (await api.getInvoice(b.body.id)).body;
    expect(view.status).toBe('needs_attention');
    expect(view.sending ?? null).toBeNull();
    expect(view.events.filter((e: any) => e.type === 'notice_sent')).toHaveLength(0);
    expect(view.events.at(-1)).toMatchObject({ type: 'needs_attention', at: bFirst.at, reason: expect.stringMatching(/paused for this debtor after a hard bounce/) });

    // Another debtor's dossier falling due then is sent as usual (the one-write claim).
    const other = await api.createInvoice(
      invoice({ invoiceNumber: 'FRESH-C', dueDate: '2026-05-15', debtor: { ...invoice().debtor, name: 'Fromagerie Martin', email: 'compta@fromagerie-martin.example', siren: undefined } }),
    );
    await api.advanceTo(new Date(Date.parse(other.body.nextAction.at) + 3_600_000).toISOString());
    expect(await mailsFor(api, 'FRESH-C')).toHaveLength(1);
    expect((await api.getInvoice(other.body.id)).body.events.filter((e: any) => e.type === 'notice_sent')).toHaveLength(1);
  });
});
