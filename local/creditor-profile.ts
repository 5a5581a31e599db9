import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { CommitmentTerms, CreditorProfile } from '../lambdas/domain/model';
import { BUILTIN_POLICIES, isBuiltinPolicyName } from '../lambdas/domain/policy';
import { TERM_BOUNDS } from '../lambdas/domain/dossier-commitments';
import { email, isValidSiren } from '../lambdas/http/validation';

/** The demo creditor shipped with local mode; copied into the data dir on first start, then editable there. */
export const DEMO_PROFILE_PATH = path.join(__dirname, 'demo-creditor.json');

const address = z.object({
  line1: z.string().min(1),
  line2: z.string().optional(),
  postalCode: z.string().min(2),
  city: z.string().min(1),
  country: z.string().regex(/^[A-Z]{2}$/),
});
const contact = z.object({ name: z.string().min(1), email, phone: z.string().optional() });

const profileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{3,64}$/, 'lower-case letters, digits and dashes'),
  legalName: z.string().min(1),
  address,
  siren: z.string().refine(isValidSiren, 'must be 9 digits with a valid checksum'),
  iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9 ]{10,40}$/, 'must be an IBAN'),
  bic: z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC'),
  paymentLink: z.string().url().optional(),
  sender: z.object({ email, name: z.string().min(1) }),
  replyTo: email,
  accountants: z.array(email),
  litigationContact: contact,
  contact,
  category: z.enum(['business', 'individual']),
  city: z.string().min(1),
  agency: z.object({ legalName: z.string().min(1), address, siren: z.string().optional() }).optional(),
  contractualPenaltyRate: z.string().optional(),
  policyName: z
    .string()
    .refine(isBuiltinPolicyName, { error: `must name a built-in policy: ${Object.keys(BUILTIN_POLICIES).join(', ')}` })
    .optional(),
  paymentAllocation: z.enum(['civil-code-1343-1', 'principal-first']).optional(),
  formalNoticeChannel: z.enum(['email', 'registered_post', 'registered_email']).optional(),
  consumerMediator: z
    .object({ name: z.string().min(1), website: z.string().url().refine((u) => u.startsWith('https://'), 'must be an https URL'), address: address.optional() })
    .optional(),
  pursueAccessories: z.boolean().optional(),
  commitmentTerms: z
    .object(
      Object.fromEntries(
        Object.entries(TERM_BOUNDS).map(([k, [lo, hi]]) => [k, z.number().int().min(lo).max(hi).optional()]),
      ) as Record<keyof CommitmentTerms, z.ZodOptional<z.ZodNumber>>,
    )
    .strict()
    .optional(),
});

export function loadCreditorProfile(file: string): CreditorProfile {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid creditor profile ${file}:\n${lines}`);
  }
  return parsed.data as CreditorProfile;
}
