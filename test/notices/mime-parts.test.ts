import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime } from '../../lambdas/notices/mime';
import { mimeParts } from '../../lambdas/notices/mime-parts';
import { renderNotice } from '../../lambdas/notices/render';
import { sampleContext, sampleDossier, sampleMimeInput } from '../support/notice-samples';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * mime-parts.ts reads back the attachments of the messages Amiable composes (the litigation PDF is
 * kept once, inside the hand-off message): checked against mailparser, the maintained parser the
 * tests already use, on messages composed by production's composeMime.
 */
describe('mimeParts reads back what composeMime wrote', () => {
  it('the mise en demeure: its PDF, byte for byte, as mailparser reads it', async () => {
    const ctx = sampleContext(sampleDossier('b2b'), 'formal_notice', 'fr');
    const rendered = await renderNotice(ctx);
    const raw = await composeMime(sampleMimeInput(ctx, rendered, 'amiable.example'));
    const pdfs = mimeParts(raw).filter((p) => p.contentType === 'application/pdf');
    const parsed = await simpleParser(raw);
    expect(pdfs).toHaveLength(1);
    expect(pdfs[0]!.filename).toBe(parsed.attachments[0]!.filename);
    expect(sha(pdfs[0]!.content)).toBe(sha(parsed.attachments[0]!.content));
    expect(sha(pdfs[0]!.content)).toBe(sha(rendered.attachments[0]!.content));
    // The text body too (quoted-printable or base64 as MailComposer chose).
    expect(mimeParts(raw).find((p) => p.contentType === 'text/plain')!.content.toString('utf8').replace(/\r\n/g, '\n').trim()).toBe(parsed.text!.trim());
  });

  it('any attachments, names and bodies (seeded property)', async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`mime-parts property: seed ${seed} (replay with FC_SEED=${seed})`);
    const attachment = fc.record({
      filename: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `${s.replace(/[\\/]/g, '_')}.bin`),
      contentType: fc.constantFrom('application/pdf', 'application/octet-stream', 'text/plain', 'text/csv'),
      content: fc.uint8Array({ maxLength: 5000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(attachment, { maxLength: 4 }), fc.string({ maxLength: 300 }), async (attachments, text) => {
        const raw = await composeMime({
          from: { name: 'Créancier', address: 'factures@example.com' },
          to: [{ address: 'debiteur@example.com' }],
          subject: 'Test',
          text: text || 'x',
          html: '<p>x</p>',
          attachments,
          messageId: '<d.s@example.com>',
          date: '2026-05-04T08:00:00.000Z',
        });
        const files = mimeParts(raw).slice(2);
        const parsed = await simpleParser(raw);
        expect(files.map((p) => sha(p.content))).toEqual(parsed.attachments.map((a) => sha(a.content)));
        expect(files.map((p) => sha(p.content))).toEqual(attachments.map((a) => sha(a.content)));
        expect(files.map((p) => p.contentType)).toEqual(attachments.map((a) => a.contentType));
      }),
      { seed, numRuns: 40 },
    );
  });
});
