/**
 * Local mode, composed: the synthesized stack, the emulators, the local Step Functions engine, the
 * simulated clock and the HTTP front, wired so the unchanged handlers run against them.
 * One system per process (handlers read their settings from process.env, as on Lambda).
 */
import './polyfills';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { clock as currentClock, installClock, systemClock } from '../lambdas/adapters/clock';
import { resetClients } from '../lambdas/adapters/aws-clients';
import { putApiKey, putCreditor } from '../lambdas/adapters/creditor-store';
import { newApiKey } from '../lambdas/services/admin';
import { ClockActivity, ClockController, CLOCK_MAX, CLOCK_MIN } from './clock-controller';
import { startLocalStream, streamConsumers, type StreamRecord } from './dynamodb-stream';
import { LocalScheduler, schedulesOf } from './scheduler';
import { DEMO_PROFILE_PATH, loadCreditorProfile } from './creditor-profile';
import { startEmulators, Emulators } from './emulators';
import { ensureTable } from './table-upgrade';
import { invokeHandler, lambdaContext, runHandlerHere, runHandlersIn, workerObserverOf } from './handlers';
import { mainShare, startHandlerWorkers, workerCount, type HandlerPool } from './handler-workers';
import { HttpFront, HttpFrontOptions, startHttpFront } from './http-front';
import { FaultOptions, startFaultInjection } from './fault-injection';
import { LocalStepFunctions } from './sfn/local-step-functions';
import { ExecutionLog } from './sfn/execution-log';
import { startSfnEndpoint } from './sfn/sfn-http';
import { SimulatedClock } from './sim-clock';
import { LOCAL_ACCOUNT, LOCAL_REGION, synthesize, SynthesizedSystem } from './template';
import { BusEventRecord, startLocalEventBus } from './eventbridge';
import { LocalExecutionEvents, stepFunctionsRules } from './execution-events';
import { queuesOf, startLocalQueues, type LocalQueues } from './sqs';
import { resetQueueClient } from '../lambdas/adapters/bulk-queue';
import { GetItemCommandInput } from '@aws-sdk/client-dynamodb';

export interface LocalOptions {
  /** Where all state lives; in memory / temporary when absent (tests). */
  dataDir?: string;
  apiPort?: number;
  sesPort?: number;
  /** Initial simulated instant for a new data dir (default: real now). */
  clockStart?: string;
  /** Overrides the saved API key. */
  apiKey?: string;
  /** Overrides the saved admin key (header x-admin-key on /admin routes). */
  adminKey?: string;
  /** Creditor profile file (default: <dataDir>/creditor-profile.json, seeded from the demo profile). */
  profilePath?: string;
  /**
   * The accountants' digest schedule and the table's stream consumers (immediate alerts, digest
   * jobs), emulated as on AWS (default true). Off, the table has no stream consumer and no
   * schedule fires: tests about other mail turn it off so accountants' e-mails do not mix in.
   */
  accountantMail?: boolean;
  /** The hourly stall sweep's schedule (lib/stall-sweep.ts) fires as on AWS (default: as accountantMail). */
  stallSweep?: boolean;
  /** Told of every answer of the HTTP front (tests check each against docs/openapi.yaml). */
  onResponse?: HttpFrontOptions['onResponse'];
  /**
   * Told of every record of the table's stream, with the handlers whose event source filters let
   * it through (tests: what the consumers would have decided without their filters).
   */
  onStreamRecord?: (record: StreamRecord, deliveredTo: string[]) => void;
  /** Injected SDK faults once started (local/fault-injection.ts; tests, or AMIABLE_FAULTS). Logged to <dataDir>/faults.jsonl. */
  faults?: FaultOptions;
  /**
   * How many worker threads run the Lambda handlers (local/handler-workers.ts); 0: all in this
   * thread. Default: AMIABLE_LOCAL_WORKERS, else local/handler-workers.ts's default. With `faults`
   * always 0: the seeded faults are drawn in call order, which threads running side by side would
   * not keep from one run to the next.
   */
  workers?: number;
  /**
   * With workers, the share of the invocations in flight the main thread runs itself
   * (local/handler-workers.ts `mainShare`). Default: AMIABLE_LOCAL_MAIN_SHARE, else 0 (none).
   */
  mainShare?: number;
}

export interface LocalSystem {
  apiUrl: string;
  sesUrl: string;
  /**
   * How many e-mails the local SES endpoint holds (what GET /store lists), without parsing or
   * reading any: a count of thousands of letters costs nothing (the bench's).
   */
  outboxSize(): number;
  apiKey: string;
  /** The local admin key (x-admin-key), which authorizes the /admin routes. */
  adminKey: string;
  creditorId: string;
  clock: ClockController;
  engine: LocalStepFunctions;
  synthesized: SynthesizedSystem;
  /** What was put on the default EventBridge bus (GET /_local/events). */
  events(): BusEventRecord[];
  /** Execution status change events delivered to the template's rules (lib/execution-watch.ts). */
  executionEvents: LocalExecutionEvents;
  /**
   * Fault injection for tests: every run of these Task states throws `error` (after its retries,
   * as the definition says) until the returned function is called.
   */
  failTasks(states: string[], error: { name: string; message: string }): () => void;
  /** The template's SQS queues, run in-process (bulk starts, webhook deliveries, their dead-letter queues). */
  queues: LocalQueues;
  /** How many worker threads run the handlers (0: this thread). */
  workers: number;
  /** With workers: how many invocations the main thread and the workers have run so far. */
  handlerThreads(): { main: number; workers: number } | undefined;
  /**
   * How many writes have changed an item of the table so far (the local stream's records), or
   * null when the table has no stream consumer (accountantMail: false).
   */
  tableChanges(): number | null;
  stop(): Promise<void>;
}

export async function startLocalSystem(opts: LocalOptions = {}): Promise<LocalSystem> {
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const synthesized = synthesize();
  // The handlers' worker threads start first: their start-up overlaps the emulators'.
  const workers = opts.faults ? 0 : opts.workers ?? workerCount();
  const observer = workerObserverOf();
  // The main thread takes its share of the invocations too (AMIABLE_LOCAL_MAIN_SHARE). The pool is
  // reached through invokeHandler, which has already shown the invocation to the observer (the
  // bench's meter, which attributes what a handler does here by its async context): run unwrapped.
  const share = opts.mainShare ?? mainShare();
  const here = share > 0 ? { share, run: runHandlerHere } : undefined;
  const pool: HandlerPool | undefined = workers > 0 ? startHandlerWorkers({ size: workers, observer, here }) : undefined;
  // Retentions are computed from simulated time, so the S3 layer's lock checks read the simulated
  // clock; it is installed below, hence read at each request rather than now.
  const emulators = await startEmulators({ dataDir, sesPort: opts.sesPort, now: () => currentClock().now() }).catch(async (e) => {
    await pool?.stop();
    throw e;
  });
  const closers: (() => Promise<void>)[] = [() => emulators.stop()];
  if (pool) {
    closers.push(async () => {
      runHandlersIn(undefined);
      await pool.stop();
    });
  }
  try {
    configureEnvironment(emulators, synthesized);
    // The table's stream (dynalite has none): a layer in front of it feeds the template's consumers.
    // In a handler worker thread once the environment is set (below), in this thread before.
    const invoke = (handler: string, event: unknown) => invokeHandler(handler, event, lambdaContext(handler));
    // Events out (lib/events-out.ts) reads the stream too, always; the accountants' consumers only with accountantMail.
    const ACCOUNTANTS = new Set(['digest', 'accountant-alerts']);
    const consumers = streamConsumers(synthesized.template, synthesized.functions).filter((c) => opts.accountantMail !== false || !ACCOUNTANTS.has(c.handler));
    const activities: ClockActivity[] = [];
    let settleStream: (() => Promise<void>) | undefined;
    let tableChanges = (): number | null => null;
    let streamBusy = (): number => 0;
    if (consumers.length > 0) {
      const stream = await startLocalStream({
        upstream: emulators.dynamodbUrl,
        tableName: synthesized.tableName,
        streamArn: `arn:aws:dynamodb:${LOCAL_REGION}:000000000000:table/${synthesized.tableName}/stream/local`,
        region: LOCAL_REGION,
        consumers,
        invoke,
        now: () => currentClock().now(),
        onRecord: opts.onStreamRecord,
      });
      closers.unshift(() => stream.close());
      process.env.AWS_ENDPOINT_URL_DYNAMODB = stream.url;
      resetClients();
      activities.push({ nextWakeAt: () => null, wakeDue: async () => undefined, idle: () => stream.idle(), get busy() { return stream.busy; } });
      settleStream = () => stream.idle();
      tableChanges = () => stream.changes;
      streamBusy = () => stream.busy;
    }
    await createResources(synthesized, dataDir);

    const clockFile = dataDir ? path.join(dataDir, 'clock.json') : undefined;
    const start = opts.clockStart ? new Date(opts.clockStart) : new Date();
    if (Number.isNaN(start.getTime())) throw new Error(`AMIABLE_CLOCK_START is not an ISO 8601 instant: ${opts.clockStart}`);
    if (start < CLOCK_MIN || start > CLOCK_MAX) {
      throw new Error(`AMIABLE_CLOCK_START must lie from ${CLOCK_MIN.toISOString()} to ${CLOCK_MAX.toISOString()}: ${opts.clockStart}`);
    }
    const clock = SimulatedClock.load(clockFile, start);
    installClock(clock);
    if (pool) {
      // The workers read this clock's instant live (local/handler-workers.ts).
      pool.clockMoved(clock.now());
      clock.onMove = (at) => pool.clockMoved(at);
    }

    // Execution status changes -> the template's rules on them (FAILED, TIMED_OUT, ABORTED -> execution-status).
    const executionEvents = new LocalExecutionEvents({
      rules: stepFunctionsRules(synthesized.template, synthesized.functions),
      stateMachineArn: synthesized.stateMachineArn,
      account: LOCAL_ACCOUNT,
      region: LOCAL_REGION,
      now: () => clock.now(),
      invoke,
    });
    activities.push(executionEvents);
    const faults = new Map<string, { name: string; message: string }>();
    // Executions persist incrementally (one appended line per change: ./sfn/execution-log.ts).
    const executionLog = dataDir ? new ExecutionLog(path.join(dataDir, 'executions.jsonl'), path.join(dataDir, 'executions.json')) : undefined;
    const engine = new LocalStepFunctions({
      definition: synthesized.definition,
      stateMachineArn: synthesized.stateMachineArn,
      now: () => clock.now(),
      task: taskRunner(synthesized, faults),
      onStatusChange: executionEvents.emit,
      records: executionLog?.load() ?? [],
      onChange: executionLog ? (record) => executionLog.append(record) : undefined,
      wakeConcurrency: process.env.AMIABLE_WAKE_CONCURRENCY ? Number(process.env.AMIABLE_WAKE_CONCURRENCY) : undefined,
    });
    if (executionLog) closers.unshift(async () => executionLog.close());
    const sfnEndpoint = await startSfnEndpoint(engine, synthesized.stateMachineArn);
    closers.unshift(() => sfnEndpoint.close());
    process.env.AWS_ENDPOINT_URL_SFN = sfnEndpoint.url;
    // The default EventBridge bus: a recorder the front serves as GET /_local/events.
    const bus = await startLocalEventBus({
      file: dataDir ? path.join(dataDir, 'events.jsonl') : undefined,
      account: LOCAL_ACCOUNT,
      region: LOCAL_REGION,
      now: () => clock.now(),
    });
    closers.unshift(() => bus.close());
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.url;
    resetClients();
    // SQS: the template's queues (bulk intake's start queue, webhook deliveries, their dead-letter
    // queues) and their Lambda consumers, in-process; DelaySeconds in simulated time.
    const queues = await startLocalQueues({
      queues: queuesOf(synthesized.template, synthesized.functions, (id) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${id}`),
      region: LOCAL_REGION,
      invoke,
      file: dataDir ? path.join(dataDir, 'sqs.jsonl') : undefined,
      now: () => clock.now(),
    });
    closers.unshift(() => queues.close());
    process.env.AWS_ENDPOINT_URL_SQS = queues.url;
    resetQueueClient();
    activities.push(queues);
    // Every endpoint is set: from now on the handlers run in the worker threads, if any.
    if (pool) runHandlersIn(pool);
    const settleStreamOnly = settleStream;
    settleStream = async () => {
      // A stream record may queue a delivery, whose attempt writes to the table: until both are still.
      do {
        await settleStreamOnly?.();
        await queues.idle();
        // Only these two: idle() of a busy one waits on a real promise, so this never spins.
      } while (queues.busy > 0 || streamBusy() > 0);
    };

    const { creditorId, apiKey } = await seedCreditor(dataDir, opts);
    const adminKey = savedKey(dataDir, 'admin-key', opts.adminKey, 'ama_');
    // The schedules (EventBridge Scheduler: the digest, the stall sweep), fired by the simulated clock at their instants.
    const schedules = schedulesOf(synthesized.template, synthesized.functions).filter((s) =>
      s.handler === 'stall-sweep' ? (opts.stallSweep ?? opts.accountantMail !== false) : opts.accountantMail !== false,
    );
    if (schedules.length > 0) {
      activities.push(new LocalScheduler({ schedules, file: dataDir ? path.join(dataDir, 'scheduler.json') : undefined, now: () => clock.now(), invoke }));
    }
    const controller = new ClockController(clock, engine, activities);
    const front: HttpFront = await startHttpFront({ port: opts.apiPort ?? 0, clock: controller, adminKey, settle: settleStream, events: () => bus.events(), onResponse: opts.onResponse });
    closers.unshift(() => front.close());
    if (opts.faults) {
      const injector = startFaultInjection({ ...opts.faults, logFile: opts.faults.logFile ?? (dataDir ? path.join(dataDir, 'faults.jsonl') : undefined) });
      closers.push(async () => injector.stop());
    }
    // Anything already due at this instant (e.g. after a restart) runs now, in the background.
    void controller.advanceTo(clock.now());

    return {
      apiUrl: front.url,
      sesUrl: emulators.sesUrl,
      outboxSize: () => emulators.outboxSize(),
      apiKey,
      adminKey,
      creditorId,
      clock: controller,
      engine,
      synthesized,
      events: () => bus.events(),
      executionEvents,
      failTasks(states, error) {
        for (const s of states) {
          if (synthesized.definition.States[s]?.Type !== 'Task') throw new Error(`failTasks: ${s} is not a Task state`);
          faults.set(s, error);
        }
        return () => states.forEach((s) => faults.delete(s));
      },
      queues,
      workers,
      handlerThreads: () => (pool ? { main: pool.taken.here, workers: pool.taken.workers } : undefined),
      tableChanges,
      async stop() {
        // Finish in-flight work first: a clean stop leaves every dossier parked where it stood.
        await front.close();
        closers.shift();
        await controller.settle();
        for (const close of closers) await close();
        installClock(systemClock);
        resetClients();
        resetQueueClient();
      },
    };
  } catch (e) {
    for (const close of closers) await close().catch(() => undefined);
    throw e;
  }
}

function configureEnvironment(emulators: Emulators, s: SynthesizedSystem): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    // s3rver only accepts these credentials; dynalite and the SES emulator accept any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbUrl,
    AWS_ENDPOINT_URL_S3: emulators.s3Url,
    AWS_ENDPOINT_URL_SESV2: emulators.sesUrl,
    // s3rver stores aws-chunked uploads verbatim unless checksums are only sent when required.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AMIABLE_S3_FORCE_PATH_STYLE: '1',
    // Registered e-mail (LRE) through the local stand-in provider (lambdas/services/registered-email.ts).
    AMIABLE_LRE_PROVIDER: 'local',
    // Local receivers (http://127.0.0.1:…) may be registered as webhooks; on AWS only https.
    AMIABLE_WEBHOOKS_ALLOW_HTTP: '1',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  // Every function's environment, resolved from the template (the sets agree on shared names).
  for (const fn of s.functions.values()) Object.assign(process.env, fn.environment);
  // The bulk starter's settings are its own (one process runs every handler here): the local
  // engine has no StartExecution quota, so starts are unpaced unless AMIABLE_BULK_START_RATE says
  // otherwise, and the SDK retry settings meant for throttling stay off the other handlers.
  process.env.BULK_STARTS_PER_SECOND = process.env.AMIABLE_BULK_START_RATE ?? '0';
  delete process.env.AWS_RETRY_MODE;
  delete process.env.AWS_MAX_ATTEMPTS;
}

async function createResources(s: SynthesizedSystem, dataDir: string | undefined): Promise<void> {
  const ddb = new DynamoDBClient({});
  // Created from the template; a data dir from an older version gains the new indexes.
  await ensureTable(ddb, { ...s.table, TableName: s.tableName }, dataDir);
  ddb.destroy();
  const s3 = new S3Client({ forcePathStyle: true });
  // The vault, and the bundles' exports bucket the functions name (no lock; its expiry is not emulated).
  const exports = [...s.functions.values()].map((f) => f.environment.EXPORTS_BUCKET).find(Boolean);
  for (const [bucket, locked] of [[s.bucketName, true], ...(exports ? [[exports, false] as const] : [])] as const) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: locked }));
    } catch (e) {
      if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(String((e as Error).name))) throw e;
    }
  }
  s3.destroy();
}

/** Maps each Task state to what it calls: the same handler code, or an SDK call to an emulator. */
function taskRunner(s: SynthesizedSystem, faults: ReadonlyMap<string, { name: string; message: string }> = new Map()) {
  let client: DynamoDBClient | undefined;
  return async (stateName: string, parameters: any): Promise<any> => {
    const fault = faults.get(stateName);
    if (fault) throw Object.assign(new Error(fault.message), { name: fault.name });
    const resource: string = s.definition.States[stateName].Resource;
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const logicalId = String(parameters.FunctionName).split(':').pop()!;
      const fn = s.functions.get(logicalId);
      if (!fn) throw new Error(`no local function for ${parameters.FunctionName}`);
      // Payloads cross a JSON boundary on AWS; do the same here.
      const payload = JSON.parse(JSON.stringify(parameters.Payload ?? {}));
      const result = await invokeHandler(fn.handler, payload, lambdaContext(logicalId)).catch((e: Error) => {
        // What CloudWatch Logs would show on AWS.
        if (process.env.AMIABLE_DEBUG) console.error(`[${fn.handler}]`, e?.stack ?? e);
        throw e;
      });
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: JSON.parse(JSON.stringify(result ?? null)) };
    }
    if (resource === 'arn:aws:states:::dynamodb:getItem') {
      client ??= new DynamoDBClient({});
      const { $metadata: _m, ...out } = await client.send(new GetItemCommand(parameters as GetItemCommandInput));
      return out;
    }
    throw new Error(`local mode does not emulate Task resource ${resource} (state ${stateName})`);
  };
}

async function seedCreditor(dataDir: string | undefined, opts: LocalOptions): Promise<{ creditorId: string; apiKey: string }> {
  let profileFile = opts.profilePath ?? DEMO_PROFILE_PATH;
  if (!opts.profilePath && dataDir) {
    profileFile = path.join(dataDir, 'creditor-profile.json');
    if (!fs.existsSync(profileFile)) fs.copyFileSync(DEMO_PROFILE_PATH, profileFile);
  }
  const profile = loadCreditorProfile(profileFile);
  await putCreditor(profile, currentClock().now());
  const apiKey = savedKey(dataDir, 'api-key', opts.apiKey);
  await putApiKey(apiKey, profile.id, { role: 'operator', label: 'local mode (npm start banner)', now: currentClock().now() });
  return { creditorId: profile.id, apiKey };
}

/**
 * A key given by the environment, else the one saved in the data dir, else a new one (saved, mode
 * 0600): amk_<base64url> for an API key (only its hash goes into the table), ama_<base64url> for
 * the local admin key (never stored in the table: the local front compares it).
 */
function savedKey(dataDir: string | undefined, fileName: string, given: string | undefined, prefix = 'amk_'): string {
  if (given) return given;
  const file = dataDir ? path.join(dataDir, fileName) : undefined;
  if (file && fs.existsSync(file)) {
    const saved = fs.readFileSync(file, 'utf8').trim();
    if (saved) return saved;
  }
  const key = prefix + newApiKey().slice('amk_'.length);
  if (file) fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}
