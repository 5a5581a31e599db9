/**
 * renderNotice: NoticeContext -> subject, plain text, HTML and (mise en demeure) the PDF letter,
 * then the mandatory-mention check. Nothing leaves this function that assertSendable refused.
 */
import { assertSendable } from './checker';
import { singleLine } from './escape';
import { renderPdfLetter } from './pdf-render';
import { renderHtml } from './render-html';
import { renderText } from './render-text';
import { TEMPLATES, type Template } from './templates';
import type { NoticeAttachment, NoticeContext, RenderedNotice } from './types';
import { validateNoticeContext } from './validate';

/**
 * Renders one notice. Async because pdf-lib serialises asynchronously (only the mise en demeure
 * has a PDF; the other kinds resolve without waiting on anything).
 * Throws NoticeInputError on inconsistent input and NoticeNotSendableError when a mandatory
 * mention is missing from the output (e.g. a mise en demeure without deadline or IBAN).
 */
export async function renderNotice(ctx: NoticeContext): Promise<RenderedNotice> {
  return renderNoticeWith(ctx, TEMPLATES[ctx.kind]);
}

/**
 * renderNotice with the template given by the caller: the send path, which picks it with
 * stageTemplate (the escalation letters) or is given its own (receipts, confirmations, the hand-off), so each Lambda bundles only the templates it may render.
 */
export async function renderNoticeWith(ctx: NoticeContext, template: Template): Promise<RenderedNotice> {
  return renderCheckedWith(ctx, template, assertSendable);
}

/** Refuses a rendered notice that misses a mandatory mention (assertSendable, or one kind's own). */
export type AssertSendable = (ctx: NoticeContext, rendered: RenderedNotice) => void;

/**
 * renderNoticeWith with the mention check given too: a Lambda that sends one kind passes that
 * kind's (the hand-off: check-handoff.ts assertHandoffSendable) and bundles no other kind's list.
 */
export async function renderCheckedWith(ctx: NoticeContext, template: Template, assert: AssertSendable): Promise<RenderedNotice> {
  validateNoticeContext(ctx);
  const draft = template(ctx);
  const subject = singleLine(draft.subject);
  const attachments: NoticeAttachment[] = [];
  if (draft.pdf) {
    const content = await renderPdfLetter(draft.letter, {
      title: subject,
      subject: draft.letter.title ?? subject,
      author: singleLine(ctx.creditor.agency?.legalName ?? ctx.creditor.legalName),
      date: ctx.sentAt,
    });
    attachments.push({ filename: draft.pdf.filename, contentType: 'application/pdf', content });
  }
  for (const doc of draft.documents ?? []) {
    attachments.push({ filename: doc.filename, contentType: doc.contentType, content: await doc.render() });
  }
  const rendered: RenderedNotice = {
    kind: ctx.kind,
    to: draft.to,
    subject,
    text: renderText(draft.letter),
    html: renderHtml(draft.letter, subject),
    attachments,
  };
  assert(ctx, rendered);
  return rendered;
}
