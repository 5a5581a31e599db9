/**
 * Fault injection for local mode (tests): the handlers' own SDK clients (lambdas/adapters/
 * aws-clients.ts) get a middleware that makes DynamoDB, S3 and SES calls fail at a given rate, so
 * the very handler code that runs on AWS meets throttling and transient errors. The middleware sits
 * inside the SDK's retry loop (after `retryMiddleware`), where a real network or service error
 * would arise: the SDK retries what it classifies as retryable (standard mode, the client's
 * maxAttempts), and
 * what is still failing after that reaches the handler, then the state machine's Retry or the HTTP
 * caller. Faults:
 * - `throttle`: ThrottlingException / ProvisionedThroughputExceededException / SlowDown (HTTP 400/503);
 * - `transient`: InternalFailure / ServiceUnavailable (HTTP 500/503);
 * - `crash_after_accept` (SES only): SES accepted and queued the message, then the caller fails
 *   before it learns so (a Lambda killed or timed out right after the call): an error the SDK does not
 *   retry, so the send path's own retry runs again. Every message SES accepted is appended to
 *   `<dataDir>/faults.jsonl` synchronously with its Message-ID header, so the count survives a kill -9.
 * Enabled by `LocalOptions.faults`, or by AMIABLE_FAULTS="rate=0.3,crash=0.1,seed=42" for `npm start`.
 * Randomness is seeded: the same seed draws the same faults for the same sequence of calls.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { resetClients, setClientHook } from '../lambdas/adapters/aws-clients';

export interface FaultOptions {
  /** Probability that one SDK attempt (DynamoDB, S3, SES) fails with a throttling or transient error. */
  rate: number;
  /** Probability that an SES send that succeeded is reported to the caller as a failure (crash after accept). */
  crashAfterAccept?: number;
  seed: number;
  /** Appended with one JSON line per fault and per message SES accepted (survives a kill). */
  logFile?: string;
}

export interface FaultRecord {
  type: 'fault' | 'ses_accepted';
  service: string;
  command: string;
  fault?: 'throttle' | 'transient' | 'crash_after_accept';
  /** ses_accepted: the Message-ID header of the raw message, its SHA-256, and the SES tags. */
  messageId?: string;
  sha256?: string;
  tags?: Record<string, string>;
}

export function parseFaultsEnv(raw: string | undefined): FaultOptions | undefined {
  if (!raw) return undefined;
  const kv = Object.fromEntries(raw.split(',').map((p) => p.trim().split('=') as [string, string]));
  const num = (k: string, def: number) => {
    const n = kv[k] === undefined ? def : Number(kv[k]);
    if (!Number.isFinite(n)) throw new Error(`AMIABLE_FAULTS: ${k} must be a number, got ${kv[k]}`);
    return n;
  };
  const rate = num('rate', 0.3);
  const crashAfterAccept = num('crash', 0);
  if (rate < 0 || rate >= 1 || crashAfterAccept < 0 || crashAfterAccept >= 1) throw new Error('AMIABLE_FAULTS: rate and crash lie in [0, 1)');
  return { rate, crashAfterAccept, seed: num('seed', 1) | 0 };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class InjectedError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; attempts?: number };
  constructor(name: string, status: number, message: string) {
    super(message);
    this.name = name;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status };
  }
}

const THROTTLE: Record<string, [string, number]> = {
  dynamodb: ['ProvisionedThroughputExceededException', 400],
  s3: ['SlowDown', 503],
  sesv2: ['TooManyRequestsException', 429],
};
const TRANSIENT: Record<string, [string, number]> = {
  dynamodb: ['InternalServerError', 500],
  s3: ['InternalError', 500],
  sesv2: ['InternalFailure', 503],
};

/** The running injector's counters (faults by kind, attempts seen). */
export interface FaultStats {
  attempts: number;
  throttle: number;
  transient: number;
  crashAfterAccept: number;
  sesAccepted: number;
}

let active: { opts: FaultOptions; random: () => number; stats: FaultStats } | null = null;
const equipped = new WeakSet<object>();
type Service = 'dynamodb' | 's3' | 'sesv2';

function log(r: FaultRecord): void {
  if (active?.opts.logFile) fs.appendFileSync(active.opts.logFile, `${JSON.stringify(r)}\n`);
}

function messageIdOf(raw: Uint8Array | undefined): string | undefined {
  if (!raw) return undefined;
  const head = Buffer.from(raw).subarray(0, 16_384).toString('latin1').split(/\r?\n\r?\n/)[0];
  return /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
}

/**
 * The SDK's standard retry (the client's maxAttempts: lambdas/adapters/aws-clients.ts
 * SDK_MAX_ATTEMPTS, retrying throttling, transient and server errors, not client errors), with two
 * local differences: the delay between attempts is 5 real ms (simulated time does not pass during a
 * retry, as for the local state machine's Retry), and there is no retry quota. On AWS each Lambda
 * instance's client has its own quota (500, 5 per retry) for the calls of that one instance;
 * locally one client carries every handler's calls, so a shared quota would empty at once under
 * injected faults and stop retries for everyone, which no deployment sees.
 */
function retryToken(count: number) {
  return { getRetryCount: () => count, getRetryDelay: () => 5, getRetryCost: () => 0 };
}
function localRetryStrategy(maxAttempts: number) {
  return {
    mode: 'standard',
    acquireInitialRetryToken: async () => retryToken(0),
    refreshRetryTokenForRetry: async (token: { getRetryCount(): number }, info: { errorType?: string }) => {
      if (token.getRetryCount() + 1 >= maxAttempts || info.errorType === 'CLIENT_ERROR') throw new Error('No retry token available');
      return retryToken(token.getRetryCount() + 1);
    },
    recordSuccess: () => undefined,
  };
}

type EquippableClient = {
  middlewareStack: { addRelativeTo: (mw: unknown, opts: unknown) => void };
  config: { retryStrategy?: unknown; maxAttempts?: () => Promise<number> };
};

function equip(service: Service, client: EquippableClient): void {
  if (equipped.has(client)) return;
  equipped.add(client);
  // The retry middleware reads the strategy from the client's resolved config at each call.
  const maxAttempts = client.config.maxAttempts;
  client.config.retryStrategy = async () => localRetryStrategy(maxAttempts ? await maxAttempts() : 3);
  client.middlewareStack.addRelativeTo(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input?: any }) => {
      const state = active;
      if (!state) return next(args);
      const command = context.commandName ?? 'unknown';
      state.stats.attempts++;
      if (state.random() < state.opts.rate) {
        const throttle = state.random() < 0.5;
        const [name, status] = (throttle ? THROTTLE : TRANSIENT)[service];
        if (throttle) state.stats.throttle++;
        else state.stats.transient++;
        log({ type: 'fault', service, command, fault: throttle ? 'throttle' : 'transient' });
        throw new InjectedError(name, status, `injected ${throttle ? 'throttling' : 'transient'} fault (${service} ${command})`);
      }
      const out = await next(args);
      if (service === 'sesv2' && command === 'SendEmailCommand') {
        const raw: Uint8Array | undefined = args.input?.Content?.Raw?.Data;
        state.stats.sesAccepted++;
        log({
          type: 'ses_accepted',
          service,
          command,
          messageId: messageIdOf(raw),
          sha256: raw ? createHash('sha256').update(raw).digest('hex') : undefined,
          tags: Object.fromEntries((args.input?.EmailTags ?? []).map((t: { Name: string; Value: string }) => [t.Name, t.Value])),
        });
        if (state.random() < (state.opts.crashAfterAccept ?? 0)) {
          state.stats.crashAfterAccept++;
          log({ type: 'fault', service, command, fault: 'crash_after_accept' });
          // No HTTP status, a name the SDK does not know: not retried by the SDK, the caller fails.
          throw new InjectedError('InjectedCrashAfterAccept', 0, 'injected crash after SES accepted the message');
        }
      }
      return out;
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'amiableFaultInjection', tags: ['AMIABLE_FAULTS'] },
  );
}

/**
 * Starts injecting faults into the handlers' DynamoDB, S3 and SES clients (every client created
 * from now on, and those already created). Returns the counters and a function that stops it.
 */
export function startFaultInjection(opts: FaultOptions): { stats: FaultStats; stop(): void } {
  const stats: FaultStats = { attempts: 0, throttle: 0, transient: 0, crashAfterAccept: 0, sesAccepted: 0 };
  active = { opts, random: mulberry32(opts.seed), stats };
  setClientHook((service, client) => {
    if (service !== 'sfn') equip(service, client as EquippableClient);
  });
  // Clients created before now are dropped: the next call creates them again, equipped.
  resetClients();
  return {
    stats,
    stop() {
      active = null;
      setClientHook(undefined);
    },
  };
}
