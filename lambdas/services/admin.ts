/**
 * Provisioning: creditors (their profile) and their API keys. Keys are amk_<random base64url>,
 * shown once (in the answer that creates them) and stored as a SHA-256 only.
 */
import { randomBytes } from 'node:crypto';
import { conflict, invalid, notFound } from '../domain/errors';
import type { CreditorProfile, KeyRole } from '../domain/model';
import { clock } from '../adapters/clock';
import {
  createCreditor,
  getCreditorRecord,
  listApiKeys,
  listCreditors,
  putApiKey,
  revokeApiKey,
  updateCreditor,
  type ApiKeyInfo,
  type CreditorRecord,
} from '../adapters/creditor-store';

/** A new API key: 32 random bytes, base64url, with a recognisable prefix. */
export function newApiKey(): string {
  return `amk_${randomBytes(32).toString('base64url')}`;
}

function newKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

export interface NewKey extends ApiKeyInfo {
  /** The key itself: shown once, never stored. */
  key: string;
}

export interface CreditorView {
  creditor: CreditorProfile;
  createdAt: string;
  updatedAt: string;
}

const view = (r: CreditorRecord): CreditorView => ({ creditor: r.profile, createdAt: r.createdAt, updatedAt: r.updatedAt });

/** POST /admin/creditors: the profile, then its first operator key. 409 if the id exists. */
export async function createCreditorWithKey(profile: CreditorProfile): Promise<CreditorView & { apiKey: NewKey }> {
  const now = clock().now();
  if (!(await createCreditor(profile, now))) {
    throw conflict(`Creditor ${profile.id} already exists.`, [{ path: 'id', message: 'already exists' }]);
  }
  const apiKey = await createKey(profile.id, { role: 'operator', label: 'initial operator key' });
  return { creditor: profile, createdAt: now.toISOString(), updatedAt: now.toISOString(), apiKey };
}

export async function getCreditorView(creditorId: string): Promise<CreditorView> {
  const record = await getCreditorRecord(creditorId);
  if (!record) throw notFound('Creditor');
  return view(record);
}

/**
 * PUT /admin/creditors/{id}: replaces the profile. Running dossiers are not moved: each keeps the
 * policy fixed at its intake (Dossier.policyName) and each promise or plan the commitment terms it
 * was agreed under; the new profile applies to new invoices, promises and plans.
 */
export async function replaceCreditor(creditorId: string, profile: CreditorProfile): Promise<CreditorView> {
  if (profile.id !== creditorId) {
    throw invalid([{ path: 'id', message: `must be the creditor id of the path (${creditorId}); an id cannot change` }], 'Invalid creditor profile');
  }
  const record = await updateCreditor(profile, clock().now());
  if (!record) throw notFound('Creditor');
  return view(record);
}

export async function listCreditorViews(limit: number, cursor?: string) {
  const page = await listCreditors(limit, cursor);
  return {
    items: page.items.map((r) => ({
      id: r.profile.id,
      legalName: r.profile.legalName,
      siren: r.profile.siren,
      policyName: r.profile.policyName ?? null,
      language: r.profile.language ?? 'fr',
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
    nextCursor: page.nextCursor,
  };
}

async function assertCreditor(creditorId: string): Promise<void> {
  if (!(await getCreditorRecord(creditorId))) throw notFound('Creditor');
}

/** POST /admin/creditors/{id}/keys. */
export async function createKey(creditorId: string, input: { role: KeyRole; label: string }): Promise<NewKey> {
  const key = newApiKey();
  const now = clock().now();
  const keyId = await putApiKey(key, creditorId, { role: input.role, label: input.label, keyId: newKeyId(), now });
  return { keyId, key, role: input.role, label: input.label, createdAt: now.toISOString() };
}

export async function createKeyFor(creditorId: string, input: { role: KeyRole; label: string }): Promise<NewKey> {
  await assertCreditor(creditorId);
  return createKey(creditorId, input);
}

export async function listKeysOf(creditorId: string): Promise<{ items: ApiKeyInfo[] }> {
  await assertCreditor(creditorId);
  return { items: await listApiKeys(creditorId) };
}

/** DELETE /admin/creditors/{id}/keys/{keyId}: the key stops working (on AWS, once the authorizer's cache expires). */
export async function revokeKey(creditorId: string, keyId: string): Promise<void> {
  if (!(await revokeApiKey(creditorId, keyId))) throw notFound('API key');
}
