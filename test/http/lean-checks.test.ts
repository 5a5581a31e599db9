import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCreditorProfile } from '../../lambdas/http/creditor-profile-schema';
import { acceptedAsIs, checkStoredProfile, parseHandoffApprovalBody } from '../../lambdas/http/lean-checks';
import { parseHandoffApproval } from '../../lambdas/http/validation';
import demo from '../../local/demo-creditor.json';

/**
 * The lean checks (lambdas/http/lean-checks.ts) stand in for the zod schemas on the workflow's cold
 * starts: whatever they accept as is must be what the schema accepts, answered the same, byte for
 * byte (field order included: profiles end up in stored JSON); whatever they refuse goes to the
 * schema. Seeded: replay with FC_SEED.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`lean-checks properties: seed ${seed} (replay with FC_SEED=${seed})`);

/** A SIREN with a valid Luhn checksum, from 8 digits. */
const siren = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }).map((d) => {
  for (let c = 0; c <= 9; c++) {
    const s = [...d, c].join('');
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let x = Number(s[8 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
});

const words = fc.constantFrom('Atelier', 'Lumière', 'SAS', 'Maître', 'Claire', 'O’Neil', '12 rue', 'Zoë', 'Ünsal', 'x');
const name = fc.array(words, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const email = fc.constantFrom('a@b.example', 'compta@atelier-lumiere.example', 'x.y+z@sub.domain.example');
const phone = fc.constantFrom('+33 4 72 00 00 00', '0472000000', '(01) 23-45.67', '123456');
const address = fc.record(
  {
    line1: name,
    line2: name,
    postalCode: fc.constantFrom('69002', '75008', '1000', 'SW1A 1AA'),
    city: name,
    country: fc.constantFrom('FR', 'BE', 'GB', 'DE'),
  },
  { requiredKeys: ['line1', 'postalCode', 'city'] },
);

/** Profiles the schema accepts, or nearly: every optional field, in any combination. */
const profile = fc.record(
  {
    id: fc.constantFrom('demo-creditor', 'abc', 'a1-b2-c3'),
    legalName: name,
    address,
    siren,
    iban: fc.constantFrom('FR76 3000 6000 0112 3456 7890 189', 'FR7630006000011234567890189', 'DE89370400440532013000'),
    bic: fc.constantFrom('AGRIFRPPXXX', 'AGRIFRPP'),
    paymentLink: fc.constantFrom('https://pay.example.com/x', 'http://localhost:3000/pay'),
    sender: fc.record({ email, name }),
    replyTo: email,
    accountants: fc.array(email, { maxLength: 3 }),
    litigationContact: fc.record({ name, email, phone }, { requiredKeys: ['name', 'email'] }),
    contact: fc.record({ name, email, phone }, { requiredKeys: ['name', 'email'] }),
    category: fc.constantFrom('business', 'individual'),
    city: name,
    agency: fc.record({ legalName: name, address, siren }, { requiredKeys: ['legalName', 'address'] }),
    contractualPenaltyRate: fc.constantFrom('12.15', '9', '40.5'),
    policyName: fc.constantFrom('fr-default', 'fr-with-courtesy-call', 'fr-fifteen-days-grace'),
    minimumAmount: fc.constantFrom('15.00', '0.01', '1200'),
    paymentAllocation: fc.constantFrom('civil-code-1343-1', 'principal-first'),
    formalNoticeChannel: fc.constantFrom('email', 'registered_post', 'registered_email'),
    consumerMediator: fc.record({ name, website: fc.constantFrom('https://mediateur.example'), address }, { requiredKeys: ['name', 'website'] }),
    pursueAccessories: fc.boolean(),
    commitmentTerms: fc.record(
      { promiseToleranceBusinessDays: fc.integer({ min: 0, max: 10 }), instalmentToleranceBusinessDays: fc.integer({ min: 0, max: 10 }), instalmentReminderDaysBefore: fc.integer({ min: 0, max: 15 }) },
      { requiredKeys: [] },
    ),
    handoff: fc.constantFrom('automatic', 'approval'),
    language: fc.constantFrom('fr', 'en'),
    referenceFormat: fc.constantFrom('{invoiceNumber}-{stage}', '{creditorId}/{invoiceNumber}'),
    digest: fc.record({ frequency: fc.constantFrom('daily', 'weekly', 'monthly', 'off'), language: fc.constantFrom('fr', 'en') }, { requiredKeys: [] }),
  },
  {
    requiredKeys: ['id', 'legalName', 'address', 'siren', 'iban', 'bic', 'sender', 'replyTo', 'accountants', 'litigationContact', 'contact', 'category', 'city'],
  },
);

/** Values a corrupt or hand-edited profile may hold in place of a field's. */
const junk = fc.oneof(
  fc.constantFrom(undefined, null, '', ' ', 'x', ' padded ', 'a\u0007b', 0, -1, 1.5, 11, Number.POSITIVE_INFINITY, Number.NaN, true, [], {}, 'FR', '12345', 'https://x', '{stage}', '{invoiceNumber'),
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('line1', 'postalCode', 'city', 'country', 'extra', 'name', 'email', 'frequency'), fc.string({ maxLength: 6 }), { maxKeys: 4 }),
  fc.string({ maxLength: 250 }).map((s) => s.padEnd(201, 'x')),
);

type Json = Record<string, unknown>;
const paths = (o: Json, at: string[] = []): string[][] =>
  Object.entries(o).flatMap(([k, v]) => [[...at, k], ...(v && typeof v === 'object' && !Array.isArray(v) ? paths(v as Json, [...at, k]) : [])]);

/** The profile with one value (at any depth) replaced by junk, or an unknown field added. */
const mutated = fc.tuple(profile, fc.nat(), junk, fc.boolean()).map(([p, n, value, add]) => {
  const copy = structuredClone(p) as Json;
  const all = paths(copy);
  const path = all[n % all.length]!;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Json;
  if (add) parent[`${path.at(-1)}X`] = value;
  else parent[path.at(-1)!] = value;
  return copy;
});

/** The same object with its keys in another order, at every level (DynamoDB does not keep map order). */
function reordered(v: unknown, flip: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => reordered(x, flip));
  if (!v || typeof v !== 'object') return v;
  const entries = Object.entries(v).map(([k, x]) => [k, reordered(x, !flip)] as const);
  return Object.fromEntries(flip ? entries.reverse() : entries);
}

describe('the stored profile check without zod', () => {
  it('accepts a profile only when the schema does, answering exactly what the schema answers (seeded property)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(profile, mutated, mutated), fc.boolean(), (raw, flip) => {
        const input = reordered(raw, flip);
        const lean = acceptedAsIs(input);
        if (lean === undefined) return;
        accepted++;
        const zod = checkCreditorProfile(input);
        expect(zod.ok).toBe(true);
        if (zod.ok) expect(JSON.stringify(lean)).toBe(JSON.stringify(zod.profile));
      }),
      { seed, numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('accepts as is every profile the schema has answered (what the store holds), in any field order (seeded property)', () => {
    fc.assert(
      fc.property(profile, fc.boolean(), (raw, flip) => {
        const zod = checkCreditorProfile(raw);
        if (!zod.ok) return;
        const stored = reordered(JSON.parse(JSON.stringify(zod.profile)), flip);
        expect(JSON.stringify(acceptedAsIs(stored))).toBe(JSON.stringify(zod.profile));
      }),
      { seed, numRuns: 1000 },
    );
    const demoProfile = checkCreditorProfile(demo);
    expect(demoProfile.ok && acceptedAsIs(demoProfile.profile)).toEqual(demoProfile.ok && demoProfile.profile);
  });

  it('gives the schema verdict and error details for everything else (seeded property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, junk), async (raw) => {
        expect(await checkStoredProfile(raw)).toEqual(checkCreditorProfile(raw));
      }),
      { seed, numRuns: 500 },
    );
  });
});

describe('the hand-off approval body without zod', () => {
  const outcome = async (f: () => unknown) => {
    try {
      return { value: await f() };
    } catch (e) {
      return { error: JSON.stringify(e), name: (e as Error).name, message: (e as Error).message };
    }
  };

  it('answers every body as validation.ts parseHandoffApproval does (seeded property)', async () => {
    const approvedBy = fc.oneof(junk, fc.constantFrom('Julie', ' Julie Martin ', 'é'.repeat(200), ' '.repeat(3) + 'a'.repeat(200), 'a\tb', '\u00a0Julie\u2028'));
    const body = fc.oneof(
      fc.record({ approvedBy }),
      fc.record({ approvedBy, other: junk }),
      fc.record({ approvedBy }, { requiredKeys: [] }),
      junk,
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        expect(await outcome(() => parseHandoffApprovalBody(b))).toEqual(await outcome(() => parseHandoffApproval(b)));
      }),
      { seed, numRuns: 1000 },
    );
    expect(await parseHandoffApprovalBody({ approvedBy: ' Julie ' })).toEqual({ approvedBy: 'Julie' });
  });
});
