import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { verifyZip } from '../../cli/verify';
import { appendEvidence, listRecords } from '../../lambdas/adapters/evidence-log';
import { fromItem, getDossier, toItem } from '../../lambdas/adapters/dossier-store';
import { invoice, useLocalSystem } from '../support/local-client';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function objectBytes(key: string): Promise<Buffer> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } finally {
    s3.destroy();
  }
}

/** Re-zips a bundle after `change` edited its entries (as someone with the ZIP in hand would). */
function tampered(zip: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(zip);
  change(files);
  return zipSync(files);
}

function editManifest(files: Record<string, Uint8Array>, edit: (m: any) => void): void {
  const m = JSON.parse(strFromU8(files['manifest.json']));
  edit(m);
  files['manifest.json'] = strToU8(JSON.stringify(m, null, 2));
}

/**
 * The evidence vault end to end: a dossier taken through a partial payment, a dispute (opened and
 * rejected) and the full escalation; its log read back, bundled, downloaded by its link, verified
 * offline, then tampered with in every way the verifier must name.
 */
describe('evidence vault in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  let id: string;
  let bundle: Uint8Array;
  let issued: any;

  it('keeps every fact of the dossier as a hash-chained record, the invoice exactly as received first', async () => {
    const body = JSON.stringify(invoice({ invoiceNumber: 'EV-1' }), null, 1); // odd spacing: bytes, not a re-serialisation
    const created = await local.api.call('POST', '/invoices', body);
    expect(created.status).toBe(201);
    id = created.body.id;
    await local.api.advanceTo('2026-04-08T12:00:00Z');
    expect((await local.api.pay(id, { amount: '250.00', paidOn: '2026-04-08', reference: 'VIR-EV-1' })).status).toBe(201);
    const opened = await local.api.call('POST', `/invoices/${id}/disputes`, { reason: 'Livraison incomplète.' });
    expect(opened.status).toBe(201);
    await local.api.advance('P3D');
    const resolved = await local.api.call('POST', `/invoices/${id}/disputes/${opened.body.dispute.id}/resolve`, { outcome: 'rejected', reasons: 'La prestation a été livrée conforme au bon de commande signé.' });
    expect(resolved.status).toBe(200);
    await local.api.advance('P90D');

    const view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    const log = await local.api.call('GET', `/invoices/${id}/evidence`);
    expect(log.status).toBe(200);
    const { records, head } = log.body;
    expect(log.body.dossierId).toBe(id);
    // One record per history entry, in order, seq dense from 1.
    expect(records.map((r: any) => r.seq)).toEqual(view.events.map((_: unknown, i: number) => i + 1));
    expect(records.map((r: any) => r.type)).toEqual(view.events.map((e: any) => e.type));
    expect(records.map((r: any) => r.type)).toEqual(
      expect.arrayContaining(['created', 'notice_sent', 'payment_recorded', 'dispute_opened', 'message_sent', 'dispute_rejected', 'handed_off']),
    );
    // Record 1 is the request body byte for byte.
    expect(records[0].type).toBe('created');
    expect(records[0].sha256).toBe(sha(body));
    expect((await objectBytes(records[0].key)).toString('utf8')).toBe(body);
    // A message's record points at its exact MIME bytes; a payment's at a canonical fact document.
    const formalNotice = records.find((r: any) => r.type === 'notice_sent' && r.fact.stage === 'formal_notice');
    expect(formalNotice.key).toMatch(/\.eml$/);
    expect(sha(await objectBytes(formalNotice.key))).toBe(formalNotice.sha256);
    const payment = records.find((r: any) => r.type === 'payment_recorded');
    const paymentDoc = JSON.parse((await objectBytes(payment.key)).toString('utf8'));
    expect(paymentDoc).toEqual({ dossierId: id, seq: payment.seq, fact: view.events[payment.seq - 1] });
    expect(sha(await objectBytes(payment.key))).toBe(payment.sha256);
    // Every object has its retention; the chain links, and each hash is what the documentation says.
    for (const [i, r] of records.entries()) {
      expect(Date.parse(r.retainUntil)).toBeGreaterThan(Date.parse(r.at) + 3649 * 86_400_000);
      expect(r.prevHash).toBe(i === 0 ? '0'.repeat(64) : records[i - 1].hash);
      const { hash, ...rest } = r;
      expect(hash).toBe(sha(canonicalize(rest)!));
    }
    expect(head).toEqual({ seq: records.length, hash: records.at(-1).hash });
    expect(view.evidenceHead).toEqual(head);
    expect(log.body.nextAfter).toBeNull();
    // Paged: the same records, in order, whatever the page size.
    const first = (await local.api.call('GET', `/invoices/${id}/evidence?limit=2`)).body;
    expect(first).toMatchObject({ head, nextAfter: 2 });
    const rest = (await local.api.call('GET', `/invoices/${id}/evidence?after=2&limit=1000`)).body;
    expect(rest.nextAfter).toBeNull();
    expect([...first.records, ...rest.records]).toEqual(records);
    const bad = await local.api.call('GET', `/invoices/${id}/evidence?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  });

  it('never appends twice: replayed requests and racing writers leave one record per fact', async () => {
    const before = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
    expect((await local.api.pay(id, { amount: '250.00', paidOn: '2026-04-08', reference: 'VIR-EV-1' })).status).toBe(200);
    expect((await local.api.call('POST', '/invoices', invoice({ invoiceNumber: 'EV-1' }))).status).toBe(200);
    // Eight writers with the same stale snapshot at once.
    const d = (await getDossier(id))!;
    await Promise.all(Array.from({ length: 8 }, () => appendEvidence({ ...d, evidenceHead: undefined }, new Date())));
    const after = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
    expect(after.head).toEqual(before.head);
    expect(after.records).toEqual(before.records);
  });

  it('catches up a log left behind (a crash between the change and its record) at the next read', async () => {
    // Append a history entry behind the store's back, as if the Lambda died before logging it.
    const ddb = new DynamoDBClient({});
    const key = { pk: { S: `D#${id}` }, sk: { S: 'DOSSIER' } };
    // The item as stored (its history deflated in eventsZ): read, one entry appended, put back.
    const item = fromItem(unmarshall((await ddb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME!, Key: key }))).Item!));
    item.events.push({ type: 'needs_attention', at: '2026-07-01T08:00:00.000Z', reason: 'written behind the log' });
    await ddb.send(new PutItemCommand({ TableName: process.env.TABLE_NAME!, Item: marshall(toItem(item), { removeUndefinedValues: true, convertClassInstanceToMap: false }) }));
    ddb.destroy();
    const log = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
    expect(log.records.at(-1)).toMatchObject({ seq: item.events.length, type: 'needs_attention', fact: { reason: 'written behind the log' } });
    expect((await listRecords(id)).length).toBe(item.events.length);
  });

  it('issues a bundle by a short-lived link; the ZIP verifies offline; issuing it is recorded', async () => {
    const log = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
    const res = await local.api.call('POST', `/invoices/${id}/evidence-bundle`);
    expect(res.status).toBe(201);
    issued = res.body;
    expect(issued).toEqual({
      bundleId: expect.stringMatching(/^bnd_[0-9a-f]{32}$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: expect.any(Number),
      records: log.records.length,
      head: log.head,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\/bundles\/.+\.zip\?.*X-Amz-Expires=900/),
      expiresAt: expect.any(String),
    });
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
    const download = await fetch(issued.url);
    expect(download.status).toBe(200);
    bundle = new Uint8Array(await download.arrayBuffer());
    expect(bundle.length).toBe(issued.size);
    expect(sha(bundle)).toBe(issued.sha256);
    // The bundle is a derived export: in the exports bucket, unlocked (its lifecycle rule expires it),
    // nothing in the vault; what stays is its issuance record (below) and the evidence it packs.
    const s3 = new S3Client({ forcePathStyle: true });
    const bundleKey = `bundles/${id}/${issued.bundleId}.zip`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: process.env.EXPORTS_BUCKET!, Key: bundleKey }));
    expect(head.ObjectLockMode).toBeUndefined();
    expect(head.ContentLength).toBe(issued.size);
    await expect(s3.send(new HeadObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: bundleKey }))).rejects.toMatchObject({ name: 'NotFound' });
    s3.destroy();

    expect(verifyZip(bundle, log.head.hash)).toEqual({ exitCode: 0, lines: [`OK ${log.records.length} records, head ${log.head.hash}`] });
    const files = unzipSync(bundle);
    const manifest = JSON.parse(strFromU8(files['manifest.json']));
    expect(manifest).toMatchObject({ format: 'amiable-evidence-bundle/1', bundleId: issued.bundleId, head: log.head, dossier: { id, invoiceNumber: 'EV-1' } });
    expect(manifest.records.map((e: any) => e.record)).toEqual(log.records);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['manifest.json', 'timeline.html', 'VERIFY.txt', 'files/invoice/' + log.records[0].key.split('/').pop()]));
    const timeline = strFromU8(files['timeline.html']);
    expect(timeline).toContain('Mise en demeure envoyée au débiteur');
    expect(timeline).toContain('Paiement reçu');
    expect(timeline).not.toMatch(/<script/i);
    // VERIFY.txt's sha256sum lines are exactly the files' digests.
    const sums = strFromU8(files['VERIFY.txt']).split('\n').filter((l) => /^[0-9a-f]{64} {2}files\//.test(l));
    expect(sums.length).toBe(new Set(manifest.records.map((e: any) => e.file)).size);
    for (const line of sums) {
      const [digest, path] = line.split('  ');
      expect(sha(files[path])).toBe(digest);
    }

    const after = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
    expect(after.records).toHaveLength(log.records.length + 1);
    expect(after.records.at(-1)).toMatchObject({
      type: 'evidence_bundle_issued',
      prevHash: log.head.hash,
      fact: { bundleId: issued.bundleId, bundleSha256: issued.sha256, records: log.records.length, head: log.head },
    });
  });

  it('names every way the bundle can be tampered with', () => {
    const head = issued.head.hash;
    const check = (zip: Uint8Array, h?: string) => verifyZip(zip, h);
    const m = JSON.parse(strFromU8(unzipSync(bundle)['manifest.json']));
    const notice = m.records.find((e: any) => e.record.type === 'notice_sent' && e.record.fact.stage === 'formal_notice');
    const payment = m.records.find((e: any) => e.record.type === 'payment_recorded');

    // The mise en demeure's Date: header moved one day earlier.
    const changed = check(tampered(bundle, (f) => (f[notice.file] = strToU8(strFromU8(f[notice.file]).replace(/^Date: (\w+), (\d+)/m, (_m, d, n) => `Date: ${d}, ${Number(n) - 1}`)))));
    expect(changed.exitCode).toBe(1);
    expect(changed.lines).toEqual([expect.stringMatching(new RegExp(`^record ${notice.record.seq} \\(notice_sent\\): file ${notice.file} changed`))]);

    const missing = check(tampered(bundle, (f) => delete f[payment.file]));
    expect(missing.lines).toEqual([`record ${payment.record.seq} (payment_recorded): file ${payment.file} is missing`]);

    const extra = check(tampered(bundle, (f) => (f['files/notices/backdated.eml'] = strToU8('From: x'))));
    expect(extra.lines).toEqual(['extra file files/notices/backdated.eml: not named by any record of the manifest']);

    const removed = check(
      tampered(bundle, (f) =>
        editManifest(f, (x) => {
          x.records = x.records.filter((e: any) => e.record.seq !== payment.record.seq);
          if (!x.records.some((e: any) => e.file === payment.file)) delete f[payment.file];
        }),
      ),
    );
    expect(removed.lines).toContain(`record ${payment.record.seq} removed: the chain goes from record ${payment.record.seq - 1} to record ${payment.record.seq + 1}`);

    const reordered = check(
      tampered(bundle, (f) =>
        editManifest(f, (x) => {
          const i = x.records.findIndex((e: any) => e.record.seq === payment.record.seq);
          [x.records[i], x.records[i + 1]] = [x.records[i + 1], x.records[i]];
        }),
      ),
    );
    expect(reordered.lines).toEqual([`records reordered: record ${payment.record.seq} comes after record ${payment.record.seq + 1}`]);

    const edited = check(
      tampered(bundle, (f) => editManifest(f, (x) => (x.records.find((e: any) => e.record.seq === payment.record.seq).record.fact.amount = '2500.00'))),
    );
    expect(edited.lines).toEqual([`record ${payment.record.seq} (payment_recorded) edited: its hash does not match its content`]);

    const manifestEdited = check(tampered(bundle, (f) => editManifest(f, (x) => (x.dossier.invoiceNumber = 'EV-999'))));
    expect(manifestEdited.lines).toEqual(['manifest.json edited: its manifestHash does not match its content']);

    const otherHead = check(bundle, 'f'.repeat(64));
    expect(otherHead.exitCode).toBe(1);
    expect(otherHead.lines).toEqual([`head mismatch: the chain ends at record ${issued.records} ${head}, not at the expected head ${'f'.repeat(64)} (no record has that hash)`]);

    expect(check(strToU8('not a zip')).lines[0]).toMatch(/^not a readable ZIP file/);
    expect(check(bundle, head)).toEqual({ exitCode: 0, lines: [`OK ${issued.records} records, head ${head}`] });
  });

  it('lets an auditor key read the log and take a bundle, and nothing else', async () => {
    const res = await fetch(`${local.sys.apiUrl}/admin/creditors/${local.sys.creditorId}/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-key': local.sys.adminKey },
      body: JSON.stringify({ role: 'auditor', label: 'Cabinet Durand, commissaire aux comptes' }),
    });
    expect(res.status).toBe(201);
    const auditor = { 'x-api-key': ((await res.json()) as any).key };
    const log = await local.api.call('GET', `/invoices/${id}/evidence`, undefined, auditor);
    expect(log.status).toBe(200);
    const taken = await local.api.call('POST', `/invoices/${id}/evidence-bundle`, undefined, auditor);
    expect(taken.status).toBe(201);
    expect(taken.body.records).toBe(log.body.records.length);
    const pay = await local.api.call('POST', `/invoices/${id}/payments`, { amount: '1.00', paidOn: '2026-07-01', reference: 'AUDIT' }, auditor);
    expect(pay.status).toBe(403);
    expect(pay.body.error.code).toBe('forbidden');
    const cancel = await local.api.call('POST', `/invoices/${id}/cancel`, { reason: 'x' }, auditor);
    expect(cancel.status).toBe(403);
  });

  it('runs as `amiable verify` from the command line: exit 0 and one OK line, or exit 1 and one line per problem', async () => {
    const { execFile } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'amiable-verify-'));
    const good = join(dir, 'bundle.zip');
    const bad = join(dir, 'tampered.zip');
    writeFileSync(good, bundle);
    writeFileSync(bad, tampered(bundle, (f) => (f['files/planted.txt'] = strToU8('x'))));
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(process.execPath, ['bin/amiable-cli.cjs', 'verify', ...args], { cwd: `${__dirname}/../..`, timeout: 60_000 }, (error, stdout) =>
          resolve({ code: error ? Number(error.code) : 0, stdout }),
        ),
      );
    expect(await run(good, '--head', issued.head.hash)).toEqual({ code: 0, stdout: `OK ${issued.records} records, head ${issued.head.hash}\n` });
    expect(await run(bad)).toEqual({ code: 1, stdout: 'extra file files/planted.txt: not named by any record of the manifest\n' });
    expect((await run(good, '--head', 'nothex')).code).toBe(2);
  });

  it('answers 404 for a dossier that is not the caller’s, and for a malformed id', async () => {
    expect((await local.api.call('GET', '/invoices/dos_aaaaaaaaaaaaaaaaaaaaaaaaaa/evidence')).status).toBe(404);
    expect((await local.api.call('POST', '/invoices/nope/evidence-bundle')).body.error.code).toBe('not_found');
  });
});
