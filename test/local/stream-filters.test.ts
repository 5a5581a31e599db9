/**
 * The table stream's filters for the functions that follow dossiers (lib/table-stream.ts
 * dossierAppends: accountant-alerts, events-out), end to end in local mode with the template's own
 * FilterCriteria: dossiers go through real pipelines (a full escalation to the hand-off, a delivery
 * and a soft and a hard bounce, a complaint, a dispute opened and rejected, a promise, a payment plan
 * and its payments, a cancellation), and
 * - every record is checked (test/support/stream-filter-check.ts, as in every end-to-end test):
 *   the write's `appended` marker is exactly what it appended, and no record a filter holds back
 *   would have made its function alert or publish anything — the decisions with the filters are
 *   the decisions without them;
 * - the functions are invoked for far fewer records than the dossier changes, yet the alerts and
 *   the events arrive as before (accountants' e-mails, events on the bus).
 */
import { describe, expect, it, vi } from 'vitest';
import { BUS_PUBLISHED_ELSEWHERE, DETAIL_TYPE_OF } from '../../lambdas/domain/dossier-events';
import type { StreamRecord } from '../../local/dynamodb-stream';
import { invoice, useLocalSystem } from '../support/local-client';

vi.setConfig({ hookTimeout: 240_000, testTimeout: 240_000 });

const CLOCK_START = '2026-04-04T10:00:00Z';
const ACCOUNTANT = 'expert-comptable@cabinet-durand.example';

/** Dossier changes seen, by dossier id, and which followers got each. */
const seen = new Map<string, { changes: number; alerts: number; events: number }>();
function onStreamRecord(record: StreamRecord, deliveredTo: string[]): void {
  const image = record.dynamodb.NewImage;
  if (!image || image.sk?.S !== 'DOSSIER') return;
  const id = String(image.pk.S).slice(2);
  const s = seen.get(id) ?? { changes: 0, alerts: 0, events: 0 };
  s.changes++;
  if (deliveredTo.includes('accountant-alerts')) s.alerts++;
  if (deliveredTo.includes('events-out')) s.events++;
  seen.set(id, s);
}

/** Every dossier write carries the marker (an item without it would reach both functions). */
let unmarked = 0;

describe('stream filters: the followers of dossiers get only the changes they act on (local mode)', () => {
  const local = useLocalSystem({
    clockStart: CLOCK_START,
    accountantMail: true,
    onStreamRecord: (record, deliveredTo) => {
      onStreamRecord(record, deliveredTo);
      const image = record.dynamodb.NewImage;
      if (image?.sk?.S === 'DOSSIER' && !image.appended) unmarked++;
    },
  });

  it('hold back no change an alert or an event comes from, over real pipelines', async () => {
    const { api, sys } = local;
    const create = async (invoiceNumber: string) => {
      // A debtor of its own (by e-mail, no SIREN): a hard bounce pauses e-mail to its debtor only.
      const base = invoice();
      const res = await api.createInvoice(invoice({ invoiceNumber, debtor: { ...base.debtor, siren: undefined, email: `compta-${invoiceNumber.toLowerCase()}@dupont.example` } }));
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const escalated = await create('FILTER-ESC');
    const bounced = await create('FILTER-BOUNCE');
    const disputed = await create('FILTER-DISPUTE');
    const planned = await create('FILTER-PLAN');
    const promised = await create('FILTER-PROMISE');
    const cancelled = await create('FILTER-CANCEL');
    const complained = await create('FILTER-COMPLAINT');

    // The first reminders go out.
    await api.advanceTo('2026-04-08T12:00:00Z');
    const firstMessage = async (id: string) => (await api.getInvoice(id)).body.events.find((e: any) => e.type === 'notice_sent').messageId as string;
    const ses = (body: unknown) => api.call('POST', '/_local/ses/events', body);

    // SES facts: a delivery (no alert, no event) then a hard bounce (an alert, the dossier flagged:
    // DossierNeedsAttention); a soft bounce on the escalated dossier (its change no longer reaches the
    // alerts function: the marker names hard bounces apart); a complaint on another dossier (an alert).
    const bouncedMessage = await firstMessage(bounced);
    expect((await ses({ messageId: bouncedMessage, type: 'Delivery' })).status).toBe(202);
    expect((await ses({ messageId: await firstMessage(escalated), type: 'Bounce', bounceType: 'Transient' })).status).toBe(202);
    expect((await ses({ messageId: bouncedMessage, type: 'Bounce', bounceType: 'Permanent', diagnosticCode: 'smtp; 550 5.1.1 user unknown' })).status).toBe(202);
    expect((await ses({ messageId: await firstMessage(complained), type: 'Complaint' })).status).toBe(202);

    const opened = await api.call('POST', `/invoices/${disputed}/disputes`, { reason: 'Deux jours facturés en trop', disputedAmount: '250.00' });
    expect(opened.status).toBe(201);
    const rejected = await api.call('POST', `/invoices/${disputed}/disputes/${opened.body.dispute.id}/resolve`, {
      outcome: 'rejected',
      reasons: 'La prestation a été livrée conforme au bon de commande signé.',
    });
    expect(rejected.status).toBe(200);

    expect((await api.call('POST', `/invoices/${promised}/promises`, { date: '2026-04-24', amount: '1250.00' })).status).toBe(201);
    const plan = await api.call('POST', `/invoices/${planned}/payment-plan`, {
      instalments: [
        { dueDate: '2026-05-05', amount: '625.00' },
        { dueDate: '2026-06-05', amount: '625.00' },
      ],
    });
    expect(plan.status).toBe(201);
    expect((await api.call('POST', `/invoices/${cancelled}/cancel`, { reason: 'Avoir AV-2026-011' })).status).toBe(200);

    await api.advanceTo('2026-05-05T10:00:00Z');
    expect((await api.pay(planned, { amount: '625.00', paidOn: '2026-05-05', reference: 'ECH-1' })).status).toBe(201);
    await api.advanceTo('2026-06-05T10:00:00Z');
    expect((await api.pay(planned, { amount: '625.00', paidOn: '2026-06-05', reference: 'ECH-2' })).status).toBe(201);
    // The escalated dossier goes all the way to the hand-off to counsel.
    await api.advanceTo('2026-06-20T10:00:00Z');
    expect((await api.getInvoice(escalated)).body.status).toBe('handed_off');
    expect((await api.getInvoice(planned)).body.status).toBe('paid');

    // The alerts still reach the accountants: the hard bounce, the complaint, the dispute.
    const alerts = (await api.emails()).filter((m: any) => /^\[Amiable\]/.test(m.subject) && JSON.stringify(m.destination).includes(ACCOUNTANT));
    const alertedFor = (invoiceNumber: string) => alerts.filter((m: any) => String(m.subject).includes(invoiceNumber) || String(m.body?.text ?? '').includes(invoiceNumber)).length;
    expect(alertedFor('FILTER-BOUNCE')).toBe(1);
    expect(alertedFor('FILTER-COMPLAINT')).toBe(1);
    expect(alertedFor('FILTER-DISPUTE')).toBe(1);
    expect(alertedFor('FILTER-ESC')).toBe(0);

    // The events still go out: one per detail-type-worthy entry of each dossier, none twice.
    // (The hand-off puts its own DossierHandedOff on the bus, with the litigation figures and no eventId.)
    const bus = sys.events().filter((e: any) => e.source === 'amiable' && e.detail?.eventId);
    const ids = bus.map((e: any) => e.detail.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    const typesOf = (id: string) => bus.filter((e: any) => e.detail.dossierId === id).map((e: any) => e['detail-type']);
    // Every entry of every dossier that has a detail-type is on the bus, in order (the hand-off's
    // own event aside), whatever the filters held back.
    for (const id of [escalated, bounced, disputed, planned, promised, cancelled, complained]) {
      const history = (await api.getInvoice(id)).body.events as { type: string }[];
      const expected = history.map((e) => DETAIL_TYPE_OF[e.type]).filter((t) => t && !BUS_PUBLISHED_ELSEWHERE.has(t));
      expect(typesOf(id), id).toEqual(expected);
    }
    expect(typesOf(bounced)).toContain('DossierNeedsAttention');
    expect(typesOf(disputed)).toEqual(expect.arrayContaining(['DisputeOpened', 'DisputeResolved']));
    expect(typesOf(planned)).toEqual(expect.arrayContaining(['PaymentPlanAgreed', 'PaymentRecorded', 'PaymentPlanKept', 'DossierClosed']));
    expect(typesOf(promised)).toContain('PromiseAgreed');

    // Fewer invocations: a full escalation's changes mostly append nothing either acts on (the alerts
    // function does not even get its soft bounce: the marker names a hard bounce apart).
    const esc = seen.get(escalated)!;
    expect(esc.alerts).toBe(0);
    expect(esc.events).toBeLessThan(esc.changes);
    const all = [...seen.values()].reduce((t, s) => ({ changes: t.changes + s.changes, alerts: t.alerts + s.alerts, events: t.events + s.events }), { changes: 0, alerts: 0, events: 0 });
    expect(all.alerts).toBeLessThan(all.changes / 4);
    expect(all.events).toBeLessThan(all.changes);
    expect(unmarked).toBe(0);
    console.log(`stream filters: ${all.changes} dossier changes; accountant-alerts got ${all.alerts}, events-out ${all.events}; full escalation ${esc.changes} changes -> ${esc.alerts} / ${esc.events}`);
  });
});
