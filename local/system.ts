/**
 * Local mode, composed: the synthesized stack, the emulators, the local Step Functions engine, the
 * simulated clock and the HTTP front, wired so the unchanged handlers run against them.
 * One system per process (handlers read their settings from process.env, as on Lambda).
 */
import './polyfills';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { clock, installClock, systemClock } from '../lambdas/adapters/clock';
import { resetClients } from '../lambdas/adapters/aws-clients';
import { putApiKey, putCreditor } from '../lambdas/adapters/dossier-store';
import { ClockController } from './clock-controller';
import { DEMO_PROFILE_PATH, loadCreditorProfile } from './creditor-profile';
import { startEmulators, Emulators } from './emulators';
import { lambdaContext, loadHandler } from './handlers';
import { HttpFront, startHttpFront } from './http-front';
import { ExecutionRecord, LocalStepFunctions } from './sfn/local-step-functions';
import { startSfnEndpoint } from './sfn/sfn-http';
import { SimulatedClock } from './sim-clock';
import { LOCAL_REGION, synthesize, SynthesizedSystem } from './template';
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
  /** Creditor profile file (default: <dataDir>/creditor-profile.json, seeded from the demo profile). */
  profilePath?: string;
}

export interface LocalSystem {
  apiUrl: string;
  sesUrl: string;
  apiKey: string;
  creditorId: string;
  clock: ClockController;
  engine: LocalStepFunctions;
  synthesized: SynthesizedSystem;
  stop(): Promise<void>;
}

export async function startLocalSystem(opts: LocalOptions = {}): Promise<LocalSystem> {
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const synthesized = synthesize();
  // Retentions are computed from simulated time, so the S3 layer's lock checks read the simulated
  // clock; it is installed below, hence read at each request rather than now.
  const emulators = await startEmulators({ dataDir, sesPort: opts.sesPort, now: () => clock().now() });
  const closers: (() => Promise<void>)[] = [() => emulators.stop()];
  try {
    configureEnvironment(emulators, synthesized);
    await createResources(synthesized);

    const clockFile = dataDir ? path.join(dataDir, 'clock.json') : undefined;
    const start = opts.clockStart ? new Date(opts.clockStart) : new Date();
    if (Number.isNaN(start.getTime())) throw new Error(`AMIABLE_CLOCK_START is not an ISO 8601 instant: ${opts.clockStart}`);
    const clock = SimulatedClock.load(clockFile, start);
    installClock(clock);

    const executionsFile = dataDir ? path.join(dataDir, 'executions.json') : undefined;
    const engine = new LocalStepFunctions({
      definition: synthesized.definition,
      stateMachineArn: synthesized.stateMachineArn,
      now: () => clock.now(),
      task: taskRunner(synthesized),
      records: executionsFile && fs.existsSync(executionsFile) ? (JSON.parse(fs.readFileSync(executionsFile, 'utf8')) as ExecutionRecord[]) : [],
      onChange: executionsFile ? (records) => writeAtomic(executionsFile, JSON.stringify(records)) : undefined,
    });
    const sfnEndpoint = await startSfnEndpoint(engine, synthesized.stateMachineArn);
    closers.unshift(() => sfnEndpoint.close());
    process.env.AWS_ENDPOINT_URL_SFN = sfnEndpoint.url;
    resetClients();

    const { creditorId, apiKey } = await seedCreditor(dataDir, opts);
    const controller = new ClockController(clock, engine);
    const front: HttpFront = await startHttpFront({ port: opts.apiPort ?? 0, clock: controller });
    closers.unshift(() => front.close());
    // Anything already due at this instant (e.g. after a restart) runs now, in the background.
    void controller.advanceTo(clock.now());

    return {
      apiUrl: front.url,
      sesUrl: emulators.sesUrl,
      apiKey,
      creditorId,
      clock: controller,
      engine,
      synthesized,
      async stop() {
        // Finish in-flight work first: a clean stop leaves every dossier parked where it stood.
        await front.close();
        closers.shift();
        await engine.idle();
        for (const close of closers) await close();
        installClock(systemClock);
        resetClients();
      },
    };
  } catch (e) {
    for (const close of closers) await close().catch(() => undefined);
    throw e;
  }
}

function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
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
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  // Every function's environment, resolved from the template (the sets agree on shared names).
  for (const fn of s.functions.values()) Object.assign(process.env, fn.environment);
}

async function createResources(s: SynthesizedSystem): Promise<void> {
  const ddb = new DynamoDBClient({});
  try {
    await ddb.send(new DescribeTableCommand({ TableName: s.tableName }));
  } catch {
    const t = s.table;
    await ddb.send(
      new CreateTableCommand({
        TableName: s.tableName,
        KeySchema: t.KeySchema,
        AttributeDefinitions: t.AttributeDefinitions,
        GlobalSecondaryIndexes: t.GlobalSecondaryIndexes,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  ddb.destroy();
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: s.bucketName, ObjectLockEnabledForBucket: true }));
  } catch (e) {
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(String((e as Error).name))) throw e;
  }
  s3.destroy();
}

/** Maps each Task state to what it calls: the same handler code, or an SDK call to an emulator. */
function taskRunner(s: SynthesizedSystem) {
  let client: DynamoDBClient | undefined;
  return async (stateName: string, parameters: any): Promise<any> => {
    const resource: string = s.definition.States[stateName].Resource;
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const logicalId = String(parameters.FunctionName).split(':').pop()!;
      const fn = s.functions.get(logicalId);
      if (!fn) throw new Error(`no local function for ${parameters.FunctionName}`);
      const handler = await loadHandler(fn.handler);
      // Payloads cross a JSON boundary on AWS; do the same here.
      const payload = JSON.parse(JSON.stringify(parameters.Payload ?? {}));
      const result = await handler(payload, lambdaContext(logicalId)).catch((e: Error) => {
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
  await putCreditor(profile);
  let apiKey = opts.apiKey;
  const keyFile = dataDir ? path.join(dataDir, 'api-key') : undefined;
  if (!apiKey && keyFile && fs.existsSync(keyFile)) apiKey = fs.readFileSync(keyFile, 'utf8').trim();
  if (!apiKey) {
    apiKey = `amk_${randomBytes(24).toString('base64url')}`;
    if (keyFile) fs.writeFileSync(keyFile, apiKey + '\n', { mode: 0o600 });
  }
  await putApiKey(apiKey, profile.id);
  return { creditorId: profile.id, apiKey };
}
