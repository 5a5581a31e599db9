import { SENT_MESSAGE as MESSAGE } from '../support/sent-message';
import { describe, expect, it } from 'vitest';
import { debtorKey, EmailPaused, emailPausedReason } from '../../lambdas/domain/debtor-key';
import { Dossier, DossierBusy, newDossier } from '../../lambdas/domain/dossier';
import {
  parseSesEvent,
  pausesDebtorEmail,
  recordDeliveryFacts,
  SentMessage,
  SesEventBridgeEvent,
} from '../../lambdas/domain/dossier-delivery';

const NOW = new Date('2026-04-08T12:05:00Z');
const EVIDENCE = { evidenceKey: 'dossiers/dos_x/delivery/Bounce/abc.json', sha256: 'f'.repeat(64) };

function dossier(over: Partial<Dossier> = {}): Dossier {
  const d = newDossier({
    id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    creditorId: 'demo-creditor',
    executionName: 'dun-x',
    now: new Date('2026-04-04T10:00:00Z'),
    invoice: { invoiceNumber: 'F1', issueDate: '2026-03-01', dueDate: '2026-04-03', amountCents: 125000, currency: 'EUR' },
    debtor: {
      kind: 'business',
      name: 'Boulangerie Dupont SARL',
      email: 'compta@dupont.example',
      language: 'fr',
      siren: '732829320',
      address: { line1: 'l', postalCode: '75011', city: 'Paris', country: 'FR' },
    },
  });
  return { ...d, ...over };
}


/** Shaped like the events SES publishes to EventBridge (AWS documentation samples). */
function sesEvent(eventType: string, body: Record<string, unknown>): SesEventBridgeEvent {
  return {
    id: '3c2b7c56-0000-4000-a000-000000000000',
    source: 'aws.ses',
    'detail-type': 'Email Bounced',
    time: '2026-04-08T12:05:01Z',
    detail: {
      eventType,
      mail: {
        timestamp: '2026-04-08T07:00:00.000Z',
        source: 'relances@atelier-lumiere.example',
        messageId: MESSAGE.messageId,
        destination: ['compta@dupont.example'],
        tags: { 'ses:configuration-set': ['MailerConfigurationSet'], amiable_dossier: [MESSAGE.dossierId] },
      },
      ...body,
    } as any,
  };
}

const hardBounce = sesEvent('Bounce', {
  bounce: {
    feedbackId: '0102018f-feedback',
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: 'compta@dupont.example', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    timestamp: '2026-04-08T12:05:00.000Z',
    reportingMTA: 'dns; a1-2.smtp-out.eu-west-3.amazonses.com',
  },
});
const softBounce = sesEvent('Bounce', {
  bounce: {
    bounceType: 'Transient',
    bounceSubType: 'MailboxFull',
    bouncedRecipients: [{ emailAddress: 'compta@dupont.example', diagnosticCode: 'smtp; 452 4.2.2 mailbox full' }],
    timestamp: '2026-04-08T12:05:00.000Z',
  },
});
const delivery = sesEvent('Delivery', {
  delivery: { timestamp: '2026-04-08T07:00:02.000Z', processingTimeMillis: 2000, recipients: ['compta@dupont.example'], smtpResponse: '250 2.0.0 OK' },
});
const complaint = sesEvent('Complaint', {
  complaint: { complainedRecipients: [{ emailAddress: 'compta@dupont.example' }], complaintFeedbackType: 'abuse', timestamp: '2026-04-08T12:05:00.000Z' },
});
const reject = sesEvent('Reject', { reject: { reason: 'Bad content' } });

function record(d: Dossier, event: SesEventBridgeEvent, message = MESSAGE, realNowMs = Date.now()) {
  const parsed = parseSesEvent(event)!;
  return recordDeliveryFacts(d, message, parsed.facts, EVIDENCE, NOW, realNowMs);
}

describe('debtor key', () => {
  it('is the SIREN when the debtor has one, else the lower-cased e-mail', () => {
    expect(debtorKey({ siren: '732829320', email: 'A@B.example' })).toBe('siren:732829320');
    expect(debtorKey({ siren: '732 829 320', email: 'A@B.example' })).toBe('siren:732829320');
    expect(debtorKey({ email: ' Compta@Dupont.Example ' })).toBe('email:compta@dupont.example');
    expect(debtorKey({ siren: '', email: 'X@Y.example' })).toBe('email:x@y.example');
  });

  it('says why e-mail is paused, and EmailPaused is a 409 email_paused domain error', () => {
    expect(emailPausedReason({ reason: 'hard_bounce', bouncedAddress: 'a@b.example' })).toBe(
      'automatic e-mail paused for this debtor after a hard bounce (a@b.example)',
    );
    expect(emailPausedReason({ reason: 'complaint', bouncedAddress: 'a@b.example' })).toMatch(/after a complaint/);
    const e = new EmailPaused({ debtorKey: 'siren:1', reason: 'hard_bounce', since: 'x', bouncedAddress: 'a@b.example', messageId: 'm', dossierId: 'd' });
    expect(e).toMatchObject({ status: 409, code: 'email_paused', name: 'EmailPaused' });
    expect(e.message).toBe('automatic e-mail paused for this debtor after a hard bounce (a@b.example)');
  });
});

describe('reading SES events', () => {
  it('reads a bounce per recipient with its type, sub-type, diagnostic and time', () => {
    const parsed = parseSesEvent(hardBounce)!;
    expect(parsed).toMatchObject({ type: 'Bounce', messageId: MESSAGE.messageId, at: '2026-04-08T12:05:00.000Z' });
    expect(parsed.facts).toEqual([
      expect.objectContaining({
        type: 'Bounce',
        recipient: 'compta@dupont.example',
        bounceType: 'Permanent',
        bounceSubType: 'General',
        diagnostic: 'smtp; 550 5.1.1 user unknown',
        eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    ]);
    // Stable: the same event read twice has the same ids; another type has another id.
    expect(parseSesEvent(structuredClone(hardBounce))!.facts[0].eventId).toBe(parsed.facts[0].eventId);
    expect(parseSesEvent(structuredClone(hardBounce))!.eventKey).toBe(parsed.eventKey);
    expect(parseSesEvent(complaint)!.facts[0].eventId).not.toBe(parsed.facts[0].eventId);
  });

  it('reads deliveries, complaints and rejects (a reject names the destination, at the send time)', () => {
    expect(parseSesEvent(delivery)!.facts[0]).toMatchObject({ type: 'Delivery', at: '2026-04-08T07:00:02.000Z', smtpResponse: '250 2.0.0 OK' });
    expect(parseSesEvent(complaint)!.facts[0]).toMatchObject({ type: 'Complaint', complaintFeedbackType: 'abuse' });
    expect(parseSesEvent(reject)!.facts[0]).toMatchObject({
      type: 'Reject',
      recipient: 'compta@dupont.example',
      rejectReason: 'Bad content',
      at: '2026-04-08T07:00:00.000Z',
    });
  });

  it('ignores what is not one of the five event types', () => {
    expect(parseSesEvent(sesEvent('Send', { send: {} }))).toBeNull();
    expect(parseSesEvent(sesEvent('Open', { open: {} }))).toBeNull();
    expect(parseSesEvent({ source: 'aws.ses' })).toBeNull();
    expect(parseSesEvent({ detail: { eventType: 'Bounce', mail: {} } as any })).toBeNull();
  });
});

describe('recording SES events on the dossier', () => {
  it('records a delivery as proof, once', () => {
    const first = record(dossier(), delivery);
    expect(first.flagged).toBe(false);
    expect(first.dossier.status).toBe('active');
    expect(first.dossier.events.at(-1)).toEqual({
      type: 'email_delivered',
      at: '2026-04-08T07:00:02.000Z',
      recordedAt: NOW.toISOString(),
      eventId: first.recorded[0].eventId,
      messageId: MESSAGE.messageId,
      kind: 'first_reminder',
      recipient: 'compta@dupont.example',
      smtpResponse: '250 2.0.0 OK',
      ...EVIDENCE,
    });
    const again = record(first.dossier, delivery);
    expect(again.recorded).toEqual([]);
    // Unchanged object: the store writes nothing.
    expect(again.dossier).toBe(first.dossier);
  });

  it('a hard bounce flags a running dossier needs_attention and alerts the accountant', () => {
    const out = record(dossier(), hardBounce);
    expect(out.flagged).toBe(true);
    expect(out.dossier.status).toBe('needs_attention');
    expect(out.dossier.nextAction).toBeNull();
    expect(out.dossier.events.slice(-3).map((e) => e.type)).toEqual(['email_bounced', 'needs_attention', 'accountant_alert']);
    expect(out.dossier.events.at(-3)).toMatchObject({ bounceType: 'Permanent', bounceSubType: 'General', diagnostic: 'smtp; 550 5.1.1 user unknown' });
    expect(out.dossier.events.at(-2)!.reason).toBe(
      'hard bounce of the e-mail to compta@dupont.example (General, smtp; 550 5.1.1 user unknown); automatic e-mail to this debtor is paused',
    );
    expect(pausesDebtorEmail(out.recorded[0], MESSAGE)).toBe('hard_bounce');
    // Redelivered: nothing more.
    const again = record(out.dossier, hardBounce);
    expect(again.dossier).toBe(out.dossier);
    expect(again.flagged).toBe(false);
  });

  it('a transient bounce is recorded only', () => {
    const out = record(dossier(), softBounce);
    expect(out.flagged).toBe(false);
    expect(out.dossier.status).toBe('active');
    expect(out.dossier.nextAction).not.toBeNull();
    expect(out.dossier.events.at(-1)).toMatchObject({ type: 'email_bounced', bounceType: 'Transient', bounceSubType: 'MailboxFull' });
    expect(pausesDebtorEmail(out.recorded[0], MESSAGE)).toBeNull();
  });

  it('a complaint pauses e-mail and flags; a reject flags without pausing the debtor', () => {
    const c = record(dossier(), complaint);
    expect(c.flagged).toBe(true);
    expect(c.dossier.events.at(-3)).toMatchObject({ type: 'email_complained', complaintFeedbackType: 'abuse' });
    expect(pausesDebtorEmail(c.recorded[0], MESSAGE)).toBe('complaint');
    const r = record(dossier(), reject);
    expect(r.flagged).toBe(true);
    expect(r.dossier.events.at(-3)).toMatchObject({ type: 'email_rejected', reason: 'Bad content' });
    expect(pausesDebtorEmail(r.recorded[0], MESSAGE)).toBeNull();
  });

  it('a paid, cancelled or handed-off dossier only gets the event recorded', () => {
    for (const status of ['paid', 'cancelled', 'handed_off'] as const) {
      const out = record(dossier({ status, nextAction: null }), hardBounce);
      expect(out.flagged, status).toBe(false);
      expect(out.dossier.status, status).toBe(status);
      expect(out.dossier.events.at(-1)!.type, status).toBe('email_bounced');
    }
  });

  it("a bounce of the lawyer's hand-off never pauses the debtor nor flags", () => {
    const lawyer: SentMessage = { ...MESSAGE, kind: 'litigation_handoff', audience: 'litigation_contact' };
    const out = record(dossier(), hardBounce, lawyer);
    expect(out.flagged).toBe(false);
    expect(pausesDebtorEmail(out.recorded[0], lawyer)).toBeNull();
  });

  it('waits while a send holds the lease (like a payment)', () => {
    const busy = dossier({ sending: { stage: 'formal_reminder', token: 't', leaseUntil: 2_000 } });
    expect(() => record(busy, hardBounce, MESSAGE, 1_000)).toThrow(DossierBusy);
    expect(record(busy, hardBounce, MESSAGE, 3_000).flagged).toBe(true);
  });
});
