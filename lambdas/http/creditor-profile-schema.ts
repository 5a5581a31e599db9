/**
 * The creditor profile, validated in ONE place (zod) wherever a profile enters or leaves storage:
 * the admin API (POST/PUT /admin/creditors), local mode's seeding from creditor-profile.json, and
 * every read of a stored profile (adapters/creditor-store.ts getCreditor: a corrupt stored profile
 * is a logged 500 naming its fields, never a cast; lean-checks.ts answers for this schema, without
 * zod, the profiles it accepts as is). Every bad field yields { path, message }. The rules of single
 * fields are field-rules.ts's.
 */
// zod/mini (see validation.ts, which configures its messages and is imported below).
import * as z from 'zod/mini';
import { TERM_BOUNDS } from '../domain/dossier-commitments';
import { invalid, type ErrorDetail } from '../domain/errors';
import { DIGEST_FREQUENCIES, type CommitmentTerms, type CreditorProfile } from '../domain/model';
import { BUILTIN_POLICIES, isBuiltinPolicyName } from '../domain/policy';
import { BIC, CREDITOR_ID, HTTP_URL, HTTPS_URL, isValidIban, isValidSiren, referenceFormatProblem } from './field-rules';
import { address, email, euroAmount, issueDetail, phone, rate, REPORT, text } from './validation';

export { CREDITOR_ID };

export const creditorId = z
  .string({ error: 'must be a string of 3-64 lower-case letters, digits and dashes' })
  .check(z.regex(CREDITOR_ID, 'must be 3-64 lower-case letters, digits and dashes, not starting or ending with a dash'));

const contact = z.strictObject({ name: text(200), email, phone: z.optional(phone) });

const referenceFormat = text(100).check(
  z.superRefine((s, ctx) => {
    const problem = referenceFormatProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

const commitmentTerms = z.strictObject(
  Object.fromEntries(
    Object.entries(TERM_BOUNDS).map(([k, [lo, hi]]) => [
      k,
      z.optional(
        z
          .number({ error: `must be a whole number from ${lo} to ${hi}` })
          .check(z.int(`must be a whole number from ${lo} to ${hi}`), z.gte(lo, `must be at least ${lo}`), z.lte(hi, `must be at most ${hi}`)),
      ),
    ]),
  ) as Record<keyof CommitmentTerms, z.ZodMiniOptional<z.ZodMiniNumber>>,
);

export const creditorProfileSchema = z.strictObject({
  id: creditorId,
  legalName: text(200),
  address,
  siren: z.string({ error: 'must be 9 digits with a valid checksum' }).check(z.refine(isValidSiren, 'must be 9 digits with a valid checksum')),
  iban: z.string({ error: 'must be an IBAN' }).check(z.refine(isValidIban, 'must be an IBAN with a valid checksum (spaces allowed)')),
  bic: z.string({ error: 'must be a BIC' }).check(z.regex(BIC, 'must be a BIC (8 or 11 letters and digits)')),
  paymentLink: z.optional(z.string().check(z.maxLength(500, 'must be at most 500 characters'), z.regex(HTTP_URL, 'must be an http(s) URL'))),
  sender: z.strictObject({ email, name: text(200) }),
  replyTo: email,
  accountants: z.array(email, { error: 'must be a list of e-mail addresses' }).check(z.maxLength(10, 'must list at most 10 addresses')),
  litigationContact: contact,
  contact,
  category: z.enum(['business', 'individual'], { error: 'must be "business" or "individual"' }),
  city: text(100),
  agency: z.optional(
    z.strictObject({
      legalName: text(200),
      address,
      siren: z.optional(z.string().check(z.refine(isValidSiren, 'must be 9 digits with a valid checksum'))),
    }),
  ),
  contractualPenaltyRate: z.optional(rate),
  policyName: z.optional(z.string().check(z.refine(isBuiltinPolicyName, { error: `must name a built-in policy: ${Object.keys(BUILTIN_POLICIES).join(', ')}` }))),
  // Invoices below it are not pursued (refused at intake: domain/policy.ts assertPursued).
  minimumAmount: z.optional(euroAmount),
  // How partial payments are allocated once accessories are claimed (lambdas/domain/settlement.ts).
  paymentAllocation: z.optional(z.enum(['civil-code-1343-1', 'principal-first'], { error: 'must be "civil-code-1343-1" or "principal-first"' })),
  /** How the mise en demeure is sent (fixed on each dossier at intake). */
  formalNoticeChannel: z.optional(z.enum(['email', 'registered_post', 'registered_email'], { error: 'must be "email", "registered_post" or "registered_email"' })),
  // C. conso. L612-1, L616-1: given to a consumer whose complaint is not settled (rejected dispute letter).
  consumerMediator: z.optional(
    z.strictObject({
      name: text(200),
      website: z.string().check(z.maxLength(500, 'must be at most 500 characters'), z.regex(HTTPS_URL, 'must be an https URL')),
      address: z.optional(address),
    }),
  ),
  pursueAccessories: z.optional(z.boolean({ error: 'must be true or false' })),
  commitmentTerms: z.optional(commitmentTerms),
  // When the mise en demeure's grace period ends unpaid: to counsel at once, or after someone approves it.
  handoff: z.optional(z.enum(['automatic', 'approval'], { error: 'must be "automatic" or "approval"' })),
  language: z._default(z.enum(['fr', 'en'], { error: 'must be "fr" or "en"' }), 'fr'),
  referenceFormat: z.optional(referenceFormat),
  digest: z.optional(
    z.strictObject({
      frequency: z._default(z.enum(DIGEST_FREQUENCIES, { error: `must be one of ${DIGEST_FREQUENCIES.join(', ')}` }), 'daily'),
      language: z.optional(z.enum(['fr', 'en'], { error: 'must be "fr" or "en"' })),
    }),
  ),
});

/** Unknown fields are reported at their own path ("polcyName: unknown field"), not as one issue. */
function profileDetails(error: z.core.$ZodError): ErrorDetail[] {
  return error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') {
      const at = i.path.map(String);
      return i.keys.map((k) => ({ path: [...at, k].join('.'), message: 'unknown field' }));
    }
    // A missing field reads "is required" whatever its type (an enum's own wording otherwise).
    if (i.code !== 'custom' && 'input' in i && i.input === undefined && i.path.length > 0) return [{ path: i.path.map(String).join('.'), message: 'is required' }];
    return [issueDetail(i)];
  });
}

export type ProfileCheck = { ok: true; profile: CreditorProfile } | { ok: false; details: ErrorDetail[] };

/** Validates a profile; never throws. */
export function checkCreditorProfile(raw: unknown): ProfileCheck {
  const parsed = creditorProfileSchema.safeParse(raw, REPORT);
  if (!parsed.success) return { ok: false, details: profileDetails(parsed.error) };
  return { ok: true, profile: parsed.data satisfies CreditorProfile };
}

/** A profile from a request: 400 validation_failed with each field's path. */
export function parseCreditorProfile(raw: unknown): CreditorProfile {
  const out = checkCreditorProfile(raw);
  if (!out.ok) throw invalid(out.details, 'Invalid creditor profile');
  return out.profile;
}
