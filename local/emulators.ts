/**
 * The local AWS stand-ins, started in-process on loopback: dynalite (DynamoDB, on-disk when given a
 * directory), s3rver (S3) behind the Object Lock layer of ./s3-object-lock (s3rver has no Object
 * Lock: it accepts the lock headers and drops them, so the layer records the locks, refuses an
 * overwrite or delete before retain-until and verifies upload checksums; `s3Url` is the layer) and
 * aws-ses-v2-local (SES v2; keeps mail in memory, with a web UI, each message stamped with the
 * simulated instant it was sent: see stampMailWithSimulatedTime), behind ./ses-outbox, which
 * parses raw messages only when the outbox is read (`sesUrl` is that front).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import sesServer from 'aws-ses-v2-local';
import { clock } from '../lambdas/adapters/clock';
import { OBJECT_LOCK_FILE, startObjectLockLayer } from './s3-object-lock';
import { durableS3rverPuts } from './s3rver-durable-put';
import { startSesOutbox } from './ses-outbox';
import { keepIdleConnections } from './loopback';
import { prepareDynaliteLevel } from './dynalite-level';
import { nativeDynaliteCrc32 } from './dynalite-crc32';
import { fasterDynaliteTypeChecks } from './dynalite-check-types';
import { memoizeDynaliteParsers } from './dynalite-parse-memo';
import { fasterDynaliteQueries } from './dynalite-query';
import { createDynalite, serveDynaliteInProcess } from './dynalite-direct';

// Before dynalite loads: LevelDB bounds, read cache, closable iterators (./dynalite-level).
prepareDynaliteLevel();
// Exact repeats of an expression are answered from a memo (./dynalite-parse-memo).
memoizeDynaliteParsers();
// Answers' checksums computed natively (./dynalite-crc32).
nativeDynaliteCrc32();
// Request type checks with their type descriptions memoised (./dynalite-check-types).
fasterDynaliteTypeChecks();
// Queries and scans read LevelDB in a loop, not through streams (./dynalite-query).
fasterDynaliteQueries();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');
/**
 * s3rver's list of storage classes predates Glacier Instant Retrieval (S3, 2021) and refuses it
 * with InvalidStorageClass; the vault PUTs some messages in it directly
 * (lambdas/adapters/evidence-archive.ts). Accepted and kept as the object's x-amz-storage-class,
 * as S3 does; local mode bills nothing, so nothing else about the class matters here.
 */
function acceptGlacierInstantRetrieval(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const classes: string[] = require('s3rver/lib/models/object').STORAGE_CLASSES;
  if (!classes.includes('GLACIER_IR')) classes.push('GLACIER_IR');
}
acceptGlacierInstantRetrieval();
// A PutObject is answered once its bytes are on disk, not before (./s3rver-durable-put).
durableS3rverPuts();

export interface Emulators {
  dynamodbUrl: string;
  s3Url: string;
  sesUrl: string;
  /** How many e-mails the local SES endpoint holds (./ses-outbox), without reading them. */
  outboxSize(): number;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Where DynamoDB and S3 keep their data; a temporary directory when absent. */
  dataDir?: string;
  sesPort?: number;
  /** The instant Object Lock retentions are compared with (local mode: the simulated clock); real time when absent. */
  now?: () => Date;
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

/**
 * aws-ses-v2-local stamps each message it receives with the wall clock (`at`, epoch seconds), which
 * its web UI shows as "At" and GET /store returns. Local mode sends at simulated instants (the
 * message's own Date header is the simulated time): stamp it with the simulated now instead, so the
 * mailbox reads like the dossiers' histories. The emulator runs in this process, and the handlers
 * send while the simulated clock stands at the step's instant. Its store module is patched once;
 * if a new version moves it, mail keeps the wall-clock stamp (and test/local/admin.test.ts fails).
 */
function stampMailWithSimulatedTime(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const store = require('aws-ses-v2-local/dist/store') as { saveEmail?: ((email: { at: number }) => void) & { simulated?: true } };
  const original = store.saveEmail;
  if (typeof original !== 'function' || original.simulated) return;
  const patched = Object.assign((email: { at: number }) => original({ ...email, at: Math.floor(clock().now().getTime() / 1000) }), {
    simulated: true as const,
  });
  store.saveEmail = patched;
}

export async function startEmulators(opts: EmulatorOptions = {}): Promise<Emulators> {
  stampMailWithSimulatedTime();
  const tmp = opts.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-s3-'));
  const s3Dir = opts.dataDir ? path.join(opts.dataDir, 's3') : tmp!;
  fs.mkdirSync(s3Dir, { recursive: true });
  let dynamoDir: string | undefined;
  if (opts.dataDir) {
    dynamoDir = path.join(opts.dataDir, 'dynamodb');
    fs.mkdirSync(dynamoDir, { recursive: true });
  }

  const ddb: http.Server = keepIdleConnections(createDynalite<http.Server>({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
  await new Promise<void>((r) => ddb.listen(0, '127.0.0.1', () => r()));
  // Answered in-process, requests without request objects (./dynalite-direct).
  serveDynaliteInProcess(ddb);

  const s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: s3Dir, silent: true });
  const s3Address = (await s3.run()) as AddressInfo;
  if (s3.httpServer) keepIdleConnections(s3.httpServer as http.Server);
  // Lock records persist next to the objects when there is a data dir (a restart keeps them).
  const objectLock = await startObjectLockLayer({
    upstream: `http://127.0.0.1:${s3Address.port}`,
    now: opts.now ?? (() => new Date()),
    file: opts.dataDir ? path.join(s3Dir, OBJECT_LOCK_FILE) : undefined,
    directory: s3Dir,
  });

  const ses = keepIdleConnections(await sesServer({ host: '127.0.0.1', port: 0 }));

  // The SES emulator's store is module-global: a new local system starts with an empty outbox.
  await fetch(`http://127.0.0.1:${(ses.address() as AddressInfo).port}/clear-store`, { method: 'POST' });
  // In front of it, on the SES port: raw messages are parsed when the outbox is read (./ses-outbox).
  const outbox = await startSesOutbox({
    upstream: `http://127.0.0.1:${(ses.address() as AddressInfo).port}`,
    port: opts.sesPort ?? 0,
    dir: opts.dataDir ? path.join(opts.dataDir, 'ses-pending') : undefined,
    nowSeconds: () => Math.floor(clock().now().getTime() / 1000),
  });

  const port = (s: http.Server) => (s.address() as AddressInfo).port;
  return {
    dynamodbUrl: `http://127.0.0.1:${port(ddb)}`,
    s3Url: objectLock.url,
    sesUrl: outbox.url,
    outboxSize: () => outbox.size(),
    async stop() {
      await outbox.close();
      await objectLock.close();
      s3.httpServer?.closeAllConnections?.();
      await Promise.all([close(ses), s3.close(), close(ddb)]);
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
