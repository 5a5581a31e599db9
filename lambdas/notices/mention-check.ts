/**
 * The machinery of the mandatory-mention check (notices/checker.ts), shared by every kind: where a
 * mention is looked for (text, visible HTML, the PDF's text), how (whitespace- and case-blind), the
 * mentions several kinds share, and the checks every message passes (recipient, subject, no active
 * content, no internal file name, nothing B2B-only in a consumer's letter). Apart from the per-kind
 * lists so that a Lambda sending one kind bundles that kind's check only: the hand-off's is in
 * check-handoff.ts (issue 15: handlers import only what they run); checker.ts checks every kind.
 */
import { formatMoney } from '../domain/money';
import { hasControlChars, singleLine } from './escape';
import { formatDate, formatRate, formatSiren } from './format';
import { pdfSafeText } from './pdf-letter';
import type { NoticeContext, RenderedNotice } from './types';
import { B2B_ONLY_WORDS, PROVISIONAL } from './wording';

export interface CheckResult {
  ok: boolean;
  /** Human-readable names of the missing mentions (with the format they are missing from). */
  missing: string[];
}

export class NoticeNotSendableError extends Error {
  constructor(
    readonly kind: string,
    readonly dossierId: string,
    readonly missing: string[],
  ) {
    super(`refusing to send ${kind} for dossier ${JSON.stringify(dossierId)}: missing or invalid mandatory mentions: ${missing.join('; ')}`);
    this.name = 'NoticeNotSendableError';
  }
}

/** One mention: every needle must be found; a needle given as an array is satisfied by any item. */
export interface Mention {
  name: string;
  needles: (string | string[])[];
  /** Compare without any whitespace (IBAN, SIREN). */
  compact?: boolean;
}

export type Source = 'text' | 'html' | 'pdf';

export interface Haystacks {
  normal: Partial<Record<Source, string>>;
  compact: Partial<Record<Source, string>>;
}

/**
 * The last results of a pure function of one long text, by that text. One message is checked
 * several times over (the checks every message passes, then its kind's: the hand-off's and the
 * mise en demeure's look at the same text and HTML again), and normalising a whole letter (NFC, a
 * whitespace regex, lower case) or stripping its HTML is most of what a check costs: each is done
 * once per text. A few entries (a message's text, HTML and PDF text), emptied when full: a Lambda
 * checks one message at a time and keeps nothing from one message to the next but these few.
 */
function lastResults(fn: (text: string) => string, size = 8): (text: string) => string {
  const kept = new Map<string, string>();
  return (text) => {
    let out = kept.get(text);
    if (out === undefined) {
      out = fn(text);
      if (kept.size >= size) kept.clear();
      kept.set(text, out);
    }
    return out;
  };
}

/** Whitespace of any kind (incl. U+00A0/U+202F from formatMoney) collapses; case-insensitive. */
export function norm(text: string): string {
  return text.normalize('NFC').replace(/[\s\u00a0\u202f]+/gu, ' ').trim().toLowerCase();
}

export function compact(text: string): string {
  return text.normalize('NFC').replace(/[\s\u00a0\u202f]+/gu, '').toLowerCase();
}

// A haystack (a whole text, HTML or PDF text) is normalised once however many checks read it.
const normText = lastResults(norm);
// compact(x) is norm(x) without its spaces (norm turns every whitespace run into one space, and
// lower-casing makes no whitespace): a haystack's compact form is taken from its normal one, so a
// whole letter goes through NFC and the whitespace regex once, not twice
// (test/notices/mention-check.property.test.ts checks the identity).
const compactText = lastResults((text) => normText(text).replaceAll(' ', ''));

/** The visible text of our HTML: head dropped, tags removed, entities decoded. */
export const htmlVisibleText: (html: string) => string = lastResults(visibleText, 4);

function visibleText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/i, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
      if (code[0] === '#') {
        const cp = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : entity;
      }
      return named[code.toLowerCase()] ?? entity;
    });
}

/** The texts mentions are looked for in; `pdfText`, the PDF's (checker.ts pdfTextOf), for the kinds that check their PDF. */
export function haystacks(rendered: RenderedNotice, pdfText?: string): Haystacks {
  const raw: Partial<Record<Source, string>> = { text: rendered.text, html: htmlVisibleText(rendered.html) };
  if (pdfText !== undefined) raw.pdf = pdfText;
  const h: Haystacks = { normal: {}, compact: {} };
  for (const [k, v] of Object.entries(raw) as [Source, string][]) {
    h.normal[k] = normText(v);
    h.compact[k] = compactText(v);
  }
  return h;
}

export function findMissing(mentions: Mention[], h: Haystacks): string[] {
  const missing: string[] = [];
  const sources = Object.keys(h.normal) as Source[];
  // In the PDF a word too long for the line is hard-broken: a whitespace-blind match is accepted too.
  const pdfCompact = h.compact.pdf ?? '';
  for (const m of mentions) {
    const base = m.compact ? compact : norm;
    // Each needle prepared once for every source (it was once per source and per test): as given
    // (text, HTML), and as the PDF's embedded fonts print it (a character they lack is mapped to a
    // printable form, pdfSafeText; names with Ł, ő, ø are printed as given), also whitespace-blind.
    const needles = m.needles.map((needle) =>
      (Array.isArray(needle) ? needle : [needle]).map((o) => {
        const printed = h.normal.pdf === undefined ? '' : pdfSafeText(o);
        return [base(o), base(printed), compact(printed)] as const;
      }),
    );
    const absentFrom = sources.filter((src) => {
      const hay = (m.compact ? h.compact[src] : h.normal[src]) ?? '';
      return !needles.every((options) =>
        options.some(([plain, pdf, pdfBlind]) =>
          src === 'pdf' ? (pdf !== '' && hay.includes(pdf)) || (pdfBlind !== '' && pdfCompact.includes(pdfBlind)) : plain !== '' && hay.includes(plain),
        ),
      );
    });
    if (absentFrom.length === sources.length) missing.push(m.name);
    else if (absentFrom.length) missing.push(`${m.name} (missing from ${absentFrom.join(', ')})`);
  }
  return missing;
}

export function breakdownMentions(ctx: NoticeContext, L = ctx.language): Mention[] {
  const b = ctx.breakdown;
  const mentions: Mention[] = [{ name: 'principal amount', needles: [formatMoney(b.principalCents, L)] }];
  for (const line of b.interest.lines) {
    mentions.push({
      name: `${b.interest.basis === 'legal' ? 'interest' : 'penalty'} line ${line.from}..${line.to} (days, rate, amount)`,
      needles: [formatDate(line.from, L), formatDate(line.to, L), String(line.days), formatRate(line.ratePercent, L), formatMoney(line.amountCents, L)],
    });
  }
  if (b.provisional || b.interest.lines.some((l) => l.provisional)) {
    mentions.push({ name: 'provisional rate wording', needles: [PROVISIONAL[L]] });
  }
  if (b.regime === 'b2b' && b.indemnityCents > 0) {
    mentions.push(
      b.interest.basis === 'ccp-l2192-13'
        ? { name: 'recovery indemnity (40 EUR, CCP L2192-13)', needles: [formatMoney(b.indemnityCents, L), 'L2192-13'] }
        : { name: 'recovery indemnity (40 EUR, D441-5)', needles: [formatMoney(b.indemnityCents, L), 'D441-5'] },
    );
  }
  if (b.payments && b.payments.length > 0) mentions.push(...paymentsListMentions(ctx, L));
  else if (b.paidCents > 0) mentions.push({ name: 'payments received', needles: [formatMoney(-b.paidCents, L)] });
  mentions.push({ name: 'total due', needles: [formatMoney(b.totalDueCents, L)] });
  return mentions;
}

/** Every payment received, with its date and amount (every letter lists them). */
export function paymentsListMentions(ctx: NoticeContext, L = ctx.language): Mention[] {
  return (ctx.breakdown.payments ?? []).map((p) => ({
    name: `payment received on ${p.paidOn} (date, amount)`,
    needles: [formatDate(p.paidOn, L), formatMoney(p.amountCents, L)],
  }));
}


/** A needle no output can contain: the mention is reported missing (absent input data). */
export const NEVER = '\u0000';

function sirenNeedle(siren: string): string[] {
  return [formatSiren(siren), singleLine(siren)];
}

export function partyMentions(ctx: NoticeContext): Mention[] {
  const c = ctx.creditor;
  const d = ctx.debtor;
  const mentions: Mention[] = [
    { name: 'creditor identity', needles: [singleLine(c.legalName)] },
    { name: 'creditor address', needles: [singleLine(c.address.line1), `${singleLine(c.address.postalCode)} ${singleLine(c.address.city)}`] },
    { name: 'creditor SIREN', needles: [sirenNeedle(c.siren)] },
    { name: 'debtor identity', needles: [singleLine(d.name)] },
    { name: 'debtor address', needles: [singleLine(d.address.line1), `${singleLine(d.address.postalCode)} ${singleLine(d.address.city)}`] },
  ];
  if (d.siren) mentions.push({ name: 'debtor SIREN', needles: [sirenNeedle(d.siren)] });
  return mentions;
}

/**
 * Scripts, frames, event handlers, javascript: URLs in real tags. User text is escaped, so it has
 * no "<" and cannot appear here; a hit means markup escaped the renderer.
 */
function hasActiveContent(html: string): boolean {
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    if (/^<\/?\s*(script|iframe|object|embed|form|input|base|meta\s+http-equiv|link|style)\b/i.test(tag)) return true;
    if (/\son[a-z]+\s*=|javascript:|vbscript:|data:text\/html/i.test(tag)) return true;
  }
  return false;
}

/**
 * What no message may ever contain: a source file, a script, an operator step (rate sources and
 * calculation notes are printed in letters; the operator's instructions go to the logs).
 */
export const INTERNAL_LEAK = /\blambdas\/|\bscripts\/|rate-tables\.json|\brates\.ts\b|\bnpm run\b|rates:add|\boperator (adds|should|must)|TO CONFIRM/i;

/** The mentions and refusals of one kind, added to the lists of the message being checked. */
export type KindCheck = (ctx: NoticeContext, rendered: RenderedNotice, mentions: Mention[], missing: string[]) => void;

/**
 * Checks a rendered message: the checks every message passes, and the kind's own (`kindCheck`).
 * checker.ts checkNotice passes every kind's; a Lambda that sends one kind passes that kind's.
 */
export function checkMessage(ctx: NoticeContext, rendered: RenderedNotice, kindCheck: KindCheck): CheckResult {
  const missing: string[] = [];
  const L = ctx.language;
  const expectedTo = ctx.kind === 'litigation_handoff' ? 'litigation_contact' : 'debtor';
  if (rendered.kind !== ctx.kind) missing.push(`kind ${ctx.kind}`);
  if (rendered.to !== expectedTo) missing.push(`recipient must be ${expectedTo}`);
  if (hasControlChars(rendered.subject)) missing.push('subject without control characters');
  if (!rendered.subject.includes(singleLine(ctx.invoice.invoiceNumber))) missing.push('subject: invoice number');
  if (hasActiveContent(rendered.html)) missing.push('HTML free of active content');

  const mentions: Mention[] = [];
  kindCheck(ctx, rendered, mentions, missing);

  // Every letter lists the payments received with their dates (the breakdown lists cover the others).
  if (['first_reminder', 'promise_confirmation', 'payment_plan_confirmation', 'instalment_reminder', 'dispute_acknowledgment', 'dispute_rejection'].includes(ctx.kind) && !(ctx.kind === 'first_reminder' && ctx.creditor.agency)) {
    mentions.push(...paymentsListMentions(ctx));
  }
  // An agency never says it will sue: only its principal can ("notre mandant pourra saisir…").
  if (ctx.creditor.agency && /nous pourrons,? sans autre avis, saisir|we may, without further notice, refer/i.test(rendered.text)) {
    missing.push('agency letter: court action attributed to the principal, never to the agency ("nous")');
  }

  // Later letters of a collection agency repeat the first letter's reference and date (R124-4).
  if (ctx.creditor.agency && expectedTo === 'debtor' && ctx.kind !== 'first_reminder') {
    const first = ctx.agencyFirstLetter;
    if (!first) missing.push('R124-4: reference and date of the agency first letter (agencyFirstLetter)');
    else mentions.push({ name: 'R124-4: first letter reference and date', needles: [singleLine(first.reference), formatDate(first.date, L)] });
  }

  const h = haystacks(rendered);
  missing.push(...findMissing(mentions, h));
  for (const [src, hay] of [['subject', rendered.subject], ['text', rendered.text], ['html', htmlVisibleText(rendered.html)]] as const) {
    const leak = INTERNAL_LEAK.exec(hay);
    if (leak) missing.push(`no internal file name or operator step in the ${src} (found "${leak[0]}")`);
  }

  // B2C: no L441-10 penalties, no D441-5 indemnity, not even as wording.
  if (ctx.breakdown.regime === 'b2c' && expectedTo === 'debtor') {
    for (const word of new Set([...B2B_ONLY_WORDS[L], ...(ctx.kind === 'payment_receipt' ? B2B_ONLY_WORDS.fr : [])])) {
      const w = norm(word);
      for (const [src, hay] of Object.entries(h.normal)) {
        if (hay.includes(w)) missing.push(`B2C notice must not mention "${word}" (found in ${src})`);
      }
    }
  }
  return { ok: missing.length === 0, missing: [...new Set(missing)] };
}
