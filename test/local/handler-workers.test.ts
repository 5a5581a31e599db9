import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/domain/errors';
import { lambdaContext } from '../../local/handlers';
import { DEFAULT_MAIN_SHARE, mainShare, startHandlerWorkers, workerCount, type HandlerPool } from '../../local/handler-workers';
import { handler as fixtureHandler } from '../support/worker-fixtures';
import { serveInProcess } from '../../local/in-process';

/**
 * Local mode's handler worker threads (local/handler-workers.ts), with handlers that misbehave on
 * purpose (test/support/worker-fixtures.ts): what comes back, what a worker sees of the main
 * thread (environment, simulated clock, the emulators' addresses), and that a dead worker never
 * hangs anything.
 */
const FIXTURES = { fixture: path.resolve(__dirname, '../support/worker-fixtures.ts') };
const ctx = (id = 'req-1') => lambdaContext('FixtureFn', id);

describe('handler worker threads', () => {
  const pools: HandlerPool[] = [];
  const pool = (opts: Partial<Parameters<typeof startHandlerWorkers>[0]> = {}) => {
    const p = startHandlerWorkers({ size: 1, extraModules: FIXTURES, ...opts });
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.stop()));
  });
  afterEach(() => {
    delete process.env.AMIABLE_TEST_WORKER_VAR;
  });

  it('runs an invocation with the Lambda context, the environment of the moment and the simulated instant', async () => {
    const p = pool();
    p.clockMoved(new Date('2026-04-07T07:00:00Z'));
    process.env.AMIABLE_TEST_WORKER_VAR = 'first';
    const out = (await p.invoke('fixture', { action: 'echo', env: 'AMIABLE_TEST_WORKER_VAR', n: [1, { a: 'é' }] }, ctx('abc'))) as any;
    expect(out).toEqual({
      event: { action: 'echo', env: 'AMIABLE_TEST_WORKER_VAR', n: [1, { a: 'é' }] },
      env: 'first',
      now: '2026-04-07T07:00:00.000Z',
      context: { functionName: 'FixtureFn', awsRequestId: 'abc', remaining: 30_000 },
    });
    // Changed and removed after the worker started: the next invocation sees it so.
    process.env.AMIABLE_TEST_WORKER_VAR = 'second';
    p.clockMoved(new Date('2026-05-13T07:00:00Z'));
    expect(await p.invoke('fixture', { action: 'echo', env: 'AMIABLE_TEST_WORKER_VAR' }, ctx())).toMatchObject({ env: 'second', now: '2026-05-13T07:00:00.000Z' });
    delete process.env.AMIABLE_TEST_WORKER_VAR;
    expect(await p.invoke('fixture', { action: 'echo', env: 'AMIABLE_TEST_WORKER_VAR' }, ctx())).toMatchObject({ env: null });
  });

  it('reads the simulated clock live: a move while the handler runs is seen, as in-process', async () => {
    const p = pool();
    p.clockMoved(new Date('2026-04-07T07:00:00Z'));
    const running = p.invoke('fixture', { action: 'clock-after', ms: 300 }, ctx());
    await new Promise((r) => setTimeout(r, 100));
    p.clockMoved(new Date('2026-04-08T07:00:00Z'));
    // The first read may come after the move on a busy machine; the second always does.
    expect(((await running) as any).after).toBe('2026-04-08T07:00:00.000Z');
  });

  it('gives back a result the structured clone refuses as a JSON round trip keeps it, and the results posted with it in one batch as they are', async () => {
    const p = pool();
    const out = await Promise.all([
      p.invoke('fixture', { action: 'echo', n: 1 }, ctx('a')),
      p.invoke('fixture', { action: 'function-inside', n: 2 }, ctx('b')),
      p.invoke('fixture', { action: 'echo', n: new Date('2026-04-07T07:00:00Z') }, ctx('c')),
    ]);
    expect((out[0] as any).event.n).toBe(1);
    expect(out[1]).toEqual({ kept: 2 });
    // Not a JSON round trip: a Date stays a Date (the structured clone), whatever shares its batch.
    expect((out[2] as any).event.n).toEqual(new Date('2026-04-07T07:00:00Z'));
  });

  it('fails only the invocation whose event the structured clone refuses; those posted in the same batch run', async () => {
    const p = pool();
    const out = await Promise.allSettled([
      p.invoke('fixture', { action: 'echo', n: 1 }, ctx('a')),
      p.invoke('fixture', { action: 'echo', n: () => 2 }, ctx('b')),
      p.invoke('fixture', { action: 'echo', n: 3 }, ctx('c')),
    ]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((out[0] as PromiseFulfilledResult<any>).value.event.n).toBe(1);
    expect((out[2] as PromiseFulfilledResult<any>).value.event.n).toBe(3);
    expect(String((out[1] as PromiseRejectedResult).reason)).toMatch(/could not be cloned/);
  });

  it("gives back a handler's error with its name, message and fields (the engine's Retry and Catch match the name); a DomainError stays one", async () => {
    const p = pool();
    const e: any = await p.invoke('fixture', { action: 'throw', name: 'DossierLeaseHeld', message: 'held by another send' }, ctx()).catch((x) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DossierLeaseHeld');
    expect(e.message).toBe('held by another send');
    expect(e.retryable).toBe(true);
    expect(e.$metadata).toEqual({ httpStatusCode: 500 });
    const d: any = await p.invoke('fixture', { action: 'domain' }, ctx()).catch((x) => x);
    expect(d).toBeInstanceOf(DomainError);
    expect(d).toMatchObject({ status: 409, code: 'conflict_here', message: 'a domain refusal', details: [{ path: 'x', message: 'taken' }] });
    // The worker lives on.
    expect(await p.invoke('fixture', { action: 'echo', env: 'HOME' }, ctx())).toMatchObject({ env: process.env.HOME });
    expect(p.started).toBe(1);
  });

  for (const action of ['exit', 'uncaught'] as const) {
    it(`fails the invocations of a worker that dies (${action}) as Lambda reports a dead runtime, and replaces it`, async () => {
      const p = pool();
      const alongside = p.invoke('fixture', { action: 'hang' }, ctx('other')).catch((x) => x);
      const e: any = await p.invoke('fixture', { action }, ctx('dying')).catch((x) => x);
      expect(e.name).toBe('Runtime.ExitError');
      expect(e.message).toMatch(/^RequestId: dying Error: Runtime exited with error/);
      // Every invocation that worker was running fails too: nothing waits for ever.
      expect(await alongside).toMatchObject({ name: 'Runtime.ExitError' });
      expect(p.started).toBe(2);
      expect(await p.invoke('fixture', { action: 'echo', env: 'HOME' }, ctx())).toMatchObject({ env: process.env.HOME });
    });
  }

  it('fails the invocation of a worker that runs out of memory, and replaces it', async () => {
    const p = pool({ resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    const e: any = await p.invoke('fixture', { action: 'oom' }, ctx('hungry')).catch((x) => x);
    expect(e.name).toBe('Runtime.ExitError');
    expect(e.message).toMatch(/ERR_WORKER_OUT_OF_MEMORY|out of memory/i);
    expect(await p.invoke('fixture', { action: 'echo', env: 'HOME' }, ctx())).toMatchObject({ env: process.env.HOME });
    expect(p.started).toBe(2);
  });

  it('spreads invocations over the workers and fails those in flight when stopped', async () => {
    const p = startHandlerWorkers({ size: 2, extraModules: FIXTURES });
    const hanging = ['h1', 'h2'].map((id) => p.invoke('fixture', { action: 'hang' }, ctx(id)).catch((x) => x));
    // One on each worker; two more at once go one to each, and run beside the hanging ones.
    const threads = (await Promise.all([1, 2].map(() => p.invoke('fixture', { action: 'thread' }, ctx())))) as { threadId: number }[];
    expect(new Set(threads.map((t) => t.threadId)).size).toBe(2);
    await p.stop();
    for (const h of hanging) expect(await h).toMatchObject({ name: 'Runtime.ExitError' });
    await expect(p.invoke('fixture', { action: 'echo' }, ctx())).rejects.toThrow(/stopped/);
  });

  it("sends a worker's SDK requests to a server this thread serves in-process, and others over HTTP", async () => {
    const p = pool();
    const servers: { server: http.Server; connections: number; signatures: string[] }[] = [];
    for (let i = 0; i < 2; i++) {
      const entry = { server: undefined as unknown as http.Server, connections: 0, signatures: [] as string[] };
      entry.server = http.createServer((req, res) => {
        entry.signatures.push(/Signature=(\w+)/.exec(String(req.headers.authorization))?.[1] ?? '');
        req.resume();
        req.on('end', () => {
          res.setHeader('content-type', 'application/x-amz-json-1.0');
          res.end(JSON.stringify({ TableNames: [`t${i}`] }));
        });
      });
      entry.server.on('connection', () => entry.connections++);
      await new Promise<void>((r) => entry.server.listen(0, '127.0.0.1', r));
      servers.push(entry);
    }
    try {
      // Registered after the worker started: the next invocation learns it.
      serveInProcess(servers[0].server);
      const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
      expect(await p.invoke('fixture', { action: 'sdk', endpoint: url(servers[0].server) }, ctx())).toMatchObject({ TableNames: ['t0'] });
      expect(await p.invoke('fixture', { action: 'sdk', endpoint: url(servers[1].server) }, ctx())).toMatchObject({ TableNames: ['t1'] });
      // In-process: no socket, and the placeholder signature local/in-process.ts gives such requests.
      expect(servers[0]).toMatchObject({ connections: 0, signatures: ['0'.repeat(64)] });
      expect(servers[1].connections).toBe(1);
      expect(servers[1].signatures[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(servers[1].signatures[0]).not.toBe('0'.repeat(64));
    } finally {
      for (const s of servers) {
        s.server.closeAllConnections();
        await new Promise((r) => s.server.close(r));
      }
    }
  });

  describe('the main thread taking its share (AMIABLE_LOCAL_MAIN_SHARE)', () => {
    const here = (share: number) => ({ share, run: (_name: string, event: unknown, context: any) => fixtureHandler(event as any, context) });
    const strip = (e: any) => ({ name: e.name, message: e.message, retryable: e.retryable, $metadata: e.$metadata, ctor: e.constructor.name });

    it('gives a lone invocation to the worker and the main thread at most its share of those in flight: both threads take some', async () => {
      const p = pool({ here: here(0.5) });
      // Hanging ones hold their place: worker, main (1 of 2 = 0.5), worker, main, ...
      const hanging = ['h1', 'h2', 'h3', 'h4'].map((id) => p.invoke('fixture', { action: 'hang' }, ctx(id)).catch((x) => x));
      expect(p.taken).toEqual({ here: 2, workers: 2 });
      const threads = (await Promise.all([1, 2, 3, 4].map(() => p.invoke('fixture', { action: 'thread' }, ctx())))) as { threadId: number }[];
      expect(new Set(threads.map((t) => t.threadId))).toEqual(new Set([0, expect.any(Number)]));
      expect(threads.filter((t) => t.threadId === 0).length).toBe(2);
      await p.stop();
      // The worker's hanging invocations fail when it stops; this thread's are still running (never awaited).
      expect((await Promise.race([Promise.all([hanging[0], hanging[2]]), new Promise((r) => setTimeout(() => r('timeout'), 5000))])) as unknown[]).toMatchObject([{ name: 'Runtime.ExitError' }, { name: 'Runtime.ExitError' }]);
    });

    it('with share 0 (or alone in flight) every invocation goes to the worker', async () => {
      const p = pool({ here: here(0) });
      const threads = (await Promise.all([1, 2, 3].map(() => p.invoke('fixture', { action: 'thread' }, ctx())))) as { threadId: number }[];
      expect(threads.every((t) => t.threadId !== 0)).toBe(true);
      const q = pool({ here: here(0.9) });
      for (let i = 0; i < 3; i++) expect(((await q.invoke('fixture', { action: 'thread' }, ctx())) as { threadId: number }).threadId).not.toBe(0);
      expect(q.taken).toEqual({ here: 0, workers: 3 });
    });

    it('answers the same from either thread: results, errors with their name and fields, DomainErrors', async () => {
      const p = pool({ here: here(0.5) });
      p.clockMoved(new Date('2026-04-07T07:00:00Z'));
      const { installClock, systemClock } = await import('../../lambdas/adapters/clock');
      installClock({ now: () => new Date('2026-04-07T07:00:00Z') });
      try {
        process.env.AMIABLE_TEST_WORKER_VAR = 'both';
        const echo = { action: 'echo', env: 'AMIABLE_TEST_WORKER_VAR', n: [1, { a: 'é' }] };
        // Two at once: the first goes to the worker, the second to this thread.
        const [w, m] = await Promise.all([p.invoke('fixture', echo, ctx('same')), p.invoke('fixture', echo, ctx('same'))]);
        expect(p.taken).toEqual({ here: 1, workers: 1 });
        expect(m).toEqual(w);
        const thrown = { action: 'throw', name: 'DossierLeaseHeld', message: 'held by another send' };
        const [we, me] = await Promise.all([p.invoke('fixture', thrown, ctx()).catch((x) => x), p.invoke('fixture', thrown, ctx()).catch((x) => x)]);
        expect(p.taken).toEqual({ here: 2, workers: 2 });
        expect(strip(me)).toEqual(strip(we));
        expect(strip(me)).toMatchObject({ name: 'DossierLeaseHeld', retryable: true, $metadata: { httpStatusCode: 500 } });
        const [wd, md] = await Promise.all([p.invoke('fixture', { action: 'domain' }, ctx()).catch((x) => x), p.invoke('fixture', { action: 'domain' }, ctx()).catch((x) => x)]);
        for (const d of [wd, md]) {
          expect(d).toBeInstanceOf(DomainError);
          expect(d).toMatchObject({ status: 409, code: 'conflict_here', message: 'a domain refusal', details: [{ path: 'x', message: 'taken' }] });
        }
        // A handler that throws before its first await fails its invocation, not the caller.
        const q = pool({ here: { share: 1, run: () => { throw new TypeError('synchronous'); } } });
        await expect(q.invoke('fixture', { action: 'echo' }, ctx())).rejects.toThrow(/synchronous/);
        expect(q.taken).toEqual({ here: 1, workers: 0 });
      } finally {
        installClock(systemClock);
      }
    });

    it('reads AMIABLE_LOCAL_MAIN_SHARE (unset: the default), refusing nonsense', () => {
      expect(mainShare({})).toBe(DEFAULT_MAIN_SHARE);
      expect(mainShare({ AMIABLE_LOCAL_MAIN_SHARE: '0' })).toBe(0);
      expect(mainShare({ AMIABLE_LOCAL_MAIN_SHARE: '0.4' })).toBe(0.4);
      expect(() => mainShare({ AMIABLE_LOCAL_MAIN_SHARE: '2' })).toThrow(/AMIABLE_LOCAL_MAIN_SHARE/);
      expect(() => mainShare({ AMIABLE_LOCAL_MAIN_SHARE: 'half' })).toThrow(/AMIABLE_LOCAL_MAIN_SHARE/);
    });
  });

  it('sizes the pool from AMIABLE_LOCAL_WORKERS (0: the main thread; unset: one worker given a second core, never more), refusing nonsense', () => {
    expect(workerCount({ AMIABLE_LOCAL_WORKERS: '0' })).toBe(0);
    expect(workerCount({ AMIABLE_LOCAL_WORKERS: '3' })).toBe(3);
    expect(workerCount({}, 1)).toBe(0);
    expect(workerCount({}, 2)).toBe(1);
    expect(workerCount({ AMIABLE_LOCAL_WORKERS: ' ' }, 16)).toBe(1);
    expect(workerCount({ AMIABLE_LOCAL_WORKERS: '0' }, 16)).toBe(0);
    expect(() => workerCount({ AMIABLE_LOCAL_WORKERS: 'two' })).toThrow(/AMIABLE_LOCAL_WORKERS/);
    expect(() => workerCount({ AMIABLE_LOCAL_WORKERS: '-1' })).toThrow(/AMIABLE_LOCAL_WORKERS/);
  });
});
