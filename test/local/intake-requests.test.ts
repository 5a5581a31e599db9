import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { resetClients, setClientHook } from '../../lambdas/adapters/aws-clients';
import { putApiKey, putCreditor } from '../../lambdas/adapters/dossier-store';
import { DEMO_PROFILE_PATH, loadCreditorProfile } from '../../local/creditor-profile';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * POST /invoices reads what it needs in one request (adapters/intake-read.ts): the dossier (a
 * replay) and the creditor's profile (a new dossier's policy) in one BatchGetItem, and answers
 * with the evidence head its create reached, without reading the record back. What must not
 * change with it: a replay never looks at the profile (a profile gone bad since still answers
 * 200), a new invoice of a creditor whose profile is bad is refused as before.
 */
type Sent = { command: string; keys: string[] };

/** Every DynamoDB request of the process while `run` runs: the command and the keys it names. */
async function requestsDuring(run: () => Promise<void>): Promise<Sent[]> {
  const sent: Sent[] = [];
  setClientHook((service, c: any) => {
    if (service !== 'dynamodb') return;
    c.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input?: any }) => {
        const input = args.input ?? {};
        const keys: any[] = input.Key ? [input.Key] : Object.values(input.RequestItems ?? {}).flatMap((r: any) => r.Keys ?? []);
        sent.push({ command: String(context.commandName), keys: keys.map((k) => `${k.pk?.S ?? k.pk}|${k.sk?.S ?? k.sk}`) });
        return next(args);
      },
      { step: 'initialize', name: 'intakeRequests' },
    );
  });
  resetClients();
  try {
    await run();
  } finally {
    setClientHook(undefined);
    resetClients();
  }
  return sent;
}

describe('intake requests', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  afterEach(() => setClientHook(undefined));

  it('reads the dossier and the profile in one BatchGetItem and answers the evidence head without reading it back', async () => {
    let created: any;
    const sent = await requestsDuring(async () => {
      created = await local.api.createInvoice(invoice({ invoiceNumber: 'REQ-1' }));
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const reads = sent.filter((s) => s.keys.some((k) => k.startsWith(`D#${id}|`) || k.endsWith('|PROFILE')) && /Get|Query/.test(s.command));
    expect(reads.map((r) => r.command)).toEqual(['BatchGetItemCommand']);
    expect(reads[0]!.keys.sort()).toEqual([`C#${local.sys.creditorId}|PROFILE`, `D#${id}|DOSSIER`].sort());
    // The head shown is the log's own: record 1, as GET shows it.
    expect(created.body.evidenceHead?.seq).toBe(1);
    expect(created.body.evidenceHead).toEqual((await local.api.getInvoice(id)).body.evidenceHead);

    const again = await local.api.createInvoice(invoice({ invoiceNumber: 'REQ-1' }));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    expect((await local.api.createInvoice(invoice({ invoiceNumber: 'REQ-1', amount: '999.00' }))).status).toBe(409);
  });

  it('answers a replay without looking at the profile; a new invoice of a bad profile is refused', async () => {
    const profile = { ...loadCreditorProfile(DEMO_PROFILE_PATH), id: 'turns-bad' };
    await putCreditor(profile);
    await putApiKey('amk_turns_bad_key', 'turns-bad');
    const key = { 'x-api-key': 'amk_turns_bad_key' };
    const first = await local.api.call('POST', '/invoices', invoice({ invoiceNumber: 'BAD-LATER-1' }), key);
    expect(first.status).toBe(201);
    // A profile stored by an older version, naming a policy since removed.
    await new DynamoDBClient({}).send(
      new PutItemCommand({ TableName: local.sys.synthesized.tableName, Item: marshall({ pk: 'C#turns-bad', sk: 'PROFILE', profile: { ...profile, policyName: 'fr-aggressive' } }) }),
    );
    const replay = await local.api.call('POST', '/invoices', invoice({ invoiceNumber: 'BAD-LATER-1' }), key);
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    const fresh = await local.api.call('POST', '/invoices', invoice({ invoiceNumber: 'BAD-LATER-2' }), key);
    expect(fresh.status).toBe(500);
    expect(fresh.body.error.code).toBe('creditor_profile_invalid');
  });
});
