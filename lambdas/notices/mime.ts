/**
 * MIME composition with nodemailer's MailComposer (never string concatenation). Deterministic:
 * the Message-ID is passed in, the Date header comes from `date` (not the clock) and the multipart
 * boundaries derive from the Message-ID, so the same input gives the same bytes. Addresses are
 * validated, display names and subject are reduced to one line, custom headers are checked: no
 * input can add a recipient or a header.
 */
import { createHash } from 'node:crypto';
import type { IsoInstant } from '../domain/model';
import { hasControlChars, safeFilenamePart, singleLine } from './escape';
import type { NoticeAttachment } from './types';

export interface MailAddress {
  name?: string;
  address: string;
}

export interface ComposeMimeInput {
  from: MailAddress;
  to: MailAddress[];
  /** Copied recipients (the accountants on a message to counsel). */
  cc?: MailAddress[];
  replyTo?: string | MailAddress;
  subject: string;
  text: string;
  html: string;
  attachments: NoticeAttachment[];
  /** "<local@domain>", stable for a given notice (see messageIdFor). */
  messageId: string;
  date: IsoInstant;
  /** Extra headers (X-...): names and values are validated, structural headers are refused. */
  headers?: Record<string, string>;
}

export class MimeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MimeInputError';
  }
}

/**
 * The WHATWG "valid e-mail address" grammar (what browsers accept in <input type=email>): no
 * quoted local parts, no comments, no whitespace, no IP literals.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isValidEmailAddress(address: unknown): address is string {
  return (
    typeof address === 'string' &&
    address.length <= 254 &&
    !hasControlChars(address) &&
    EMAIL.test(address) &&
    !address.startsWith('.') &&
    !address.includes('..') &&
    (address.split('@')[0] ?? '').length <= 64
  );
}

export function assertEmailAddress(address: unknown, field: string): asserts address is string {
  if (!isValidEmailAddress(address)) {
    throw new MimeInputError(`${field}: not a valid e-mail address: ${JSON.stringify(address)}`);
  }
}

const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const MESSAGE_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+>$/;

/** One Message-ID component: [A-Za-z0-9_-] kept, every other UTF-8 byte as %XX (injective). */
function encodeIdPart(part: string): string {
  return Array.from(Buffer.from(part, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** "<dossierId.key@domain>" with both parts encoded into dot-atom text; stable for retries. */
export function messageIdFor(dossierId: string, key: string, domain: string): string {
  if (!dossierId || !key) throw new MimeInputError('messageIdFor: dossierId and key are required');
  if (!HOSTNAME.test(domain)) throw new MimeInputError(`messageIdFor: invalid domain ${JSON.stringify(domain)}`);
  return `<${encodeIdPart(dossierId)}.${encodeIdPart(key)}@${domain.toLowerCase()}>`;
}

type MimeLibs = typeof import('./mime-libs');
let mimeLibs: MimeLibs | undefined;

/**
 * nodemailer (~135 KiB minified), loaded with the first message: in a Lambda it is a file of its
 * own next to index.js (SPLIT_MODULES, lib/handler-function.ts), so no cold start parses it.
 */
async function loadMimeLibs(): Promise<MimeLibs> {
  if (!mimeLibs) {
    const m = (await import('./mime-libs.js')) as MimeLibs & { default?: MimeLibs };
    mimeLibs = m.MailComposer ? m : (m.default as MimeLibs);
  }
  return mimeLibs;
}

/** Headers MailComposer sets from the structured fields; callers may not override them. */
const RESERVED_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'reply-to', 'sender', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
  'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition', 'return-path', 'received',
]);

function address(a: MailAddress, field: string): { name: string; address: string } {
  if (!a || typeof a !== 'object') throw new MimeInputError(`${field}: an address is required`);
  assertEmailAddress(a.address, `${field}.address`);
  // A display name is text: CR/LF and other controls become spaces; MailComposer quotes/encodes it.
  return { name: singleLine(a.name ?? ''), address: a.address };
}

function checkHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!/^[!-9;-~]+$/.test(name)) throw new MimeInputError(`invalid header name ${JSON.stringify(name)}`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new MimeInputError(`header ${name} cannot be set through headers`);
    if (typeof value !== 'string' || hasControlChars(value)) throw new MimeInputError(`header ${name}: value must be one line of text`);
    out[name] = value;
  }
  return out;
}

/** MailComposer's options for `input`, validated (MimeInputError); what composeMime composes. */
export function composerOptions(input: ComposeMimeInput): ConstructorParameters<MimeLibs['MailComposer']>[0] {
  const from = address(input.from, 'from');
  if (!Array.isArray(input.to) || input.to.length === 0) throw new MimeInputError('to: at least one recipient is required');
  const to = input.to.map((a, i) => address(a, `to[${i}]`));
  const cc = (input.cc ?? []).map((a, i) => address(a, `cc[${i}]`));
  const replyTo =
    input.replyTo === undefined
      ? undefined
      : typeof input.replyTo === 'string'
        ? (assertEmailAddress(input.replyTo, 'replyTo'), input.replyTo)
        : address(input.replyTo, 'replyTo');
  if (typeof input.messageId !== 'string' || !MESSAGE_ID.test(input.messageId)) {
    throw new MimeInputError(`messageId must look like <local@domain>: ${JSON.stringify(input.messageId)}`);
  }
  const date = new Date(input.date);
  if (typeof input.date !== 'string' || Number.isNaN(date.getTime())) throw new MimeInputError(`date: not an ISO instant: ${JSON.stringify(input.date)}`);
  const headers = checkHeaders(input.headers);
  const attachments = (input.attachments ?? []).map((a, i) => {
    if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9.+-]+$/.test(a.contentType)) throw new MimeInputError(`attachments[${i}]: invalid content type`);
    if (a.cid !== undefined && !/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+$/.test(a.cid)) throw new MimeInputError(`attachments[${i}]: invalid cid`);
    return {
      filename: safeFilenamePart(a.filename),
      contentType: a.contentType,
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
      // An inline part (cid) is shown in the HTML body; everything else is a plain attachment.
      contentDisposition: a.cid ? ('inline' as const) : ('attachment' as const),
      ...(a.cid ? { cid: a.cid } : {}),
    };
  });
  return {
    from,
    to,
    ...(cc.length ? { cc } : {}),
    replyTo,
    subject: singleLine(input.subject),
    text: input.text,
    html: input.html,
    attachments,
    messageId: input.messageId,
    date,
    headers,
    baseBoundary: createHash('sha256').update(`${input.messageId}\n${input.date}`).digest('hex').slice(0, 24),
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export async function composeMime(input: ComposeMimeInput): Promise<Buffer> {
  const options = composerOptions(input);
  const { MailComposer, buildMessage } = await loadMimeLibs();
  const composer = new MailComposer(options);
  // nodemailer's tree, written in one synchronous pass (mime-build.ts); its own stream writes
  // whatever that pass leaves to it (the same bytes either way).
  const root = composer.compile();
  return buildMessage(root) ?? root.build();
}
