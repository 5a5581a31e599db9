import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { putApiKey, putCreditor } from '../../lambdas/adapters/dossier-store';
import { sha256Hex } from '../../lambdas/domain/identity';
import { DEMO_PROFILE_PATH, loadCreditorProfile } from '../../local/creditor-profile';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * Manual tasks end to end: the demo creditor runs fr-with-courtesy-call, so each invoice gets a
 * courtesy call at D+8 (3 Apr + 8 = Sat 11 Apr -> Mon 13 Apr 09:00 Paris).
 */
const CLOCK_START = '2026-04-04T10:00:00Z';
const CALL_DUE = '2026-04-13T07:00:00.000Z';

describe('manual tasks in local mode', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });

  it('lists the courtesy call once due, completes it with a call log kept as evidence, once', async () => {
    const api = local.api;
    const created = await api.createInvoice(invoice({ invoiceNumber: 'TASK-1' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const paid = await api.createInvoice(invoice({ invoiceNumber: 'TASK-PAID', amount: '300.00' }));
    expect(paid.status).toBe(201);
    // A replayed intake answers 200 and does not add a task.
    expect((await api.createInvoice(invoice({ invoiceNumber: 'TASK-1' }))).status).toBe(200);

    // Before D+8: nothing to do now; both calls are upcoming.
    expect(await api.call('GET', '/tasks')).toEqual({ status: 200, body: { tasks: [], nextCursor: null } });
    const upcoming = await api.call('GET', '/tasks?include=upcoming');
    expect(upcoming.status).toBe(200);
    expect(upcoming.body.tasks.map((t: any) => [t.invoiceNumber, t.task, t.dueAt]).sort()).toEqual([
      ['TASK-1', 'courtesy_call', CALL_DUE],
      ['TASK-PAID', 'courtesy_call', CALL_DUE],
    ]);
    expect((await api.call('GET', '/tasks?include=everything')).status).toBe(400);

    // The four stages did not move: the call only adds a task.
    expect(created.body.schedule.map((s: any) => s.at)).toEqual([
      '2026-04-07T07:00:00.000Z', // D+3 = Easter Monday 6 Apr -> Tue 7 Apr
      '2026-04-20T07:00:00.000Z', // D+15 = Sat 18 Apr -> Mon 20 Apr
      '2026-05-04T07:00:00.000Z', // D+30 = Sun 3 May -> Mon 4 May
      created.body.schedule[3].at,
    ]);

    await api.advanceTo('2026-04-13T08:00:00Z');
    const due = await api.call('GET', '/tasks');
    expect(due.status).toBe(200);
    const task = due.body.tasks.find((t: any) => t.invoiceNumber === 'TASK-1');
    expect(task).toEqual({
      id: expect.stringMatching(/^tsk_[0-9a-f]{32}$/),
      dossierId: id,
      invoiceNumber: 'TASK-1',
      task: 'courtesy_call',
      dueAt: CALL_DUE,
      status: 'open',
      debtor: { name: 'Boulangerie Dupont SARL', email: 'compta@boulangerie-dupont.example' },
      dossierStatus: 'active',
      balance: '1250.00',
    });
    expect(due.body.tasks).toHaveLength(2);

    // A paid dossier's task is no longer listed.
    const payment = await api.pay(paid.body.id, { amount: '300.00', paidOn: '2026-04-13', reference: 'VIR-TASK-PAID' });
    expect(payment.body.status).toBe('paid');
    expect((await api.call('GET', '/tasks?include=upcoming')).body.tasks.map((t: any) => t.invoiceNumber)).toEqual(['TASK-1']);

    // Another creditor neither sees nor completes it.
    const profile = loadCreditorProfile(DEMO_PROFILE_PATH);
    await putCreditor({ ...profile, id: 'other-creditor', legalName: 'Autre SAS' });
    await putApiKey('amk_other_creditor_key', 'other-creditor');
    const other = { 'x-api-key': 'amk_other_creditor_key' };
    expect(await api.call('GET', '/tasks?include=upcoming', undefined, other)).toEqual({ status: 200, body: { tasks: [], nextCursor: null } });
    const stolen = await api.call('POST', `/tasks/${task.id}/complete`, { outcome: 'reached' }, other);
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.code).toBe('not_found');

    // Unknown or malformed ids: 404; a bad outcome: 400 naming the field.
    expect((await api.call('POST', `/tasks/tsk_${'0'.repeat(32)}/complete`, { outcome: 'reached' })).status).toBe(404);
    expect((await api.call('POST', '/tasks/nope/complete', { outcome: 'reached' })).status).toBe(404);
    const bad = await api.call('POST', `/tasks/${task.id}/complete`, { outcome: 'maybe', notes: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(['outcome']);

    const done = await api.call('POST', `/tasks/${task.id}/complete`, {
      outcome: 'promised_to_pay',
      notes: '  promised to pay on 12/12  ',
      by: 'Julie Martin',
    });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      ...task,
      status: 'completed',
      outcome: 'promised_to_pay',
      notes: 'promised to pay on 12/12',
      by: 'Julie Martin',
      completedAt: '2026-04-13T08:00:00.000Z',
    });

    // The call is part of the dossier's history...
    const view = (await api.getInvoice(id)).body;
    const logged = view.events.filter((e: any) => e.type === 'call_logged');
    expect(logged).toEqual([
      {
        type: 'call_logged',
        at: '2026-04-13T08:00:00.000Z',
        taskId: task.id,
        task: 'courtesy_call',
        outcome: 'promised_to_pay',
        notes: 'promised to pay on 12/12',
        by: 'Julie Martin',
        evidenceKey: `dossiers/${id}/calls/${task.id}.json`,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        // Ten years of Object Lock from the (simulated) moment the call log was stored.
        retainUntil: '2036-04-10T08:00:00.000Z',
      },
    ]);

    // ... and of its evidence, byte for byte.
    const s3 = new S3Client({ forcePathStyle: true });
    try {
      const Bucket = local.sys.synthesized.bucketName;
      const Key = logged[0].evidenceKey;
      const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      expect(sha256Hex(bytes)).toBe(logged[0].sha256);
      expect((await s3.send(new HeadObjectCommand({ Bucket, Key }))).Metadata?.sha256).toBe(logged[0].sha256);
      expect(JSON.parse(bytes.toString('utf8'))).toEqual({
        kind: 'call_log',
        creditorId: local.sys.creditorId,
        dossierId: id,
        invoiceNumber: 'TASK-1',
        taskId: task.id,
        task: 'courtesy_call',
        dueAt: CALL_DUE,
        at: '2026-04-13T08:00:00.000Z',
        outcome: 'promised_to_pay',
        notes: 'promised to pay on 12/12',
        by: 'Julie Martin',
      });
    } finally {
      s3.destroy();
    }

    // Done: no longer listed; completing again is a 409 that says when and how; logged once.
    expect((await api.call('GET', '/tasks?include=upcoming')).body.tasks).toEqual([]);
    const again = await api.call('POST', `/tasks/${task.id}/complete`, { outcome: 'no_answer' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('2026-04-13T08:00:00.000Z');
    expect(again.body.error.message).toContain('promised_to_pay');
    const after = (await api.getInvoice(id)).body;
    expect(after.events.filter((e: any) => e.type === 'call_logged')).toHaveLength(1);

    // The escalation carries on as before.
    await api.advanceTo('2026-04-20T12:00:00Z');
    const later = (await api.getInvoice(id)).body;
    expect(later.events.filter((e: any) => e.type === 'notice_sent').map((e: any) => [e.stage, e.at])).toEqual([
      ['first_reminder', '2026-04-07T07:00:00.000Z'],
      ['formal_reminder', '2026-04-20T07:00:00.000Z'],
    ]);
  });

  it('lets a task be completed before it is due, and `by` defaults to "api"', async () => {
    const created = await local.api.createInvoice(invoice({ invoiceNumber: 'TASK-EARLY', dueDate: '2026-05-29', issueDate: '2026-04-01' }));
    expect(created.status).toBe(201);
    const [task] = (await local.api.call('GET', '/tasks?include=upcoming')).body.tasks.filter((t: any) => t.invoiceNumber === 'TASK-EARLY');
    expect(Date.parse(task.dueAt)).toBeGreaterThan(Date.parse((await local.api.now()).body.now));
    const done = await local.api.call('POST', `/tasks/${task.id}/complete`, { outcome: 'wrong_contact' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', outcome: 'wrong_contact', by: 'api' });
    expect(done.body).not.toHaveProperty('notes');
  });

  it('refuses an invoice when the stored creditor profile names an unknown policy, rather than escalating on other terms', async () => {
    // The profile schema refuses such a profile on every write (admin API, seeding, putCreditor);
    // one stored by an older version (a policy since removed) is caught when it is read.
    const profile = loadCreditorProfile(DEMO_PROFILE_PATH);
    await expect(putCreditor({ ...profile, id: 'misconfigured-creditor', policyName: 'fr-aggressive' })).rejects.toThrow(/policyName/);
    await new DynamoDBClient({}).send(
      new PutItemCommand({
        TableName: local.sys.synthesized.tableName,
        Item: marshall({ pk: 'C#misconfigured-creditor', sk: 'PROFILE', profile: { ...profile, id: 'misconfigured-creditor', policyName: 'fr-aggressive' } }),
      }),
    );
    await putApiKey('amk_misconfigured_key', 'misconfigured-creditor');
    const r = await local.api.call('POST', '/invoices', invoice({ invoiceNumber: 'BAD-POLICY-1' }), { 'x-api-key': 'amk_misconfigured_key' });
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('creditor_profile_invalid');
    expect(r.body.error.details).toEqual([{ path: 'policyName', message: expect.stringContaining('must name a built-in policy') }]);
    expect((await local.api.call('GET', '/invoices?q=BAD-POLICY', undefined, { 'x-api-key': 'amk_misconfigured_key' })).body.items).toEqual([]);
  });
});
