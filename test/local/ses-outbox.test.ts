import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import sesServer from 'aws-ses-v2-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSesOutbox, type SesOutbox } from '../../local/ses-outbox';

/**
 * The local SES endpoint (local/ses-outbox.ts) keeps the outbox on disk and serves GET /store and
 * GET /get-emlContent itself, one message at a time. The oracle is the emulator behind it: the
 * same messages sent straight to aws-ses-v2-local must read back the same (message ids and send
 * instants aside, which each side assigns).
 */
describe('local SES outbox', () => {
  let emulator: http.Server;
  let emulatorUrl: string;
  let outbox: SesOutbox;
  // Simulated send instants, far past the real clock the emulator stamps its own sends with.
  const T0 = 4_000_000_000;
  let now = T0;

  beforeAll(async () => {
    emulator = await sesServer({ host: '127.0.0.1', port: 0 });
    emulatorUrl = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
    outbox = await startSesOutbox({ upstream: emulatorUrl, nowSeconds: () => now });
  });
  afterAll(async () => {
    await outbox?.close();
    emulator?.closeAllConnections?.();
    await new Promise((r) => emulator?.close(r));
  });

  const client = (endpoint: string) => new SESv2Client({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const pdf = Buffer.from('%PDF-1.7\n' + 'x'.repeat(3000) + '\n%%EOF\n');
  const raw = (n: number) =>
    Buffer.from(
      [
        'From: Amiable <notices@example.fr>',
        `To: debtor${n}@example.fr`,
        `Subject: =?UTF-8?Q?Relance_n=C2=B0${n}?=`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        `Madame, Monsieur, lettre ${n} : 1 250,00 €.`,
        '--b1',
        `Content-Type: application/pdf; name="lettre-${n}.pdf"`,
        `Content-Disposition: attachment; filename="lettre-${n}.pdf"`,
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64').replace(/.{76}/g, '$&\r\n'),
        '--b1--',
        '',
      ].join('\r\n'),
    );
  const sendRaw = (endpoint: string, n: number) =>
    client(endpoint).send(new SendEmailCommand({ FromEmailAddress: 'notices@example.fr', Destination: { ToAddresses: [`debtor${n}@example.fr`] }, Content: { Raw: { Data: raw(n) } } }));
  const sendSimple = (endpoint: string) =>
    client(endpoint).send(
      new SendEmailCommand({
        FromEmailAddress: 'digest@example.fr',
        Destination: { ToAddresses: ['accountant@example.fr'] },
        Content: { Simple: { Subject: { Data: 'Digest' }, Body: { Text: { Data: 'Three dossiers.' } } } },
      }),
    );
  const store = async (base: string, query = '') => {
    const res = await fetch(`${base}/store${query}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  const comparable = (emails: any[]) => emails.map(({ messageId: _m, at: _a, ...rest }) => rest);

  it('lists raw and simple sends in order, as the emulator stores them, and counts them without parsing', async () => {
    // The oracle: the emulator alone.
    await fetch(`${emulatorUrl}/clear-store`, { method: 'POST' });
    await sendRaw(emulatorUrl, 1);
    await sendSimple(emulatorUrl);
    await sendRaw(emulatorUrl, 2);
    const expected = (await store(emulatorUrl)).body.emails;
    expect(expected).toHaveLength(3);
    await fetch(`${outbox.url}/clear-store`, { method: 'POST' });

    now = T0;
    const first = await sendRaw(outbox.url, 1);
    now += 60;
    await sendSimple(outbox.url);
    now += 60;
    await sendRaw(outbox.url, 2);
    expect(outbox.size()).toBe(3);
    const listed = await store(outbox.url);
    expect(listed.status).toBe(200);
    expect(listed.body.templates).toEqual({});
    expect(comparable(listed.body.emails)).toEqual(comparable(expected));
    expect(listed.body.emails[0].messageId).toBe(first.MessageId);
    expect(listed.body.emails[0].attachments[0].content).toBe(pdf.toString('base64'));
    expect(listed.body.emails[0].at).toBe(T0);
    // Read again (from the parsed copies on disk): the same answer.
    expect((await store(outbox.url)).body).toEqual(listed.body);
    // The emulator's own store is left empty: everything is in the outbox.
    expect((await store(emulatorUrl)).body.emails).toEqual([]);
  });

  it('filters by send instant and rejects a bad since as the emulator does', async () => {
    // The simple send was stamped by the emulator (real time, long before T0).
    const later = await store(outbox.url, `?since=${T0 + 120}`);
    expect(later.body.emails.map((e: any) => e.destination.to)).toEqual([['debtor2@example.fr']]);
    expect((await store(outbox.url, `?since=${T0}`)).body.emails.map((e: any) => e.destination.to)).toEqual([['debtor1@example.fr'], ['debtor2@example.fr']]);
    const bad = await store(outbox.url, '?since=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/epoch timestamp in seconds/);
  });

  it('rebuilds a message as .eml as the emulator does, and clears', async () => {
    const [mine] = (await store(outbox.url)).body.emails;
    const eml = await fetch(`${outbox.url}/get-emlContent?messageId=${mine.messageId}`);
    expect(eml.status).toBe(200);
    const mineEml = (await eml.json()) as any;
    await fetch(`${emulatorUrl}/clear-store`, { method: 'POST' });
    const direct = await sendRaw(emulatorUrl, 1);
    const theirs = (await (await fetch(`${emulatorUrl}/get-emlContent?messageId=${direct.MessageId}`)).json()) as any;
    expect(mineEml.fileName).toBe(theirs.fileName);
    const text = (b: any) => Buffer.from(b.body.data).toString('latin1');
    // Message-ID, Date and MIME boundaries differ per build; the rest is the same message.
    const normalize = (s: string) => s.replace(/^(Message-ID|Date): .*$/gm, '').replace(/--_NmP-[0-9a-f-]+/g, '--B').replace(/boundary="[^"]+"/g, 'boundary="B"');
    expect(normalize(text(mineEml))).toBe(normalize(text(theirs)));
    expect((await fetch(`${outbox.url}/get-emlContent?messageId=nope`)).status).toBe(400);

    await fetch(`${outbox.url}/clear-store`, { method: 'POST' });
    expect(outbox.size()).toBe(0);
    expect((await store(outbox.url)).body.emails).toEqual([]);
  });
});
