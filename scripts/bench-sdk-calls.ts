/**
 * Client-side CPU of one SDK call, per operation, for the SDK's clients as the SDK builds them
 * ("plain") and as lambdas/adapters/aws-clients.ts `created` tunes them ("tuned"): a request
 * handler that answers a canned response at once stands in for the service, so what is timed is
 * what the client does (middleware, endpoint, serialisation, signing, parsing; the DynamoDB
 * document commands' marshalling too). Not a test: numbers, for the pull request and the notes.
 *
 *   npx tsx scripts/bench-sdk-calls.ts            # both endpoint setups, both clients, every operation
 *   SDK_CALLS=3000 SDK_ROUNDS=9 SDK_ENDPOINTS=local SDK_CLIENTS=tuned SDK_OPS=ddb npx tsx scripts/bench-sdk-calls.ts
 *   (with --cpu-prof, SDK_CLIENTS=tuned and SDK_OPS: a profile of one client's calls)
 *
 * "aws": no endpoint configured (the regional endpoint from the rule set, as on AWS); "local":
 * AWS_ENDPOINT_URL_<SERVICE> set, as local mode does. Credentials come from the environment, as
 * in a Lambda. Each cell: the median over SDK_ROUNDS (7) rounds of SDK_CALLS (1,000) sequential
 * calls of µs of process CPU per call, the clients' rounds interleaved (a loaded machine slows both
 * alike). Nothing else should run in this process: the CPU is the whole process's.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import { created } from '../lambdas/adapters/aws-clients';
import { documentsOver, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../lambdas/adapters/clients/dynamodb-documents';

const CALLS = Number(process.env.SDK_CALLS ?? 1000);
const ROUNDS = Number(process.env.SDK_ROUNDS ?? 7);
process.env.AWS_REGION = 'eu-west-3';
process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCH';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';
process.env.AWS_SESSION_TOKEN = 'token';

/** A dossier-like item: ~40 attributes, nested maps and lists (what hand-off reads). */
const dossier = {
  pk: 'CREDITOR#c-1',
  sk: 'DOSSIER#d-000123',
  status: 'waiting',
  amountCents: 123456,
  debtor: { name: 'SARL Exemple', siren: '123456789', email: 'compta@example.fr', address: { line1: '1 rue de la Paix', postcode: '75002', city: 'Paris' } },
  invoices: Array.from({ length: 4 }, (_, i) => ({ number: `F-2026-${i}`, amountCents: 30000 + i, dueDate: '2026-03-01', issuedAt: '2026-02-01' })),
  history: Array.from({ length: 12 }, (_, i) => ({ at: `2026-04-${String(i + 1).padStart(2, '0')}T10:00:00.000Z`, kind: 'notice_sent', stage: i })),
  tags: new Set(['a', 'b']),
  ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`field${i}`, i % 2 ? `value ${i}` : i])),
};
const itemJson = JSON.stringify({ Item: marshall(dossier, { removeUndefinedValues: true }) });
const queryJson = JSON.stringify({ Items: Array.from({ length: 5 }, () => marshall(dossier, { removeUndefinedValues: true })), Count: 5, ScannedCount: 5 });

function stub(answer: (request: { method: string; path: string; headers: Record<string, string> }) => { headers: Record<string, string>; body: string | Buffer }) {
  return {
    handle: async (request: { method: string; path: string; headers: Record<string, string>; body?: unknown }) => {
      const a = answer(request);
      return { response: { statusCode: 200, headers: a.headers, body: Readable.from([Buffer.from(a.body)]) } };
    },
  };
}

const ddbAnswer = stub((r) => {
  const target = r.headers['x-amz-target'] ?? '';
  const body = target.endsWith('GetItem') ? itemJson : target.endsWith('Query') ? queryJson : '{}';
  return { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r' }, body };
});
const pdf = Buffer.alloc(40_000, 7);
const s3Answer = stub((r): { headers: Record<string, string>; body: string | Buffer } => (r.method === 'GET' ? { headers: { 'content-type': 'application/pdf', 'content-length': String(pdf.length), etag: '"e"' }, body: pdf } : { headers: { etag: '"e"' }, body: '' }));
const sesAnswer = stub(() => ({ headers: { 'content-type': 'application/json' }, body: '{"MessageId":"m-1"}' }));
const sfnAnswer = stub(() => ({ headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"executionArn":"arn:aws:states:eu-west-3:111122223333:execution:m:x","startDate":1.7e9}' }));

type Op = () => Promise<unknown>;

function operations(variant: string): [string, Op][] {
  const tuned = variant !== 'plain';
  const tune = <T>(service: Parameters<typeof created>[0], c: T) => (tuned ? created(service, c) : c);
  const ddb = tune('dynamodb', new DynamoDBClient({ maxAttempts: 5, requestHandler: ddbAnswer as never }));
  const docs = documentsOver(ddb);
  const s3 = tune('s3', new S3Client({ maxAttempts: 5, requestHandler: s3Answer as never, forcePathStyle: !!process.env.AWS_ENDPOINT_URL_S3 }));
  const ses = tune('sesv2', new SESv2Client({ maxAttempts: 5, requestHandler: sesAnswer as never }));
  const sfn = tune('sfn', new SFNClient({ requestHandler: sfnAnswer as never }));
  const key = { pk: 'CREDITOR#c-1', sk: 'DOSSIER#d-000123' };
  const mail = Buffer.alloc(60_000, 65);
  let n = 0;
  return [
    ['ddb GetItem (low level)', () => ddb.send(new GetItemCommand({ TableName: 'amiable', Key: { pk: { S: key.pk }, sk: { S: key.sk } } }))],
    ['ddb Get (document)', () => docs.send(new GetCommand({ TableName: 'amiable', Key: key, ConsistentRead: true }))],
    ['ddb Put (document)', () => docs.send(new PutCommand({ TableName: 'amiable', Item: dossier, ConditionExpression: 'attribute_not_exists(pk)' }))],
    [
      'ddb Update (document)',
      () =>
        docs.send(
          new UpdateCommand({
            TableName: 'amiable',
            Key: key,
            UpdateExpression: 'SET #s = :s, #h = list_append(#h, :h)',
            ExpressionAttributeNames: { '#s': 'status', '#h': 'history' },
            ExpressionAttributeValues: { ':s': 'sent', ':h': [{ at: '2026-05-04T10:00:00.000Z', kind: 'x' }] },
          }),
        ),
    ],
    ['ddb Query (document, 5 items)', () => docs.send(new QueryCommand({ TableName: 'amiable', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': key.pk } }))],
    [
      's3 GetObject 40 KB',
      async () => {
        const o = await s3.send(new GetObjectCommand({ Bucket: 'vault', Key: `dossiers/d-${n++ % 10}/notice.pdf` }));
        return o.Body!.transformToByteArray();
      },
    ],
    ['s3 PutObject 40 KB', () => s3.send(new PutObjectCommand({ Bucket: 'vault', Key: `dossiers/d-${n++ % 10}/notice.pdf`, Body: pdf, ContentType: 'application/pdf', ChecksumSHA256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }))],
    ['sesv2 SendEmail raw 60 KB', () => ses.send(new SendEmailCommand({ FromEmailAddress: 'a@example.fr', Destination: { ToAddresses: ['d@example.fr'] }, Content: { Raw: { Data: mail } } }))],
    ['sfn StartExecution', () => sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-3:111122223333:stateMachine:m', name: `e-${n++}`, input: '{"dossier":"d-1"}' }))],
  ];
}

/** µs of process CPU per call over CALLS sequential calls. */
async function round(op: Op): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await op();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / CALLS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const setups = (process.env.SDK_ENDPOINTS ?? 'aws,local').split(',');
  const variants = (process.env.SDK_CLIENTS ?? 'plain,tuned').split(',');
  for (const setup of setups) {
    for (const s of ['DYNAMODB', 'S3', 'SESV2', 'SFN']) delete process.env[`AWS_ENDPOINT_URL_${s}`];
    if (setup === 'local') {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:45001';
      process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:45002';
      process.env.AWS_ENDPOINT_URL_SESV2 = 'http://127.0.0.1:45003';
      process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:45004';
    }
    const built = variants.map((v) => operations(v));
    console.log(`\n${setup} endpoints, µs CPU per call (median of ${ROUNDS} rounds of ${CALLS} calls, variants interleaved)`);
    console.log(`${'operation'.padEnd(32)}${variants.map((v) => v.padStart(8)).join('')}`);
    for (const [i, [name]] of built[0]!.entries()) {
      if (process.env.SDK_OPS && !name.includes(process.env.SDK_OPS)) continue;
      const ops = built.map((b) => b[i]![1]);
      for (const op of ops) for (let w = 0; w < 300; w++) await op(); // warm-up: JIT, caches, first-call config resolution
      const rounds: number[][] = ops.map(() => []);
      for (let r = 0; r < ROUNDS; r++) for (const [v, op] of ops.entries()) rounds[v]!.push(await round(op));
      console.log(`${name.padEnd(32)}${rounds.map((x) => median(x).toFixed(0).padStart(8)).join('')}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
