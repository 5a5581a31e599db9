/**
 * One client per service per process (reused across invocations), each in its own module under
 * clients/ so that a bundle holds only the SDK clients its handler calls: a client package is
 * 0.2-0.5 MB of minified code that every cold start parses (npm run bench -- --only=bundles).
 * Adapters import the one they use, as a namespace: `import * as clients from './clients/dynamodb'`,
 * then `clients.dynamodb()`. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables,
 * so local mode points the same code at emulators.
 *
 * This module holds no client: it only lets the composition root drop the ones that exist.
 */
const resets = new Set<() => void>();

/** Called by each client module once, with what forgets (and closes) its client. */
export function onReset(reset: () => void): void {
  resets.add(reset);
}

/** Composition root only: local mode re-points the endpoints when it restarts in one process. */
export function resetClients(): void {
  for (const reset of resets) reset();
}

/**
 * Attempts per DynamoDB, S3 and SES call (the SDK's standard retry mode: backoff with jitter,
 * throttling and transient errors only, within the client's retry quota). The SDK v3 default is 3
 * (v2 gave DynamoDB 10): one unit of work here makes 10 to 40 calls (a hand-off reads every evidence
 * object of its dossier), and at 3 attempts a 30 % rate of transient errors still fails one call in
 * 37, so most hand-offs; at 5, one in 400 (test/local/faults.test.ts injects them).
 */
export const SDK_MAX_ATTEMPTS = 5;

export type ClientService = 'dynamodb' | 's3' | 'sesv2' | 'sfn';
let clientHook: ((service: ClientService, client: unknown) => void) | undefined;

/**
 * Local mode's fault injection (tests; local/fault-injection.ts) equips every client as it is
 * created. Never set on AWS: a Lambda has no composition root that calls it.
 */
export function setClientHook(hook: ((service: ClientService, client: unknown) => void) | undefined): void {
  clientHook = hook;
}

/**
 * The logger each client is given. The SDK's logger middleware builds a copy of every call's input
 * and output with sensitive members masked (schemaLogFilter: a walk of the whole request and
 * response, items included) and hands it to `logger.info`, even when the logger is the SDK's
 * default, which drops it: 2 % of local mode's CPU, and as much of a Lambda's SDK time. The SDK
 * calls `info` and `error` only as optional calls (`logger?.info?.(...)`, arguments unevaluated
 * when the method is absent): a logger without them skips the copies. Like the default logger,
 * this one writes nothing; the SDK's direct `warn`/`debug`/`trace` calls still find a method.
 */
const QUIET_LOGGER = { trace() {}, debug() {}, warn() {} };

/**
 * Whether a service's client resolves its middleware stack once per command class (the SDK's
 * `cacheMiddleware`) rather than on every call: resolving it sorts and clones the ~20-entry stack and
 * builds the call's context each time, about a quarter of the client-side CPU of a DynamoDB call
 * (~110 of ~420 µs per call, measured with the HTTP exchange stubbed out). The cached handler keeps ONE
 * context per command class, shared by concurrent calls of that class; middlewares write into it
 * what they resolve per call (the endpoint, its auth scheme, the signing region). That is the same
 * for every call of DynamoDB, SES v2 and Step Functions here (one regional endpoint per client; a
 * table name is not an ARN), so sharing it changes nothing. Not S3: its endpoint depends on the
 * bucket (virtual-hosted style), and two concurrent calls to two buckets could exchange endpoints.
 * Local mode's hooks add their middleware when the client is created, before any call (a cached
 * stack would not see a later one); resetClients drops the cache with the client. The shared
 * context also keeps the first command of each class (its input: at most one message or item per
 * class) as long as the client lives. A call given per-call options bypasses the cache (SDK rule).
 */
const cachesMiddleware = (service: ClientService) => service !== 's3';

/**
 * The SDK builds a new SigV4 signer for every call (a copy of the whole client config, and a
 * signer whose signing-key cache starts empty, so the key's four HMACs are computed again); the
 * signer it builds depends only on the client's config once the first call has fixed the signing
 * region and name on it (the SDK's `config.signingRegion ||= ...`). One signer per client gives the
 * same signatures (credentials are still read from the client's provider at each signing, so a
 * refreshed role session is used) for ~6 % less CPU per call. (A signer that cannot be built, a
 * client without region, fails every call, as before.)
 */
function signerOnce(config: { signer?: unknown }): void {
  const build = config.signer as ((authScheme?: unknown) => Promise<unknown>) | undefined;
  let signer: Promise<unknown> | undefined;
  if (typeof build === 'function') config.signer = (authScheme?: unknown) => (signer ??= build(authScheme));
}

/**
 * Every call copies the client's whole config object three times (`{ ...config }` in the endpoint
 * middleware, `{ ...config, ...context }` in the schema serializer and deserializer: ~50 entries).
 * The SDK builds that object by adding properties one resolver at a time (and redefining
 * `credentials` as an accessor), so V8 keeps it in dictionary mode, where copying it enumerates and
 * sorts a hash table: ~20-50 µs per copy, against ~3 µs for the same object with fast properties
 * (about a fifth of a DynamoDB call's client CPU; scripts/bench-sdk-calls.ts). V8 turns an object
 * back to fast properties when it serves as a prototype through which property loads are made
 * (its `MakePrototypesFast`, what `to-fast-properties` does): one throwaway object over the config
 * and a hundred loads of a property it lacks (enough from a fresh start; fewer only work once the
 * load site has feedback). Nothing observable changes: no property of the config is read, written
 * or redefined (the config's own properties, getters and values stay as they are; the lookup of the
 * absent name only walks to Object.prototype), so at worst a V8 that no longer does this keeps the
 * old speed. test/adapters/aws-clients.test.ts checks the representation on the Node it runs on
 * (Node 20 here: 20 loads sufficed from a fresh process; the Lambdas' Node 24 is not measured).
 */
function fastProperties(config: object): void {
  function Prototype() {}
  Prototype.prototype = config;
  const probe = new (Prototype as unknown as new () => { absent?: unknown })();
  for (let i = 0; i < 100; i++) void probe.absent;
}

/** Called by each client module on the client it creates. */
export function created<T>(service: ClientService, client: T): T {
  const config = (client as { config?: { logger?: unknown; signer?: unknown; cacheMiddleware?: boolean } }).config;
  if (config) {
    config.logger = QUIET_LOGGER;
    config.cacheMiddleware = cachesMiddleware(service);
    signerOnce(config);
    fastProperties(config);
  }
  clientHook?.(service, client);
  return client;
}
