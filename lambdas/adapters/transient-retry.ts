/**
 * A small in-process retry for calls that may meet a transient AWS error after the SDK's own
 * retries are spent (standard mode, SDK_MAX_ATTEMPTS per call). It is used where one unit of work makes
 * many calls and a single failure would throw the whole of it away: a hand-off reads every evidence
 * object of the dossier (20 or more GetObject calls), and a follow-up letter has no state machine
 * to retry it. Only transient failures are retried (throttling, 5xx, a network error); a missing
 * object or a refused request fails at once.
 *
 * The wait between attempts goes through the clock port: real time on AWS (100 ms, 200 ms, ...:
 * a throttled service recovers in real time), none in local mode, where simulated time does not
 * pass during a retry (lambdas/adapters/clock.ts).
 */
import { clock } from './clock';

/** Rounds of the SDK's own attempts (aws-clients.ts SDK_MAX_ATTEMPTS): 3 rounds of 5 fail at 0.3^15 under 30 % faults. */
export const TRANSIENT_ROUNDS = 3;
export const TRANSIENT_PAUSE_MS = 100;

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/** True for an error a later attempt may not meet (the SDK's own classification, in short). */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const x = e as Error & { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string };
  const status = x.$metadata?.httpStatusCode ?? 0;
  return x.$retryable !== undefined || THROTTLING.has(x.name) || NETWORK.has(x.name) || NETWORK.has(x.code ?? '') || status === 429 || status >= 500;
}

/**
 * Runs `call`, again after a transient failure, up to `rounds` times in all (each round being the
 * SDK's own attempts). Other failures, and the last transient one, are thrown as they are.
 */
export async function retryTransient<T>(call: () => Promise<T>, rounds = TRANSIENT_ROUNDS, pauseMs = TRANSIENT_PAUSE_MS): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await call();
    } catch (e) {
      if (round >= rounds || !isTransient(e)) throw e;
      await clock().pause?.(pauseMs * round);
    }
  }
}
