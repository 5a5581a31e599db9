/**
 * The dossier item (pk D#<id>, sk DOSSIER), through the document client (plain values;
 * clients/dynamodb-documents.ts): the whole dossier, its history window deflated (eventsZ), its
 * payments deflated beyond PACKED_PAYMENTS_FROM, the sparse due-index attribute, the listing
 * attributes and the `appended` marker the table stream's filters read (appended-marker.ts: every
 * write below sets it).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from './clients/dynamodb-documents';
import { unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { historyLength, windowFor } from '../domain/history-window';
import type { DossierEvent, Payment } from '../domain/model';
import { Dossier, DossierBusy, RUNNING, type SendLock } from '../domain/dossier';
import type { Stage } from '../domain/model';
import { DomainError, notFound } from '../domain/errors';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { clock } from './clock';
import { conditionalPutDocument, conditionalUpdateDocument } from './conditional-put';
import { listingAttributes } from './dossier-index';
import { LISTING_ATTRIBUTES } from './table-indexes';
import { settings } from './env';
import { appendEvidence, logTip } from './evidence-log';
import type { ChainHead } from '../domain/evidence-chain';
import { log, statusChanged } from './telemetry';
import { APPENDED_ATTRIBUTE, APPENDED_NONE, appendedMarker } from './appended-marker';

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

/**
 * The history window held by the item, stored deflated (`eventsZ`, binary). A write costs one
 * write unit per KiB of the whole item however little it changes (aws-facts.md), and the held
 * entries were most of a dossier item (2.6 KB of 4.5 in a full escalation, 5 of 7.5 in a plan:
 * evidence keys, SHA-256s, Message-IDs, in repeated JSON field names); deflated they weigh about
 * a third. Same read-once cache as the payments: a change that keeps the very array it read
 * stores the same bytes again. Items stored before keep their `events` list until their next
 * change (fromItem reads both).
 */
const packedEventsFrom = new WeakMap<DossierEvent[], { length: number; bytes: Uint8Array }>();

function packEvents(events: DossierEvent[]): Uint8Array {
  // The length too: an array appended to in place since (a caller's own copy) is packed anew.
  const read = packedEventsFrom.get(events);
  if (read && read.length === events.length) return read.bytes;
  const packed = deflateRawSync(Buffer.from(JSON.stringify(events), 'utf8'), { level: 9 });
  packedEventsFrom.set(events, { length: events.length, bytes: packed });
  return packed;
}

function unpackEvents(z: Uint8Array | string): DossierEvent[] {
  // A stream record's image (JSON) carries binary attributes as base64.
  const bytes = typeof z === 'string' ? Buffer.from(z, 'base64') : z;
  const events = JSON.parse(inflateRawSync(bytes).toString('utf8')) as DossierEvent[];
  packedEventsFrom.set(events, { length: events.length, bytes });
  return events;
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
  const { payments, events, ...rest } = d;
  const item: DossierItem = {
    pk: `D#${d.id}`,
    sk: 'DOSSIER',
    ...rest,
    eventsZ: packEvents(events),
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
  const { payments, events: _e, ...rest } = d;
  const plain: Record<string, unknown> = {
    ...rest,
    eventsZ: true,
    ...(payments.length < PACKED_PAYMENTS_FROM ? { payments } : { paymentsZ: true }),
    nextActionAt: RUNNING.has(d.status) && d.nextAction ? d.nextAction.at : undefined,
    ...listingAttributes(d),
  };
  // Either form of the payments and of the window may be stored whatever this copy holds (a dossier
  // stored the old way has its payments inline): naming both lets the write remove the other one.
  return [...new Set([...Object.keys(plain).filter((k) => plain[k] !== undefined), 'events', 'payments', 'paymentsZ', 'eventSeqs', 'historyLength'])];
}

/**
 * The dossier of a stored item, plain: as the document client reads it, or a stream record's image
 * once unmarshalled (stream images are attribute maps; their consumers unmarshall at the boundary).
 */
export function fromItem(item: DossierItem): Dossier {
  const { pk: _pk, sk: _sk, nextActionAt: _n, paymentsZ, eventsZ, [APPENDED_ATTRIBUTE]: _a, ...rest } = item;
  for (const attribute of LISTING_ATTRIBUTES) delete rest[attribute];
  if (paymentsZ) rest.payments = unpackPayments(paymentsZ as Uint8Array | string);
  if (eventsZ) rest.events = unpackEvents(eventsZ as Uint8Array | string);
  return rest as Dossier;
}

/**
 * A stored dossier without its payments (the stream consumers read the history the change appended
 * and the dossier's identity: inflating thousands of payments from each image for that would make
 * every change of a long-lived dossier cost more than the last). `payments` is left out, not
 * emptied, so nothing can mistake it for a dossier without payments.
 */
export function historyOfItem(item: DossierItem): Omit<Dossier, 'payments'> {
  const { pk: _pk, sk: _sk, nextActionAt: _n, payments: _p, paymentsZ: _z, eventsZ, [APPENDED_ATTRIBUTE]: _a, ...rest } = item;
  for (const attribute of LISTING_ATTRIBUTES) delete rest[attribute];
  if (eventsZ) rest.events = unpackEvents(eventsZ as Uint8Array | string);
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
        // The claim appends no history: its stream record carries the marker saying so.
        UpdateExpression: 'SET #sending = :lease, #version = #version + :one, #appended = :none',
        ConditionExpression:
          '#status = :active AND #next.#stage = :stage AND (attribute_not_exists(#sending) OR attribute_type(#sending, :null) OR #sending.#token = :token OR #sending.#until < :now)',
        ExpressionAttributeNames: { '#sending': 'sending', '#version': 'version', '#status': 'status', '#next': 'nextAction', '#stage': 'stage', '#token': 'token', '#until': 'leaseUntil', '#appended': APPENDED_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':lease': lease,
          ':none': new Set([APPENDED_NONE]),
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

/**
 * Creates the dossier unless one exists (`created` false: it already existed). A created dossier
 * comes with the evidence log's head its records reached (`evidenceHead`, null when they fell
 * behind): the intake's answer shows it without reading the record back (services/dossier-history.ts
 * viewOf reads the record at the history's length only when the dossier does not cover it).
 */
export async function createDossier(d: Dossier): Promise<{ created: boolean; evidenceHead: ChainHead | null }> {
  const created = await conditionalPutDocument({
    // Its whole history is appended by this write.
    Item: { ...toItem({ ...d, version: 1 }), [APPENDED_ATTRIBUTE]: appendedMarker(d.events) },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
  // A dossier just created has no record yet: no query for the last one.
  return created ? { created, evidenceHead: await logEvidence(d, null) } : { created, evidenceHead: null };
}

/**
 * Keeps the evidence log in step with the history. The change it follows is already stored, so a
 * failure here must not undo or fail it: the log is a projection of the history and catches up at
 * the dossier's next change or the next read of its evidence (GET /evidence, bundles).
 * `last`: the log's head as the change found it (logTip), null when the log is known empty.
 */
async function logEvidence(d: Dossier, last: ChainHead | null | undefined): Promise<ChainHead | null> {
  try {
    return await appendEvidence(d, clock().now(), last);
  } catch (e) {
    log.error('evidence log behind; it catches up at the next change or read', { dossierId: d.id, error: String((e as Error)?.message ?? e) });
    return null;
  }
}

/** What a change that appends history does about the evidence log (updateDossier's, not updateDossierState's). */
const followLog = { tip: logTip, log: logEvidence };

/**
 * The attributes a dossier write sets, and those it removes (present before, absent now). The
 * evidence head is set only when the change moves it forward (a head this change's writer read
 * from the log: logTip); the condition keeps it from moving back, also against a writer of an
 * earlier release that advanced it without moving the version.
 */
function dossierUpdate(next: Dossier, current: Dossier, appended: readonly DossierEvent[]) {
  const { pk: _pk, sk: _sk, evidenceHead: head, ...attributes } = toItem(next);
  attributes[APPENDED_ATTRIBUTE] = appendedMarker(appended);
  const moves = head && head.seq > (current.evidenceHead?.seq ?? 0);
  if (moves) attributes.evidenceHead = head;
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
  if (moves) {
    names['#head'] = 'evidenceHead';
    names['#seq'] = 'seq';
    values[':headSeq'] = head.seq;
  }
  return {
    Key: dossierKey(next.id),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: moves ? '#version = :expected AND (attribute_not_exists(#head) OR #head.#seq <= :headSeq)' : '#version = :expected',
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
  return writeDossier(id, mutate, options, followLog);
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
  follow: typeof followLog | null,
): Promise<R> {
  const started = Date.now();
  const busyTimeout = options.busyTimeoutMs ?? 20_000;
  // The log's head found for a history of this length (a retry whose re-read history is as long
  // does not read it again).
  let tip: { length: number; head: ChainHead | null } | undefined;
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
    const appends = historyLength(result.dossier) > historyLength(current);
    if (!follow && appends) throw new Error(`dossier ${id}: this change appends history; use updateDossier`);
    // A change that appends history first finds the log's head (logTip: the dossier's own head,
    // else one GetItem of the record at the stored history's length): this write carries it
    // (no separate write of the head: a write of this item costs as many units as the item has
    // KiB), the new entries' records then follow it. The head is at most one change behind.
    let head = current.evidenceHead;
    if (follow && appends) {
      const length = historyLength(current);
      if (tip?.length !== length) tip = { length, head: await follow.tip(current) };
      head = tip.head ?? undefined;
    }
    // The entries the evidence log already holds may leave the item (history-window.ts); the head
    // (read with `current`, or from the log just now) is the proof they are logged. The new
    // entries' seqs follow the stored historyLength, which the version condition guards: seq
    // allocation and the write are one.
    const window = windowFor(result.dossier, head?.seq ?? 0);
    const next: Dossier = { ...result.dossier, ...window, version: current.version + 1 };
    if (head) next.evidenceHead = head;
    // History is append-only (checked above): what this write appends is the tail beyond the read.
    const written = await conditionalUpdateDocument(dossierUpdate(next, current, result.dossier.events.slice(current.events.length)));
    if (written) {
      if (next.status !== current.status) statusChanged({ dossierId: id, from: current.status, to: next.status });
      // The caller gets the log's head as it is now (its view shows it without a read); the item
      // keeps the one this write carried until the dossier's next change.
      const logged = follow && appends ? await follow.log(next, tip?.head ?? null) : null;
      return { ...result, dossier: logged && logged.seq > (next.evidenceHead?.seq ?? 0) ? { ...next, evidenceHead: logged } : next };
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
