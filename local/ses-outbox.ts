/**
 * The local SES endpoint, parsing lazily. aws-ses-v2-local parses every raw message as it arrives
 * (mailparser: the MIME tree, every PDF attachment decoded and re-encoded in base64) and keeps
 * the parsed copy in memory; a run of thousands of notices spent much of its time and memory
 * there, for an outbox nobody had opened yet. This front answers SendEmail with raw content at
 * once (a message id in the emulator's format) and keeps the raw bytes on disk; the first request
 * that reads the outbox (GET /store, the web UI, .eml downloads; any other request too, so the
 * emulator's own order is kept) parses what is pending, in order, into the emulator's store
 * exactly as the emulator would have, with the simulated instant each message was sent at.
 * Everything else is passed through to the emulator unchanged.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { keepIdleConnections } from './loopback';
import { serveInProcess } from './in-process';

interface Pending {
  messageId: string;
  file: string;
  at: number;
}

export interface SesOutbox {
  url: string;
  close(): Promise<void>;
}

export interface SesOutboxOptions {
  /** The emulator behind this front. */
  upstream: string;
  port?: number;
  /** Where raw messages wait to be parsed (a temporary directory when absent). */
  dir?: string;
  /** The instant a message is stamped with (epoch seconds): the simulated now. */
  nowSeconds: () => number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const store = require('aws-ses-v2-local/dist/store') as { getStoreReadonly(): { emails: any[] } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smtp = require('aws-ses-v2-local/dist/smtp') as { sendEmailToSmtp(email: unknown): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const util = require('aws-ses-v2-local/dist/util') as { getMessageId(): string };

/** What aws-ses-v2-local's handleRaw stores for a raw message (dist/v2/sendEmail.js), parsed now. */
async function parsedEntry(p: Pending): Promise<any> {
  const { simpleParser } = await import('mailparser');
  const message = await simpleParser(fs.readFileSync(p.file));
  const list = (a: any) => (Array.isArray(a) ? a : [a || null]).filter((m: any) => Boolean(m)).map((x: any) => x.text);
  return {
    messageId: p.messageId,
    from: message.from?.text,
    replyTo: message.replyTo ? [message.replyTo.text] : [],
    destination: { to: list(message.to), cc: list(message.cc), bcc: list(message.bcc) },
    subject: message.subject ?? '(no subject)',
    body: { text: message.text, html: message.html || undefined },
    attachments: message.attachments.map((a: any) => ({ ...a, content: a.content.toString('base64') })),
    at: p.at,
  };
}

/** A From header in the header block: the one check the emulator makes before accepting. */
function hasFrom(raw: Buffer): boolean {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString('latin1');
  return /(^|\r?\n)from:[ \t]*\S/i.test(head);
}

export async function startSesOutbox(opts: SesOutboxOptions): Promise<SesOutbox> {
  const tmp = opts.dir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-ses-'));
  const dir = opts.dir ?? tmp!;
  // The emulator's outbox is in memory: messages left pending by an earlier run are gone with it.
  if (opts.dir) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let pending: Pending[] = [];
  let flushing: Promise<void> = Promise.resolve();

  /** Parses what is pending, in order, into the emulator's store. */
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      while (pending.length > 0) {
        const p = pending.shift()!;
        try {
          const email = await parsedEntry(p);
          store.getStoreReadonly().emails.push(email);
          void smtp.sendEmailToSmtp(email);
        } finally {
          fs.rmSync(p.file, { force: true });
        }
      }
    });
    return flushing;
  };

  const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    const up = new URL(opts.upstream);
    const out = http.request(
      { hostname: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    out.on('error', (e) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `local SES endpoint: ${e.message}` }));
    });
    out.end(body);
  };

  const server = keepIdleConnections(http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void (async () => {
        const route = (req.url ?? '').split('?')[0];
        if (req.method === 'POST' && route === '/v2/email/outbound-emails') {
          let raw: Buffer | null = null;
          try {
            const data = JSON.parse(body.toString('utf8'));
            const encoded = data?.Content?.Raw?.Data;
            if (typeof encoded === 'string' && encoded.length > 0) raw = Buffer.from(encoded, 'base64');
          } catch {
            raw = null;
          }
          if (raw && hasFrom(raw)) {
            const messageId = util.getMessageId();
            const file = path.join(dir, `${messageId}.eml`);
            fs.writeFileSync(file, raw);
            pending.push({ messageId, file, at: opts.nowSeconds() });
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ MessageId: messageId }));
            return;
          }
        }
        if (req.method === 'POST' && route === '/clear-store') {
          for (const p of pending) fs.rmSync(p.file, { force: true });
          pending = [];
        }
        await flush();
        forward(req, body, res);
      })().catch((e) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `local SES endpoint: ${String((e as Error)?.message ?? e)}` }));
      });
    });
  }));
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  serveInProcess(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await flushing.catch(() => undefined);
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
