import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../local/template';
import type { FaultRecord } from '../../local/fault-injection';
import { mimeParts } from '../../lambdas/notices/mime-parts';
import { invoice } from '../support/local-client';
import { mulberry32, seededRandom } from '../support/seed';

/**
 * Faults injected under a whole escalation, local mode run as `npm start` would run it (a child
 * process, so it can be killed with SIGKILL): every DynamoDB, S3 and SES attempt of the handlers
 * fails at RATE with a throttling or transient error (local/fault-injection.ts, inside the SDK's
 * retry loop), an SES send that succeeded is reported as failed at CRASH (the process "dies" after
 * SES accepted the message, before it is recorded), and the process is killed with SIGKILL in the
 * middle of clock advances and restarted on the same data dir. Over DOSSIERS dossiers: every
 * dossier reaches its correct final state, each stage reaches the debtor as at most one distinct
 * Message-ID (a re-send is the same message), every recorded message has its evidence object with
 * the very bytes SES accepted, and nothing but the receipt follows a payment.
 */
// `npm test` runs 60 dossiers (20 per group) to stay within the e2e budget; `npm run test:faults` runs
// 201 (the figure the README reports), with a timeout to match.
const DOSSIERS = Number(process.env.AMIABLE_FAULT_DOSSIERS ?? 60);
// Measured on a shared 2-core machine (load ~16): 60 dossiers 385 s alone, 201 dossiers 784 s; and
// 60 passed 600 s when other e2e files ran beside it. The timeout keeps over 2x of that.
const TIMEOUT_MS = Math.max(900_000, DOSSIERS * 15_000);
const RATE = 0.3;
const CRASH = 0.15;
const ROOT = path.join(__dirname, '..', '..');
// One process (node with tsx's loader), not the tsx CLI, which would run main.ts in a grandchild a SIGKILL misses.
const NODE_ARGS = ['--import', 'tsx', 'local/main.ts'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  proc: ChildProcess;
  api: string;
  key: string;
}

/**
 * One HTTP request, without fetch's 300 s limit on waiting for the answer's headers: a clock
 * advance that runs the hand-offs of 67 dossiers under faults on a busy 2-core machine answers
 * later than that (the 201-dossier run failed there with UND_ERR_HEADERS_TIMEOUT).
 */
function request(c: Child, method: string, p: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      c.api + p,
      { method, headers: { 'content-type': 'application/json', 'x-api-key': c.key, ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('fault injection: transient and throttling SDK errors, crashes after SES accepted, kill -9 mid-escalation', { timeout: TIMEOUT_MS }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-faults-'));
  let child: Child | null = null;
  afterAll(async () => {
    child?.proc.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start(seed: number): Promise<Child> {
    const proc = spawn(process.execPath, NODE_ARGS, {
      cwd: ROOT,
      env: {
        ...process.env,
        AMIABLE_DATA_DIR: dataDir,
        AMIABLE_PORT: '0',
        AMIABLE_SES_PORT: '0',
        AMIABLE_CLOCK_START: '2026-04-04T10:00:00Z',
        AMIABLE_FAULTS: `rate=${RATE},crash=${CRASH},seed=${seed}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      proc.stderr!.on('data', (c) => (err = (err + c).slice(-4000)));
      proc.stdout!.on('data', (c) => {
        out += c;
        const api = /API:\s+(http:\/\/\S+)/.exec(out)?.[1];
        const key = /API key: (\S+)/.exec(out)?.[1];
        if (api && key) resolve({ proc, api, key });
      });
      proc.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) console.error(`local mode exited (${code}, ${signal}):\n${err}`);
        reject(new Error(`local mode exited (${code}) before it answered:\n${out}\n${err}`));
      });
    });
  }

  it('loses nothing, duplicates nothing, sends nothing after payment', async () => {
    const { seed, random } = seededRandom('faults');
    let retries = 0;
    let kills = 0;
    let killsMidAdvance = 0;
    let generation = 0;
    // The demo creditor, without the accountants' daily digest (its e-mails are not the dossiers').
    const profile = JSON.parse(fs.readFileSync(path.join(ROOT, 'local', 'demo-creditor.json'), 'utf8'));
    fs.writeFileSync(path.join(dataDir, 'creditor-profile.json'), JSON.stringify({ ...profile, digest: { frequency: 'off' } }));
    child = await start(seed);

    /** An integrator's client: a 5xx (an injected fault that outlived every retry) is tried again; intake and payments are idempotent. */
    async function call(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
      for (let attempt = 0; ; attempt++) {
        const res = await request(child!, method, p, body);
        if (res.status < 500 || attempt >= 10) return { status: res.status, body: res.text ? JSON.parse(res.text) : null };
        retries++;
      }
    }

    async function pool<T>(items: T[], n: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
      let next = 0;
      await Promise.all(Array.from({ length: n }, async () => {
        while (next < items.length) {
          const i = next++;
          await fn(items[i], i);
        }
      }));
    }

    const acceptedLines = () => {
      const file = path.join(dataDir, 'faults.jsonl');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"ses_accepted"')) : [];
    };

    /** Advances the clock to `to`, killing the process (SIGKILL) after a random delay, restarting it and advancing again. */
    async function advanceWithKill(to: string, kill = true): Promise<void> {
      if (!kill) {
        const r = await call('POST', '/_local/clock', { to });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return;
      }
      const sesBefore = acceptedLines().length;
      const advancing = call('POST', '/_local/clock', { to }).then(
        () => 'done' as const,
        () => 'killed' as const,
      );
      // Kill once SES has accepted a random number (1-20) of this advance's messages: mid-escalation.
      const target = sesBefore + 1 + Math.floor(random() * 20);
      let done = false;
      void advancing.then(() => (done = true));
      while (!done && acceptedLines().length < target) await sleep(50);
      const outcome = done ? ('done' as const) : ('timer' as const);
      child!.proc.kill('SIGKILL');
      await new Promise((r) => child!.proc.once('exit', r));
      kills++;
      if (outcome === 'timer' && acceptedLines().length > sesBefore) killsMidAdvance++;
      await advancing;
      child = await start(mulberry32(seed + ++generation)() * 2 ** 31);
      const r = await call('POST', '/_local/clock', { to });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }

    // Three groups: never paid (the whole escalation, handed off), paid at once (nothing sent but the
    // receipt), paid after the first reminder (one stage, then the receipt).
    const group = (i: number) => i % 3;
    const ids: string[] = new Array(DOSSIERS);
    await pool([...Array(DOSSIERS).keys()], 8, async (_, i) => {
      const r = await call('POST', '/invoices', invoice({ invoiceNumber: `FLT-${i}`, amount: `${100 + i}.00` }));
      expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
      ids[i] = r.body.id;
    });
    const pay = (i: number, paidOn: string) =>
      call('POST', `/invoices/${ids[i]}/payments`, { amount: `${100 + i}.00`, paidOn, reference: `FLT-PAY-${i}` }).then((r) => {
        expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
      });
    await pool(ids.map((_, i) => i).filter((i) => group(i) === 1), 8, (i) => pay(i, '2026-04-04'));

    await advanceWithKill('2026-04-08T12:00:00Z'); // first reminders (7 April)
    await pool(ids.map((_, i) => i).filter((i) => group(i) === 2), 8, (i) => pay(i, '2026-04-08'));
    await advanceWithKill('2026-05-06T12:00:00Z'); // formal reminders (20 April), mises en demeure (4 May)
    await advanceWithKill('2026-06-30T12:00:00Z', false); // hand-offs
    const views: any[] = [];
    await pool(ids, 8, async (id) => {
      const r = await call('GET', `/invoices/${id}`);
      expect(r.status).toBe(200);
      views.push(r.body);
    });
    child.proc.kill('SIGTERM');
    await new Promise((r) => child!.proc.once('exit', r));
    child = null;

    // What SES accepted (logged synchronously before any crash), and the faults drawn.
    const lines = fs
      .readFileSync(path.join(dataDir, 'faults.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FaultRecord);
    const accepted = lines.filter((l) => l.type === 'ses_accepted');
    const faults = lines.filter((l) => l.type === 'fault');


    const bucket = synthesize().bucketName;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const FilesystemStore = require('s3rver/lib/stores/filesystem');
    const store = new FilesystemStore(path.join(dataDir, 's3'));
    const expectedStages = [
      ['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff'],
      [],
      ['first_reminder'],
    ];
    // problems: what must never happen (a duplicate, anything after payment, a message without its
    // evidence, a dossier silently in a wrong state). gaps: what the faults still defeat, each
    // flagged on its dossier (needs_attention with the reason, message_failed): counted as lost,
    // and the test fails on any (printed first, with the figures).
    const problems: string[] = [];
    const gaps: string[] = [];
    let lost = 0;
    let messages = 0;
    for (const v of views) {
      const i = Number(v.invoiceNumber.slice(4));
      const g = group(i);
      const want = g === 0 ? 'handed_off' : 'paid';
      if (v.status !== want) {
        const why = v.events.filter((e: any) => e.type === 'needs_attention').map((e: any) => e.reason).join('; ');
        (v.status === 'needs_attention' && why ? gaps : problems).push(`${v.invoiceNumber}: ${v.status}, expected ${want}${why ? ` (${why})` : ''}`);
      }
      for (const e of v.events.filter((x: any) => x.type === 'message_failed')) {
        gaps.push(`${v.invoiceNumber}: ${e.kind} not sent, recorded as message_failed (${e.reason})`);
        lost++;
      }
      const stages = v.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => e.stage);
      if (JSON.stringify(stages) !== JSON.stringify(expectedStages[g])) {
        const prefix = JSON.stringify(stages) === JSON.stringify(expectedStages[g].slice(0, stages.length));
        (prefix && v.status === 'needs_attention' ? gaps : problems).push(`${v.invoiceNumber}: stages ${stages.join(',')}, expected ${expectedStages[g].join(',')}`);
        lost += expectedStages[g].filter((s) => !stages.includes(s)).length;
      }
      const paidAt = v.events.findIndex((e: any) => e.type === 'paid');
      if (paidAt >= 0) {
        const after = v.events.slice(paidAt + 1).filter((e: any) => e.type === 'notice_sent' || e.type === 'message_sent');
        if (after.some((e: any) => e.type === 'notice_sent' || e.kind !== 'payment_receipt') || after.length > 1) {
          problems.push(`${v.invoiceNumber}: after payment ${after.map((e: any) => e.kind ?? e.stage).join(',')}`);
        } else if (after.length === 0 && !v.events.slice(paidAt + 1).some((e: any) => e.type === 'message_failed')) {
          // The payment was recorded, its answer lost (a 5xx), and the client's replay is a duplicate: no receipt follows.
          gaps.push(`${v.invoiceNumber}: no receipt after the payment (neither sent nor recorded as failed)`);
          lost++;
        }
      }
      // Every recorded message: its evidence object holds exactly the bytes SES accepted.
      for (const e of v.events.filter((x: any) => x.type === 'notice_sent' || x.type === 'message_sent')) {
        messages++;
        const file = store.getResourcePath(bucket, e.evidenceKey, 'object');
        if (!fs.existsSync(file)) {
          problems.push(`${v.invoiceNumber}: no evidence object ${e.evidenceKey}`);
          continue;
        }
        // A message kept in Standard is gzipped (encoding: gzip): its record hashes the bytes SES accepted.
        const stored = fs.readFileSync(file);
        const sha = createHash('sha256').update(e.encoding === 'gzip' ? gunzipSync(stored) : stored).digest('hex');
        if (sha !== e.sha256) problems.push(`${v.invoiceNumber}: evidence ${e.evidenceKey} differs from its record`);
        if (!accepted.some((a) => a.sha256 === sha)) {
          problems.push(`${v.invoiceNumber}: ${e.kind ?? e.stage} recorded but SES never accepted its bytes`);
          lost++;
        }
      }
    }
    // A litigation PDF kept as the hand-off message's attachment (services/evidence-source.ts): the
    // message recorded after it holds those bytes, else a failed attempt kept them apart at its key.
    for (const v of views) {
      v.events.forEach((e: any, i: number) => {
        if (e.type !== 'litigation_dossier_stored' || e.attachedTo !== 'litigation_handoff') return;
        const carrier = v.events.slice(i + 1).find((x: any) => x.type === 'notice_sent' && x.stage === 'litigation_handoff');
        const carried = carrier && fs.existsSync(store.getResourcePath(bucket, carrier.evidenceKey, 'object'))
          ? mimeParts(fs.readFileSync(store.getResourcePath(bucket, carrier.evidenceKey, 'object'))).some((p) => createHash('sha256').update(p.content).digest('hex') === e.sha256)
          : false;
        const apart = fs.existsSync(store.getResourcePath(bucket, e.evidenceKey, 'object'));
        if (!carried && !apart) problems.push(`${v.invoiceNumber}: litigation PDF ${e.evidenceKey} neither in a recorded message nor kept apart`);
      });
    }
    // At the recipient: distinct Message-IDs per dossier and kind (a re-send carries the same one).
    const byDossierKind = new Map<string, Set<string>>();
    for (const a of accepted) {
      if (!a.tags?.amiable_dossier) continue;
      const k = `${a.tags?.amiable_dossier}/${a.tags?.amiable_kind}`;
      if (!byDossierKind.has(k)) byDossierKind.set(k, new Set());
      byDossierKind.get(k)!.add(a.messageId ?? '(none)');
    }
    const distinctDuplicates = [...byDossierKind.entries()].filter(([, ids]) => ids.size > 1);
    for (const [k, ids] of distinctDuplicates) problems.push(`${k}: ${ids.size} distinct Message-IDs reached the recipient`);
    const distinct = [...byDossierKind.values()].reduce((n, s) => n + s.size, 0);
    const byFault = (f: string) => faults.filter((x) => x.fault === f).length;

    console.log(
      [
        `faults (seed ${seed}, AMIABLE_SEED replays): ${views.length} dossiers, ${messages} messages recorded, ${accepted.length} SES sends accepted as ${distinct} distinct Message-IDs`,
        `  faults injected: ${faults.length} (throttling ${byFault('throttle')}, transient ${byFault('transient')}, crash after SES accepted ${byFault('crash_after_accept')}), kills ${kills} (${killsMidAdvance} with sends in flight)`,
        `  client retries after a 5xx: ${retries}; re-sends of a message already accepted (same Message-ID): ${accepted.length - distinct}`,
        `  duplicates (a second distinct Message-ID for one dossier and kind): ${distinctDuplicates.length}; lost: ${lost}`,
        ...gaps.map((g) => `  lost: ${g}`),
      ].join('\n'),
    );
    expect(views).toHaveLength(DOSSIERS);
    expect(problems).toEqual([]);
    // Issue 14: every dossier reaches its correct final state; a flagged gap is still a loss.
    expect(gaps).toEqual([]);
    expect(lost).toBe(0);
    expect(faults.length).toBeGreaterThan(DOSSIERS);
    expect(byFault('crash_after_accept')).toBeGreaterThan(0);
  });
});
