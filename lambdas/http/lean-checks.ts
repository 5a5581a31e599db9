/**
 * What a workflow step checks on each cold start, without zod (~26 KiB of every such bundle; issue 15):
 *
 * - a stored creditor profile (adapters/creditor-store.ts reads validate every profile): accepted
 *   here only when creditor-profile-schema.ts accepts it AS IS, and then answered exactly as it
 *   would be (same fields, same order, its defaults filled in); anything else, a corrupt profile or
 *   one the schema would normalise (a value to trim, an unknown address field to drop), goes to the
 *   schema itself, loaded then (zod-checks.ts): the same verdict and the same named 500;
 * - the body of POST /invoices/{id}/handoff, likewise (its 400s come from validation.ts).
 *
 * The rules are field-rules.ts's, the schema's own; test/http/lean-checks.test.ts checks on seeded
 * random profiles that whatever this accepts, the schema accepts with the same output.
 */
import { TERM_BOUNDS } from '../domain/dossier-commitments';
import { DIGEST_FREQUENCIES, type CreditorProfile } from '../domain/model';
import { parseEuros } from '../domain/money';
import { isBuiltinPolicyName } from '../domain/policy';
import type { ProfileCheck } from './creditor-profile-schema';
import { BIC, COUNTRY_CODE, CREDITOR_ID, EMAIL, HTTP_URL, HTTPS_URL, isPhone, isValidIban, isValidSiren, NO_CONTROL, POSTAL_CODE, RATE, referenceFormatProblem } from './field-rules';

type ZodChecks = typeof import('./zod-checks');
let zodChecks: ZodChecks | undefined;

/** The zod checks, read on first use: a file of its own next to index.js in a Lambda (SPLIT_MODULES). */
export async function loadZodChecks(): Promise<ZodChecks> {
  if (!zodChecks) {
    // In a Lambda the split module is CommonJS: its exports may come as the namespace's default.
    const m = (await import('./zod-checks.js')) as ZodChecks & { default?: ZodChecks };
    zodChecks = m.default ?? m;
  }
  return zodChecks;
}

/** The value accepted as is, or undefined (refused here: the schema decides). */
type Rule = ((v: unknown) => unknown) & { optional?: boolean; fallback?: unknown };

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

const str =
  (ok: (s: string) => boolean): Rule =>
  (v) =>
    typeof v === 'string' && ok(v) ? v : undefined;
/** validation.ts text(max): trimmed (here: nothing to trim), 1 to max characters, no control character. */
const text = (max: number, more: (s: string) => boolean = () => true) =>
  str((s) => s.trim() === s && s.length >= 1 && s.length <= max && NO_CONTROL.test(s) && more(s));
const oneOf =
  (values: readonly unknown[]): Rule =>
  (v) =>
    values.includes(v) ? v : undefined;
const optional = (rule: Rule): Rule => Object.assign((v: unknown) => rule(v), { optional: true });
const withDefault = (rule: Rule, fallback: unknown): Rule => Object.assign((v: unknown) => rule(v), { fallback });

/** An object with exactly these fields (any other field: refused), rebuilt in the schema's order. */
const object =
  (shape: Record<string, Rule>, valid: (o: Plain) => boolean = () => true): Rule =>
  (v) => {
    if (!isPlain(v) || Object.keys(v).some((k) => !Object.hasOwn(shape, k) || v[k] === undefined)) return undefined;
    const out: Plain = {};
    for (const [k, rule] of Object.entries(shape)) {
      if (!Object.hasOwn(v, k)) {
        if (rule.fallback !== undefined) out[k] = rule.fallback;
        else if (!rule.optional) return undefined;
        continue;
      }
      const x = rule(v[k]);
      if (x === undefined) return undefined;
      out[k] = x;
    }
    return valid(out) ? out : undefined;
  };

const email = str((s) => s.length <= 254 && EMAIL.test(s));
const phone = str((s) => s.trim() === s && isPhone(s));
const language = oneOf(['fr', 'en']);
const address = object(
  {
    line1: text(200),
    line2: optional(text(200)),
    postalCode: str((s) => s.trim() === s && POSTAL_CODE.test(s)),
    city: text(100),
    country: withDefault(
      str((s) => COUNTRY_CODE.test(s)),
      'FR',
    ),
  },
  (a) => a.country !== 'FR' || /^\d{5}$/.test(a.postalCode as string),
);
const contact = object({ name: text(200), email, phone: optional(phone) });
const int =
  ([lo, hi]: readonly [number, number]): Rule =>
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi ? v : undefined;

/** creditor-profile-schema.ts's creditorProfileSchema, field for field, in its order. */
const profile = object({
  id: str((s) => CREDITOR_ID.test(s)),
  legalName: text(200),
  address,
  siren: str(isValidSiren),
  iban: str(isValidIban),
  bic: str((s) => BIC.test(s)),
  paymentLink: optional(str((s) => s.length <= 500 && HTTP_URL.test(s))),
  sender: object({ email, name: text(200) }),
  replyTo: email,
  accountants: (v) => (Array.isArray(v) && v.length <= 10 && v.every((x) => email(x) !== undefined) ? [...v] : undefined),
  litigationContact: contact,
  contact,
  category: oneOf(['business', 'individual']),
  city: text(100),
  agency: optional(object({ legalName: text(200), address, siren: optional(str(isValidSiren)) })),
  contractualPenaltyRate: optional(str((s) => RATE.test(s))),
  policyName: optional(str(isBuiltinPolicyName)),
  minimumAmount: optional(str((s) => (parseEuros(s) ?? 0) > 0)),
  paymentAllocation: optional(oneOf(['civil-code-1343-1', 'principal-first'])),
  formalNoticeChannel: optional(oneOf(['email', 'registered_post', 'registered_email'])),
  consumerMediator: optional(object({ name: text(200), website: str((s) => s.length <= 500 && HTTPS_URL.test(s)), address: optional(address) })),
  pursueAccessories: optional((v) => (typeof v === 'boolean' ? v : undefined)),
  commitmentTerms: optional(object(Object.fromEntries(Object.entries(TERM_BOUNDS).map(([k, bounds]) => [k, optional(int(bounds))])))),
  handoff: optional(oneOf(['automatic', 'approval'])),
  language: withDefault(language, 'fr'),
  referenceFormat: optional(text(100, (s) => referenceFormatProblem(s) === null)),
  digest: optional(object({ frequency: withDefault(oneOf(DIGEST_FREQUENCIES), 'daily'), language: optional(language) })),
});

/** The profile as the schema would answer it, when the schema would accept it as is; else undefined. */
export function acceptedAsIs(raw: unknown): CreditorProfile | undefined {
  return profile(raw) as CreditorProfile | undefined;
}

/** A profile as read from storage, validated (see the header); never throws. */
export async function checkStoredProfile(raw: unknown): Promise<ProfileCheck> {
  const accepted = acceptedAsIs(raw);
  if (accepted !== undefined) return { ok: true, profile: accepted };
  return (await loadZodChecks()).checkCreditorProfile(raw);
}

/** POST /invoices/{id}/handoff {approvedBy}: validation.ts parseHandoffApproval, zod loaded only for a body it must refuse. */
export async function parseHandoffApprovalBody(body: unknown): Promise<{ approvedBy: string }> {
  if (isPlain(body) && Object.keys(body).length === 1 && typeof body.approvedBy === 'string') {
    // validation.ts text(200): trimmed first, then 1 to 200 characters, no control character.
    const approvedBy = body.approvedBy.trim();
    if (approvedBy.length >= 1 && approvedBy.length <= 200 && NO_CONTROL.test(approvedBy)) return { approvedBy };
  }
  return (await loadZodChecks()).parseHandoffApproval(body);
}
