import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { strFromU8, unzipSync } from 'fflate';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { verifyZip } from '../../cli/verify';
import { clock } from '../../lambdas/adapters/clock';
import { updateDossier } from '../../lambdas/adapters/dossier-store';
import { evidenceRef, putEvidence } from '../../lambdas/adapters/evidence-store';
import { keptBundleOf, rebuildBundle } from '../../lambdas/services/evidence';
import { entryBytes } from '../../lambdas/services/evidence-source';
import { invoice, useLocalSystem } from '../support/local-client';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const LAWYER = 'contentieux@fontaine-avocats.example';
const ACCOUNTANT = 'expert-comptable@cabinet-durand.example';

async function objectBytes(key: string): Promise<Buffer> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } finally {
    s3.destroy();
  }
}

async function storageClassOf(key: string): Promise<string | undefined> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: key }))).StorageClass;
  } finally {
    s3.destroy();
  }
}

/** Replaces a vault object (GOVERNANCE lock locally: deleted with the bypass, put back unlocked), as a forger would. */
async function replaceObject(key: string, bytes: Buffer): Promise<void> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: key, BypassGovernanceRetention: true }));
    await s3.send(new PutObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: key, Body: bytes }));
  } finally {
    s3.destroy();
  }
}

const toCounsel = (mails: any[]) => mails.filter((m) => JSON.stringify(m.destination.to).includes(LAWYER));
const dublin = {
  kind: 'business',
  name: 'Liffey Bakery Ltd',
  email: 'accounts@liffey-bakery.example',
  language: 'en',
  address: { line1: '1 Grafton Street', postalCode: 'D02 X285', city: 'Dublin', country: 'IE' },
};

/**
 * The hand-off on the real pipeline: intake, the synthesized workflow under the simulated clock,
 * the send step, the vault (s3rver behind the Object Lock layer), the SES emulator and the local
 * EventBridge recorder; everything is read back from them.
 */
describe('hand-off to litigation in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z' });
  let id: string;

  it('hands an unpaid invoice to counsel: dossier (JSON and PDF) in the vault, message with the PDF and the bundle link in SES, DossierHandedOff on the bus', async () => {
    id = (await local.api.createInvoice(invoice({ invoiceNumber: 'LIT-1' }))).body.id;
    // The mise en demeure goes out on 4 May; its delivery is reported by SES.
    await local.api.advanceTo('2026-05-04T08:00:00Z');
    const med = (await local.api.getInvoice(id)).body.events.find((e: any) => e.type === 'notice_sent' && e.stage === 'formal_notice');
    expect((await local.api.call('POST', '/_local/ses/events', { messageId: med.messageId, type: 'Delivery' })).status).toBe(202);
    const before = await local.api.call('GET', `/invoices/${id}/litigation`);
    expect(before.status).toBe(409);
    expect(before.body.error.message).toMatch(/grace period/);

    await local.api.advanceTo('2026-05-20T00:00:00Z');
    const view = (await local.api.getInvoice(id)).body;
    expect(view.status).toBe('handed_off');
    const types = view.events.map((e: any) => e.type);
    const from = types.indexOf('litigation_dossier_stored');
    expect(types.slice(from)).toEqual(['litigation_dossier_stored', 'litigation_dossier_stored', 'evidence_bundle_issued', 'notice_sent', 'handed_off', 'handoff_event_published']);
    const [jsonEvent, pdfEvent] = view.events.slice(from, from + 2);
    expect(jsonEvent).toMatchObject({ format: 'json', asOf: '2026-05-13', route: 'small_claims' });
    expect(pdfEvent).toMatchObject({ format: 'pdf', asOf: '2026-05-13' });

    // The JSON is in the vault gzipped: gunzip gives byte for byte what its record says; the object
    // itself is what storedSha256 (and S3's checksum) says. The PDF is kept once: as the attachment
    // of the message to counsel (kept in the vault as sent), not as an object of its own.
    expect(jsonEvent).toMatchObject({ encoding: 'gzip', evidenceKey: expect.stringMatching(/\/litigation\/2026-05-13-[0-9a-f]{16}\.json\.gz$/) });
    const gz = await objectBytes(jsonEvent.evidenceKey);
    expect(sha(gz)).toBe(jsonEvent.storedSha256);
    const json = gunzipSync(gz);
    expect(sha(json)).toBe(jsonEvent.sha256);
    expect(jsonEvent.evidenceKey).toContain(sha(json).slice(0, 16));
    expect(pdfEvent).toMatchObject({ attachedTo: 'litigation_handoff' });
    await expect(objectBytes(pdfEvent.evidenceKey)).rejects.toMatchObject({ name: 'NoSuchKey' });
    const sentEml = view.events.find((e: any) => e.type === 'notice_sent' && e.stage === 'litigation_handoff');
    expect(pdfEvent.retainUntil).toBe(sentEml.retainUntil);
    // The message to counsel goes to Glacier IR at its PUT (archived anyway, not read back soon:
    // adapters/evidence-archive.ts); the mise en demeure, which the hand-off's bundle reads, stays in Standard.
    expect(await storageClassOf(sentEml.evidenceKey)).toBe('GLACIER_IR');
    expect(await storageClassOf(med.evidenceKey)).toBeUndefined();
    const kept = (await simpleParser(await objectBytes(sentEml.evidenceKey))).attachments;
    expect(kept.map((a) => a.contentType)).toEqual(['application/pdf']);
    const pdf = kept[0]!.content;
    expect(sha(pdf)).toBe(pdfEvent.sha256);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const log = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
    expect(log.records.filter((r: any) => r.type === 'litigation_dossier_stored').map((r: any) => r.key)).toEqual([jsonEvent.evidenceKey, pdfEvent.evidenceKey]);
    const ld = JSON.parse(json.toString('utf8'));
    expect(ld).toMatchObject({ format: 'amiable-litigation-dossier/1', creditorReference: 'LIT-1', asOf: '2026-05-13', route: { code: 'small_claims' } });
    expect(ld.claim.due.total).toBe(view.events.find((e: any) => e.type === 'litigation_dossier_stored').totalDue);
    expect(ld.route.court).toMatch(/commissaire de justice/);
    expect(ld.route.alternatives[0].note).toMatch(/tribunal des activités économiques de Paris/);
    // The mise en demeure is a document to file, with its sending and delivery proofs, by record.
    const notice = ld.documents.find((x: any) => x.category === 'formal_notice');
    expect(notice.evidence).toMatchObject({ type: 'notice_sent', key: med.evidenceKey, sha256: med.sha256 });
    expect(notice.proofs.map((p: any) => p.kind)).toEqual(['sending', 'delivery']);
    const delivered = log.records[notice.proofs[1].seq - 1];
    expect(delivered).toMatchObject({ type: 'email_delivered', sha256: notice.proofs[1].sha256, key: notice.proofs[1].key });

    // The message: to counsel, accountants in copy, "Maître,", the creditor's reference, the PDF, the link.
    const mails = toCounsel(await local.api.emails());
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(JSON.stringify(mail.destination.cc)).toContain(ACCOUNTANT);
    expect(JSON.stringify(mail.destination.to)).not.toContain('boulangerie-dupont');
    expect(mail.subject).toBe('Transmission contentieux – facture LIT-1 – Boulangerie Dupont SARL (réf. LIT-1-CTX)');
    const text: string = mail.body.text;
    expect(text).toMatch(/^Maître,$/m);
    expect(text.replace(/\s+/g, ' ')).toContain('Référence du créancier : facture n° LIT-1');
    expect(text).toContain('Procédure simplifiée de recouvrement des petites créances');
    expect(text).toContain('art. 750-1 CPC');
    const url = text.match(/http:\/\/127\.0\.0\.1:\d+\/\S+/)?.[0];
    expect(url).toMatch(/X-Amz-Expires=900/);
    expect(text.split(url!).join('')).not.toContain(id);
    expect(text).not.toMatch(/lambdas\/|\.ts\b|Late-payment|Day count/);
    expect(mail.attachments.map((a: any) => a.filename)).toEqual(['dossier-contentieux-LIT-1.pdf']);
    expect(sha(Buffer.from(mail.attachments[0].content, 'base64'))).toBe(pdfEvent.sha256);
    const sent = view.events.find((e: any) => e.type === 'notice_sent' && e.stage === 'litigation_handoff');
    expect(sent.to).toBe(LAWYER);
    // One object proves the bundle issued to counsel, the message and the hand-off: the message as
    // sent (it carries the bundle's link and head). Only the EventBridge publication has a fact document.
    const tail = log.records.slice(-4);
    expect(tail.map((r: any) => r.type)).toEqual(['evidence_bundle_issued', 'notice_sent', 'handed_off', 'handoff_event_published']);
    expect(tail.slice(0, 3).map((r: any) => [r.key, r.sha256])).toEqual(Array(3).fill([sent.evidenceKey, sent.sha256]));
    expect(tail[3].key).toMatch(/\/facts\/\d{6}-handoff_event_published\.json$/);

    // The link gives the bundle: it verifies offline and holds the litigation dossier, byte for byte.
    const zip = new Uint8Array(await (await fetch(url!)).arrayBuffer());
    const bundleEvent = view.events.find((e: any) => e.type === 'evidence_bundle_issued');
    expect(sha(zip)).toBe(bundleEvent.bundleSha256);
    expect(text).toContain(bundleEvent.head.hash);
    expect(verifyZip(zip, bundleEvent.head.hash)).toEqual({ exitCode: 0, lines: [`OK ${bundleEvent.records} records, head ${bundleEvent.head.hash}`] });
    const files = unzipSync(zip);
    const inZip = (key: string) => files[`files/${key.replace(/^dossiers\/[^/]+\//, '')}`];
    expect(sha(inZip(pdfEvent.evidenceKey)!)).toBe(pdfEvent.sha256);
    // The bundle holds the JSON itself, under the name it always had (no .gz).
    expect(inZip(jsonEvent.evidenceKey)).toBeUndefined();
    expect(Buffer.from(inZip(jsonEvent.evidenceKey.replace(/\.gz$/, ''))!).equals(json)).toBe(true);
    expect(JSON.parse(strFromU8(inZip(jsonEvent.evidenceKey.replace(/\.gz$/, ''))!))).toEqual(ld);

    // DossierHandedOff, as a rule on the default bus would receive it.
    const bus = (await local.api.call('GET', '/_local/events?detail-type=DossierHandedOff')).body.events;
    expect(bus).toHaveLength(1);
    expect(bus[0]).toMatchObject({
      source: 'amiable',
      'detail-type': 'DossierHandedOff',
      time: '2026-05-13T07:00:00Z',
      detail: {
        version: 1,
        dossierId: id,
        invoiceNumber: 'LIT-1',
        handedOffAt: '2026-05-13T07:00:00.000Z',
        approvedBy: null,
        route: 'small_claims',
        claim: { asOf: '2026-05-13', totalDue: ld.claim.due.total, currency: 'EUR' },
        litigationContact: { email: LAWYER },
        litigationDossier: { json: { key: jsonEvent.evidenceKey, sha256: jsonEvent.sha256, encoding: 'gzip' }, pdf: { key: pdfEvent.evidenceKey, sha256: pdfEvent.sha256 } },
        evidenceBundle: { bundleId: bundleEvent.bundleId, sha256: bundleEvent.bundleSha256 },
        message: { messageId: sent.messageId },
      },
    });
    expect(view.events.find((e: any) => e.type === 'handoff_event_published').eventId).toBe(bus[0].id);
  });

  it('bundles the PDF from the message kept in the vault: the e-mail attachment, byte for byte; a tampered message is named', async () => {
    const view = (await local.api.getInvoice(id)).body;
    const pdfEvent = view.events.find((e: any) => e.type === 'litigation_dossier_stored' && e.format === 'pdf');
    const sent = view.events.find((e: any) => e.type === 'notice_sent' && e.stage === 'litigation_handoff');
    const mail = toCounsel(await local.api.emails())[0];
    const attachment = Buffer.from(mail.attachments[0].content, 'base64');
    const pdfFile = `files/${pdfEvent.evidenceKey.replace(/^dossiers\/[^/]+\//, '')}`;
    const bundleOf = async () => {
      const res = await local.api.call('POST', `/invoices/${id}/evidence-bundle`);
      expect(res.status).toBe(201);
      return { zip: new Uint8Array(await (await fetch(res.body.url)).arrayBuffer()), head: res.body.head.hash as string };
    };
    // An auditor's bundle after the hand-off: the PDF comes out of the kept message, read once for
    // the PDF and its own file (it is in Glacier IR from its PUT, where every GET is billed).
    const reads: string[] = [];
    const s3send = S3Client.prototype.send;
    S3Client.prototype.send = function (this: S3Client, command: any, ...rest: any[]) {
      if (command?.constructor?.name === 'GetObjectCommand') reads.push(String(command.input?.Key));
      return (s3send as any).call(this, command, ...rest);
    } as any;
    let bundled: Awaited<ReturnType<typeof bundleOf>>;
    try {
      bundled = await bundleOf();
    } finally {
      S3Client.prototype.send = s3send;
    }
    expect(reads.filter((k) => k === sent.evidenceKey)).toHaveLength(1);
    const { zip, head } = bundled;
    expect(verifyZip(zip, head).exitCode).toBe(0);
    const files = unzipSync(zip);
    expect(sha(files[pdfFile]!)).toBe(sha(attachment));
    expect(sha(attachment)).toBe(pdfEvent.sha256);
    // Counsel's bundle (its PDF came from memory before the message existed), rebuilt now from the
    // message in the vault: the same bytes.
    const counsel = keptBundleOf(view.events.find((e: any) => e.type === 'evidence_bundle_issued'))!;
    const rebuilt = (await rebuildBundle(id, counsel))!;
    try {
      expect(rebuilt.sha256).toBe(counsel.sha256);
    } finally {
      rebuilt.dispose();
    }

    // Someone swaps the kept message for one whose PDF differs by one base64 character
    // (GOVERNANCE lock locally: deleted with the bypass, put back unlocked).
    const original = await objectBytes(sent.evidenceKey);
    const text = original.toString('latin1');
    const body = text.indexOf('\r\n\r\n', text.indexOf('Content-Type: application/pdf')) + 4;
    const at = text.indexOf('\r\n', body) + 10;
    const forged = Buffer.from(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1), 'latin1');
    const replace = async (bytes: Buffer) => {
      const s3 = new S3Client({ forcePathStyle: true });
      try {
        await s3.send(new DeleteObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: sent.evidenceKey, BypassGovernanceRetention: true }));
        await s3.send(new PutObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: sent.evidenceKey, Body: bytes }));
      } finally {
        s3.destroy();
      }
    };
    await replace(forged);
    try {
      const tampered = await bundleOf();
      const out = verifyZip(tampered.zip, tampered.head);
      expect(out.exitCode).not.toBe(0);
      const lines = out.lines.join('\n');
      expect(lines).toContain(`file ${pdfFile} changed`);
      expect(lines).toContain(`file files/${sent.evidenceKey.replace(/^dossiers\/[^/]+\//, '')} changed`);
      expect(await rebuildBundle(id, counsel)).toBeNull();
    } finally {
      await replace(original);
    }
  });

  it('serves the litigation dossier as of today, with the versions kept', async () => {
    await local.api.advanceTo('2026-06-02T08:00:00Z');
    const res = await local.api.call('GET', `/invoices/${id}/litigation`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ format: 'amiable-litigation-dossier/1', status: 'handed_off', asOf: '2026-06-02', creditorReference: 'LIT-1' });
    expect(res.body.stored.map((s: any) => [s.format, s.asOf])).toEqual([
      ['json', '2026-05-13'],
      ['pdf', '2026-05-13'],
    ]);
    // Twenty more days of penalties than on the hand-off date.
    expect(res.body.stored.map((s: any) => s.encoding ?? null)).toEqual(['gzip', null]);
    const stored = JSON.parse(gunzipSync(await objectBytes(res.body.stored[0].key)).toString('utf8'));
    expect(Number(res.body.claim.due.total)).toBeGreaterThan(Number(stored.claim.due.total));
    // (the bundles issued by the test before follow it)
    expect(res.body.timeline.find((t: any) => t.type === 'handoff_event_published')).toMatchObject({ type: 'handoff_event_published', label: 'Transmission annoncée aux systèmes du créancier' });
  });

  it('tells counsel of every payment after the hand-off; a settling one asks to stop the procedure', async () => {
    const partial = await local.api.pay(id, { amount: '250.00', paidOn: '2026-06-02', reference: 'VIR-LIT-1' });
    expect(partial.status).toBe(201);
    let mails = toCounsel(await local.api.emails());
    expect(mails).toHaveLength(2);
    expect(mails[1].subject).toBe('Paiement partiel reçu après transmission – facture LIT-1 – Boulangerie Dupont SARL');
    expect(JSON.stringify(mails[1].destination.cc)).toContain(ACCOUNTANT);
    expect(mails[1].body.text).toMatch(/^Maître,$/m);
    expect(mails[1].body.text).toContain('Boulangerie Dupont SARL a payé 250,00');
    // C. civ. 1343-1 (the default allocation): the payment goes to the penalties and the indemnity
    // the letters claimed, then to the principal.
    const text = mails[1].body.text.replace(/\s+/g, ' ');
    expect(text).toContain('Principal restant dû au 2 juin 2026 : 1 064,97 €');
    expect(text).toContain('Total restant dû, accessoires compris : 1 064,97 €');

    const settled = await local.api.pay(id, { amount: '1064.97', paidOn: '2026-06-02', reference: 'VIR-LIT-2' });
    expect(settled.body.status).toBe('paid');
    mails = toCounsel(await local.api.emails());
    expect(mails).toHaveLength(3);
    expect(mails[2].subject).toBe('Arrêt de la procédure – facture LIT-1 réglée – Boulangerie Dupont SARL');
    expect(mails[2].body.text.replace(/\s+/g, ' ')).toContain('merci d’arrêter la procédure');
    const updates = settled.body.events.filter((e: any) => e.type === 'message_sent' && e.kind === 'litigation_payment_update');
    expect(updates.map((e: any) => [e.reference, e.settled, e.to])).toEqual([
      ['VIR-LIT-1', false, LAWYER],
      ['VIR-LIT-2', true, LAWYER],
    ]);
    // Each report is evidence: the exact message bytes in the vault (a small message, kept gzipped).
    expect(updates[1]).toMatchObject({ encoding: 'gzip', evidenceKey: expect.stringMatching(/\.eml\.gz$/) });
    expect(sha(gunzipSync(await objectBytes(updates[1].evidenceKey)))).toBe(updates[1].sha256);
  });

  it('keeps the litigation JSON gzipped: a tampered object is named by the verifier; one an earlier version kept uncompressed reads as before', async () => {
    const bundleNow = async () => {
      const res = await local.api.call('POST', `/invoices/${id}/evidence-bundle`);
      expect(res.status).toBe(201);
      return { zip: new Uint8Array(await (await fetch(res.body.url)).arrayBuffer()), head: res.body.head.hash as string };
    };
    const view = (await local.api.getInvoice(id)).body;
    const jsonEvent = view.events.find((e: any) => e.type === 'litigation_dossier_stored' && e.format === 'json');
    const jsonFile = `files/${jsonEvent.evidenceKey.replace(/^dossiers\/[^/]+\//, '').replace(/\.gz$/, '')}`;
    const counsel = keptBundleOf(view.events.find((e: any) => e.type === 'evidence_bundle_issued'))!;
    const original = await objectBytes(jsonEvent.evidenceKey);
    const text = gunzipSync(original).toString('utf8');
    // Someone swaps the gzipped JSON for the gzip of another JSON, or for bytes that are not gzip at all.
    for (const forged of [gzipSync(Buffer.from(text.replace('"LIT-1"', '"LIT-2"'), 'utf8')), Buffer.from('{"not":"gzip"}\n', 'utf8')]) {
      await replaceObject(jsonEvent.evidenceKey, forged);
      try {
        const tampered = await bundleNow();
        const out = verifyZip(tampered.zip, tampered.head);
        expect(out.exitCode).toBe(1);
        expect(out.lines).toEqual([expect.stringContaining(`file ${jsonFile} changed`)]);
        expect(await rebuildBundle(id, counsel)).toBeNull();
      } finally {
        await replaceObject(jsonEvent.evidenceKey, original);
      }
    }
    const rebuilt = (await rebuildBundle(id, counsel))!;
    expect(rebuilt.sha256).toBe(counsel.sha256);
    rebuilt.dispose();

    // An entry an earlier version wrote: the JSON as is, at a .json key, no encoding.
    const today = (await local.api.call('GET', `/invoices/${id}/litigation`)).body;
    const { stored: _stored, ...dossier } = today;
    const plain = Buffer.from(`${JSON.stringify(dossier)}\n`, 'utf8');
    const kept = await putEvidence(`dossiers/${id}/litigation/${today.asOf}-${sha(plain).slice(0, 16)}.json`, plain, 'application/json', clock().now());
    const entry = { type: 'litigation_dossier_stored', at: clock().now().toISOString(), format: 'json', asOf: today.asOf, ...evidenceRef(kept) };
    expect(entry).not.toHaveProperty('encoding');
    await updateDossier(id, (d) => ({ dossier: { ...d, events: [...d.events, entry] } }));
    expect((await entryBytes(entry)).equals(plain)).toBe(true);
    const stored = (await local.api.call('GET', `/invoices/${id}/litigation`)).body.stored;
    expect(stored.at(-1)).toEqual({ seq: expect.any(Number), at: entry.at, format: 'json', asOf: today.asOf, key: kept.key, sha256: sha(plain) });
    const bundle = await bundleNow();
    expect(verifyZip(bundle.zip, bundle.head)).toEqual({ exitCode: 0, lines: [expect.stringMatching(/^OK \d+ records/)] });
    const files = unzipSync(bundle.zip);
    expect(Buffer.from(files[`files/${kept.key.replace(/^dossiers\/[^/]+\//, '')}`]!).equals(plain)).toBe(true);
    expect(Buffer.from(files[jsonFile]!).toString('utf8')).toBe(text);
  });
});

const approvalProfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-approval-')), 'creditor-profile.json');
fs.writeFileSync(
  approvalProfile,
  JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'local', 'demo-creditor.json'), 'utf8')), handoff: 'approval' }),
);

describe('hand-off approval mode in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-04T10:00:00Z', profilePath: approvalProfile });
  const ids: Record<string, string> = {};

  it('keeps the dossier in awaiting_handoff_approval, its litigation dossier established, nothing sent to counsel', async () => {
    ids.a = (await local.api.createInvoice(invoice({ invoiceNumber: 'APP-A' }))).body.id;
    ids.b = (await local.api.createInvoice(invoice({ invoiceNumber: 'APP-B' }))).body.id;
    ids.eu = (await local.api.createInvoice(invoice({ invoiceNumber: 'APP-EU', debtor: dublin }))).body.id;
    await local.api.advanceTo('2026-05-20T00:00:00Z');
    for (const id of Object.values(ids)) {
      const v = (await local.api.getInvoice(id)).body;
      expect(v.status).toBe('awaiting_handoff_approval');
      expect(v.nextAction).toBeNull();
      expect(v.events.at(-1)).toMatchObject({ type: 'handoff_awaiting_approval', route: expect.any(String) });
    }
    expect(toCounsel(await local.api.emails())).toHaveLength(0);
    expect((await local.api.call('GET', '/_local/events?detail-type=DossierHandedOff')).body.events).toEqual([]);
    const eu = (await local.api.call('GET', `/invoices/${ids.eu}/litigation`)).body;
    expect(eu.route.code).toBe('european_order_for_payment');
    expect(eu.route.reason).toMatch(/Irlande/);
    expect(eu.stored).toHaveLength(2);
    expect(local.sys.engine.list().every((x) => x.status === 'SUCCEEDED')).toBe(true);
    // The hand-off step ends the execution; its output says how (lib/dunning-workflow.ts).
    const run = local.sys.engine.list()[0]!;
    expect(run.trail).toEqual([
      ...['RouteToNextStage', 'WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder', 'SendFormalReminder'],
      ...['WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff'],
    ]);
    expect((run.output as any).next.outcome).toBe('awaiting_approval');
  });

  it('hands off on approval, as of the approval date, naming who approved', async () => {
    expect((await local.api.call('POST', `/invoices/${ids.a}/handoff`, {})).status).toBe(400);
    await local.api.advanceTo('2026-05-26T08:00:00Z');
    const res = await local.api.call('POST', `/invoices/${ids.a}/handoff`, { approvedBy: 'Julie Martin' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('handed_off');
    const stored = res.body.events.filter((e: any) => e.type === 'litigation_dossier_stored');
    expect(stored.map((e: any) => e.asOf)).toEqual(['2026-05-13', '2026-05-13', '2026-05-26', '2026-05-26']);
    // The PDF held for approval is an object of its own (no message may ever carry it); the one
    // established on approval rides in the message to counsel only.
    expect(stored.map((e: any) => e.attachedTo ?? null)).toEqual([null, null, null, 'litigation_handoff']);
    expect(sha(await objectBytes(stored[1].evidenceKey))).toBe(stored[1].sha256);
    await expect(objectBytes(stored[3].evidenceKey)).rejects.toMatchObject({ name: 'NoSuchKey' });
    const mails = toCounsel(await local.api.emails());
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('APP-A');
    expect(mails[0].attachments[0].filename).toBe('dossier-contentieux-APP-A.pdf');
    const bus = (await local.api.call('GET', '/_local/events?detail-type=DossierHandedOff')).body.events;
    expect(bus).toHaveLength(1);
    expect(bus[0].detail).toMatchObject({ invoiceNumber: 'APP-A', approvedBy: 'Julie Martin', claim: { asOf: '2026-05-26' } });
    // Approving again is answered with the dossier; nothing more is sent.
    expect((await local.api.call('POST', `/invoices/${ids.a}/handoff`, { approvedBy: 'Julie Martin' })).status).toBe(200);
    expect(toCounsel(await local.api.emails())).toHaveLength(1);
    expect((await local.api.call('GET', '/_local/events?detail-type=DossierHandedOff')).body.events).toHaveLength(1);
  });

  it('a plan or a settling payment changes the course instead; neither goes to counsel', async () => {
    const plan = await local.api.call('POST', `/invoices/${ids.b}/payment-plan`, {
      instalments: [
        { dueDate: '2026-06-15', amount: '625.00' },
        { dueDate: '2026-07-15', amount: '625.00' },
      ],
    });
    expect(plan.status).toBe(201);
    expect(plan.body.status).toBe('on_payment_plan');
    expect((await local.api.call('POST', `/invoices/${ids.b}/handoff`, { approvedBy: 'Julie Martin' })).status).toBe(409);
    // What is due today, accessories included (claimed by the letters: C. civ. 1343-1 allocation).
    const due = (await local.api.call('GET', `/invoices/${ids.eu}/litigation`)).body.claim.due.total;
    const paid = await local.api.pay(ids.eu, { amount: due, paidOn: '2026-05-26', reference: 'VIR-EU' });
    expect(paid.body.status).toBe('paid');
    expect(toCounsel(await local.api.emails())).toHaveLength(1);
  });
});
