/**
 * The dossier item (pk D#<id>, sk DOSSIER), through the document client (plain values;
 * clients/dynamodb-documents.ts): the whole dossier, its payments deflated beyond
 * PACKED_PAYMENTS_FROM, the sparse due-index attribute and the listing attributes.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from './clients/dynamodb-documents';
import { unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { historyLength, windowFor } from '../domain/history-window';
import type { Payment } from '../domain/model';
import { Dossier, DossierBusy, RUNNING, type SendLock } from '../domain/dossier';
import type { Stage } from '../domain/model';
import { DomainError, notFound } from '../domain/errors';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { clock } from './clock';
import { conditionalPutDocument, conditionalUpdateDocument } from './conditional-put';
import { listingAttributes } from './dossier-index';
import { LISTING_ATTRIBUTES } from './table-indexes';
import { settings } from './env';
import { appendEvidence } from './evidence-log';
import { log, statusChanged } from './telemetry';

const dossierKey = (id: string) => ({ pk: `D#${id}`, sk: 'DOSSIER' });

/** A dossier item as the document client reads and writes it (plain values). */
export type DossierItem = Record<string, NativeAttributeValue>;

/**
 * Beyond this many payments the list is stored deflated (`paymentsZ`, binary): every payment stays
 * on the item because the amounts are computed from all of them (interest runs between payment
 * dates, each keeps its allocation order: settlement.ts), but as a compressed attribute a payment
 * costs ~20 bytes of the 400 KB item instead of ~200 (DynamoDB counts attribute names in each map).
 */
export const PACKED_PAYMENTS_FROM = 50;

/**
 * The packed form each payments list was read from. A change that leaves the payments alone (an
 * SES event, a send, a task) keeps the very array it read (`{ ...d, events }`), so its write stores
 * the same bytes again instead of deflating every payment anew (a cost that grew with the history).
 */
const packedFrom = new WeakMap<Payment[], Uint8Array>();

function packPayments(payments: Payment[]): { payments?: Payment[]; paymentsZ?: Uint8Array } {
  if (payments.length < PACKED_PAYMENTS_FROM) return { payments };
  const read = packedFrom.get(payments);
  if (read) return { paymentsZ: read };
  const packed = deflateRawSync(Buffer.from(JSON.stringify(payments), 'utf8'), { level: 9 });
  packedFrom.set(payments, packed);
  return { paymentsZ: packed };
}

function unpackPayments(z: Uint8Array | string): Payment[] {
  // A stream record's image (JSON) carries binary attributes as base64.
  const bytes = typeof z === 'string' ? Buffer.from(z, 'base64') : z;
  const payments = JSON.parse(inflateRawSync(bytes).toString('utf8')) as Payment[];
  packedFrom.set(payments, bytes);
  return payments;
}

/**
 * The stored item of a dossier, plain (also what the bench seeds directly, through a document
 * client: clients/dynamodb-documents.ts documentsOver). Top-level attributes that are undefined are
 * left out here, so the item names exactly the attributes stored; nested ones are left out by the
 * document client's marshalling. The binary payments stay bytes (B), debtorRefs a Set (SS).
 */
export function toItem(d: Dossier): DossierItem {
  const { payments, ...rest } = d;
  const item: DossierItem = {
    pk: `D#${d.id}`,
    sk: 'DOSSIER',
    ...rest,
    ...packPayments(payments),
    // Sparse index attribute: only dossiers with something scheduled appear in "what is due".
    nextActionAt: RUNNING.has(d.status) && d.nextAction ? d.nextAction.at : undefined,
    // Listing indexes (GET /invoices): activityKey, creditorStatus, summary, searchText, debtorRefs.
    ...listingAttributes(d),
  };
  for (const name of Object.keys(item)) if (item[name] === undefined) delete item[name];
  return item;
}

/** The top-level attributes toItem(d) writes, without marshalling (or deflating) anything. */
function storedAttributeNames(d: Dossier): string[] {
  const { payments, ...rest } = d;
  const plain: Record<string, unknown> = {
    ...rest,
    ...(payments.length < PACKED_PAYMENTS_FROM ? { payments } : { paymentsZ: true }),
    nextActionAt: RUNNING.has(d.status) && d.nextAction ? d.nextAction.at : undefined,
    ...listingAttributes(d),
  };
  // Either form of the payments and of the window may be stored whatever this copy holds (a dossier
  // stored the old way has its payments inline): naming both lets the write remove the other one.
  return [...new Set([...Object.keys(plain).filter((k) => plain[k] !== undefined), 'payments', 'paymentsZ', 'eventSeqs', 'historyLength'])];
}

/**
 * The dossier of a stored item, plain: as the document client reads it, or a stream record's image
 * once unmarshalled (stream images are attribute maps; their consumers unmarshall at the boundary).
 */
export function fromItem(item: DossierItem): Dossier {
  const { pk: _pk, sk: _sk, nextActionAt: _n, paymentsZ, ...rest } = item;
  for (const attribute of LISTING_ATTRIBUTES) delete rest[attribute];
  if (paymentsZ) rest.payments = unpackPayments(paymentsZ as Uint8Array | string);
  return rest as Dossier;
}

/**
 * A stored dossier without its payments (the stream consumers read the history the change appended
 * and the dossier's identity: inflating thousands of payments from each image for that would make
 * every change of a long-lived dossier cost more than the last). `payments` is left out, not
 * emptied, so nothing can mistake it for a dossier without payments.
 */
export function historyOfItem(item: DossierItem): Omit<Dossier, 'payments'> {
  const { pk: _pk, sk: _sk, nextActionAt: _n, payments: _p, paymentsZ: _z, ...rest } = item;
  for (const attribute of LISTING_ATTRIBUTES) delete rest[attribute];
  return rest as Omit<Dossier, 'payments'>;
}

export async function getDossier(id: string): Promise<Dossier | null> {
  const out = await dynamodbDocuments().send(new GetCommand({ TableName: settings.tableName(), Key: dossierKey(id), ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : null;
}

/**
 * Takes the send lease of a stage that is due, in ONE conditional write and no read (issue 15:
 * one read per send; the read left is the debtor's e-mail pause, which must be fresh). The
 * condition is the common case of the domain's claimSend: the dossier is active, `stage` is its
 * next action, and no other live lease is held (assertNoLiveSend: none, ours, or run out). The
 * version moves as in every write, so a writer that read the dossier before the claim fails its
 * own version check and re-reads. DynamoDB returns the item for nothing either way (ReturnValues,
 * ReturnValuesOnConditionCheckFailure): `claimed` is the dossier under our lease; otherwise
 * `current` is the dossier as stored (null when the store did not return it: local mode's
 * emulator predates that option), and the caller decides with the domain's rules as before.
 * The document client unmarshalls what a request returns, not what its error carries: the item
 * on a failed condition is an attribute map, unmarshalled here with the client's defaults.
 */
export async function claimDueStage(
  id: string,
  stage: Stage,
  lease: SendLock,
  realNowMs: number,
): Promise<{ claimed: Dossier } | { claimed: null; current: Dossier | null }> {
  try {
    const out = await dynamodbDocuments().send(
      new UpdateCommand({
        TableName: settings.tableName(),
        Key: dossierKey(id),
        UpdateExpression: 'SET #sending = :lease, #version = #version + :one',
        ConditionExpression:
          '#status = :active AND #next.#stage = :stage AND (attribute_not_exists(#sending) OR attribute_type(#sending, :null) OR #sending.#token = :token OR #sending.#until < :now)',
        ExpressionAttributeNames: { '#sending': 'sending', '#version': 'version', '#status': 'status', '#next': 'nextAction', '#stage': 'stage', '#token': 'token', '#until': 'leaseUntil' },
        ExpressionAttributeValues: {
          ':lease': lease,
          ':one': 1,
          ':active': 'active',
          ':stage': stage,
          // attribute_type's operand: the type name NULL, a string.
          ':null': 'NULL',
          ':token': lease.token,
          ':now': realNowMs,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { claimed: fromItem(out.Attributes!) };
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return { claimed: null, current: e.Item ? fromItem(unmarshall(e.Item)) : null };
    throw e;
  }
}

/** Creates the dossier unless one exists; returns false when it already existed. */
export async function createDossier(d: Dossier): Promise<boolean> {
  const created = await conditionalPutDocument({
    Item: toItem({ ...d, version: 1 }),
    ConditionExpression: 'attribute_not_exists(pk)',
  });
  if (created) await logEvidence(d);
  return created;
}

/**
 * Keeps the evidence log in step with the history. The change it follows is already stored, so a
 * failure here must not undo or fail it: the log is a projection of the history and catches up at
 * the dossier's next change or the next read of its evidence (GET /evidence, bundles).
 */
async function logEvidence(d: Dossier, before?: Dossier): Promise<void> {
  try {
    // The head read with the previous version is the last record when it covers that version's
    // whole history (nothing else can have been appended since): no query for it.
    const head = before?.evidenceHead && before.evidenceHead.seq === before.events.length ? before.evidenceHead : undefined;
    await appendEvidence(d, clock().now(), head);
  } catch (e) {
    log.error('evidence log behind; it catches up at the next change or read', { dossierId: d.id, error: String((e as Error)?.message ?? e) });
  }
}

/**
 * The attributes a dossier write sets, and those it removes (present before, absent now). An
 * update rather than a put, so the evidence head (written by the log alone) is never overwritten
 * with the stale copy this write read.
 */
function dossierUpdate(next: Dossier, current: Dossier) {
  const { pk: _pk, sk: _sk, evidenceHead: _h, ...attributes } = toItem(next);
  const before = storedAttributeNames(current);
  const names: Record<string, string> = { '#version': 'version' };
  const values: DossierItem = { ':expected': current.version };
  const set = Object.entries(attributes).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} = :a${i}`;
  });
  const remove = before
    .filter((name) => name !== 'pk' && name !== 'sk' && name !== 'evidenceHead' && !(name in attributes))
    .map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
  return {
    Key: dossierKey(next.id),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** History is append-only: the evidence log's record n is history entry n-1 forever. */
function assertAppendOnly(next: Dossier, current: Dossier): void {
  const n = current.events.length;
  if (next.events.length < n || (n > 0 && next.events[n - 1] !== current.events[n - 1])) {
    throw new Error(`dossier ${current.id}: a change rewrote its history (events are append-only)`);
  }
}

export interface UpdateOptions {
  /** How long to keep retrying while a send holds the dossier (real ms). */
  busyTimeoutMs?: number;
  /**
   * The dossier as this caller last wrote it (e.g. under its send lease): the first attempt
   * applies the change to it without reading again; the version condition still guards the
   * write, and a conflict falls back to reading.
   */
  known?: Dossier;
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
  return writeDossier(id, mutate, options, logEvidence);
}

/**
 * updateDossier for a change that never appends history (e.g. clearing the bulk-start marker):
 * it does not reference the evidence log, so a Lambda that only makes such changes does not
 * bundle the log and its S3 client (issue 15: handlers import only what they run). A change that
 * appends history anyway is refused before anything is written.
 */
export async function updateDossierState<R extends { dossier: Dossier }>(
  id: string,
  mutate: (d: Dossier) => R,
  options: UpdateOptions = {},
): Promise<R> {
  return writeDossier(id, mutate, options, null);
}

async function writeDossier<R extends { dossier: Dossier }>(
  id: string,
  mutate: (d: Dossier) => R,
  options: UpdateOptions,
  follow: typeof logEvidence | null,
): Promise<R> {
  const started = Date.now();
  const busyTimeout = options.busyTimeoutMs ?? 20_000;
  for (let attempt = 0; ; attempt++) {
    const current = attempt === 0 && options.known?.id === id ? options.known : await getDossier(id);
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
    assertAppendOnly(result.dossier, current);
    if (!follow && result.dossier.events.length > current.events.length) throw new Error(`dossier ${id}: this change appends history; use updateDossier`);
    // The entries the evidence log already holds may leave the item (history-window.ts); the head
    // read with `current` is the proof they are logged. The new entries' seqs follow the stored
    // historyLength, which the version condition guards: seq allocation and the write are one.
    const window = windowFor(result.dossier, current.evidenceHead?.seq ?? 0);
    const next = { ...result.dossier, ...window, version: current.version + 1 };
    const written = await conditionalUpdateDocument(dossierUpdate(next, current));
    if (written) {
      if (next.status !== current.status) statusChanged({ dossierId: id, from: current.status, to: next.status });
      if (follow && historyLength(next) > historyLength(current)) await follow(next, current);
      return { ...result, dossier: next };
    }
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
export { getCreditor, putCreditor, putApiKey } from './creditor-store';
