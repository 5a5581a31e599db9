/**
 * POST /invoices/import end to end in local mode (the same handler, the local front passing binary
 * bodies base64-encoded as API Gateway's binary media types do): each format creates the right
 * dossier, the file is evidence record 1 byte for byte with its media type and the bundle
 * verifies; refusals carry the field-level error and create nothing.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importFiles, resultLines } from '../../cli/einvoices';
import { main } from '../../cli/main';
import { verifyZip } from '../../cli/verify';
import { getCreditor, getDossier } from '../../lambdas/adapters/dossier-store';
import { buildLitigationDossier } from '../../lambdas/domain/litigation';
import { invoice, useLocalSystem } from '../support/local-client';
import { billionLaughsXml, ciiXml, facturXPdf, sampleEInvoice, ublXml, XXE_XML, type FixtureInvoice } from '../support/einvoice-fixtures';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function object(key: string): Promise<{ bytes: Buffer; contentType: string | undefined }> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: key }));
    return { bytes: Buffer.from(await out.Body!.transformToByteArray()), contentType: out.ContentType };
  } finally {
    s3.destroy();
  }
}

type Format = 'factur-x' | 'ubl' | 'cii';

async function fileOf(format: Format, inv: FixtureInvoice): Promise<{ bytes: Uint8Array; type: string; ext: string }> {
  if (format === 'factur-x') return { bytes: await facturXPdf(ciiXml(inv)), type: 'application/pdf', ext: 'pdf' };
  if (format === 'ubl') return { bytes: Buffer.from(ublXml(inv)), type: 'application/xml', ext: 'xml' };
  return { bytes: Buffer.from(ciiXml(inv)), type: 'text/xml', ext: 'xml' };
}

describe('POST /invoices/import in local mode', () => {
  const local = useLocalSystem({ clockStart: '2026-04-06T08:00:00Z' });

  async function upload(bytes: Uint8Array, type: string, query = '', headers: Record<string, string> = {}) {
    const res = await fetch(`${local.sys.apiUrl}/invoices/import${query}`, {
      method: 'POST',
      headers: { 'content-type': type, 'x-api-key': local.sys.apiKey, ...headers },
      body: bytes,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  describe.each<Format>(['factur-x', 'ubl', 'cii'])('%s', (format) => {
    const inv = sampleEInvoice({ invoiceNumber: `EI-${format}` });
    let file: { bytes: Uint8Array; type: string; ext: string };
    let id: string;

    it('creates the dossier POST /invoices would, with every mapped field', async () => {
      file = await fileOf(format, inv);
      const res = await upload(file.bytes, file.type);
      expect(res.status).toBe(201);
      id = res.body.id;
      const view = (await local.api.getInvoice(id)).body;
      expect(view).toMatchObject({ invoiceNumber: `EI-${format}`, status: 'active', amount: '1250.00', balance: '1250.00', currency: 'EUR', dueDate: '2026-04-03' });
      // BT-72: prescription runs from the delivery date.
      expect(view.prescription).toMatchObject({ startsOn: '2026-02-27', startingPoint: 'performance_date' });
      expect(view.events[0]).toMatchObject({ type: 'created', contentType: file.type, einvoiceFormat: format });
      expect(view.nextAction).not.toBeNull();
      // Buyer, SIREN, address and the order and contract references, as stored and as counsel will get them
      // (the litigation route answers 409 until the grace period ends: the pure builder shows it now).
      const stored = (await getDossier(id))!;
      expect(stored.debtor).toEqual({
        kind: 'business',
        name: 'Boulangerie Dupont & Fils SARL',
        siren: '443061841',
        vatId: 'FR83443061841',
        email: 'compta@dupont.example',
        language: 'fr',
        address: { line1: '3 place du Marché', line2: 'Bâtiment B', postalCode: '75011', city: 'Paris', country: 'FR' },
      });
      expect(stored.invoice).toMatchObject({ issueDate: '2026-03-04', performanceDate: '2026-02-27', orderReference: 'PO-7781', contractReference: 'CTR-2025-12', paymentMeans: { code: '58', iban: 'FR7630006000011234567890189' } });
      const lit = buildLitigationDossier({ dossier: stored, creditor: (await getCreditor(stored.creditorId))!, at: '2026-06-01T08:00:00.000Z' });
      expect(lit.claim.invoice).toMatchObject({ number: `EI-${format}`, orderReference: 'PO-7781', contractReference: 'CTR-2025-12' });
      expect(lit.documents.find((d) => d.category === 'contract')!.note).toBe("Bon de commande de l'acheteur : PO-7781 ; Contrat : CTR-2025-12");
      expect(lit.documents.find((d) => d.category === 'invoice')).toMatchObject({ toProvideByCreditor: false, title: expect.stringContaining('facture électronique originale'), evidence: expect.objectContaining({ seq: 1 }) });
    });

    it('keeps the file byte for byte, with its media type, as evidence record 1; the bundle verifies', async () => {
      const { records, head } = (await local.api.call('GET', `/invoices/${id}/evidence`)).body;
      expect(records[0]).toMatchObject({ seq: 1, type: 'created', sha256: sha(file.bytes) });
      expect(records[0].key).toMatch(new RegExp(`^dossiers/${id}/invoice/received-[0-9a-f]{16}\\.${file.ext}$`));
      const stored = await object(records[0].key);
      expect(Buffer.compare(stored.bytes, Buffer.from(file.bytes))).toBe(0);
      expect(stored.contentType).toBe(file.type);
      const issued = (await local.api.call('POST', `/invoices/${id}/evidence-bundle`)).body;
      const zip = new Uint8Array(await (await fetch(issued.url)).arrayBuffer());
      expect(verifyZip(zip, head.hash)).toEqual({ exitCode: 0, lines: [`OK ${records.length} records, head ${head.hash}`] });
      const inZip = unzipSync(zip)[`files/${records[0].key.slice(`dossiers/${id}/`.length)}`];
      expect(sha(inZip)).toBe(sha(file.bytes));
    });

    it('answers 200 for the same file again, 409 for the same number with other content', async () => {
      const again = await upload(file.bytes, file.type);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(id);
      const other = await fileOf(format, { ...inv, amountDue: '1300.00' });
      const conflict = await upload(other.bytes, other.type);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.code).toBe('conflict');
    });
  });

  it('an e-invoice and the same invoice pushed as JSON are one dossier', async () => {
    const inv = sampleEInvoice({ invoiceNumber: 'EI-JSON', orderReference: null, contractReference: null, deliveryDate: null, paymentMeansCode: null, buyer: { line2: null, vatId: null } });
    const created = await upload(Buffer.from(ublXml(inv)), 'application/xml');
    expect(created.status).toBe(201);
    const json: any = invoice({ invoiceNumber: 'EI-JSON', issueDate: '2026-03-04', dueDate: '2026-04-03', amount: '1250.00', description: undefined });
    json.debtor = { kind: 'business', name: 'Boulangerie Dupont & Fils SARL', email: 'compta@dupont.example', language: 'fr', siren: '443061841', address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' } };
    const replay = await local.api.createInvoice(json);
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(created.body.id);
  });

  it('takes the debtor e-mail from ?debtorEmail= when the file has none, and requires it', async () => {
    const inv = sampleEInvoice({ invoiceNumber: 'EI-NOMAIL', buyer: { email: null } });
    const file = await facturXPdf(ciiXml(inv));
    const missing = await upload(file, 'application/pdf');
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'debtor.email', businessTerm: 'BT-49' })]);
    const ok = await upload(file, 'application/pdf', '?debtorEmail=ap%40dupont.example&language=en');
    expect(ok.status).toBe(201);
    expect((await getDossier(ok.body.id))!.debtor).toMatchObject({ email: 'ap@dupont.example', language: 'en' });
  });

  it('refuses malformed and hostile files with a field-level error, and creates nothing', async () => {
    const cases: { bytes: Uint8Array; type: string; query?: string; status: number; code: string; term?: string }[] = [
      { bytes: Buffer.from(XXE_XML), type: 'application/xml', status: 400, code: 'xml_dtd_forbidden' },
      { bytes: Buffer.from(billionLaughsXml()), type: 'text/xml', status: 400, code: 'xml_dtd_forbidden' },
      { bytes: await facturXPdf(XXE_XML), type: 'application/pdf', status: 400, code: 'xml_dtd_forbidden' },
      { bytes: Buffer.from(ciiXml(sampleEInvoice({ invoiceNumber: 'EI-BAD-1', seller: { name: 'Autre SA', siren: '443061841', vatId: null } }))), type: 'application/xml', status: 422, code: 'seller_mismatch', term: 'BT-30' },
      { bytes: Buffer.from(ublXml(sampleEInvoice({ invoiceNumber: 'EI-BAD-2', dueDate: null, paymentTerms: 'à convenir' }))), type: 'application/xml', status: 422, code: 'einvoice_invalid', term: 'BT-9' },
      { bytes: Buffer.from(ublXml(sampleEInvoice({ invoiceNumber: 'EI-BAD-3' }), 'CreditNote')), type: 'application/xml', status: 422, code: 'credit_note_refused', term: 'BT-3' },
      { bytes: await facturXPdf(ciiXml(sampleEInvoice({ invoiceNumber: 'EI-BAD-4', typeCode: '381' }))), type: 'application/pdf', status: 422, code: 'credit_note_refused', term: 'BT-3' },
      { bytes: Buffer.from(ciiXml(sampleEInvoice({ invoiceNumber: 'EI-BAD-5' }))), type: 'application/pdf', status: 415, code: 'content_type_mismatch' },
      { bytes: Buffer.from(ciiXml(sampleEInvoice({ invoiceNumber: 'EI-BAD-6' }))), type: 'application/octet-stream', status: 415, code: 'unsupported_media_type' },
      { bytes: Buffer.from(ciiXml(sampleEInvoice({ invoiceNumber: 'EI-BAD-7' }))), type: 'application/xml', query: '?debtorMail=x', status: 400, code: 'validation_failed' },
      { bytes: Buffer.alloc(5 * 1024 * 1024, 0x20), type: 'application/xml', status: 413, code: 'payload_too_large' },
    ];
    for (const c of cases) {
      const res = await upload(c.bytes, c.type, c.query);
      expect([res.status, res.body.error.code], c.code).toEqual([c.status, c.code]);
      expect(res.body.error.details.length, c.code).toBeGreaterThan(0);
      if (c.term) expect(res.body.error.details[0], c.code).toMatchObject({ businessTerm: c.term, xpath: expect.stringMatching(/^\//) });
    }
    const list = (await local.api.call('GET', '/invoices?q=EI-BAD&limit=100')).body;
    expect(list.items).toEqual([]);
  });

  it('an auditor key may not import (write route)', async () => {
    const res = await fetch(`${local.sys.apiUrl}/admin/creditors/${local.sys.creditorId}/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-key': local.sys.adminKey },
      body: JSON.stringify({ role: 'auditor', label: 'audit' }),
    });
    const key = ((await res.json()) as any).key;
    const denied = await upload(Buffer.from(ciiXml(sampleEInvoice({ invoiceNumber: 'EI-AUDIT' }))), 'application/xml', '', { 'x-api-key': key });
    expect([denied.status, denied.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('npx amiable import-einvoice: per-file results, a dry run that sends nothing, exit code 1 when a file is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-einvoices-'));
    try {
      const write = (name: string, bytes: Uint8Array | string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, bytes);
        return file;
      };
      const files = [
        write('a.pdf', await facturXPdf(ciiXml(sampleEInvoice({ invoiceNumber: 'EI-CLI-1' })))),
        write('b.xml', ublXml(sampleEInvoice({ invoiceNumber: 'EI-CLI-2' }))),
        write('c-no-extension', ciiXml(sampleEInvoice({ invoiceNumber: 'EI-CLI-3' }))),
        write('d.xml', ublXml(sampleEInvoice({ invoiceNumber: 'EI-CLI-4', dueDate: null, paymentTerms: null }))),
      ];
      const dry = await importFiles(files, { endpoint: 'http://127.0.0.1:9', dryRun: true });
      expect(dry.map((r) => r.outcome)).toEqual(['dry_run_ok', 'dry_run_ok', 'dry_run_ok', 'refused']);
      expect(dry[0].summary).toBe('factur-x: 1250.00 EUR due 2026-04-03, Boulangerie Dupont & Fils SARL (SIREN 443061841), compta@dupont.example');
      expect(resultLines(dry[3])[1]).toMatch(/^ {2}BT-9 dueDate: .*\[\/Invoice\/cbc:DueDate\]$/);
      expect((await local.api.call('GET', '/invoices?q=EI-CLI&limit=100')).body.items).toEqual([]);

      const seen: string[] = [];
      const sent = await importFiles(files, { endpoint: local.sys.apiUrl, apiKey: local.sys.apiKey, concurrency: 2, onResult: (r) => seen.push(r.file) });
      expect(seen.sort()).toEqual([...files].sort());
      expect(sent.map((r) => [r.outcome, r.status])).toEqual([['created', 201], ['created', 201], ['created', 201], ['refused', 422]]);
      expect(sent[3].error?.details[0]).toMatchObject({ businessTerm: 'BT-9' });

      const out: string[] = [];
      const write0 = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
      let code: number;
      try {
        code = await main(['node', 'amiable', 'import-einvoice', ...files, '--endpoint', local.sys.apiUrl, '--api-key', local.sys.apiKey]);
      } finally {
        process.stdout.write = write0;
        process.exitCode = undefined;
      }
      expect(code).toBe(1);
      const text = out.join('');
      expect(text).toContain(`${files[0]}: 200 already there EI-CLI-1`);
      expect(text).toContain(`${files[3]}: 422 einvoice_invalid`);
      expect(text).toContain('4 files: 0 created, 3 already there, 1 refused');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
