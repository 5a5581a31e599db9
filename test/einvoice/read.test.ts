/**
 * Reading and mapping e-invoices, without emulators: the three formats give the same intake
 * submission; every malformed, hostile or inconsistent file is refused with the status and the
 * business term the contract promises, and quickly (hostile inputs must not hang).
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/domain/errors';
import { submissionFromEInvoice, type ImportOptions } from '../../lambdas/einvoice/mapping';
import { readEInvoice } from '../../lambdas/einvoice/read';
import { CII_TERMS, UBL_TERMS } from '../../lambdas/einvoice/terms';
import {
  billionLaughsXml,
  ciiXml,
  deepXml,
  DEMO_SELLER,
  facturXBomb,
  facturXPdf,
  objectStreamBomb,
  PROFILES,
  plainPdf,
  sampleEInvoice,
  ublXml,
  XXE_XML,
  type FixtureInvoice,
} from '../support/einvoice-fixtures';

const seller = { legalName: DEMO_SELLER.name, siren: DEMO_SELLER.siren, iban: 'FR76 3000 6000 0112 3456 7890 189' };

type Format = 'cii' | 'ubl' | 'factur-x';
const FORMATS: Format[] = ['cii', 'ubl', 'factur-x'];

async function fileOf(format: Format, inv: FixtureInvoice): Promise<{ bytes: Uint8Array; type: string }> {
  if (format === 'cii') return { bytes: Buffer.from(ciiXml(inv)), type: 'application/xml' };
  if (format === 'ubl') return { bytes: Buffer.from(ublXml(inv)), type: 'text/xml; charset=utf-8' };
  return { bytes: await facturXPdf(ciiXml(inv)), type: 'application/pdf' };
}

async function importOf(format: Format, inv: FixtureInvoice, opts: ImportOptions = {}) {
  const { bytes, type } = await fileOf(format, inv);
  return submissionFromEInvoice(await readEInvoice(bytes, type), seller, opts);
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<DomainError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the three formats map to the same intake submission', () => {
  it.each(FORMATS)('%s: every business term lands in its intake field', async (format) => {
    const { invoice, debtor } = await importOf(format, sampleEInvoice());
    expect(invoice).toEqual({
      invoiceNumber: 'FX-2026-0001',
      issueDate: '2026-03-04',
      dueDate: '2026-04-03',
      amountCents: 125_000,
      currency: 'EUR',
      performanceDate: '2026-02-27',
      orderReference: 'PO-7781',
      contractReference: 'CTR-2025-12',
      paymentMeans: { code: '58', iban: 'FR7630006000011234567890189' },
    });
    expect(debtor).toEqual({
      kind: 'business',
      name: 'Boulangerie Dupont & Fils SARL',
      email: 'compta@dupont.example',
      language: 'fr',
      siren: '443061841',
      vatId: 'FR83443061841',
      address: { line1: '3 place du Marché', line2: 'Bâtiment B', postalCode: '75011', city: 'Paris', country: 'FR' },
    });
  });

  it('reads a Factur-X BASIC profile and a zugferd-invoice.xml attachment (ZUGFeRD 2.x)', async () => {
    const inv = sampleEInvoice({ profile: PROFILES.facturxBasic, orderReference: null, contractReference: null, deliveryDate: null });
    const read = await readEInvoice(await facturXPdf(ciiXml(inv), 'zugferd-invoice.xml'), 'application/pdf');
    expect(read.embeddedFile).toBe('zugferd-invoice.xml');
    expect(read.terms.specification?.value).toBe(PROFILES.facturxBasic);
    const { invoice } = submissionFromEInvoice(read, seller, {});
    expect(invoice.performanceDate).toBeUndefined();
    expect(invoice.orderReference).toBeUndefined();
  });

  it.each(FORMATS)('%s: without BT-9 the due date comes from BT-20 payment terms', async (format) => {
    const a = await importOf(format, sampleEInvoice({ dueDate: null, paymentTerms: '45 jours fin de mois' }));
    expect(a.invoice.dueDate).toBe('2026-04-30'); // 4 March + 45 days = 18 April, end of April
    expect(a.mapped.dueDateSource).toContain('BT-20');
    const b = await importOf(format, sampleEInvoice({ dueDate: null, paymentTerms: 'Net 30' }));
    expect(b.invoice.dueDate).toBe('2026-04-03');
  });

  it.each(FORMATS)('%s: without BT-49 the e-mail comes from the request, and is required', async (format) => {
    const inv = sampleEInvoice({ buyer: { email: null } });
    const e = await refusal(importOf(format, inv));
    expect(e.status).toBe(422);
    expect(e.details).toEqual([expect.objectContaining({ path: 'debtor.email', businessTerm: 'BT-49', xpath: expect.stringContaining("@schemeID='EM'") })]);
    const ok = await importOf(format, inv, { debtorEmail: 'ap@dupont.example', language: 'en' });
    expect(ok.debtor.email).toBe('ap@dupont.example');
    expect(ok.debtor.language).toBe('en');
    const bad = await refusal(importOf(format, inv, { debtorEmail: 'not an address' }));
    expect(bad.details).toEqual([expect.objectContaining({ path: 'debtorEmail', message: 'must be a valid e-mail address' })]);
  });

  it('takes the SIREN from a SIRET (BT-47 scheme 0009) or, without BT-47, from a French VAT id (BT-48)', async () => {
    const noLegal = await importOf('ubl', sampleEInvoice({ buyer: { siren: null } }));
    expect(noLegal.debtor.siren).toBe('443061841');
    const foreign = await importOf('cii', sampleEInvoice({ buyer: { siren: null, vatId: 'BE0403019261', postcode: '1000', city: 'Bruxelles', country: 'BE' } }));
    expect(foreign.debtor.siren).toBeUndefined();
    expect(foreign.debtor.address.country).toBe('BE');
    const norwegian = ublXml(sampleEInvoice({ buyer: { siren: null, vatId: null, postcode: '0150', city: 'Oslo', country: 'NO' } })).replace(
      '<cac:PartyLegalEntity><cbc:RegistrationName>Boulangerie',
      '<cac:PartyLegalEntity><cbc:CompanyID schemeID="0192">987654321</cbc:CompanyID><cbc:RegistrationName>Boulangerie',
    );
    const no = submissionFromEInvoice(await readEInvoice(Buffer.from(norwegian), 'application/xml'), seller, {});
    expect(no.debtor.siren).toBeUndefined();
  });
});

describe('refusals name the business term and its XPath', () => {
  it.each(FORMATS)('%s: an invoice of another seller is refused (BT-30 vs the profile SIREN)', async (format) => {
    const e = await refusal(importOf(format, sampleEInvoice({ seller: { name: 'Autre Vendeur SA', siren: '443061841', vatId: 'FR83443061841' } })));
    expect(e.status).toBe(422);
    expect(e.code).toBe('seller_mismatch');
    expect(e.message).toContain('Autre Vendeur SA');
    expect(e.details[0]).toMatchObject({ businessTerm: 'BT-30', xpath: (format === 'ubl' ? UBL_TERMS : CII_TERMS).sellerLegalId.xpath });
  });

  it('a seller identified only by its VAT id (BT-31) is checked through the SIREN inside it', async () => {
    const ok = await importOf('cii', sampleEInvoice({ seller: { siren: null } }));
    expect(ok.invoice.invoiceNumber).toBe('FX-2026-0001');
    const e = await refusal(importOf('cii', sampleEInvoice({ seller: { siren: null, vatId: 'FR83443061841' } })));
    expect(e.code).toBe('seller_mismatch');
    expect(e.details[0].businessTerm).toBe('BT-31');
    const none = await refusal(importOf('ubl', sampleEInvoice({ seller: { siren: null, vatId: null } })));
    expect(none.details).toEqual([expect.objectContaining({ businessTerm: 'BT-30', path: 'seller.siren' })]);
  });

  it.each(FORMATS)('%s: no due date and unreadable payment terms: 422 on BT-9, quoting BT-20', async (format) => {
    const e = await refusal(importOf(format, sampleEInvoice({ dueDate: null, paymentTerms: 'Selon conditions particulières' })));
    expect(e.status).toBe(422);
    expect(e.code).toBe('einvoice_invalid');
    expect(e.details).toEqual([expect.objectContaining({ path: 'dueDate', businessTerm: 'BT-9', message: expect.stringContaining('Selon conditions particulières') })]);
    const none = await refusal(importOf(format, sampleEInvoice({ dueDate: null, paymentTerms: null })));
    expect(none.details[0]).toMatchObject({ businessTerm: 'BT-9', xpath: (format === 'ubl' ? UBL_TERMS : CII_TERMS).dueDate.xpath });
  });

  it.each(FORMATS)('%s: several missing terms are all listed at once', async (format) => {
    const e = await refusal(importOf(format, sampleEInvoice({ invoiceNumber: '', amountDue: '', buyer: { line1: null, city: null, country: null } })));
    expect(e.status).toBe(422);
    expect(e.details.map((d) => d.businessTerm).sort()).toEqual(['BT-1', 'BT-115', 'BT-50', 'BT-52', 'BT-55'].sort());
    for (const d of e.details) expect(d.xpath).toMatch(/^\/(rsm:CrossIndustryInvoice|Invoice)\//);
  });

  it.each(FORMATS)('%s: values the intake validation refuses are reported on their business term', async (format) => {
    const e = await refusal(importOf(format, sampleEInvoice({ currency: 'USD', amountDue: '0.00', buyer: { postcode: '7501', siren: '443061842' } })));
    expect(e.status).toBe(422);
    const byTerm = Object.fromEntries(e.details.map((d) => [d.businessTerm, d.message]));
    expect(byTerm['BT-5']).toBe('must be "EUR"');
    expect(byTerm['BT-115']).toBe('must be greater than 0');
    expect(byTerm['BT-53']).toBe('must be 5 digits for a French address');
    expect(byTerm['BT-47']).toBe('must be 9 digits with a valid checksum');
  });

  it('a payee IBAN (BT-84) other than the profile’s is refused: letters would send the debtor elsewhere', async () => {
    const e = await refusal(importOf('ubl', sampleEInvoice({ iban: 'FR7612345000010123456789012' })));
    expect(e.details).toEqual([expect.objectContaining({ businessTerm: 'BT-84', xpath: UBL_TERMS.payeeIban.xpath })]);
  });

  it('a due date before the issue date is inconsistent (BT-9)', async () => {
    const e = await refusal(importOf('cii', sampleEInvoice({ dueDate: '2026-03-01' })));
    expect(e.details).toEqual([expect.objectContaining({ businessTerm: 'BT-9', message: 'must not be before issueDate' })]);
  });

  it('a CII date in another format than 102 is inconsistent', async () => {
    const xml = ciiXml(sampleEInvoice()).replace('<udt:DateTimeString format="102">20260304</udt:DateTimeString>', '<udt:DateTimeString format="610">202603</udt:DateTimeString>');
    const e = await refusal(async () => submissionFromEInvoice(await readEInvoice(Buffer.from(xml), 'application/xml'), seller, {}));
    expect(e.details).toEqual([expect.objectContaining({ businessTerm: 'BT-2', message: 'must be a date in format 102 (YYYYMMDD)' })]);
  });
});

describe('credit notes are refused', () => {
  it('a UBL CreditNote', async () => {
    const e = await refusal(readEInvoice(Buffer.from(ublXml(sampleEInvoice(), 'CreditNote')), 'application/xml'));
    expect([e.status, e.code]).toEqual([422, 'credit_note_refused']);
    expect(e.details[0]).toMatchObject({ businessTerm: 'BT-3', xpath: '/CreditNote' });
  });
  it.each(['cii', 'ubl', 'factur-x'] as Format[])('%s with type code 381', async (format) => {
    const { bytes, type } = await fileOf(format, sampleEInvoice({ typeCode: '381' }));
    const e = await refusal(readEInvoice(bytes, type));
    expect([e.status, e.code]).toEqual([422, 'credit_note_refused']);
    expect(e.details[0]).toMatchObject({ businessTerm: 'BT-3', xpath: (format === 'ubl' ? UBL_TERMS : CII_TERMS).typeCode.xpath });
  });
});

describe('malformed and hostile files: 400/413/415, quickly, nothing resolved', () => {
  const timed = async (p: Promise<unknown>) => {
    const t0 = performance.now();
    const e = await refusal(p);
    return { e, ms: performance.now() - t0 };
  };

  it('XXE: the DOCTYPE is refused before parsing; nothing of /etc/passwd can come back', async () => {
    const { e } = await timed(readEInvoice(Buffer.from(XXE_XML), 'application/xml'));
    expect([e.status, e.code]).toEqual([400, 'xml_dtd_forbidden']);
    expect(JSON.stringify(e)).not.toContain('root:');
  });

  it('billion laughs: refused without expanding (and inside a Factur-X too)', async () => {
    const { e } = await timed(readEInvoice(Buffer.from(billionLaughsXml()), 'text/xml'));
    expect([e.status, e.code]).toEqual([400, 'xml_dtd_forbidden']);
    const inPdf = await refusal(readEInvoice(await facturXPdf(billionLaughsXml()), 'application/pdf'));
    expect([inPdf.status, inPdf.code]).toEqual([400, 'xml_dtd_forbidden']);
  });

  it('100,000 nested elements: 400, not a stack overflow', async () => {
    const { e } = await timed(readEInvoice(Buffer.from(deepXml()), 'application/xml'));
    expect([e.status, e.code]).toEqual([400, 'malformed_einvoice']);
  });

  it('a Factur-X whose attachment inflates to 64 MiB: 413 once 2 MiB are out', async () => {
    const pdf = await facturXBomb();
    expect(pdf.length).toBeLessThan(1024 * 1024);
    const { e } = await timed(readEInvoice(pdf, 'application/pdf'));
    expect([e.status, e.code]).toEqual([413, 'payload_too_large']);
  });

  it('a PDF whose object stream inflates to 64 MiB: 413 before pdf-lib decodes it', async () => {
    const { e } = await timed(readEInvoice(await objectStreamBomb(), 'application/pdf'));
    expect([e.status, e.code]).toEqual([413, 'payload_too_large']);
  });

  it('a file over 4 MiB: 413', async () => {
    const e = await refusal(readEInvoice(Buffer.alloc(4 * 1024 * 1024 + 1, 0x20), 'application/xml'));
    expect(e.status).toBe(413);
  });

  it('truncated XML, non-UTF-8 XML, a foreign root, a truncated PDF, a PDF with no invoice', async () => {
    const xml = ciiXml(sampleEInvoice());
    expect((await refusal(readEInvoice(Buffer.from(xml.slice(0, xml.length / 2)), 'application/xml'))).code).toBe('malformed_einvoice');
    expect((await refusal(readEInvoice(Buffer.from(xml.replace('UTF-8', 'ISO-8859-1'), 'latin1'), 'application/xml'))).code).toBe('malformed_einvoice');
    const foreign = await refusal(readEInvoice(Buffer.from('<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'), 'application/xml'));
    expect([foreign.status, foreign.code]).toEqual([422, 'unsupported_einvoice']);
    const pdf = await facturXPdf(xml);
    expect((await refusal(readEInvoice(pdf.subarray(0, 400), 'application/pdf'))).code).toBe('malformed_einvoice');
    const plain = await refusal(readEInvoice(await plainPdf(), 'application/pdf'));
    expect([plain.status, plain.code]).toEqual([422, 'not_facturx']);
  });

  it('the content type decides, the bytes confirm: 415 otherwise', async () => {
    const xml = Buffer.from(ciiXml(sampleEInvoice()));
    expect((await refusal(readEInvoice(xml, 'application/pdf'))).code).toBe('content_type_mismatch');
    expect((await refusal(readEInvoice(await facturXPdf(ciiXml(sampleEInvoice())), 'application/xml'))).code).toBe('content_type_mismatch');
    expect((await refusal(readEInvoice(Buffer.from('{"a":1}'), 'text/xml'))).status).toBe(415);
    expect((await refusal(readEInvoice(xml, 'application/json'))).code).toBe('unsupported_media_type');
    expect((await refusal(readEInvoice(xml, undefined))).status).toBe(415);
  });
});
