import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { client, invoice, useLocalSystem } from '../support/local-client';
import type { LocalSystem } from '../../local/system';

/**
 * SES delivery events end to end: a message goes out through the SES emulator, its event is
 * posted to /_local/ses/events (what SES -> EventBridge would deliver), the same delivery-events
 * handler records it, and a hard bounce pauses automatic e-mail to the debtor.
 */
const CLOCK_START = '2026-04-04T10:00:00Z';
const PAUSED_REASON = 'automatic e-mail paused for this debtor after a hard bounce (compta@boulangerie-dupont.example)';

type Api = ReturnType<typeof client>;

async function mailsFor(api: Api, invoiceNumber: string): Promise<any[]> {
  return (await api.emails()).filter((m: any) => String(m.subject).includes(invoiceNumber));
}

const sesEvent = (api: Api, body: unknown) => api.call('POST', '/_local/ses/events', body);

function messageIdOf(view: any, stage = 'first_reminder'): string {
  const sent = view.events.find((e: any) => e.type === 'notice_sent' && e.stage === stage);
  expect(sent?.messageId).toMatch(/\S/);
  return sent.messageId;
}

function executionOf(sys: LocalSystem, dossierId: string) {
  const runs = sys.engine.list().filter((r) => r.input?.dossierId === dossierId);
  expect(runs).toHaveLength(1);
  return runs[0];
}

async function evidence(sys: LocalSystem, key: string): Promise<Buffer> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: sys.synthesized.bucketName, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } finally {
    s3.destroy();
  }
}

describe('delivery events in local mode: delivery proof and hard bounce', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('records the delivery as evidence once, and a hard bounce pauses e-mail to the debtor', async () => {
    const { api, sys } = local;
    const created = await api.createInvoice(invoice({ invoiceNumber: 'BOUNCE-1' }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    await api.advanceTo('2026-04-08T12:00:00Z');
    expect(await mailsFor(api, 'BOUNCE-1')).toHaveLength(1);
    const messageId = messageIdOf((await api.getInvoice(id)).body);

    // Delivery: recorded as proof, with the raw SES event kept in the evidence vault.
    const delivered = await sesEvent(api, { messageId, type: 'Delivery' });
    expect(delivered.status).toBe(202);
    expect(delivered.body.event).toMatchObject({
      source: 'aws.ses',
      'detail-type': 'Email Delivered',
      time: '2026-04-08T12:00:00.000Z',
      detail: { eventType: 'Delivery', mail: { messageId, destination: ['compta@boulangerie-dupont.example'] } },
    });
    expect(delivered.body.event.detail.mail.tags['ses:configuration-set']).toHaveLength(1);
    expect(delivered.body.outcome).toMatchObject({ outcome: 'recorded', dossierId: id, recorded: ['email_delivered'] });
    let view = (await api.getInvoice(id)).body;
    const deliveredEvents = view.events.filter((e: any) => e.type === 'email_delivered');
    expect(deliveredEvents).toEqual([
      expect.objectContaining({
        type: 'email_delivered',
        at: '2026-04-08T12:00:00.000Z',
        messageId,
        kind: 'first_reminder',
        recipient: 'compta@boulangerie-dupont.example',
        smtpResponse: '250 2.0.0 OK',
        // Kept gzipped: sha256 is the event's JSON, storedSha256 the object's.
        evidenceKey: expect.stringMatching(new RegExp(`^dossiers/${id}/delivery/Delivery/[0-9a-f]{32}\\.json\\.gz$`)),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        encoding: 'gzip',
      }),
    ]);
    const stored = await evidence(sys, deliveredEvents[0].evidenceKey);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(deliveredEvents[0].storedSha256);
    const bytes = gunzipSync(stored);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(deliveredEvents[0].sha256);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(delivered.body.event);

    // EventBridge delivers at least once: the same event again is not recorded twice.
    const again = await sesEvent(api, { messageId, type: 'Delivery' });
    expect(again.status).toBe(202);
    expect(again.body.event.id).toBe(delivered.body.event.id);
    expect(again.body.outcome.outcome).toBe('duplicate');
    view = (await api.getInvoice(id)).body;
    expect(view.events.filter((e: any) => e.type === 'email_delivered')).toHaveLength(1);
    expect(view.status).toBe('active');

    // Hard bounce: recorded, dossier flagged, accountant alerted, execution stopped.
    await api.advanceTo('2026-04-08T12:05:00Z');
    const bounced = await sesEvent(api, { messageId, type: 'Bounce', bounceType: 'Permanent', diagnosticCode: 'smtp; 550 5.1.1 user unknown' });
    expect(bounced.status).toBe(202);
    expect(bounced.body.outcome).toMatchObject({ outcome: 'recorded', recorded: ['email_bounced'], emailPaused: true, status: 'needs_attention' });
    view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('needs_attention');
    expect(view.nextAction).toBeNull();
    const types = view.events.map((e: any) => e.type);
    expect(types.slice(-3)).toEqual(['email_bounced', 'needs_attention', 'accountant_alert']);
    expect(view.events.at(-3)).toMatchObject({
      at: '2026-04-08T12:05:00.000Z',
      messageId,
      kind: 'first_reminder',
      recipient: 'compta@boulangerie-dupont.example',
      bounceType: 'Permanent',
      bounceSubType: 'General',
      diagnostic: 'smtp; 550 5.1.1 user unknown',
      evidenceKey: expect.stringMatching(new RegExp(`^dossiers/${id}/delivery/Bounce/`)),
    });
    expect(view.events.at(-2).reason).toMatch(/hard bounce of the e-mail to compta@boulangerie-dupont\.example/);
    expect(view.events.at(-1).reason).toBe(view.events.at(-2).reason);
    const execution = executionOf(sys, id);
    expect(execution.status).toBe('ABORTED');
    expect(execution.cause).toBe('needs_attention');

    // The same bounce again changes nothing.
    const bouncedAgain = await sesEvent(api, { messageId, type: 'Bounce', bounceType: 'Permanent', diagnosticCode: 'smtp; 550 5.1.1 user unknown' });
    expect(bouncedAgain.body.outcome.outcome).toBe('duplicate');
    expect((await api.getInvoice(id)).body.events).toHaveLength(view.events.length);

    // Nothing more is sent for this invoice.
    await api.advance('P60D');
    expect(await mailsFor(api, 'BOUNCE-1')).toHaveLength(1);
    expect((await api.getInvoice(id)).body.status).toBe('needs_attention');

    // A second invoice of the same debtor (same SIREN, even at another address): nothing is sent
    // when its first reminder falls due, and it is flagged with the pause's reason.
    const second = await api.createInvoice(
      invoice({
        invoiceNumber: 'BOUNCE-2',
        dueDate: '2026-06-05',
        debtor: { ...invoice().debtor, email: 'direction@boulangerie-dupont.example' },
      }),
    );
    expect(second.status).toBe(201);
    expect(second.body.nextAction.stage).toBe('first_reminder');
    await api.advanceTo(new Date(Date.parse(second.body.nextAction.at) + 3_600_000).toISOString());
    expect(await mailsFor(api, 'BOUNCE-2')).toHaveLength(0);
    const secondView = (await api.getInvoice(second.body.id)).body;
    expect(secondView.status).toBe('needs_attention');
    expect(secondView.events.filter((e: any) => e.type === 'notice_sent')).toHaveLength(0);
    expect(secondView.events.at(-1)).toEqual({ type: 'needs_attention', at: second.body.nextAction.at, reason: PAUSED_REASON });
    const secondRun = executionOf(sys, second.body.id);
    // The held first reminder ended the course: it stopped its own execution at once (the stages
    // left neither run nor billed: services/execution-continuation.ts endChainEarly), and the
    // execution-status rule saw the product's own stop (the dossier no longer waits): not flagged again.
    expect(secondRun).toMatchObject({ status: 'ABORTED', cause: 'not_active', trail: ['RouteToNextStage', 'WaitForFirstReminder', 'SendFirstReminder'] });
    expect(secondView.events.filter((e: any) => e.type === 'needs_attention')).toHaveLength(1);

    // Another debtor of the same creditor is not affected.
    const other = await api.createInvoice(
      invoice({
        invoiceNumber: 'OTHER-1',
        dueDate: '2026-06-05',
        debtor: { ...invoice().debtor, name: 'Fromagerie Martin', email: 'compta@fromagerie-martin.example', siren: undefined },
      }),
    );
    await api.advanceTo(new Date(Date.parse(other.body.nextAction.at) + 3_600_000).toISOString());
    expect(await mailsFor(api, 'OTHER-1')).toHaveLength(1);
  });
});

describe('delivery events in local mode: transient bounce, validation', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('a transient bounce is recorded and changes nothing else; escalation goes on', async () => {
    const { api, sys } = local;
    const created = await api.createInvoice(
      invoice({
        invoiceNumber: 'SOFT-1',
        debtor: { ...invoice().debtor, name: 'Café Bernard', email: 'Compta@Cafe-Bernard.example', siren: undefined },
      }),
    );
    const id = created.body.id;
    await api.advanceTo('2026-04-08T12:00:00Z');
    const messageId = messageIdOf((await api.getInvoice(id)).body);

    const soft = await sesEvent(api, { messageId, type: 'Bounce', bounceType: 'Transient' });
    expect(soft.status).toBe(202);
    expect(soft.body.outcome).toMatchObject({ outcome: 'recorded', recorded: ['email_bounced'], emailPaused: false, status: 'active' });
    const view = (await api.getInvoice(id)).body;
    expect(view.status).toBe('active');
    expect(view.events.at(-1)).toMatchObject({ type: 'email_bounced', bounceType: 'Transient', bounceSubType: 'MailboxFull', messageId });
    expect(view.events.some((e: any) => e.type === 'needs_attention' || e.type === 'accountant_alert')).toBe(false);
    expect(executionOf(sys, id).status).toBe('RUNNING');

    await api.advanceTo('2026-04-20T08:00:00Z');
    expect(await mailsFor(api, 'SOFT-1')).toHaveLength(2);
  });

  it('answers 400 with the fields at fault, and 404 for a message Amiable did not send', async () => {
    const { api } = local;
    const bad = await sesEvent(api, { type: 'Bounced', bounceType: 'Hard', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['bounceType', 'extra', 'messageId', 'type']);
    const notJson = await sesEvent(api, '{');
    expect(notJson.status).toBe(400);
    const unknown = await sesEvent(api, { messageId: 'ses-000000000', type: 'Delivery' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details[0].path).toBe('messageId');
    // No key needed, like /_local/clock.
    const res = await fetch(`${local.sys.apiUrl}/_local/ses/events`, { method: 'POST', body: JSON.stringify({ messageId: 'x', type: 'Reject' }) });
    expect(res.status).toBe(404);
  });
});
