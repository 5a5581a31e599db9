/**
 * Wires a rendered notice to composeMime: From is the creditor's sender identity, To the debtor (or
 * the litigation contact for the hand-off), Reply-To the creditor's reply address, and a Message-ID
 * that is stable for the notice (retries reuse it).
 */
import type { ComposeMimeInput } from './mime';
import { messageIdFor } from './mime';
import type { NoticeContext, RenderedNotice } from './types';

/**
 * What distinguishes this notice within its dossier: the stage itself for the four stages, the
 * payment / promise / instalment / dispute / plan for the follow-up letters.
 */
export function noticeKey(ctx: NoticeContext): string {
  switch (ctx.kind) {
    case 'payment_receipt':
      return `${ctx.kind}.${ctx.payment?.reference ?? ctx.sentAt}`;
    case 'promise_confirmation':
      return `${ctx.kind}.${ctx.promise?.date ?? ctx.sentAt}`;
    case 'payment_plan_confirmation': {
      const i = ctx.plan?.instalments ?? [];
      return `${ctx.kind}.${i[0]?.dueDate ?? ''}x${i.length}.${ctx.sentAt.slice(0, 10)}`;
    }
    case 'instalment_reminder':
      return `${ctx.kind}.${ctx.instalment?.dueDate ?? ctx.sentAt}`;
    case 'dispute_acknowledgment':
    case 'dispute_rejection':
      return `${ctx.kind}.${ctx.dispute?.id ?? ctx.sentAt}`;
    default:
      return ctx.kind;
  }
}

/** The composeMime input for a rendered notice; `domain` defaults to the sender's domain. */
export function noticeMimeInput(ctx: NoticeContext, rendered: RenderedNotice, domain?: string): ComposeMimeInput {
  const recipient =
    rendered.to === 'litigation_contact'
      ? { name: ctx.creditor.litigationContact.name, address: ctx.creditor.litigationContact.email }
      : { name: ctx.debtor.name, address: ctx.debtor.email };
  const idDomain = domain ?? ctx.creditor.sender.email.split('@').pop() ?? 'amiable';
  return {
    from: { name: ctx.creditor.sender.name, address: ctx.creditor.sender.email },
    to: [recipient],
    replyTo: ctx.creditor.replyTo,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    attachments: rendered.attachments,
    messageId: messageIdFor(ctx.dossierId, noticeKey(ctx), idDomain),
    date: ctx.sentAt,
    headers: {
      'X-Amiable-Dossier': encodeURIComponent(ctx.dossierId),
      'X-Amiable-Notice': ctx.kind,
    },
  };
}
