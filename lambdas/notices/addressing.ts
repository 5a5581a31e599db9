/**
 * Who a rendered message goes to and under which Message-ID: the one addressing of every message a
 * dossier sends (services/outbound-mail.ts), also what the notice tests and `npm run notices`
 * compose, so they check the bytes production sends. From is the creditor's sender identity, To the
 * debtor (or the litigation contact for the hand-off, copied to the creditor's accountants),
 * Reply-To the creditor's reply address; the Message-ID derives from the message's slot, so a
 * retried attempt produces the same message.
 */
import type { CreditorProfile, Debtor, IsoInstant } from '../domain/model';
import type { ComposeMimeInput } from './mime';
import { messageIdFor } from './mime';
import type { RenderedNotice } from './types';

export interface OutgoingMail {
  dossierId: string;
  debtor: Pick<Debtor, 'name' | 'email'>;
  creditor: Pick<CreditorProfile, 'sender' | 'replyTo' | 'litigationContact' | 'accountants'>;
  /** Names this message among the dossier's ("formal_notice", "formal_notice-2", "payment_receipt"...). */
  slot: string;
  /** The Date header. */
  sentAt: IsoInstant;
  /** The Message-ID's domain (settings.mailDomain() in production). */
  domain: string;
  rendered: Pick<RenderedNotice, 'to' | 'subject' | 'text' | 'html' | 'attachments'>;
}

/** The composeMime input of a rendered message; `to[0]` is its one recipient, `cc` its copies. */
export function mimeInputFor(m: OutgoingMail): ComposeMimeInput & { cc: NonNullable<ComposeMimeInput['cc']> } {
  const { creditor, rendered } = m;
  const toCounsel = rendered.to === 'litigation_contact';
  const to = toCounsel ? { name: creditor.litigationContact.name, address: creditor.litigationContact.email } : { name: m.debtor.name, address: m.debtor.email };
  return {
    from: { name: creditor.sender.name, address: creditor.sender.email },
    to: [to],
    // Counsel's messages are copied to the creditor's accountants.
    cc: toCounsel ? creditor.accountants.map((address) => ({ address })) : [],
    replyTo: creditor.replyTo,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    attachments: rendered.attachments,
    messageId: messageIdFor(m.dossierId, m.slot, m.domain),
    date: m.sentAt,
  };
}
