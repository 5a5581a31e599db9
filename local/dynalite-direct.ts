/**
 * dynalite answered without its HTTP listener, in this process. Every DynamoDB call of local mode
 * reached dynalite as a request object whose body was streamed into its listener (in-process, a
 * Readable and a Writable standing in for the socket: ./in-process), and each write twice: once to
 * the stream layer (./dynamodb-stream), which parsed it for its key, then again to dynalite, which
 * parsed the same bytes a second time. Here the listener's own steps run on the request as it is
 * (its headers and body bytes), or on the body the stream layer already parsed: dynalite's header
 * checks in the same order with the same answers, its type checks and validations, its action
 * against its store, and its answer written as it writes it (the same status, headers, CRC32 and
 * body bytes; the request id is as random as its own). ~9 % of an escalation's CPU went to the
 * in-process HTTP plumbing and the second handling of each write.
 *
 * Only the common shape is answered here: a POST to "/" whose body is bytes (not a stream) of at
 * most 16 MiB, a string content type and target, no Origin header (CORS). Anything else is handed
 * to dynalite's listener as before (`undefined`). A thrown error the listener would have thrown
 * (it has no answer for it) rejects here. test/local/dynalite-direct.test.ts sends the same
 * requests both ways, call by call, and compares every byte but the request id.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type * as http from 'node:http';
import { inProcessEnabled, serveInProcess, type PlainRequest, type PlainResponse } from './in-process';
import { prepareDynaliteLevel } from './dynalite-level';
import { READS_TABLE_ONLY, withTableMemo } from './dynalite-table-memo';

type Json = any;
type Store = Json;
type Action = (store: Store, data: Json, cb: (err: Json, result?: Json) => void) => void;
type Validation = { types: Json; custom?: Json };

/** dynalite's index.js, as of 4.0.0: what it accepts before looking at the body. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const VALID_APIS = ['DynamoDB_20111205', 'DynamoDB_20120810'];
const VALID_OPERATIONS = [
  'BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'GetItem', 'ListTables',
  'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable',
];

/** Answers one request to dynalite, with its body already parsed when `parsed` is given (else parsed here). */
export type DynaliteAnswer = (req: PlainRequest, parsed?: Json) => Promise<PlainResponse> | undefined;

const stores = new WeakMap<object, Store>();
const answers = new Map<string, DynaliteAnswer>();
let lastStore: Store | undefined;
let capturing = false;

/**
 * dynalite builds its store inside `dynalite(options)` and keeps it to its listener: its db
 * module's `create` (which dynalite calls through the module object, at each `dynalite()`) is
 * wrapped once so the store just made can be paired with its server (`dynaliteStore`).
 */
function captureStores(): void {
  if (capturing) return;
  capturing = true;
  prepareDynaliteLevel();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const db = require('dynalite/db') as { create: (options: Json) => Store };
  const create = db.create;
  db.create = (options: Json) => (lastStore = create(options));
}

/** `require('dynalite')(options)`, remembering the server's store (for `serveDynaliteInProcess`). */
export function createDynalite<T extends object>(options: Json): T {
  captureStores();
  lastStore = undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = (require('dynalite') as (o: Json) => T)(options);
  if (lastStore) stores.set(server, lastStore);
  lastStore = undefined;
  return server;
}

/** The direct answer for a server made by `createDynalite` (undefined for any other). */
export function dynaliteAnswerFor(server: object): DynaliteAnswer | undefined {
  const store = stores.get(server);
  return store ? answerer(store) : undefined;
}

/** Registers a listening dynalite's direct answer at its address (for `dynaliteAt`); forgotten when it closes. */
function registerDynalite(server: { address(): unknown; once(e: 'close', f: () => void): unknown }, answer: DynaliteAnswer): void {
  const { address, port } = server.address() as { address: string; port: number };
  const id = `${address}:${port}`;
  answers.set(id, answer);
  server.once('close', () => answers.get(id) === answer && answers.delete(id));
}

/** Direct answers are on unless AMIABLE_DYNAMODB_DIRECT=0 (every request through dynalite's listener, as before: to compare). */
export function dynaliteDirectEnabled(): boolean {
  return process.env.AMIABLE_DYNAMODB_DIRECT !== '0';
}

/**
 * Serves a listening dynalite made by `createDynalite` in-process (./in-process), answered
 * directly when direct answers are on. Returns the server.
 */
export function serveDynaliteInProcess<T extends http.Server>(server: T): T {
  const answer = dynaliteDirectEnabled() ? dynaliteAnswerFor(server) : undefined;
  if (!answer) return serveInProcess(server);
  registerDynalite(server, answer);
  return serveInProcess(server, answer);
}

/** The direct answer of the dynalite listening at this URL in this process, if any (and the in-process shortcut is on). */
export function dynaliteAt(url: URL): DynaliteAnswer | undefined {
  return inProcessEnabled() ? answers.get(`${url.hostname}:${url.port}`) : undefined;
}

const actions = new Map<string, Action>();
const validationsOf = new Map<string, Validation>();
/** Loaded at the first answer, after dynalite (its write actions may be wrapped before it loads: ./dynalite-write-images). */
function action(name: string): [Action, Validation] {
  let a = actions.get(name);
  let v = validationsOf.get(name);
  if (!a || !v) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    a = require(`dynalite/actions/${name}`) as Action;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    v = require(`dynalite/validations/${name}`) as Validation;
    actions.set(name, a);
    validationsOf.set(name, v);
  }
  return [a, v];
}

type Validations = {
  checkTypes(data: Json, types: Json): Json;
  checkValidations(data: Json, types: Json, custom: Json, store: Store): void;
};
let validations: Validations | undefined;
let crc32: { unsigned(body: Buffer): number } | undefined;

/**
 * The request id dynalite stamps on every answer: 39 random bytes as 52 upper-case base64
 * characters, "+" and "/" read as "0" (its rand52CharId). Drawn from a pool refilled 256 ids at a
 * time rather than one system call per request (the same bytes, differently batched).
 */
let pool = Buffer.alloc(0);
let poolAt = 0;
function requestId(): string {
  if (poolAt + 39 > pool.length) {
    pool = randomBytes(39 * 256);
    poolAt = 0;
  }
  const id = pool.toString('base64', poolAt, poolAt + 39).toUpperCase().replace(/\+|\//g, '0');
  poolAt += 39;
  return id;
}

/** The headers by lower-case name, as the in-process request object gives them to dynalite (./in-process fakeRequest). */
function lowerHeaders(headers: PlainRequest['headers']): Record<string, string | string[]> {
  const lower: Record<string, string | string[]> = {};
  for (const k of Object.keys(headers)) {
    const v = headers[k];
    if (v !== undefined) lower[k.toLowerCase()] = v;
  }
  return lower;
}

/** The body's length in bytes, when it is bytes (not a stream). */
function byteLength(body: PlainRequest['body']): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return undefined;
}

/** The body as text, as dynalite's listener reads it (`toString()` of its bytes). */
function text(body: string | Uint8Array): string {
  if (typeof body === 'string') return body;
  return (Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)).toString();
}

/** The store dynalite made for a server made by `createDynalite` (tests). */
export function dynaliteStoreOf(server: object): Store | undefined {
  return stores.get(server);
}

function answerer(store: Store): DynaliteAnswer {
  // The item actions read the table description decoded once per stored text (./dynalite-table-memo).
  const itemStore = withTableMemo(store);
  return (req, parsed) => {
    if (req.method !== 'POST' || req.path !== '/') return undefined;
    const headers = lowerHeaders(req.headers);
    if (headers.origin !== undefined) return undefined;
    const contentTypeHeader = headers['content-type'];
    const targetHeader = headers['x-amz-target'];
    const authHeader = headers.authorization;
    if (Array.isArray(contentTypeHeader) || Array.isArray(targetHeader) || Array.isArray(authHeader)) return undefined;
    const bytes = byteLength(req.body);
    // A body over dynalite's limit is refused by its listener (413), and an empty one answered in its own order of checks.
    if (!bytes || bytes > MAX_REQUEST_BYTES) return undefined;
    const contentType = (contentTypeHeader || '').split(';')[0].trim();
    if (contentType !== 'application/json' && contentType !== 'application/x-amz-json-1.0') return undefined;

    // From here on, dynalite's listener (index.js httpHandler) step by step.
    const id = requestId();
    const answerType = contentType !== 'application/x-amz-json-1.0' ? 'application/json' : contentType;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    crc32 ??= require(require.resolve('buffer-crc32', { paths: [path.dirname(require.resolve('dynalite'))] })) as { unsigned(body: Buffer): number };
    const send = (data: Json, statusCode = 200): PlainResponse => {
      const text = JSON.stringify(data);
      const bytes = Buffer.from(text, 'utf8');
      return {
        status: statusCode,
        // The checksum of the bytes (dynalite's of the text, which it encodes to the same UTF-8 bytes first).
        headers: { 'x-amzn-requestid': id, 'x-amz-crc32': String(crc32!.unsigned(bytes)), 'content-type': answerType, 'content-length': String(bytes.length) },
        body: bytes,
      };
    };

    let data = parsed;
    if (data === undefined) {
      try {
        data = JSON.parse(text(req.body as string | Uint8Array));
      } catch {
        return Promise.resolve(send({ __type: 'com.amazon.coral.service#SerializationException' }, 400));
      }
    }

    const target = (targetHeader || '').split('.');
    if (target.length != 2 || !VALID_APIS.includes(target[0]) || !VALID_OPERATIONS.includes(target[1])) {
      return Promise.resolve(send({ __type: 'com.amazon.coral.service#UnknownOperationException' }, 400));
    }
    if (!authHeader || authHeader.trim().slice(0, 5) != 'AWS4-') {
      return Promise.resolve(send({ __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' }, 400));
    }
    let msg = '';
    const authParams = authHeader
      .split(/,| /)
      .slice(1)
      .filter(Boolean)
      .reduce((obj: Record<string, string>, x: string) => {
        const keyVal = x.trim().split('=');
        obj[keyVal[0]] = keyVal[1];
        return obj;
      }, {});
    for (const param of ['Credential', 'Signature', 'SignedHeaders']) if (!authParams[param]) msg += "Authorization header requires '" + param + "' parameter. ";
    if (!headers['x-amz-date'] && !headers.date) msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (msg) msg += 'Authorization=' + authHeader;
    if (msg) return Promise.resolve(send({ __type: 'com.amazon.coral.service#IncompleteSignatureException', message: msg }, 400));

    const name = target[1][0].toLowerCase() + target[1].slice(1);
    const [act, actionValidation] = action(name);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    validations ??= require('dynalite/validations') as Validations;
    try {
      data = validations.checkTypes(data, actionValidation.types);
      validations.checkValidations(data, actionValidation.types, actionValidation.custom, store);
    } catch (err) {
      if ((err as Json)?.statusCode) return Promise.resolve(send((err as Json).body, (err as Json).statusCode));
      return Promise.reject(err);
    }
    return new Promise<PlainResponse>((resolve, reject) => {
      act(READS_TABLE_ONLY.has(name) ? itemStore : store, data, (err, result) => {
        if (err && err.statusCode) return resolve(send(err.body, err.statusCode));
        if (err) return reject(err);
        resolve(send(result));
      });
    });
  };
}
