import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { Dossier, DossierBusy, RUNNING } from '../domain/dossier';
import { DomainError, notFound } from '../domain/errors';
import { clients } from './aws-clients';
import { conditionalPut } from './conditional-put';
import { listingAttributes } from './dossier-index';
import { LISTING_ATTRIBUTES } from './table-indexes';
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
      // Listing indexes (GET /invoices): activityKey, creditorStatus, summary, searchText, debtorRefs.
      ...listingAttributes(d),
    },
    { removeUndefinedValues: true, convertClassInstanceToMap: false },
  );
}

function fromItem(item: Record<string, any>): Dossier {
  const { pk: _pk, sk: _sk, nextActionAt: _n, ...rest } = unmarshall(item);
  for (const attribute of LISTING_ATTRIBUTES) delete rest[attribute];
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

// --- creditors and API keys: adapters/creditor-store.ts (re-exported for existing callers) ---
export { getCreditor, putCreditor, putApiKey, creditorForApiKey } from './creditor-store';
