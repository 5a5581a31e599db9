import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { Dossier, DossierBusy, RUNNING } from '../domain/dossier';
import { DomainError, notFound } from '../domain/errors';
import type { CreditorProfile } from '../domain/model';
import { sha256Hex } from '../domain/identity';
import { clients } from './aws-clients';
import { conditionalPut } from './conditional-put';
import { settings } from './env';

const dossierKey = (id: string) => ({ pk: { S: `D#${id}` }, sk: { S: 'DOSSIER' } });

function toItem(d: Dossier) {
  return marshall(
    {
      pk: `D#${d.id}`,
      sk: 'DOSSIER',
      ...d,
      // Sparse index attribute: only dossiers with something scheduled appear in "what is due".
      nextActionAt: RUNNING.has(d.status) && d.nextAction ? d.nextAction.at : undefined,
    },
    { removeUndefinedValues: true, convertClassInstanceToMap: false },
  );
}

function fromItem(item: Record<string, any>): Dossier {
  const { pk: _pk, sk: _sk, nextActionAt: _n, ...rest } = unmarshall(item);
  return rest as Dossier;
}

export async function getDossier(id: string): Promise<Dossier | null> {
  const out = await clients.dynamodb().send(
    new GetItemCommand({ TableName: settings.tableName(), Key: dossierKey(id), ConsistentRead: true }),
  );
  return out.Item ? fromItem(out.Item) : null;
}

/** Creates the dossier unless one exists; returns false when it already existed. */
export async function createDossier(d: Dossier): Promise<boolean> {
  return conditionalPut({
    Item: toItem({ ...d, version: 1 }),
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

export interface UpdateOptions {
  /** How long to keep retrying while a send holds the dossier (real ms). */
  busyTimeoutMs?: number;
}

/**
 * Read-modify-write with optimistic concurrency: `mutate` is a pure domain function; the write
 * succeeds only if nobody changed the dossier meanwhile (version check), otherwise it re-reads
 * and re-applies. Returns what `mutate` returned, with the stored dossier.
 */
export async function updateDossier<R extends { dossier: Dossier }>(
  id: string,
  mutate: (d: Dossier) => R,
  options: UpdateOptions = {},
): Promise<R> {
  const started = Date.now();
  const busyTimeout = options.busyTimeoutMs ?? 20_000;
  for (let attempt = 0; ; attempt++) {
    const current = await getDossier(id);
    if (!current) throw notFound('Dossier');
    let result: R;
    try {
      result = mutate(current);
    } catch (e) {
      if (e instanceof DossierBusy && Date.now() - started < busyTimeout) {
        await sleep(backoff(attempt));
        continue;
      }
      throw e;
    }
    if (result.dossier === current) return result; // nothing to write
    const next = { ...result.dossier, version: current.version + 1 };
    const written = await conditionalPut({
      Item: toItem(next),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': { N: String(current.version) } },
    });
    if (written) return { ...result, dossier: next };
    if (attempt > 50) throw new DomainError(503, 'contention', 'Dossier is changing too fast; retry.');
    await sleep(backoff(attempt));
  }
}

function backoff(attempt: number): number {
  return Math.min(500, 10 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// --- creditors and API keys -----------------------------------------------------------------

export async function getCreditor(creditorId: string): Promise<CreditorProfile | null> {
  const out = await clients.dynamodb().send(
    new GetItemCommand({
      TableName: settings.tableName(),
      Key: { pk: { S: `C#${creditorId}` }, sk: { S: 'PROFILE' } },
    }),
  );
  return out.Item ? (unmarshall(out.Item).profile as CreditorProfile) : null;
}

export async function putCreditor(profile: CreditorProfile): Promise<void> {
  await clients.dynamodb().send(
    new PutItemCommand({
      TableName: settings.tableName(),
      Item: marshall({ pk: `C#${profile.id}`, sk: 'PROFILE', profile }, { removeUndefinedValues: true }),
    }),
  );
}

/** Only a hash of the key is stored: a table dump does not leak usable keys. */
export async function putApiKey(apiKey: string, creditorId: string): Promise<void> {
  await clients.dynamodb().send(
    new PutItemCommand({
      TableName: settings.tableName(),
      Item: marshall({ pk: `K#${sha256Hex(apiKey)}`, sk: 'KEY', creditorId }),
    }),
  );
}

export async function creditorForApiKey(apiKey: string): Promise<string | null> {
  const out = await clients.dynamodb().send(
    new GetItemCommand({
      TableName: settings.tableName(),
      Key: { pk: { S: `K#${sha256Hex(apiKey)}` }, sk: { S: 'KEY' } },
    }),
  );
  return out.Item ? (unmarshall(out.Item).creditorId as string) : null;
}
