import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lambdas/domain/identity';
import { API_ROUTES, type ApiRoute } from '../../lib/api-routes';
import { adminClient, creditorProfile, keyClient } from '../support/admin-client';
import { invoice, useLocalSystem } from '../support/local-client';
import { ciiXml, sampleEInvoice } from '../support/einvoice-fixtures';

/**
 * Admin API, API key roles and tenant isolation, end to end in local mode: a second creditor is
 * created through the admin API, gets an operator and an auditor key; every route of the route
 * table is then called with each key (so a new route cannot escape these checks).
 */
const CLOCK_START = '2026-06-01T10:00:00Z'; // Monday
const TODAY = '2026-06-01';

const label = (r: ApiRoute) => `${r.method} ${r.path}`;
const CREDITOR_ROUTES = API_ROUTES.filter((r) => r.auth !== 'admin');
const ADMIN_ROUTES = API_ROUTES.filter((r) => r.auth === 'admin');

/** A valid body per write route, so a cross-tenant call reaches the ownership check (not a 400). */
const SAMPLE_BODIES: Record<string, unknown> = {
  'POST /invoices': invoice({ invoiceNumber: 'ROLE-NEW', issueDate: '2026-05-01', dueDate: '2026-06-30' }),
  // An e-invoice of the seller SIREN both test creditors share (no IBAN: their profiles' differ).
  'POST /invoices/import': Buffer.from(ciiXml(sampleEInvoice({ invoiceNumber: 'ROLE-IMPORT', issueDate: '2026-05-01', dueDate: '2026-06-30', deliveryDate: null, paymentMeansCode: null, iban: null }))),
  'POST /invoices/batch': { invoices: [invoice({ invoiceNumber: 'ROLE-BATCH', issueDate: '2026-05-01', dueDate: '2026-06-30' })] },
  'POST /invoices/{id}/payments': { amount: '1.00', paidOn: TODAY, reference: 'ROLE-PAY' },
  'POST /invoices/{id}/cancel': { reason: 'role test' },
  'POST /invoices/{id}/disputes': { reason: 'role test' },
  'POST /invoices/{id}/disputes/{disputeId}/resolve': { outcome: 'rejected', reasons: 'Livraison conforme au bon signé le 2 mars.' },
  'POST /invoices/{id}/promises': { date: '2026-06-20', amount: '100.00' },
  'POST /invoices/{id}/payment-plan': { instalments: [{ dueDate: '2026-07-01', amount: '1250.00' }] },
  'POST /invoices/{id}/payment-plan/acceptance': {
    acceptedOn: TODAY,
    kind: 'email',
    document: { filename: 'acceptation.eml', contentType: 'message/rfc822', contentBase64: Buffer.from('Subject: OK pour l’échéancier\r\n\r\nBon pour accord.').toString('base64') },
  },
  'POST /invoices/{id}/resume': {},
  'POST /invoices/{id}/handoff': { approvedBy: 'role test' },
  'POST /invoices/{id}/insolvency': { judgmentDate: TODAY, procedure: 'redressement', court: 'Tribunal de commerce de Lyon', mandataire: { name: 'Me Role Test' } },
  'POST /tasks/{taskId}/complete': { outcome: 'reached' },
  'PUT /reports/receivables/{month}': { creditSales: '1000.00' },
  'POST /invoices/{id}/registered-letter/posting': { trackingNumber: '1A12345678901', postedOn: '2026-05-02' },
  'POST /invoices/{id}/registered-letter/receipt': {
    presentedOn: '2026-05-03',
    outcome: 'signed',
    document: { filename: 'ar.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 role test').toString('base64') },
  },
  'POST /webhooks': { url: 'http://127.0.0.1:9/role-test', events: ['PaymentRecorded'] },
};

/** Routes whose path parameters name something in the caller's own space (not another creditor's data). */
const OWN_SPACE = new Set(['PUT /reports/receivables/{month}']);

function bodyFor(r: ApiRoute): unknown {
  if (r.method === 'GET' || r.method === 'DELETE') return undefined;
  const body = SAMPLE_BODIES[label(r)];
  if (body === undefined && r.access === 'write') throw new Error(`add a sample body for ${label(r)} to SAMPLE_BODIES`);
  return body ?? {};
}

function pathFor(r: ApiRoute, given: Record<string, string>): string {
  const ids: Record<string, string> = { month: '2026-05', ...given };
  return r.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (!(name in ids)) throw new Error(`no sample value for path parameter {${name}} of ${label(r)}`);
    return encodeURIComponent(ids[name]);
  });
}

const hasParams = (r: ApiRoute) => r.path.includes('{');

describe('admin API, key roles and isolation (local mode)', () => {
  const local = useLocalSystem({ clockStart: CLOCK_START });
  const ctx = {} as {
    operatorB: string;
    operatorKeyIdB: string;
    auditorB: string;
    auditorKeyId: string;
    idA: string;
    taskA: string;
    idB: string;
  };

  it('authorizes the admin routes with the admin key only', async () => {
    const admin = adminClient(local.sys);
    for (const r of ADMIN_ROUTES) {
      const path = pathFor(r, { id: 'demo-creditor', keyId: 'key_0000000000000000' });
      const attempts: Record<string, string>[] = [{ 'x-admin-key': '' }, { 'x-admin-key': 'nope' }, { 'x-admin-key': '', 'x-api-key': local.sys.apiKey }];
      for (const headers of attempts) {
        const res = await admin.call(r.method, path, r.method === 'POST' || r.method === 'PUT' ? {} : undefined, headers);
        expect(res.status, label(r)).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
  });

  it('refuses an admin route reached with a creditor key context, even if API Gateway let it through', async () => {
    const { handler } = await import('../../lambdas/admin');
    const event = {
      resource: '/admin/creditors',
      httpMethod: 'GET',
      path: '/admin/creditors',
      headers: {},
      queryStringParameters: null,
      pathParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { authorizer: { creditorId: 'demo-creditor', role: 'operator', keyId: '' }, identity: { userArn: null } },
    } as unknown as APIGatewayProxyEvent;
    const res = await handler(event);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('forbidden');
  });

  it('creates a creditor with its first operator key; 409 for an existing id; 400 with field paths for an invalid profile', async () => {
    const admin = adminClient(local.sys);
    const created = await admin.call('POST', '/admin/creditors', creditorProfile());
    expect(created.status).toBe(201);
    expect(created.body.creditor).toMatchObject({ id: 'second-creditor', legalName: 'Second Atelier SARL', language: 'fr' });
    expect(created.body.apiKey).toEqual({
      keyId: expect.stringMatching(/^key_[0-9a-f]{16}$/),
      key: expect.stringMatching(/^amk_[A-Za-z0-9_-]{43}$/),
      role: 'operator',
      label: 'initial operator key',
      createdAt: CLOCK_START.replace('Z', '.000Z'),
    });
    ctx.operatorB = created.body.apiKey.key;
    ctx.operatorKeyIdB = created.body.apiKey.keyId;

    const again = await admin.call('POST', '/admin/creditors', creditorProfile());
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ path: 'id', message: 'already exists' }]);
    const demo = await admin.call('POST', '/admin/creditors', creditorProfile({ id: 'demo-creditor' }));
    expect(demo.status).toBe(409);

    const bad = await admin.call(
      'POST',
      '/admin/creditors',
      creditorProfile({
        id: 'Bad Id',
        siren: '123456789',
        iban: 'FR76 3000 6000 0112 3456 7890 188',
        accountants: ['ok@example.com', 'nope'],
        contact: { name: 'Julie', email: 'julie@example.com', phone: 'call me' },
        language: 'de',
        policyName: 'fr-aggressive',
        referenceFormat: '{invoiceNumber}-{debtor}',
        commitmentTerms: { promiseToleranceBusinessDays: 11 },
        polcyName: 'typo',
        category: undefined,
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const byPath = Object.fromEntries(bad.body.error.details.map((d: any) => [d.path, d.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'id',
        'siren',
        'iban',
        'accountants.1',
        'contact.phone',
        'language',
        'policyName',
        'referenceFormat',
        'commitmentTerms.promiseToleranceBusinessDays',
        'polcyName',
        'category',
      ].sort(),
    );
    expect(byPath.category).toBe('is required');
    expect(byPath.polcyName).toBe('unknown field');
    expect(byPath.referenceFormat).toContain('{debtor}');
    expect(byPath.policyName).toContain('fr-default');
    expect((await admin.call('POST', '/admin/creditors', '{"id": ')).body.error.code).toBe('malformed_json');
    expect((await admin.call('GET', '/admin/creditors/bad-creditor')).status).toBe(404);
  });

  it('lists, reads and updates creditors', async () => {
    const admin = adminClient(local.sys);
    for (const id of ['third-creditor', 'fourth-creditor']) {
      expect((await admin.call('POST', '/admin/creditors', creditorProfile({ id, legalName: `${id} SAS` }))).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await admin.call('GET', `/admin/creditors?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: any) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['demo-creditor', 'fourth-creditor', 'second-creditor', 'third-creditor']);
    expect((await admin.call('GET', '/admin/creditors?limit=0')).body.error.details[0].path).toBe('limit');
    expect((await admin.call('GET', '/admin/creditors?cursor=eyJ4IjoxfQ')).body.error.details[0].path).toBe('cursor');

    const got = await admin.call('GET', '/admin/creditors/second-creditor');
    expect(got.status).toBe(200);
    expect(got.body.creditor).toEqual(expect.objectContaining({ id: 'second-creditor', siren: '732829320' }));

    const { id: _id, ...withoutId } = creditorProfile({ referenceFormat: '{invoiceNumber}/{stage}', language: 'en' });
    const put = await admin.call('PUT', '/admin/creditors/second-creditor', withoutId);
    expect(put.status).toBe(200);
    expect(put.body.creditor).toMatchObject({ id: 'second-creditor', referenceFormat: '{invoiceNumber}/{stage}', language: 'en' });
    expect(put.body.createdAt).toBe(got.body.createdAt);
    const renamed = await admin.call('PUT', '/admin/creditors/second-creditor', creditorProfile({ id: 'third-creditor' }));
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.details[0].path).toBe('id');
    expect((await admin.call('PUT', '/admin/creditors/nobody-here', creditorProfile({ id: 'nobody-here' }))).status).toBe(404);
    const invalid = await admin.call('PUT', '/admin/creditors/second-creditor', creditorProfile({ bic: 'x' }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details).toEqual([{ path: 'bic', message: expect.any(String) }]);
  });

  it('creates, lists and revokes keys; a revoked key gets 401 on every route', async () => {
    const admin = adminClient(local.sys);
    const auditor = await admin.call('POST', '/admin/creditors/second-creditor/keys', { role: 'auditor', label: 'cabinet Durand' });
    expect(auditor.status).toBe(201);
    expect(auditor.body).toMatchObject({ role: 'auditor', label: 'cabinet Durand', key: expect.stringMatching(/^amk_/) });
    ctx.auditorB = auditor.body.key;
    ctx.auditorKeyId = auditor.body.keyId;
    const doomed = await admin.call('POST', '/admin/creditors/second-creditor/keys', { role: 'operator', label: 'old ERP' });
    expect((await admin.call('POST', '/admin/creditors/second-creditor/keys', { role: 'boss', label: '' })).body.error.details.map((d: any) => d.path).sort()).toEqual([
      'label',
      'role',
    ]);
    expect((await admin.call('POST', '/admin/creditors/nobody-here/keys', { role: 'auditor', label: 'x' })).status).toBe(404);

    const listed = await admin.call('GET', '/admin/creditors/second-creditor/keys');
    expect(listed.status).toBe(200);
    // Oldest first; all three were made at the same (frozen) simulated instant.
    expect(listed.body.items.map((k: any) => [k.role, k.label]).sort()).toEqual([
      ['auditor', 'cabinet Durand'],
      ['operator', 'initial operator key'],
      ['operator', 'old ERP'],
    ]);
    for (const k of listed.body.items) expect(Object.keys(k).sort()).toEqual(['createdAt', 'keyId', 'label', 'role']);
    const raw = JSON.stringify(listed.body);
    for (const secret of [ctx.operatorB, ctx.auditorB, doomed.body.key]) {
      expect(raw).not.toContain(secret);
      expect(raw).not.toContain(sha256Hex(secret));
    }

    const old = keyClient(local.sys, doomed.body.key);
    expect((await old('GET', '/invoices')).status).toBe(200);
    const revoked = await admin.call('DELETE', `/admin/creditors/second-creditor/keys/${doomed.body.keyId}`);
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeNull();
    for (const r of CREDITOR_ROUTES) {
      const res = await old(r.method, pathFor(r, { id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa', disputeId: 'dsp_x', taskId: `tsk_${'0'.repeat(32)}` }), bodyFor(r));
      expect(res.status, label(r)).toBe(401);
    }
    expect((await admin.call('DELETE', `/admin/creditors/second-creditor/keys/${doomed.body.keyId}`)).status).toBe(404);
    expect((await admin.call('DELETE', `/admin/creditors/demo-creditor/keys/${ctx.auditorKeyId}`)).status).toBe(404);
    expect((await admin.call('GET', '/admin/creditors/second-creditor/keys')).body.items).toHaveLength(2);
  });

  it('treats a key stored before roles existed as an operator key', async () => {
    await new DynamoDBClient({}).send(
      new PutItemCommand({
        TableName: local.sys.synthesized.tableName,
        Item: marshall({ pk: `K#${sha256Hex('amk_legacy_key')}`, sk: 'KEY', creditorId: 'second-creditor' }),
      }),
    );
    const legacy = keyClient(local.sys, 'amk_legacy_key');
    const created = await legacy('POST', '/invoices', invoice({ invoiceNumber: 'LEGACY-1', issueDate: '2026-05-01', dueDate: '2026-06-30' }));
    expect(created.status).toBe(201);
  });

  it('lets an auditor read what an operator reads, and refuses every write route with 403 before any work', async () => {
    const operator = keyClient(local.sys, ctx.operatorB);
    const auditor = keyClient(local.sys, ctx.auditorB);
    const b = await operator('POST', '/invoices', invoice({ invoiceNumber: 'ROLE-B-1', issueDate: '2026-05-01', dueDate: '2026-06-30' }));
    expect(b.status).toBe(201);
    ctx.idB = b.body.id;
    const before = (await operator('GET', `/invoices/${ctx.idB}`)).body;
    const own = { id: ctx.idB, disputeId: 'dsp_unknown', taskId: `tsk_${'0'.repeat(32)}` };

    for (const r of CREDITOR_ROUTES) {
      const path = pathFor(r, own);
      if (r.access === 'write') {
        // Even a malformed body: the role check comes first.
        for (const body of [bodyFor(r), '{"not json']) {
          const res = await auditor(r.method, path, body);
          expect(res.status, label(r)).toBe(403);
          expect(res.body.error).toEqual({ code: 'forbidden', message: expect.stringContaining('auditor'), details: [] });
        }
      } else {
        const [asOperator, asAuditor] = [await operator(r.method, path, bodyFor(r)), await auditor(r.method, path, bodyFor(r))];
        // GET /litigation answers 409 for this fresh dossier (no litigation dossier before the grace
        // period of the mise en demeure has ended unpaid), to either key alike.
        const expectedConflict = label(r) === 'GET /invoices/{id}/litigation' && asAuditor.status === 409;
        expect(asAuditor.status < 300 || asAuditor.status === 404 || expectedConflict, `${label(r)}: ${asAuditor.status}`).toBe(true);
        expect(asAuditor.status, label(r)).toBe(asOperator.status);
        // Same answer too, where it is deterministic (no fresh ids or signed links in it).
        if (r.method === 'GET' && ['get-invoice', 'list-invoices', 'tasks'].includes(r.handler)) expect(asAuditor.body, label(r)).toEqual(asOperator.body);
      }
    }
    // Nothing the auditor tried changed the dossier: its only new entries are the evidence bundles
    // taken (a read of the vault, recorded in the log), one by each key, the auditor's named as such.
    const after = (await operator('GET', `/invoices/${ctx.idB}`)).body;
    const added = after.events.slice(before.events.length);
    expect(added.map((e: any) => e.type)).toEqual(['evidence_bundle_issued', 'evidence_bundle_issued']);
    expect(added.map((e: any) => e.issuedTo)).toEqual([ctx.operatorKeyIdB, ctx.auditorKeyId]);
    const { events: _e, evidenceHead: _h, historyLength: _n, ...rest } = after;
    const { events: _e0, evidenceHead: _h0, historyLength: _n0, ...restBefore } = before;
    expect(after.historyLength).toBe(before.historyLength + 2);
    expect(rest).toEqual(restBefore);
    expect(after.events.slice(0, before.events.length)).toEqual(before.events);
    expect((await auditor('GET', '/invoices?q=ROLE-B')).body.items.map((i: any) => i.id)).toEqual([ctx.idB]);
  });

  it("answers 404 (never 403) for another creditor's dossiers and tasks, on every route", async () => {
    const demo = local.api;
    const a = await demo.createInvoice(invoice({ invoiceNumber: 'ROLE-A-1', issueDate: '2026-05-01', dueDate: '2026-06-30' }));
    expect(a.status).toBe(201);
    ctx.idA = a.body.id;
    const tasks = (await demo.call('GET', '/tasks?include=upcoming')).body.tasks;
    ctx.taskA = tasks.find((t: any) => t.dossierId === ctx.idA).id;
    const beforeA = (await demo.getInvoice(ctx.idA)).body;
    const foreign = { id: ctx.idA, disputeId: 'dsp_unknown', taskId: ctx.taskA };

    for (const [who, key] of [
      ['operator', ctx.operatorB],
      ['auditor', ctx.auditorB],
    ] as const) {
      const call = keyClient(local.sys, key);
      for (const r of CREDITOR_ROUTES) {
        const what = `${who} ${label(r)}`;
        if (hasParams(r) && !OWN_SPACE.has(label(r))) {
          const res = await call(r.method, pathFor(r, foreign), bodyFor(r));
          // An auditor's write is refused for its role whatever the ids (which tells nothing either).
          expect(res.status, what).toBe(who === 'auditor' && r.access === 'write' ? 403 : 404);
        } else if (r.access === 'read') {
          const res = await call(r.method, r.path + (r.path === '/tasks' ? '?include=upcoming' : ''), bodyFor(r));
          expect(res.status, what).toBe(200);
          expect(JSON.stringify(res.body), what).not.toContain(ctx.idA);
          expect(JSON.stringify(res.body), what).not.toContain(ctx.taskA);
        } else if (who === 'operator') {
          // A creation route creates in the caller's own space: same invoice number, another dossier.
          const sameNumber = invoice({ invoiceNumber: 'ROLE-A-1', issueDate: '2026-05-01', dueDate: '2026-06-30' });
          const body = label(r) === 'POST /invoices' ? sameNumber : label(r) === 'POST /invoices/batch' ? { invoices: [sameNumber] } : bodyFor(r);
          const res = await call(r.method, pathFor(r, {}), body);
          expect([200, 201, 207], what).toContain(res.status);
          expect(JSON.stringify(res.body), what).not.toContain(ctx.idA);
        }
      }
    }
    expect((await demo.getInvoice(ctx.idA)).body).toEqual(beforeA);
    expect((await demo.call('GET', '/tasks?include=upcoming')).body.tasks.find((t: any) => t.id === ctx.taskA).status).toBe('open');
  });

  it('shows the debtor phone number on call tasks, validates it, and reads a missing action body as {}', async () => {
    const demo = local.api;
    const withPhone = await demo.createInvoice(
      invoice({ invoiceNumber: 'PHONE-1', issueDate: '2026-05-01', dueDate: '2026-06-30', debtor: { ...invoice().debtor, phone: '+33 6 12 34 56 78' } }),
    );
    expect(withPhone.status).toBe(201);
    const task = (await demo.call('GET', '/tasks?include=upcoming')).body.tasks.find((t: any) => t.dossierId === withPhone.body.id);
    expect(task.debtor).toEqual({ name: 'Boulangerie Dupont SARL', email: 'compta@boulangerie-dupont.example', phone: '+33 6 12 34 56 78' });
    const bad = await demo.createInvoice(invoice({ invoiceNumber: 'PHONE-2', debtor: { ...invoice().debtor, phone: '12' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(['debtor.phone']);

    // An action route without a body: its own validation speaks (not malformed_json).
    const noBody = await fetch(`${local.sys.apiUrl}/invoices/${withPhone.body.id}/cancel`, { method: 'POST', headers: { 'x-api-key': local.sys.apiKey } });
    expect(noBody.status).toBe(400);
    expect(((await noBody.json()) as any).error).toMatchObject({ code: 'validation_failed', details: [{ path: 'reason', message: 'is required' }] });
    const resume = await fetch(`${local.sys.apiUrl}/invoices/${withPhone.body.id}/resume`, { method: 'POST', headers: { 'x-api-key': local.sys.apiKey } });
    expect(resume.status).toBe(409); // not needing attention; the empty body was fine
    const create = await fetch(`${local.sys.apiUrl}/invoices`, { method: 'POST', headers: { 'x-api-key': local.sys.apiKey } });
    expect(((await create.json()) as any).error.code).toBe('malformed_json');
  });

  it('runs the CLI against the local system', async () => {
    const { execFile } = await import('node:child_process');
    const cli = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['bin/amiable-cli.cjs', ...args], { cwd: `${__dirname}/../..`, timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as any).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const conn = ['--endpoint', local.sys.apiUrl, '--admin-key', local.sys.adminKey];
    const [list, created, missing] = await Promise.all([
      cli('creditors', 'list', ...conn, '--json'),
      cli('keys', 'create', 'second-creditor', '--role', 'auditor', '--label', 'from the CLI', ...conn, '--json'),
      cli('creditors', 'get', 'nobody-here', ...conn),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).items.map((c: any) => c.id)).toEqual(expect.arrayContaining(['demo-creditor', 'second-creditor']));
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ role: 'auditor', label: 'from the CLI' });
    expect((await keyClient(local.sys, key.key)('GET', '/invoices')).status).toBe(200);
    expect((await keyClient(local.sys, key.key)('POST', '/invoices', invoice())).status).toBe(403);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error 404 not_found');
    const usage = await cli('keys', 'create', 'second-creditor', '--role', 'owner', '--label', 'x', ...conn);
    expect(usage.code).toBe(2);
    const invalid = await cli('creditors', 'create', `${__dirname}/../../package.json`, ...conn);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^Error 400 validation_failed: Invalid creditor profile\n {2}id: is required\n/);
  });

  it('keeps running dossiers on the policy and commitment terms of their intake when the profile changes', async () => {
    const admin = adminClient(local.sys);
    const operator = keyClient(local.sys, ctx.operatorB);
    const running = await operator('POST', '/invoices', invoice({ invoiceNumber: 'FIXED-1', issueDate: '2026-05-01', dueDate: '2026-06-30' }));
    expect(running.status).toBe(201);
    // Wednesday 10 June + 2 business days (the default tolerance) = Friday 12 June, 09:00 Paris.
    const promised = await operator('POST', `/invoices/${running.body.id}/promises`, { date: '2026-06-10', amount: '100.00' });
    expect(promised.body.promise.checkAt).toBe('2026-06-12T07:00:00.000Z');

    const profile = (await admin.call('GET', '/admin/creditors/second-creditor')).body.creditor;
    const changed = await admin.call('PUT', '/admin/creditors/second-creditor', {
      ...profile,
      policyName: 'fr-with-courtesy-call',
      commitmentTerms: { promiseToleranceBusinessDays: 5 },
    });
    expect(changed.status).toBe(200);

    // New invoices take the new policy (a courtesy call task); the running dossier does not.
    const fresh = await operator('POST', '/invoices', invoice({ invoiceNumber: 'FIXED-2', issueDate: '2026-05-01', dueDate: '2026-06-30' }));
    const tasks = (await operator('GET', '/tasks?include=upcoming')).body.tasks.map((t: any) => t.dossierId);
    expect(tasks).toContain(fresh.body.id);
    expect(tasks).not.toContain(running.body.id);
    // The pending promise is checked on the terms it was made under: broken on Friday 12 June.
    await local.api.advanceTo('2026-06-12T08:00:00Z');
    const view = (await operator('GET', `/invoices/${running.body.id}`)).body;
    expect(view.promises[0].status).toBe('broken');
    expect(view.events.find((e: any) => e.type === 'promise_broken').at).toBe('2026-06-12T07:00:00.000Z');
    // The local mailbox (SES emulator web UI and GET /store) shows the simulated send time.
    const confirmation = view.events.find((e: any) => e.kind === 'promise_confirmation');
    const mail = (await local.api.emails()).find((m: any) => m.messageId === confirmation.messageId);
    expect(new Date(mail.at * 1000).toISOString()).toBe(new Date(Math.floor(Date.parse(confirmation.at) / 1000) * 1000).toISOString());
    // A promise made now takes the new terms: 5 business days.
    const later = await operator('POST', `/invoices/${fresh.body.id}/promises`, { date: '2026-06-15', amount: '100.00' });
    expect(later.body.promise.checkAt).toBe('2026-06-22T07:00:00.000Z');
  });
});
