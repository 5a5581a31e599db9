/**
 * Creditors and their API keys in the dossier table.
 *
 * - `C#<creditorId>` / `PROFILE`: { profile, createdAt, updatedAt, registry: "creditor",
 *   registryId: <creditorId> } (the registry attributes put it in the creditorRegistry index).
 *   Every read validates the stored profile against the one profile schema (through
 *   http/lean-checks.ts, which loads zod only for a profile it cannot accept as is): a corrupt
 *   profile is a logged 500 naming its fields (creditor_profile_invalid), never a cast.
 * - `K#<sha256(key)>` / `KEY`: { creditorId, role, keyId, label, createdAt } — what the authorizer
 *   reads. Only the key's SHA-256 is stored: a table dump leaks no usable key. An item without
 *   role (stored before roles existed) is an operator key.
 * - `C#<creditorId>` / `KEY#<keyId>`: { keyId, label, role, createdAt, keyHash } — the creditor's
 *   key list, and how a key is revoked by id. Never the key itself.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from './clients/dynamodb-documents';
import { DomainError } from '../domain/errors';
import { sha256Hex } from '../domain/identity';
import type { CreditorProfile, KeyRole } from '../domain/model';
import { checkStoredProfile, loadZodChecks } from '../http/lean-checks';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { conditionalPutDocument } from './conditional-put';
import { decodeCursor, encodeCursor } from './cursor';
import { settings } from './env';
import { CREDITOR_REGISTRY } from './table-indexes';
import { log } from './telemetry';

const profileKey = (creditorId: string) => ({ pk: `C#${creditorId}`, sk: 'PROFILE' });
const REGISTRY = 'creditor';

export interface CreditorRecord {
  profile: CreditorProfile;
  createdAt: string;
  updatedAt: string;
}

/** The stored profile, validated (without zod when it is valid as is); a corrupt one is a 500 naming its fields (and logged). */
async function validStored(creditorId: string, raw: unknown): Promise<CreditorProfile> {
  const out = await checkStoredProfile(raw);
  if (out.ok) return out.profile;
  log.error('stored creditor profile is invalid', { creditorId, details: out.details });
  throw new DomainError(
    500,
    'creditor_profile_invalid',
    `The stored profile of creditor ${creditorId} is invalid; fix it with PUT /admin/creditors/${creditorId}.`,
    out.details,
  );
}

async function recordOf(plain: Record<string, unknown>): Promise<CreditorRecord> {
  const creditorId = String(plain.pk ?? '').replace(/^C#/, '') || String(plain.registryId ?? '');
  const createdAt = typeof plain.createdAt === 'string' ? plain.createdAt : '';
  return { profile: await validStored(creditorId, plain.profile), createdAt, updatedAt: typeof plain.updatedAt === 'string' ? plain.updatedAt : createdAt };
}

export async function getCreditorRecord(creditorId: string): Promise<CreditorRecord | null> {
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: profileKey(creditorId) }));
  return out.Item ? await recordOf(out.Item) : null;
}

/** The key of a creditor's profile item (read with another item in one request: adapters/intake-read.ts). */
export const creditorProfileKey = profileKey;

/** The profile of a profile item read elsewhere, validated as getCreditor does; null for no item. */
export async function creditorOfItem(item: Record<string, unknown> | undefined): Promise<CreditorProfile | null> {
  return item ? (await recordOf(item)).profile : null;
}

export async function getCreditor(creditorId: string): Promise<CreditorProfile | null> {
  return (await getCreditorRecord(creditorId))?.profile ?? null;
}

/**
 * How long a warm container reuses a creditor profile it read (real time). Profiles change
 * rarely (an admin update), sends are many: a workflow step reads the profile at most once a
 * minute per container instead of once per send. A write through this module in the same
 * process forgets its copy at once (local mode runs every handler in one process).
 */
export const CREDITOR_CACHE_TTL_MS = 60_000;
const cached = new Map<string, { profile: CreditorProfile | null; until: number }>();

/** The creditor profile, from this container's short-lived copy when it has one (workflow steps). */
export async function getCreditorCached(creditorId: string): Promise<CreditorProfile | null> {
  const hit = cached.get(creditorId);
  if (hit && hit.until > Date.now()) return hit.profile;
  const profile = await getCreditor(creditorId);
  // An unknown creditor is not cached: it may be created the next second.
  if (profile) cached.set(creditorId, { profile, until: Date.now() + CREDITOR_CACHE_TTL_MS });
  return profile;
}

function forgetCreditor(creditorId: string): void {
  cached.delete(creditorId);
}

function profileItem(profile: CreditorProfile, createdAt: string, updatedAt: string) {
  return { ...profileKey(profile.id), profile, createdAt, updatedAt, registry: REGISTRY, registryId: profile.id };
}

/** A profile about to be written: the schema itself (zod, loaded on first use), which also normalises it. */
async function assertValid(profile: CreditorProfile): Promise<CreditorProfile> {
  const out = (await loadZodChecks()).checkCreditorProfile(profile);
  if (!out.ok) throw new Error(`invalid creditor profile ${profile.id}: ${out.details.map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return out.profile;
}

/** Writes (or overwrites) a profile, validated first (local seeding, tests). */
export async function putCreditor(profile: CreditorProfile, now: Date = new Date()): Promise<void> {
  const valid = await assertValid(profile);
  forgetCreditor(valid.id);
  const existing = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: profileKey(valid.id) }));
  const createdAt = typeof existing.Item?.createdAt === 'string' ? existing.Item.createdAt : now.toISOString();
  await dynamodbDocuments().send(new PutCommand({ TableName: settings.tableName(), Item: profileItem(valid, createdAt, now.toISOString()) }));
}

/** Creates the creditor unless its id exists; false when it did. */
export async function createCreditor(profile: CreditorProfile, now: Date): Promise<boolean> {
  const valid = await assertValid(profile);
  forgetCreditor(valid.id);
  return conditionalPutDocument({ Item: profileItem(valid, now.toISOString(), now.toISOString()), ConditionExpression: 'attribute_not_exists(pk)' });
}

/** Replaces an existing creditor's profile (createdAt kept); null when there is no such creditor. */
export async function updateCreditor(profile: CreditorProfile, now: Date): Promise<CreditorRecord | null> {
  const valid = await assertValid(profile);
  forgetCreditor(valid.id);
  try {
    const out = await dynamodbDocuments().send(
      new UpdateCommand({
        TableName: settings.tableName(),
        Key: profileKey(valid.id),
        UpdateExpression: 'SET #profile = :profile, updatedAt = :now, registry = :registry, registryId = :id',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#profile': 'profile' },
        ExpressionAttributeValues: { ':profile': valid, ':now': now.toISOString(), ':registry': REGISTRY, ':id': valid.id },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return await recordOf(out.Attributes!);
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return null;
    throw e;
  }
}

const CREDITOR_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

/** Creditors by id, a page at a time (creditorRegistry index, no Scan). */
export async function listCreditors(limit: number, cursor?: string): Promise<{ items: CreditorRecord[]; nextCursor: string | null }> {
  const start = decodeCursor(cursor, {
    pk: /^C#[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/,
    sk: 'PROFILE',
    registry: REGISTRY,
    registryId: CREDITOR_ID,
  });
  const out = await dynamodbDocuments().send(
    new QueryCommand({
      TableName: settings.tableName(),
      IndexName: CREDITOR_REGISTRY,
      KeyConditionExpression: 'registry = :r',
      ExpressionAttributeValues: { ':r': REGISTRY },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: await Promise.all((out.Items ?? []).map(recordOf)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

// --- API keys ---------------------------------------------------------------------------------

export interface ApiKeyInfo {
  keyId: string;
  label: string;
  role: KeyRole;
  createdAt: string;
}

const listingKey = (creditorId: string, keyId: string) => ({ pk: `C#${creditorId}`, sk: `KEY#${keyId}` });
/** The authorizing item (read by adapters/api-key-grants.ts): the key's hash, never the key. */
const keyItemKey = (keyHash: string) => ({ pk: `K#${keyHash}`, sk: 'KEY' });

/**
 * Stores a key (its hash only). The creditor's list entry is written first, so a key that works
 * is always listed, hence revocable; a crash in between leaves a listed key that does not work.
 * Returns the key id (given, or derived from the key's hash: re-seeding the same key is idempotent).
 */
export async function putApiKey(
  apiKey: string,
  creditorId: string,
  opts: { role?: KeyRole; label?: string; keyId?: string; now?: Date } = {},
): Promise<string> {
  const keyHash = sha256Hex(apiKey);
  const keyId = opts.keyId ?? `key_${keyHash.slice(0, 16)}`;
  const role = opts.role ?? 'operator';
  const label = opts.label ?? '';
  const createdAt = (opts.now ?? new Date()).toISOString();
  const table = settings.tableName();
  await dynamodbDocuments().send(new PutCommand({ TableName: table, Item: { ...listingKey(creditorId, keyId), keyId, label, role, createdAt, keyHash } }));
  await dynamodbDocuments().send(new PutCommand({ TableName: table, Item: { ...keyItemKey(keyHash), creditorId, role, keyId, label, createdAt } }));
  return keyId;
}

/** What a presented key grants, or null for an unknown (or revoked) key. */
/** The creditor's keys (no secret, no hash), oldest first. */
export async function listApiKeys(creditorId: string): Promise<ApiKeyInfo[]> {
  const keys: ApiKeyInfo[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamodbDocuments().send(
      new QueryCommand({
        TableName: settings.tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :k)',
        ExpressionAttributeValues: { ':pk': `C#${creditorId}`, ':k': 'KEY#' },
        ExclusiveStartKey: start,
      }),
    );
    for (const k of out.Items ?? []) {
      keys.push({ keyId: k.keyId, label: k.label ?? '', role: k.role ?? 'operator', createdAt: k.createdAt ?? '' });
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
}

/**
 * Revokes a key by id: the authorizing item first (the key stops working), then the list entry.
 * False when the creditor has no such key. Safe to repeat after a partial failure.
 */
export async function revokeApiKey(creditorId: string, keyId: string): Promise<boolean> {
  const table = settings.tableName();
  const listed = await dynamodbDocuments().send(new GetCommand({ TableName: table, Key: listingKey(creditorId, keyId), ConsistentRead: true }));
  if (!listed.Item) return false;
  const keyHash = listed.Item.keyHash;
  if (typeof keyHash === 'string' && /^[0-9a-f]{64}$/.test(keyHash)) {
    await dynamodbDocuments().send(
      new DeleteCommand({
        TableName: table,
        Key: keyItemKey(keyHash),
        // Never delete a key item of another creditor (a corrupt list entry).
        ConditionExpression: 'attribute_not_exists(pk) OR creditorId = :c',
        ExpressionAttributeValues: { ':c': creditorId },
      }),
    );
  }
  await dynamodbDocuments().send(new DeleteCommand({ TableName: table, Key: listingKey(creditorId, keyId) }));
  return true;
}
