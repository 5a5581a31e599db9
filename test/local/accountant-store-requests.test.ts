/**
 * accountant-store's DynamoDB requests, byte for byte: every call the adapter makes (receivables,
 * digest state and jobs, alert claims and slots, conditions holding and failing) against dynalite,
 * each request body as the SDK sent it compared with the golden file recorded from the adapter
 * before it moved to the document client (accountant-store-requests.golden.json). Same bodies:
 * same items stored, same conditions, same answers read. AMIABLE_RECORD_GOLDEN=1 rewrites the file.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetClients, setClientHook } from '../../lambdas/adapters/aws-clients';
import * as store from '../../lambdas/adapters/accountant-store';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite');

const GOLDEN = path.join(__dirname, 'accountant-store-requests.golden.json');
const TABLE = 'accountant-store-test';

describe('accountant-store requests', () => {
  let server: http.Server;
  const sent: { target: string; body: string }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: endpoint, TABLE_NAME: TABLE, AWS_REGION: 'eu-west-3', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' });
    const admin = new DynamoDBClient({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await admin.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    admin.destroy();
    resetClients();
    // The body of every request the adapter's clients send, as it goes on the wire.
    setClientHook((service, client: any) => {
      if (service !== 'dynamodb') return;
      client.middlewareStack.add(
        (next: any) => async (args: any) => {
          const body = args.request.body;
          sent.push({ target: String(args.request.headers['x-amz-target']), body: typeof body === 'string' ? body : Buffer.from(body).toString('utf8') });
          return next(args);
        },
        { step: 'finalizeRequest', name: 'captureBody' },
      );
    });
  });

  afterAll(async () => {
    setClientHook(undefined);
    resetClients();
    process.env = saved;
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends the same requests as before the document client, and reads the same answers back', async () => {
    const answers: unknown[] = [];
    const now = new Date('2026-06-01T08:00:00.000Z');
    await store.putReceivables('cred-1', { month: '2026-05', creditSalesCents: 1234567, totalReceivablesCents: 890 }, now);
    await store.putReceivables('cred-1', { month: '2026-04', creditSalesCents: 5 }, now);
    answers.push(await store.listReceivables('cred-1'));
    answers.push(await store.getDigestState('cred-1'));
    answers.push(await store.saveDigestState('cred-1', { lastUntil: '2026-06-01T05:30:00.000Z', lastAsOf: '2026-06-01', lastMessageId: 'm-1', count: 3 }));
    // An older digest does not overwrite a later one (condition fails: false, nothing written).
    answers.push(await store.saveDigestState('cred-1', { lastUntil: '2026-05-29T05:30:00.000Z', lastAsOf: '2026-05-29', lastMessageId: '', count: 0 }));
    answers.push(await store.getDigestState('cred-1'));
    const job = { creditorId: 'cred-1', asOf: '2026-06-01', scheduledAt: '2026-06-01T05:30:00.000Z', status: 'due' as const };
    answers.push(await store.putDigestJob(job));
    answers.push(await store.putDigestJob({ ...job, reason: 'retried fan-out' }));
    answers.push(await store.getDigestJob('cred-1', '2026-06-01'));
    answers.push(await store.closeDigestJob('cred-1', '2026-06-01', 'sent', { messageId: 'm-2' }));
    answers.push(await store.closeDigestJob('cred-1', '2026-06-01', 'skipped', { reason: 'holiday' }));
    await store.putDigestJob({ ...job, asOf: '2026-06-02' });
    answers.push(await store.closeDigestJob('cred-1', '2026-06-02', 'skipped', { messageId: 'm-3', reason: 'no dossier' }));
    answers.push(await store.getDigestJob('cred-1', '2026-06-02'));
    const alert = { creditorId: 'cred-1', dossierId: 'd-1', seq: 4, at: '2026-06-01T09:00:00.000Z', kind: 'hard_bounce', status: 'pending' as const };
    answers.push(await store.claimAlert(alert));
    answers.push(await store.claimAlert({ ...alert, status: 'sent', messageId: 'other' }));
    await store.saveAlert({ ...alert, status: 'deferred', reason: 'hourly limit', evidenceKey: undefined });
    answers.push(await store.takeAlertSlot('cred-1', '2026-06-01T09', 2));
    answers.push(await store.takeAlertSlot('cred-1', '2026-06-01T09', 2));
    answers.push(await store.takeAlertSlot('cred-1', '2026-06-01T09', 2));
    answers.push(await store.deferredAlerts('cred-1', '2026-06-01T00:00:00.000Z', '2026-06-02T00:00:00.000Z'));

    const recorded = { requests: sent, answers };
    if (process.env.AMIABLE_RECORD_GOLDEN === '1') fs.writeFileSync(GOLDEN, `${JSON.stringify(recorded, null, 1)}\n`);
    const golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8'));
    expect(sent.length).toBe(golden.requests.length);
    sent.forEach((request, i) => expect({ i, ...request }).toEqual({ i, ...golden.requests[i] }));
    expect(JSON.parse(JSON.stringify(answers))).toEqual(golden.answers);
  });
});
