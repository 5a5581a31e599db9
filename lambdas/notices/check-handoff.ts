/**
 * The hand-off to counsel's mandatory mentions (notices/mention-check.ts has the machinery): the
 * hand-off Lambda checks its message with these alone, so it bundles no other kind's list (issue 15);
 * checker.ts checkNotice uses the same function for this kind.
 */
import { formatDate } from './format';
import { counselSalutation } from './litigation-dossier';
import { breakdownMentions, checkMessage, findMissing, haystacks, htmlVisibleText, NoticeNotSendableError, partyMentions, type KindCheck } from './mention-check';
import { singleLine } from './escape';
import { letterReference } from './templates/common';
import type { NoticeContext, RenderedNotice } from './types';

/** The hand-off's mentions and refusals (checkNotice's case 'litigation_handoff'). */
export const handoffCheck: KindCheck = (ctx, rendered, mentions, missing) => {
  mentions.push(
    ...partyMentions(ctx),
    { name: "creditor's reference (invoice number)", needles: [singleLine(ctx.invoice.invoiceNumber)] },
    { name: 'readable reference', needles: [letterReference(ctx.invoice.invoiceNumber, ctx.kind)] },
    ...(ctx.prescription
      ? [{ name: 'prescription: starting date and last day to act', needles: [formatDate(ctx.prescription.startsOn, 'fr'), formatDate(ctx.prescription.prescribesOn, 'fr')] }]
      : []),
    ...breakdownMentions(ctx, 'fr'),
  );
  missing.push(...checkHandoff(ctx, rendered));
};

/**
 * The hand-off to counsel: professional salutation, the recommended route, the prescription date,
 * the litigation dossier attached as a PDF, the evidence bundle link; no internal dossier id and no
 * English calculation note anywhere (the breakdown's notes are English: the letter words its own).
 */
function checkHandoff(ctx: NoticeContext, rendered: RenderedNotice): string[] {
  const missing: string[] = [];
  const lit = ctx.litigation;
  if (!lit) return ['litigation dossier'];
  const pdf = rendered.attachments.find((a) => a.contentType === 'application/pdf');
  if (!pdf || Buffer.from(pdf.content.subarray(0, 5)).toString('latin1') !== '%PDF-') missing.push('litigation dossier PDF attached');
  else if (!/^dossier-contentieux-[A-Za-z0-9._-]+\.pdf$/.test(pdf.filename)) missing.push('PDF file name dossier-contentieux-<invoice>.pdf');
  missing.push(
    ...findMissing(
      [
        { name: 'professional salutation', needles: [counselSalutation(ctx.creditor.litigationContact.name)] },
        { name: 'recommended route', needles: [lit.dossier.route.title] },
        { name: 'prescription date', needles: [formatDate(lit.dossier.prescription.prescribesOn, 'fr')] },
        { name: 'evidence bundle link', needles: [lit.bundle.url] },
        { name: 'how to get a fresh link', needles: ['nouveau lien'] },
      ],
      haystacks(rendered),
    ),
  );
  // The bundle link is opaque (its signed path names the vault object); the words around it may not name the dossier.
  const visible = `${rendered.subject}\n${rendered.text}\n${htmlVisibleText(rendered.html)}`.split(lit.bundle.url).join(' ');
  if (visible.includes(ctx.dossierId)) missing.push('no internal dossier id in the message');
  for (const note of ctx.breakdown.notes) if (note.length > 20 && visible.includes(note)) missing.push(`no English calculation note in the message ("${note.slice(0, 40)}…")`);
  return missing;
}

/** assertSendable for the hand-off to counsel: throws NoticeNotSendableError naming every missing mention. */
export function assertHandoffSendable(ctx: NoticeContext, rendered: RenderedNotice): void {
  if (ctx.kind !== 'litigation_handoff') throw new Error(`assertHandoffSendable checks the litigation hand-off, not ${ctx.kind}`);
  const result = checkMessage(ctx, rendered, handoffCheck);
  if (!result.ok) throw new NoticeNotSendableError(ctx.kind, ctx.dossierId, result.missing);
}
