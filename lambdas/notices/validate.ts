/**
 * Input checks run before rendering: a notice must never print amounts that do not add up, a B2C
 * notice must never carry B2B penalties or the indemnity, and each kind gets the data it needs.
 * These are programming errors upstream, so they throw.
 */
import type { AmountBreakdown } from '../domain/model';
import { isIsoDate } from './format';
import { NOTICE_KINDS, type NoticeContext } from './types';

export class NoticeInputError extends Error {
  constructor(ctx: Pick<NoticeContext, 'kind' | 'dossierId'>, problems: string[]) {
    super(`invalid ${String(ctx.kind)} notice input for dossier ${JSON.stringify(ctx.dossierId)}: ${problems.join('; ')}`);
    this.name = 'NoticeInputError';
  }
}

export function validateNoticeContext(ctx: NoticeContext): void {
  const problems: string[] = [];
  if (!NOTICE_KINDS.includes(ctx.kind)) problems.push(`unknown kind ${JSON.stringify(ctx.kind)}`);
  if (ctx.language !== 'fr' && ctx.language !== 'en') problems.push(`unknown language ${JSON.stringify(ctx.language)}`);
  if (!ctx.dossierId || typeof ctx.dossierId !== 'string') problems.push('dossierId is required');
  if (typeof ctx.sentAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(ctx.sentAt) || Number.isNaN(Date.parse(ctx.sentAt))) {
    problems.push(`sentAt must be an ISO instant in UTC (…Z), got ${JSON.stringify(ctx.sentAt)}`);
  }
  for (const [name, value] of [
    ['invoice.issueDate', ctx.invoice.issueDate],
    ['invoice.dueDate', ctx.invoice.dueDate],
    ['breakdown.asOf', ctx.breakdown.asOf],
  ] as const) {
    if (!isIsoDate(value)) problems.push(`${name} is not an ISO date: ${JSON.stringify(value)}`);
  }
  if (ctx.deadline !== undefined && !isIsoDate(ctx.deadline)) problems.push(`deadline is not an ISO date: ${JSON.stringify(ctx.deadline)}`);
  if (ctx.agencyFirstLetter && !isIsoDate(ctx.agencyFirstLetter.date)) problems.push('agencyFirstLetter.date is not an ISO date');
  if (!Number.isSafeInteger(ctx.invoice.amountCents) || ctx.invoice.amountCents < 0) problems.push('invoice.amountCents must be a non-negative integer');
  problems.push(...breakdownProblems(ctx.breakdown));

  const expected = ctx.debtor.kind === 'business' ? 'b2b' : 'b2c';
  if (ctx.breakdown.regime !== expected) {
    problems.push(`breakdown.regime ${ctx.breakdown.regime} does not match a ${ctx.debtor.kind} debtor`);
  }

  switch (ctx.kind) {
    case 'formal_reminder':
      if (!ctx.deadline) problems.push('formal_reminder needs a payment deadline');
      break;
    case 'payment_receipt':
      if (!ctx.payment) problems.push('payment_receipt needs payment');
      else {
        if (!isIsoDate(ctx.payment.paidOn)) problems.push('payment.paidOn is not an ISO date');
        if (!isCents(ctx.payment.amountCents) || !isCents(ctx.payment.balanceCents)) problems.push('payment amounts must be non-negative integers');
      }
      break;
    case 'promise_confirmation':
      if (!ctx.promise) problems.push('promise_confirmation needs promise');
      else if (!isIsoDate(ctx.promise.date) || !isCents(ctx.promise.amountCents)) problems.push('promise needs an ISO date and an amount');
      break;
    case 'payment_plan_confirmation':
      if (!ctx.plan?.instalments.length) problems.push('payment_plan_confirmation needs at least one instalment');
      else if (ctx.plan.instalments.some((i) => !isIsoDate(i.dueDate) || !isCents(i.amountCents))) problems.push('every instalment needs an ISO date and an amount');
      break;
    case 'instalment_reminder':
      if (!ctx.instalment) problems.push('instalment_reminder needs instalment');
      else if (!isIsoDate(ctx.instalment.dueDate) || !isCents(ctx.instalment.amountCents)) problems.push('instalment needs an ISO date and an amount');
      break;
    case 'dispute_acknowledgment':
      if (!ctx.dispute?.id) problems.push('dispute_acknowledgment needs dispute.id');
      break;
    case 'dispute_rejection':
      if (!ctx.dispute?.id || !ctx.dispute.reasons?.trim()) problems.push('dispute_rejection needs dispute.id and dispute.reasons');
      break;
    case 'litigation_handoff':
      if (!ctx.litigation) problems.push('litigation_handoff needs the litigation dossier and the evidence bundle link (litigation)');
      else if (ctx.litigation.dossier.creditorReference !== ctx.invoice.invoiceNumber) problems.push('the litigation dossier is not this invoice\'s');
      break;
    default:
      break;
  }
  if (problems.length) throw new NoticeInputError(ctx, problems);
}

/** The AmountBreakdown invariants the notices rely on (they print amounts, never compute them). */
export function breakdownProblems(b: AmountBreakdown): string[] {
  const problems: string[] = [];
  const amounts: [string, number][] = [
    ['principalCents', b.principalCents],
    ['interest.totalCents', b.interest.totalCents],
    ['indemnityCents', b.indemnityCents],
    ['paidCents', b.paidCents],
    ['totalDueCents', b.totalDueCents],
    ['principalDueCents', b.principalDueCents],
    ...b.interest.lines.flatMap((l, i): [string, number][] => [
      [`interest.lines[${i}].amountCents`, l.amountCents],
      [`interest.lines[${i}].basisCents`, l.basisCents],
      [`interest.lines[${i}].days`, l.days],
    ]),
  ];
  for (const [name, v] of amounts) if (!isCents(v)) problems.push(`breakdown.${name} must be a non-negative integer`);
  if (problems.length) return problems;
  const linesTotal = b.interest.lines.reduce((s, l) => s + l.amountCents, 0);
  if (linesTotal !== b.interest.totalCents) problems.push(`interest lines add up to ${linesTotal}, not ${b.interest.totalCents}`);
  const expected = Math.max(0, b.principalCents + b.interest.totalCents + b.indemnityCents - b.paidCents);
  if (expected !== b.totalDueCents) problems.push(`totalDueCents ${b.totalDueCents} != principal + interest + indemnity - paid = ${expected}`);
  for (const [i, l] of b.interest.lines.entries()) {
    if (!isIsoDate(l.from) || !isIsoDate(l.to) || l.from > l.to) problems.push(`interest.lines[${i}] has an invalid period`);
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(l.ratePercent)) problems.push(`interest.lines[${i}].ratePercent is not a decimal percentage`);
  }
  if (b.regime === 'b2c') {
    if (b.indemnityCents !== 0) problems.push('a B2C breakdown cannot carry the 40 EUR indemnity (D441-5 is B2B only)');
    if (b.interest.lines.length > 0 && b.interest.basis !== 'legal') problems.push('a B2C breakdown can only carry legal interest, not late-payment penalties');
  }
  return problems;
}

function isCents(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
