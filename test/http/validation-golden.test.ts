/**
 * Every request validator answers exactly as it did when validation ran on full zod: the same
 * status, code, message and details (path, message), byte for byte, over a fixed corpus of hostile
 * mutations of a valid body per route (test/support/hostile.ts, fixed seed), and the same parsed
 * value (compared by hash) when the body is accepted. The expected answers were recorded from the
 * full-zod validators into validation-golden.json (`AMIABLE_RECORD_GOLDEN=1` rewrites it: only do
 * that for an intended contract change, which docs/openapi.yaml must then say too).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKeyRequest } from '../../lambdas/http/admin-validation';
import { parseCreditorProfile } from '../../lambdas/http/creditor-profile-schema';
import { parseInvoiceListQuery } from '../../lambdas/http/invoice-list-query';
import { parseReceivables, parseSummaryQuery } from '../../lambdas/http/report-validation';
import * as v from '../../lambdas/http/validation';
import { hostileBody, hostileString } from '../support/hostile';
import { invoice } from '../support/sample-invoice';

const GOLDEN = path.join(__dirname, 'validation-golden.json');
const SEED = 20261130;
const RUNS = 120;
const TODAY = '2026-05-01';

const document = { filename: 'plan.pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' };
const profile = JSON.parse(readFileSync(path.join(__dirname, '../../local/demo-creditor.json'), 'utf8'));

/** Each validator with a valid body using every optional field, so mutations reach them all. */
const ROUTES: Record<string, { sample: unknown; parse: (body: unknown) => unknown }> = {
  invoice: {
    sample: invoice({
      performanceDate: '2026-03-01',
      contractualPenaltyRate: '12.15',
      orderReference: 'BC-1',
      contractReference: 'CT-9',
      paymentMeans: { code: '58', iban: 'FR7630006000011234567890189' },
      debtor: {
        ...invoice().debtor,
        segment: 'bakeries',
        phone: '+33 4 72 00 00 00',
        registeredEmailConsent: { givenOn: '2026-01-02' },
        vatId: 'FR40303265045',
        address: { line1: '3 place du Marché', line2: 'Bât. B', postalCode: '75011', city: 'Paris', country: 'FR' },
      },
    }),
    parse: v.parseInvoice,
  },
  payment: { sample: { amount: '100.00', paidOn: '2026-04-01', reference: 'VIR-1' }, parse: (b) => v.parsePayment(b, TODAY) },
  cancel: { sample: { reason: 'paid by cheque' }, parse: v.parseCancel },
  dispute: { sample: { reason: 'not delivered', disputedAmount: '12.00' }, parse: v.parseDispute },
  resolution: { sample: { outcome: 'upheld', creditNoteAmount: '10.00', reasons: 'partly right\nindeed' }, parse: v.parseResolution },
  promise: { sample: { date: '2026-05-10', amount: '50.00' }, parse: v.parsePromise },
  plan: { sample: { instalments: [{ dueDate: '2026-05-10', amount: '50.00' }, { date: '2026-06-10', amount: '60.00' }] }, parse: v.parsePlan },
  taskCompletion: { sample: { outcome: 'reached', notes: 'called\tback', by: 'julie' }, parse: v.parseTaskCompletion },
  resume: { sample: { debtorEmail: 'a@b.example', note: 'new address' }, parse: v.parseResume },
  acceptance: { sample: { acceptedOn: '2026-04-02', kind: 'signed_plan', document }, parse: v.parseAcceptance },
  handoff: { sample: { approvedBy: 'Julie' }, parse: v.parseHandoffApproval },
  insolvency: {
    sample: { judgmentDate: '2026-03-01', procedure: 'redressement', court: 'TC Lyon', mandataire: { name: 'Me X', address: '1 rue Y', email: 'x@y.example' }, bodaccPublishedOn: '2026-03-10' },
    parse: (b) => v.parseInsolvency(b, TODAY),
  },
  posting: { sample: { trackingNumber: '1A12345678901', postedOn: '2026-04-02', document }, parse: v.parsePosting },
  receipt: { sample: { presentedOn: '2026-04-04', outcome: 'signed', document }, parse: v.parseRegisteredReceipt },
  creditorProfile: {
    sample: {
      ...profile,
      agency: { legalName: 'Agence', address: profile.address, siren: '732829320' },
      contractualPenaltyRate: '10.00',
      formalNoticeChannel: 'email',
      pursueAccessories: true,
      commitmentTerms: {},
      handoff: 'approval',
      language: 'en',
      referenceFormat: 'REL-{invoiceNumber}-{stage}',
      digest: { frequency: 'weekly', language: 'fr' },
    },
    parse: parseCreditorProfile,
  },
  receivables: { sample: { creditSales: '100.00', totalReceivables: '200.00' }, parse: (b) => parseReceivables('2026-04', b) },
  keyRequest: { sample: { role: 'auditor', label: 'cabinet' }, parse: parseKeyRequest },
};

/** Query-string validators: records of strings. */
const QUERIES: Record<string, { keys: string[]; parse: (q: Record<string, string>) => unknown }> = {
  summaryQuery: { keys: ['asOf', 'since', 'until'], parse: parseSummaryQuery },
  invoiceListQuery: { keys: ['status', 'stage', 'debtor', 'q', 'dueBefore', 'limit', 'cursor', 'other'], parse: parseInvoiceListQuery },
};

const hash = (x: unknown) => createHash('sha256').update(JSON.stringify(x, (_k, val) => (val instanceof Uint8Array ? Buffer.from(val).toString('base64') : val)) ?? 'undefined').digest('hex').slice(0, 16);

/** What a validator answers: the parsed value's hash, or the error as the HTTP layer renders it. */
function answer(parse: (b: any) => unknown, body: unknown): unknown {
  try {
    return { ok: hash(parse(body)) };
  } catch (e) {
    const err = e as { status?: number; code?: string; message: string; details?: unknown; name: string };
    return err.status !== undefined ? { status: err.status, code: err.code, message: err.message, details: err.details } : { threw: `${err.name}: ${err.message}` };
  }
}

function corpus(): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, r] of Object.entries(ROUTES)) {
    const bodies = fc.sample(hostileBody(r.sample), { seed: SEED, numRuns: RUNS });
    out[name] = [r.sample, ...bodies.map((b) => {
      try {
        return b.text === undefined ? undefined : JSON.parse(b.text);
      } catch {
        return null; // not JSON: the route answers before validation; null still exercises the validator
      }
    })].map((body) => answer(r.parse, body));
  }
  for (const [name, q] of Object.entries(QUERIES)) {
    const queries = fc.sample(fc.dictionary(fc.constantFrom(...q.keys), hostileString, { maxKeys: 3 }), { seed: SEED, numRuns: RUNS });
    out[name] = queries.map((query) => answer(q.parse, query));
  }
  return out;
}

describe('request validation answers as recorded (error bodies byte for byte)', () => {
  const actual = corpus();
  if (process.env.AMIABLE_RECORD_GOLDEN === '1' || !existsSync(GOLDEN)) {
    writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 0).replace(/\],"/g, '],\n"')}\n`);
  }
  const expected = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, unknown[]>;

  it('covers every validator, and rejects most of the corpus with field-level details', () => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    const rejected = Object.values(expected).flat().filter((a) => (a as { status?: number }).status === 400).length;
    expect(rejected).toBeGreaterThan(0.5 * Object.values(expected).flat().length);
  });

  for (const name of [...Object.keys(ROUTES), ...Object.keys(QUERIES)]) {
    it(name, () => {
      const exp = expected[name] ?? [];
      actual[name].forEach((a, i) => expect(a, `${name} #${i}`).toEqual(exp[i]));
      expect(actual[name].length).toBe(exp.length);
    });
  }
});
