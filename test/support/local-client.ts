/** A small HTTP client for the local system, as an integrator would use it. */
import { afterAll, beforeAll, expect } from 'vitest';
import { startLocalSystem, type LocalOptions, type LocalSystem } from '../../local/system';
import { responseRecorder } from './openapi-contract';
import { streamFilterCheck } from './stream-filter-check';
export { invoice } from './sample-invoice';

export interface Reply<T = any> {
  status: number;
  body: T;
}

export function client(sys: LocalSystem) {
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await fetch(sys.apiUrl + path, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': sys.apiKey, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  return {
    call,
    createInvoice: (body: unknown) => call('POST', '/invoices', body),
    getInvoice: (id: string) => call('GET', `/invoices/${id}`),
    pay: (id: string, body: unknown) => call('POST', `/invoices/${id}/payments`, body),
    advance: (duration: string) => call('POST', '/_local/clock', { advance: duration }),
    advanceTo: (to: string) => call('POST', '/_local/clock', { to }),
    now: () => call('GET', '/_local/clock'),
    /** POST /_local/digest: the accountants' digest now (all creditors, or one). */
    digestNow: (creditorId?: string) => call('POST', '/_local/digest', creditorId ? { creditorId } : {}),
    /** E-mails captured by the SES emulator. */
    async emails(): Promise<any[]> {
      const res = await fetch(`${sys.sesUrl}/store`);
      return ((await res.json()) as any).emails;
    },
  };
}

/**
 * One local system per describe block: started before its tests, stopped after. Read `local.sys`
 * and `local.api` inside tests (they are set once beforeAll has run).
 */
/**
 * `contract`: 'enforce' (default) fails the file when an answer departs from docs/openapi.yaml;
 * 'report' only prints what departs (for a test that provokes undocumented answers on purpose;
 * none does today: two full runs of the suite reported nothing).
 */
export function useLocalSystem(opts: LocalOptions = {}, contract: 'enforce' | 'report' = 'enforce') {
  const local = {} as { sys: LocalSystem; api: ReturnType<typeof client> };
  // Every answer of the front is checked against docs/openapi.yaml (route, status, body schema).
  const recorder = responseRecorder();
  // Every dossier write states what it appended, and no stream filter holds back a change its
  // function would act on (stream-filter-check.ts).
  const streams = streamFilterCheck();
  beforeAll(async () => {
    // The accountants' digests and alerts are e-mails too: tests about them opt in.
    local.sys = await startLocalSystem({
      accountantMail: false,
      onResponse: recorder.onResponse,
      ...opts,
      onStreamRecord: (record, deliveredTo) => {
        streams.onRecord(record);
        opts.onStreamRecord?.(record, deliveredTo);
      },
    });
    streams.bind(local.sys);
    local.api = client(local.sys);
  });
  afterAll(async () => {
    await local.sys?.stop();
    expect(streams.problems(), 'stream records whose marker or filter is wrong (test/support/stream-filter-check.ts)').toEqual([]);
    const problems = recorder.problems();
    if (contract === 'enforce') expect(problems, 'answers that docs/openapi.yaml does not describe').toEqual([]);
    else if (problems.length) console.warn(`answers that docs/openapi.yaml does not describe:\n  ${problems.join('\n  ')}`);
  });
  return local;
}
