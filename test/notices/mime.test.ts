import { simpleParser, type AddressObject } from 'mailparser';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { composeMime, messageIdFor, MimeInputError, type ComposeMimeInput } from '../../lambdas/notices/mime';
import { renderNotice } from '../../lambdas/notices/render';
import { sampleContext, sampleDossier, sampleMimeInput } from '../support/notice-samples';
import type { NoticeContext } from '../../lambdas/notices/types';

const b2b = sampleDossier('b2b');

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
}

const EXPECTED_HEADERS = ['content-type', 'date', 'from', 'message-id', 'mime-version', 'reply-to', 'subject', 'to'];

async function composeFor(ctx: NoticeContext) {
  const rendered = await renderNotice(ctx);
  const input = sampleMimeInput(ctx, rendered, 'amiable.example');
  const raw = await composeMime(input);
  return { rendered, input, raw, parsed: await simpleParser(raw) };
}

describe('composeMime', () => {
  it('builds the mise en demeure e-mail: headers from the input, both bodies, the PDF', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'fr');
    const { rendered, raw, parsed } = await composeFor(ctx);
    expect(parsed.messageId).toBe('<dos_b2bsampleaaaaaaaaaaaaaaaa.formal_notice@amiable.example>');
    expect(parsed.date?.toISOString()).toBe('2026-07-10T07:00:00.000Z');
    expect(raw.toString('latin1')).toContain('Date: Fri, 10 Jul 2026 07:00:00 +0000');
    expect(parsed.subject).toBe('Mise en demeure – facture F-2025-0142');
    expect(parsed.from?.value).toEqual([{ address: 'factures@atelier-lumiere.example', name: 'Atelier Lumière – Comptabilité' }]);
    expect(addresses(parsed.to)).toEqual(['compta@boulangerie-dupont.example']);
    expect(addresses(parsed.replyTo)).toEqual(['compta@atelier-lumiere.example']);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.cc).toBeUndefined();
    expect([...parsed.headers.keys()].sort()).toEqual(EXPECTED_HEADERS);
    expect(parsed.text).toContain('MISE EN DEMEURE');
    expect(parsed.html).toContain('<h1');
    expect(parsed.attachments).toHaveLength(1);
    const [pdf] = parsed.attachments;
    expect(pdf?.filename).toBe('mise-en-demeure-F-2025-0142.pdf');
    expect(pdf?.contentType).toBe('application/pdf');
    expect(Buffer.compare(pdf!.content, Buffer.from(rendered.attachments[0]!.content))).toBe(0);
  });

  it('is deterministic: the same input gives the same bytes (boundaries, Date, Message-ID)', async () => {
    const ctx = sampleContext(b2b, 'formal_notice', 'en');
    const a = await composeFor(ctx);
    // The wall clock moves on (a day, without sleeping): nothing of it may leak into the bytes.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 86_400_000 });
    onTestFinished(() => void vi.useRealTimers());
    const b = await composeFor(structuredClone(ctx));
    expect(b.raw.equals(a.raw)).toBe(true);
  });

  it('sends the hand-off to the litigation contact, copied to the accountants only', async () => {
    const { parsed } = await composeFor(sampleContext(b2b, 'litigation_handoff'));
    expect(addresses(parsed.to)).toEqual(['contentieux@rousseau-avocats.example']);
    expect(addresses(parsed.cc)).toEqual(['expert@cabinet-comptable.example']);
    expect(parsed.text).not.toContain('compta@boulangerie-dupont.example>');
  });
});

describe('hostile input', () => {
  const base = sampleContext(b2b, 'formal_notice', 'fr');
  const hostile: NoticeContext = {
    ...base,
    debtor: {
      ...base.debtor,
      name: 'Evil Corp\r\nBcc: victim@example.com\r\nX-Injected: 1',
      address: { ...base.debtor.address, line1: '1 rue <b>Gras</b>\r\nBcc: a@b.example' },
    },
    creditor: {
      ...base.creditor,
      sender: { ...base.creditor.sender, name: 'Atelier\nCc: spy@example.com' },
      contact: { ...base.creditor.contact, name: '<img src=x onerror=alert(1)>' },
    },
    invoice: {
      ...base.invoice,
      invoiceNumber: 'F-1\r\nBcc: victim2@example.com',
      description: '<script>alert("x")</script> & "quotes" \'single\'',
    },
  };

  it('cannot add recipients or headers, and markup arrives escaped', async () => {
    const { rendered, parsed, raw } = await composeFor(hostile);
    expect(rendered.subject).not.toMatch(/[\r\n]/);
    expect(parsed.subject).toBe('Mise en demeure – facture F-1 Bcc: victim2@example.com');
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.cc).toBeUndefined();
    expect(addresses(parsed.to)).toEqual(['compta@boulangerie-dupont.example']);
    expect(addresses(parsed.from)).toEqual(['factures@atelier-lumiere.example']);
    expect([...parsed.headers.keys()].sort()).toEqual(EXPECTED_HEADERS);
    const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).not.toMatch(/^(Bcc|Cc|X-Injected):/im);
    for (const part of raw.toString('latin1').split(/\r\n--/).map((p) => p.split('\r\n\r\n')[0]!)) {
      expect(part).not.toMatch(/^(Bcc|Cc|X-Injected):/im); // no part header either
    }

    const html = parsed.html as string;
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('1 rue &lt;b&gt;Gras&lt;/b&gt; Bcc: a@b.example');
    // The plain text keeps the characters as typed (it is text/plain).
    expect(parsed.text).toContain('<script>alert("x")</script>');
  });

  it('escapes a hostile dispute reason, keeping its line breaks as <br>', async () => {
    const ctx: NoticeContext = {
      ...sampleContext(b2b, 'dispute_acknowledgment', 'en'),
      dispute: { id: 'D-1"><script>', reason: 'Line 1\r\n<iframe src="https://evil.example"></iframe>\u0000' },
    };
    const { parsed } = await composeFor(ctx);
    const html = parsed.html as string;
    expect(html).not.toMatch(/<iframe|<script/i);
    expect(html).toContain('Line 1<br>&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;');
    expect(html).toContain('D-1&quot;&gt;&lt;script&gt;');
  });

  it('never turns a non-https payment link into a link', async () => {
    const ctx: NoticeContext = { ...base, creditor: { ...base.creditor, paymentLink: 'javascript:alert(1)' } };
    const r = await renderNotice(ctx);
    expect(r.html).not.toContain('javascript:');
    expect(r.text).not.toContain('javascript:');
  });

  const good: ComposeMimeInput = {
    from: { name: 'A', address: 'a@example.com' },
    to: [{ name: 'B', address: 'b@example.com' }],
    replyTo: 'r@example.com',
    subject: 'S',
    text: 't',
    html: '<p>t</p>',
    attachments: [],
    messageId: '<x.y@amiable.example>',
    date: '2026-07-10T07:00:00.000Z',
  };

  it.each([
    ['CR/LF in an address', { to: [{ address: 'b@example.com\r\nBcc: c@example.com' }] }],
    ['two addresses in one', { to: [{ address: 'b@example.com, c@example.com' }] }],
    ['no domain', { to: [{ address: 'b@' }] }],
    ['not an address', { from: { address: 'not-an-email' } }],
    ['a display-name form', { to: [{ address: 'Bob <b@example.com>' }] }],
    ['spaces', { replyTo: 'r @example.com' }],
    ['no recipient', { to: [] }],
    ['a header with CR/LF', { headers: { 'X-Tag': 'ok\r\nBcc: c@example.com' } }],
    ['a structural header', { headers: { Bcc: 'c@example.com' } }],
    ['an invalid header name', { headers: { 'X Tag: y': 'v' } }],
    ['a malformed Message-ID', { messageId: '<a b@c>' }],
    ['a Message-ID with CR/LF', { messageId: '<a@b>\r\nBcc: c@example.com' }],
    ['an invalid date', { date: 'yesterday' }],
  ] as [string, Partial<ComposeMimeInput>][])('rejects %s', async (_name, patch) => {
    await expect(composeMime({ ...good, ...patch })).rejects.toBeInstanceOf(MimeInputError);
  });

  it('accepts custom X- headers and strips CR/LF from the subject', async () => {
    const raw = await composeMime({ ...good, subject: 'Hello\r\nBcc: c@example.com', headers: { 'X-Tag': 'v1' } });
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Hello Bcc: c@example.com');
    expect(parsed.headers.get('x-tag')).toBe('v1');
    expect(parsed.bcc).toBeUndefined();
  });
});

describe('messageIdFor', () => {
  it('is stable and encodes any dossier id or key into a valid Message-ID', () => {
    expect(messageIdFor('AMI-2025-0142', 'formal_notice', 'amiable')).toBe('<AMI-2025-0142.formal_notice@amiable>');
    expect(messageIdFor('AMI/2026 0001', 'payment_receipt.VIR 1', 'Amiable.Example')).toBe('<AMI%2F2026%200001.payment_receipt%2EVIR%201@amiable.example>');
    expect(messageIdFor('a.b', 'c', 'x.example')).not.toBe(messageIdFor('a', 'b.c', 'x.example'));
    expect(messageIdFor('é>\r\n', 'k', 'x.example')).toBe('<%C3%A9%3E%0D%0A.k@x.example>');
  });

  it('rejects an invalid domain or empty parts', () => {
    expect(() => messageIdFor('a', 'b', 'bad domain')).toThrow(MimeInputError);
    expect(() => messageIdFor('a', 'b', 'x.example>\r\nBcc: y')).toThrow(MimeInputError);
    expect(() => messageIdFor('', 'b', 'x.example')).toThrow(MimeInputError);
  });
});
