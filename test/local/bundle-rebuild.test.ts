import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { keptBundleOf as keptOf } from '../../lambdas/services/evidence';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyZip } from '../../cli/verify';
import { keptBundleOf, keptLink, rebuildBundle } from '../../lambdas/services/evidence';
import { invoice, useLocalSystem } from '../support/local-client';

/**
 * An evidence bundle is a derived export (lib/bundle-exports.ts): put in the exports bucket, not
 * the Object Lock vault; what stays is its issuance record (SHA-256, head, basis). These tests
 * rebuild bundles from the vault and compare them byte for byte with what was issued, and take a
 * hand-off through a failed attempt whose bundle expired meanwhile.
 */
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const LAWYER = 'contentieux@fontaine-avocats.example';
const s3 = () => new S3Client({ forcePathStyle: true });

async function exists(bucket: string, key: string): Promise<boolean> {
  const c = s3();
  try {
    await c.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'NotFound') return false;
    throw e;
  } finally {
    c.destroy();
  }
}

/** Deletes every export of a dossier, as the exports bucket's lifecycle rule does after a few days. */
async function expireExports(dossierId: string): Promise<number> {
  const c = s3();
  try {
    const out = await c.send(new ListObjectsV2Command({ Bucket: process.env.EXPORTS_BUCKET!, Prefix: `bundles/${dossierId}/` }));
    for (const o of out.Contents ?? []) await c.send(new DeleteObjectCommand({ Bucket: process.env.EXPORTS_BUCKET!, Key: o.Key! }));
    return out.Contents?.length ?? 0;
  } finally {
    c.destroy();
  }
}

const issuedEntries = (view: any) => view.events.filter((e: any) => e.type === 'evidence_bundle_issued');

describe('evidence bundles are exports, rebuilt byte for byte from the vault', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  let id: string;
  let issued: any;
  let zip: Uint8Array;

  it('puts the bundle in the exports bucket, not the vault, and records its basis with its issuance', async () => {
    id = (await local.api.createInvoice(invoice({ invoiceNumber: 'RB-1' }))).body.id;
    await local.api.advanceTo('2026-04-20T10:00:00Z');
    expect((await local.api.call('POST', `/invoices/${id}/payments`, { amount: '100.00', paidOn: '2026-04-20', reference: 'RB-P1' })).status).toBe(201);
    const res = await local.api.call('POST', `/invoices/${id}/evidence-bundle`);
    expect(res.status).toBe(201);
    issued = res.body;
    zip = new Uint8Array(await (await fetch(issued.url)).arrayBuffer());
    expect(sha(zip)).toBe(issued.sha256);
    const key = `bundles/${id}/${issued.bundleId}.zip`;
    expect(await exists(process.env.EXPORTS_BUCKET!, key)).toBe(true);
    expect(await exists(process.env.EVIDENCE_BUCKET!, key)).toBe(false);
    const entry = issuedEntries((await local.api.getInvoice(id)).body).at(-1);
    expect(entry).toMatchObject({
      bundleId: issued.bundleId,
      bundleKey: key,
      bundleSha256: issued.sha256,
      head: issued.head,
      bundleStore: 'exports',
      basis: { dossier: { id, invoiceNumber: 'RB-1', status: 'active' }, creditor: { id: expect.any(String) }, software: { name: 'amiable' } },
    });
  });

  it('rebuilds it for its head, byte for byte, after the log moved on and in another time zone', async () => {
    // More history after the bundle: the rebuild takes the log up to the bundle's head only.
    expect((await local.api.call('POST', `/invoices/${id}/payments`, { amount: '50.00', paidOn: '2026-04-20', reference: 'RB-P2' })).status).toBe(201);
    const kept = keptBundleOf(issuedEntries((await local.api.getInvoice(id)).body).at(-1))!;
    const zone = process.env.TZ;
    for (const tz of [zone, 'Pacific/Auckland', 'America/Martinique']) {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
      const file = (await rebuildBundle(id, kept))!;
      try {
        expect(file, `rebuilt in ${tz ?? 'the default zone'}`).not.toBeNull();
        expect(file.sha256).toBe(issued.sha256);
        expect(sha(file.bytes ?? fs.readFileSync(file.path!))).toBe(sha(zip));
      } finally {
        file?.dispose();
      }
    }
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    // A recorded SHA-256 the rebuild cannot match (another version built it): no rebuild, the caller issues anew.
    expect(await rebuildBundle(id, { ...kept, sha256: '0'.repeat(64) })).toBeNull();
    expect(await rebuildBundle(id, { ...kept, basis: { ...kept.basis!, software: { name: 'amiable', version: '0.0.0-other' } } })).toBeNull();
  });

  it('a link to a kept bundle: the export while it lasts, else rebuilt and put back, with no new issuance', async () => {
    const before = issuedEntries((await local.api.getInvoice(id)).body).length;
    const kept = keptBundleOf(issuedEntries((await local.api.getInvoice(id)).body).at(-1))!;
    const first = (await keptLink({ id, invoice: { invoiceNumber: 'RB-1' } } as any, kept))!;
    expect(sha(new Uint8Array(await (await fetch(first.url)).arrayBuffer()))).toBe(issued.sha256);
    expect(await expireExports(id)).toBe(1);
    const again = (await keptLink({ id, invoice: { invoiceNumber: 'RB-1' } } as any, kept))!;
    expect(again).toMatchObject({ bundleId: issued.bundleId, sha256: issued.sha256, size: issued.size, head: issued.head });
    const rebuilt = new Uint8Array(await (await fetch(again.url)).arrayBuffer());
    expect(sha(rebuilt)).toBe(issued.sha256);
    expect(verifyZip(rebuilt, issued.head.hash).exitCode).toBe(0);
    expect(issuedEntries((await local.api.getInvoice(id)).body)).toHaveLength(before);
  });
});

describe('a retried hand-off whose bundle expired meanwhile rebuilds it for the same head', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  const send = SESv2Client.prototype.send;
  afterAll(() => {
    SESv2Client.prototype.send = send;
  });

  it('sends counsel a link to the bundle its first attempt issued, rebuilt byte for byte', async () => {
    const id = (await local.api.createInvoice(invoice({ invoiceNumber: 'RB-2' }))).body.id;
    await local.api.advanceTo('2026-05-04T08:00:00Z');
    // The hand-off's first attempt fails at SES, after its bundle was issued; its export is gone
    // before the retry (as if the retry came days later).
    let failed = 0;
    SESv2Client.prototype.send = async function (this: SESv2Client, command: any, ...rest: any[]) {
      if (failed === 0 && command?.constructor?.name === 'SendEmailCommand' && JSON.stringify(command.input?.Destination ?? {}).includes(LAWYER)) {
        failed++;
        await expireExports(id);
        throw Object.assign(new Error('injected: SES unavailable'), { name: 'ServiceUnavailableException', $retryable: {} });
      }
      return (send as any).call(this, command, ...rest);
    } as any;
    await local.api.advanceTo('2026-05-20T00:00:00Z');
    expect(failed).toBe(1);
    const view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    const bundles = issuedEntries(view);
    expect(bundles).toHaveLength(1);
    const mails = (await local.api.emails()).filter((m: any) => JSON.stringify(m.destination.to).includes(LAWYER));
    expect(mails).toHaveLength(1);
    const url = (mails[0].body.text as string).match(/http:\/\/127\.0\.0\.1:\d+\/\S+/)?.[0];
    expect(url).toMatch(/X-Amz-Expires=900/);
    const zip = new Uint8Array(await (await fetch(url!)).arrayBuffer());
    expect(sha(zip)).toBe(bundles[0].bundleSha256);
    expect(verifyZip(zip, bundles[0].head.hash).exitCode).toBe(0);
    // The failed attempt kept its PDF apart (services/litigation.ts keepPdfApart): its record never
    // points at bytes the vault lacks, whether or not a retry ever sends the message.
    const pdf = view.events.find((e: any) => e.type === 'litigation_dossier_stored' && e.format === 'pdf');
    expect(pdf.attachedTo).toBe('litigation_handoff');
    expect(await exists(process.env.EVIDENCE_BUCKET!, pdf.evidenceKey)).toBe(true);
  });
});

describe('a hand-off PDF that no message carries and nobody kept apart is kept apart by the next hand-off', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  const send = SESv2Client.prototype.send;
  const s3send = S3Client.prototype.send;
  afterAll(() => {
    SESv2Client.prototype.send = send;
    S3Client.prototype.send = s3send;
  });

  it('renders it again from its JSON, checks it and keeps it: every bundle of the dossier still verifies', async () => {
    const id = (await local.api.createInvoice(invoice({ invoiceNumber: 'RB-3' }))).body.id;
    await local.api.advanceTo('2026-05-12T08:00:00Z');
    // Every attempt of the first hand-off fails at SES, and so does keeping its PDF apart (as if each
    // attempt died before its failure path): the PDF's entry is left with no bytes anywhere.
    SESv2Client.prototype.send = async function (this: SESv2Client, command: any, ...rest: any[]) {
      if (command?.constructor?.name === 'SendEmailCommand' && JSON.stringify(command.input?.Destination ?? {}).includes(LAWYER)) {
        throw Object.assign(new Error('injected: SES unavailable'), { name: 'ServiceUnavailableException', $retryable: {} });
      }
      return (send as any).call(this, command, ...rest);
    } as any;
    S3Client.prototype.send = async function (this: S3Client, command: any, ...rest: any[]) {
      if (command?.constructor?.name === 'PutObjectCommand' && /\/litigation\/.*\.pdf$/.test(command.input?.Key ?? '')) {
        throw Object.assign(new Error('injected: S3 unavailable'), { name: 'ServiceUnavailable', $retryable: {} });
      }
      return (s3send as any).call(this, command, ...rest);
    } as any;
    await local.api.advanceTo('2026-05-20T00:00:00Z');
    let view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('needs_attention');
    const orphan = view.events.find((e: any) => e.type === 'litigation_dossier_stored' && e.format === 'pdf');
    expect(orphan.attachedTo).toBe('litigation_handoff');
    expect(await exists(process.env.EVIDENCE_BUCKET!, orphan.evidenceKey)).toBe(false);
    // An auditor's bundle meanwhile: a clear 503, never a bundle missing a file.
    const meanwhile = await local.api.call('POST', `/invoices/${id}/evidence-bundle`);
    expect(meanwhile.status).toBe(503);
    expect(meanwhile.body.error.message).toMatch(/attachment of the hand-off message/);

    // Days later the dossier is resumed and handed off anew.
    SESv2Client.prototype.send = send;
    S3Client.prototype.send = s3send;
    await local.api.advanceTo('2026-05-26T08:00:00Z');
    expect((await local.api.call('POST', `/invoices/${id}/resume`, {})).status).toBe(200);
    await local.api.advanceTo('2026-06-05T00:00:00Z');
    view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    const pdfs = view.events.filter((e: any) => e.type === 'litigation_dossier_stored' && e.format === 'pdf');
    expect(pdfs.length).toBeGreaterThanOrEqual(2);
    expect(await exists(process.env.EVIDENCE_BUCKET!, orphan.evidenceKey)).toBe(true);
    // The new one rides in its message only.
    expect(await exists(process.env.EVIDENCE_BUCKET!, pdfs.at(-1).evidenceKey)).toBe(false);
    const res = await local.api.call('POST', `/invoices/${id}/evidence-bundle`);
    expect(res.status).toBe(201);
    const zip = new Uint8Array(await (await fetch(res.body.url)).arrayBuffer());
    expect(verifyZip(zip, res.body.head.hash).exitCode).toBe(0);
    const counsel = keptOf(view.events.findLast((e: any) => e.type === 'evidence_bundle_issued'))!;
    expect(counsel).not.toBeNull();
  });
});
