/**
 * The local SES endpoint, parsing lazily and keeping the outbox on disk. aws-ses-v2-local parses
 * every raw message as it arrives (mailparser: the MIME tree, every PDF attachment decoded and
 * re-encoded in base64), keeps the parsed copy in memory and answers GET /store by serializing the
 * whole outbox into one string: a run of thousands of notices spent much of its time there, and
 * reading the outbox of 1,000 escalated dossiers (4,000 letters) took the process from ~1 GB to
 * 2.1 GB. This front answers SendEmail with raw content at once (a message id in the emulator's
 * format) and keeps the raw bytes on disk; the first request that reads the outbox (GET /store,
 * the web UI, .eml downloads; any other request too, so the order of SMTP relays is kept) parses
 * what is pending, in order, into exactly the entry the emulator would have stored, with the
 * simulated instant each message was sent at, and writes that entry's JSON next to the raw bytes.
 * The front serves GET /store (with its `since` filter) and GET /get-emlContent itself from those
 * files, one message at a time, so memory does not grow with the outbox. What the emulator stores
 * itself (SendEmail with simple content, the v1 API) is moved into the same ordered outbox once
 * the request that stored it is answered. Everything else (templates, the web page, clear-store)
 * is passed through to the emulator.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { keepIdleConnections } from './loopback';
import { serveInProcess } from './in-process';

/** One message of the outbox, in the order it was accepted. */
interface Entry {
  messageId: string;
  at: number;
  /** The raw message as sent (absent for what the emulator stored itself). */
  raw?: string;
  /** The stored entry's JSON, once parsed. */
  json?: string;
}

export interface SesOutbox {
  url: string;
  /** How many messages the outbox holds (what GET /store would list), without parsing any. */
  size(): number;
  close(): Promise<void>;
}

export interface SesOutboxOptions {
  /** The emulator behind this front. */
  upstream: string;
  port?: number;
  /** Where the outbox's messages are kept (a temporary directory when absent). */
  dir?: string;
  /** The instant a message is stamped with (epoch seconds): the simulated now. */
  nowSeconds: () => number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const store = require('aws-ses-v2-local/dist/store') as { getStoreReadonly(): { emails: any[]; templates: Map<string, unknown> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smtp = require('aws-ses-v2-local/dist/smtp') as { sendEmailToSmtp(email: unknown): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const util = require('aws-ses-v2-local/dist/util') as { getMessageId(): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emlFile = require('aws-ses-v2-local/dist/emlFile') as { createEmlContent(email: unknown): Promise<{ messageId: string; fileName: string; body: Buffer }> };

/** What aws-ses-v2-local's handleRaw stores for a raw message (dist/v2/sendEmail.js). */
async function parsedEntry(raw: Buffer, messageId: string, at: number): Promise<any> {
  const { simpleParser } = await import('mailparser');
  const message = await simpleParser(raw);
  const list = (a: any) => (Array.isArray(a) ? a : [a || null]).filter((m: any) => Boolean(m)).map((x: any) => x.text);
  return {
    messageId,
    from: message.from?.text,
    replyTo: message.replyTo ? [message.replyTo.text] : [],
    destination: { to: list(message.to), cc: list(message.cc), bcc: list(message.bcc) },
    subject: message.subject ?? '(no subject)',
    body: { text: message.text, html: message.html || undefined },
    attachments: message.attachments.map((a: any) => ({ ...a, content: a.content.toString('base64') })),
    at,
  };
}

/** A From header in the header block: the one check the emulator makes before accepting. */
function hasFrom(raw: Buffer): boolean {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString('latin1');
  return /(^|\r?\n)from:[ \t]*\S/i.test(head);
}

/** Writes a chunk, waiting for the socket to take it when its buffer is full (one message at a time in memory). */
function write(res: http.ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startSesOutbox(opts: SesOutboxOptions): Promise<SesOutbox> {
  const tmp = opts.dir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-ses-'));
  const dir = opts.dir ?? tmp!;
  // The emulator's outbox is in memory: messages kept by an earlier run are gone with it.
  if (opts.dir) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let entries: Entry[] = [];
  /** Entries from this index on may still be unparsed (everything before is parsed). */
  let parsedUpTo = 0;
  let flushing: Promise<void> = Promise.resolve();
  let files = 0;
  const fileFor = (ext: string) => path.join(dir, `${String(++files).padStart(8, '0')}.${ext}`);

  /** Parses what is pending, in order (relaying each to SMTP when configured, as the emulator does). */
  const flush = (): Promise<void> => {
    // A failed parse fails the read that asked for it, not every later one.
    flushing = flushing.catch(() => undefined).then(async () => {
      while (parsedUpTo < entries.length) {
        const e = entries[parsedUpTo];
        if (!e.json) {
          const email = await parsedEntry(fs.readFileSync(e.raw!), e.messageId, e.at);
          const json = fileFor('json');
          fs.writeFileSync(json, JSON.stringify(email));
          e.json = json;
          void smtp.sendEmailToSmtp(email);
        }
        parsedUpTo++;
      }
    });
    return flushing;
  };

  /** What the emulator stored itself (non-raw sends) joins the outbox, in its order. */
  const adopt = () => {
    const stored = store.getStoreReadonly().emails;
    if (stored.length === 0) return;
    for (const email of stored.splice(0, stored.length)) {
      const json = fileFor('json');
      fs.writeFileSync(json, JSON.stringify(email));
      entries.push({ messageId: email.messageId, at: email.at, json });
    }
  };

  /** The stored entry of a message, as the emulator holds it (parsed again from the raw bytes when there are some). */
  const entryOf = async (e: Entry): Promise<any> => (e.raw ? parsedEntry(fs.readFileSync(e.raw), e.messageId, e.at) : JSON.parse(fs.readFileSync(e.json!, 'utf8')));

  /** GET /store as the emulator answers it (dist/index.js), written one message at a time. */
  const serveStore = async (url: URL, res: http.ServerResponse) => {
    let since: number | undefined;
    const values = url.searchParams.getAll('since');
    if (values.length > 1) return answer(res, 400, { message: 'Bad since query param, expected single value' });
    if (values.length === 1) {
      since = parseInt(values[0], 10);
      if (Number.isNaN(since) || values[0] !== String(since)) {
        return answer(res, 400, { message: 'Bad since query param, expected integer representing epoch timestamp in seconds' });
      }
    }
    const templates = Object.fromEntries(store.getStoreReadonly().templates);
    const listed = entries.filter((e) => since === undefined || e.at >= since);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    await write(res, `{"templates":${JSON.stringify(templates)},"emails":[`);
    for (const [i, e] of listed.entries()) {
      if (res.destroyed) return;
      await write(res, (i > 0 ? ',' : '') + fs.readFileSync(e.json!, 'utf8'));
    }
    res.end(']}');
  };

  /** GET /get-emlContent?messageId=: the message rebuilt as .eml, as the emulator does (dist/emlFile.js). */
  const serveEml = async (url: URL, res: http.ServerResponse) => {
    const messageId = url.searchParams.get('messageId');
    if (!messageId) return answer(res, 400, { message: 'Bad since query param, expected single value' });
    const e = entries.find((x) => x.messageId === messageId);
    if (!e) return answer(res, 400, { message: 'Email not found within the store' });
    try {
      answer(res, 200, await emlFile.createEmlContent(await entryOf(e)));
    } catch (error) {
      answer(res, 400, { message: typeof error === 'object' && error !== null && 'error' in error ? (error as any).error : String(error) });
    }
  };

  const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    const up = new URL(opts.upstream);
    const out = http.request(
      { hostname: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
        // Whatever this request made the emulator store is in its store once it has answered.
        r.on('end', adopt);
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
        const url = new URL(req.url ?? '/', 'http://outbox');
        const route = url.pathname;
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
            const file = fileFor('eml');
            fs.writeFileSync(file, raw);
            entries.push({ messageId, raw: file, at: opts.nowSeconds() });
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ MessageId: messageId }));
            return;
          }
        }
        if (req.method === 'POST' && route === '/clear-store') {
          await flushing.catch(() => undefined);
          entries = [];
          parsedUpTo = 0;
          fs.rmSync(dir, { recursive: true, force: true });
          fs.mkdirSync(dir, { recursive: true });
          forward(req, body, res);
          return;
        }
        await flush();
        if (req.method === 'GET' && route === '/store') return serveStore(url, res);
        if (req.method === 'GET' && route === '/get-emlContent') return serveEml(url, res);
        forward(req, body, res);
      })().catch((e) => {
        if (res.headersSent) return void res.destroy(e as Error);
        answer(res, 500, { message: `local SES endpoint: ${String((e as Error)?.message ?? e)}` });
      });
    });
  }));
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  serveInProcess(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    size: () => entries.length + store.getStoreReadonly().emails.length,
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await flushing.catch(() => undefined);
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
