import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CreditorProfile } from '../lambdas/domain/model';
import { checkCreditorProfile } from '../lambdas/http/creditor-profile-schema';

/** The demo creditor shipped with local mode; copied into the data dir on first start, then editable there. */
export const DEMO_PROFILE_PATH = path.join(__dirname, 'demo-creditor.json');

/** Reads a profile file and validates it with the one profile schema (the admin API's). */
export function loadCreditorProfile(file: string): CreditorProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read creditor profile ${file}: ${(e as Error).message}`);
  }
  const out = checkCreditorProfile(raw);
  if (!out.ok) {
    const lines = out.details.map((d) => `  ${d.path || '(profile)'}: ${d.message}`).join('\n');
    throw new Error(`invalid creditor profile ${file}:\n${lines}`);
  }
  return out.profile;
}
