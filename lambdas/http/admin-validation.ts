/**
 * Input of the admin routes (creditors and their API keys), besides the profile itself
 * (creditor-profile-schema.ts). Every bad field yields { path, message }.
 */
// zod/mini (see validation.ts, which configures its messages and is imported below).
import * as z from 'zod/mini';
import { invalid, notFound } from '../domain/errors';
import { KEY_ROLES, type KeyRole } from '../domain/model';
import { CREDITOR_ID } from './creditor-profile-schema';
import { detailsOf, REPORT, text } from './validation';

/** A creditor id from the path: an id that cannot exist is simply not found. */
export function creditorIdParam(raw: string | undefined): string {
  if (!raw || !CREDITOR_ID.test(raw)) throw notFound('Creditor');
  return raw;
}

export const KEY_ID = /^key_[0-9a-f]{16}$/;

export function keyIdParam(raw: string | undefined): string {
  if (!raw || !KEY_ID.test(raw)) throw notFound('API key');
  return raw;
}

const keyRequest = z.strictObject({
  role: z.enum(KEY_ROLES as [KeyRole, ...KeyRole[]], { error: `must be ${KEY_ROLES.map((r) => `"${r}"`).join(' or ')}` }),
  label: text(100),
});

/** POST /admin/creditors/{id}/keys: { role, label }. */
export function parseKeyRequest(body: unknown): { role: KeyRole; label: string } {
  const parsed = keyRequest.safeParse(body, REPORT);
  if (!parsed.success) throw invalid(detailsOf(parsed.error), 'Invalid key request');
  return parsed.data;
}

/** ?limit=&cursor= of a paginated list: limit 1-100 (default 25) unless the list says otherwise. */
export function parsePageQuery(
  query: Record<string, string | undefined> | null,
  allowed: readonly string[] = [],
  bounds: { defaultLimit: number; maxLimit: number } = { defaultLimit: 25, maxLimit: 100 },
): { limit: number; cursor?: string } {
  const q = query ?? {};
  const unknown = Object.keys(q).filter((k) => k !== 'limit' && k !== 'cursor' && !allowed.includes(k));
  const details = unknown.map((k) => ({ path: k, message: 'unknown query parameter' }));
  let limit = bounds.defaultLimit;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (!/^\d+$/.test(q.limit) || n < 1 || n > bounds.maxLimit) details.push({ path: 'limit', message: `must be a whole number from 1 to ${bounds.maxLimit}` });
    else limit = n;
  }
  if (details.length) throw invalid(details, 'Invalid query');
  return { limit, ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) };
}
