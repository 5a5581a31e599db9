/**
 * E-invoice files generated for the tests (nothing is checked in): UN/CEFACT CII (Factur-X
 * EN 16931 and BASIC profiles), UBL 2.1 Invoice (Peppol BIS Billing 3.0), Factur-X PDFs built with
 * pdf-lib (the CII XML embedded as factur-x.xml, in EmbeddedFiles and AF), and the malformed and
 * hostile files the import must refuse. The seller is the local demo creditor
 * (local/demo-creditor.json) unless a test says otherwise.
 */
import { deflateSync } from 'node:zlib';
import { AFRelationship, PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

export interface FixtureInvoice {
  invoiceNumber: string;
  typeCode: string;
  /** YYYY-MM-DD; written in each syntax's format. */
  issueDate: string;
  dueDate: string | null;
  paymentTerms: string | null;
  amountDue: string;
  currency: string;
  buyer: {
    name: string;
    siren: string | null;
    vatId: string | null;
    email: string | null;
    line1: string | null;
    line2: string | null;
    postcode: string | null;
    city: string | null;
    country: string | null;
  };
  seller: { name: string; siren: string | null; vatId: string | null };
  paymentMeansCode: string | null;
  iban: string | null;
  orderReference: string | null;
  contractReference: string | null;
  deliveryDate: string | null;
  /** BT-24 specification identifier. */
  profile: string;
}

export const PROFILES = {
  facturxEn16931: 'urn:cen.eu:en16931:2017',
  facturxBasic: 'urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic',
  facturxExtended: 'urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended',
  peppolBis3: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
} as const;

/** The demo creditor of local mode (local/demo-creditor.json). */
export const DEMO_SELLER = { name: 'Atelier Lumière SAS', siren: '732829320', vatId: 'FR44732829320', iban: 'FR7630006000011234567890189' };

export function sampleEInvoice(overrides: Omit<Partial<FixtureInvoice>, 'buyer' | 'seller'> & { buyer?: Partial<FixtureInvoice['buyer']>; seller?: Partial<FixtureInvoice['seller']> } = {}): FixtureInvoice {
  const base: FixtureInvoice = {
    invoiceNumber: 'FX-2026-0001',
    typeCode: '380',
    issueDate: '2026-03-04',
    dueDate: '2026-04-03',
    paymentTerms: 'Paiement à 30 jours date de facture',
    amountDue: '1250.00',
    currency: 'EUR',
    buyer: {
      name: 'Boulangerie Dupont & Fils SARL',
      siren: '443061841',
      vatId: 'FR83443061841',
      email: 'compta@dupont.example',
      line1: '3 place du Marché',
      line2: 'Bâtiment B',
      postcode: '75011',
      city: 'Paris',
      country: 'FR',
    },
    seller: { name: DEMO_SELLER.name, siren: DEMO_SELLER.siren, vatId: DEMO_SELLER.vatId },
    paymentMeansCode: '58',
    iban: DEMO_SELLER.iban,
    orderReference: 'PO-7781',
    contractReference: 'CTR-2025-12',
    deliveryDate: '2026-02-27',
    profile: PROFILES.facturxEn16931,
  };
  return { ...base, ...overrides, buyer: { ...base.buyer, ...overrides.buyer }, seller: { ...base.seller, ...overrides.seller } };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const d102 = (iso: string) => iso.replace(/-/g, '');
/** An element when the value is given, nothing otherwise. */
const el = (tag: string, v: string | null | undefined, attrs = '') => (v === null || v === undefined ? '' : `<${tag}${attrs}>${esc(v)}</${tag}>`);

export function ciiXml(inv: FixtureInvoice): string {
  const b = inv.buyer;
  const s = inv.seller;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>${esc(inv.profile)}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    ${el('ram:ID', inv.invoiceNumber)}
    <ram:TypeCode>${inv.typeCode}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${d102(inv.issueDate)}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Luminaires sur mesure</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      ${el('ram:BuyerReference', 'SERVICE-ACHATS')}
      <ram:SellerTradeParty>
        ${el('ram:Name', s.name)}
        ${s.siren ? `<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${s.siren}</ram:ID></ram:SpecifiedLegalOrganization>` : ''}
        <ram:PostalTradeAddress><ram:PostcodeCode>69002</ram:PostcodeCode><ram:LineOne>12 rue des Tanneurs</ram:LineOne><ram:CityName>Lyon</ram:CityName><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        ${s.vatId ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${s.vatId}</ram:ID></ram:SpecifiedTaxRegistration>` : ''}
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        ${el('ram:Name', b.name)}
        ${b.siren ? `<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${b.siren}</ram:ID></ram:SpecifiedLegalOrganization>` : ''}
        <ram:PostalTradeAddress>${el('ram:PostcodeCode', b.postcode)}${el('ram:LineOne', b.line1)}${el('ram:LineTwo', b.line2)}${el('ram:CityName', b.city)}${el('ram:CountryID', b.country)}</ram:PostalTradeAddress>
        ${b.email ? `<ram:URIUniversalCommunication><ram:URIID schemeID="EM">${esc(b.email)}</ram:URIID></ram:URIUniversalCommunication>` : ''}
        ${b.vatId ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${b.vatId}</ram:ID></ram:SpecifiedTaxRegistration>` : ''}
      </ram:BuyerTradeParty>
      ${inv.orderReference ? `<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>${esc(inv.orderReference)}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>` : ''}
      ${inv.contractReference ? `<ram:ContractReferencedDocument><ram:IssuerAssignedID>${esc(inv.contractReference)}</ram:IssuerAssignedID></ram:ContractReferencedDocument>` : ''}
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery>
      ${inv.deliveryDate ? `<ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime><udt:DateTimeString format="102">${d102(inv.deliveryDate)}</udt:DateTimeString></ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent>` : ''}
    </ram:ApplicableHeaderTradeDelivery>
    <ram:ApplicableHeaderTradeSettlement>
      ${el('ram:InvoiceCurrencyCode', inv.currency)}
      ${inv.paymentMeansCode ? `<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>${inv.paymentMeansCode}</ram:TypeCode>${inv.iban ? `<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${inv.iban}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>` : ''}</ram:SpecifiedTradeSettlementPaymentMeans>` : ''}
      <ram:ApplicableTradeTax><ram:CalculatedAmount>208.33</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>1041.67</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20.00</ram:RateApplicablePercent></ram:ApplicableTradeTax>
      ${inv.paymentTerms !== null || inv.dueDate !== null ? `<ram:SpecifiedTradePaymentTerms>${el('ram:Description', inv.paymentTerms)}${inv.dueDate ? `<ram:DueDateDateTime><udt:DateTimeString format="102">${d102(inv.dueDate)}</udt:DateTimeString></ram:DueDateDateTime>` : ''}</ram:SpecifiedTradePaymentTerms>` : ''}
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>1041.67</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>1041.67</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">208.33</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>1250.00</ram:GrandTotalAmount>
        ${el('ram:DuePayableAmount', inv.amountDue)}
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`;
}

export function ublXml(inv: FixtureInvoice, root: 'Invoice' | 'CreditNote' = 'Invoice'): string {
  const b = inv.buyer;
  const s = inv.seller;
  const ns = root === 'Invoice' ? 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2' : 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="${ns}" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>${esc(inv.profile === PROFILES.facturxEn16931 ? PROFILES.peppolBis3 : inv.profile)}</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  ${el('cbc:ID', inv.invoiceNumber)}
  <cbc:IssueDate>${inv.issueDate}</cbc:IssueDate>
  ${el('cbc:DueDate', inv.dueDate)}
  ${root === 'Invoice' ? `<cbc:InvoiceTypeCode>${inv.typeCode}</cbc:InvoiceTypeCode>` : '<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>'}
  ${el('cbc:DocumentCurrencyCode', inv.currency)}
  ${el('cbc:BuyerReference', 'SERVICE-ACHATS')}
  ${inv.orderReference ? `<cac:OrderReference><cbc:ID>${esc(inv.orderReference)}</cbc:ID></cac:OrderReference>` : ''}
  ${inv.contractReference ? `<cac:ContractDocumentReference><cbc:ID>${esc(inv.contractReference)}</cbc:ID></cac:ContractDocumentReference>` : ''}
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0225">${s.siren ?? '000000000'}</cbc:EndpointID>
    <cac:PostalAddress><cbc:StreetName>12 rue des Tanneurs</cbc:StreetName><cbc:CityName>Lyon</cbc:CityName><cbc:PostalZone>69002</cbc:PostalZone><cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    ${s.vatId ? `<cac:PartyTaxScheme><cbc:CompanyID>${s.vatId}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>` : ''}
    <cac:PartyLegalEntity>${el('cbc:RegistrationName', s.name)}${s.siren ? `<cbc:CompanyID schemeID="0002">${s.siren}</cbc:CompanyID>` : ''}</cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    ${b.email ? `<cbc:EndpointID schemeID="EM">${esc(b.email)}</cbc:EndpointID>` : b.siren ? `<cbc:EndpointID schemeID="0225">${b.siren}</cbc:EndpointID>` : ''}
    <cac:PostalAddress>${el('cbc:StreetName', b.line1)}${el('cbc:AdditionalStreetName', b.line2)}${el('cbc:CityName', b.city)}${el('cbc:PostalZone', b.postcode)}${b.country ? `<cac:Country><cbc:IdentificationCode>${b.country}</cbc:IdentificationCode></cac:Country>` : ''}</cac:PostalAddress>
    ${b.vatId ? `<cac:PartyTaxScheme><cbc:CompanyID>${b.vatId}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>` : ''}
    <cac:PartyLegalEntity>${el('cbc:RegistrationName', b.name)}${b.siren ? `<cbc:CompanyID schemeID="0002">${b.siren}</cbc:CompanyID>` : ''}</cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  ${inv.deliveryDate ? `<cac:Delivery><cbc:ActualDeliveryDate>${inv.deliveryDate}</cbc:ActualDeliveryDate></cac:Delivery>` : ''}
  ${inv.paymentMeansCode ? `<cac:PaymentMeans><cbc:PaymentMeansCode>${inv.paymentMeansCode}</cbc:PaymentMeansCode>${inv.iban ? `<cac:PayeeFinancialAccount><cbc:ID>${inv.iban}</cbc:ID></cac:PayeeFinancialAccount>` : ''}</cac:PaymentMeans>` : ''}
  ${inv.paymentTerms ? `<cac:PaymentTerms><cbc:Note>${esc(inv.paymentTerms)}</cbc:Note></cac:PaymentTerms>` : ''}
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">208.33</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">1041.67</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">1041.67</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">1250.00</cbc:TaxInclusiveAmount>
    ${el('cbc:PayableAmount', inv.amountDue, ` currencyID="${inv.currency}"`)}
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="EUR">1041.67</cbc:LineExtensionAmount><cac:Item><cbc:Name>Luminaires sur mesure</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount currencyID="EUR">1041.67</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</${root}>
`;
}

/**
 * A Factur-X PDF: one page (the human-readable invoice) and the CII XML attached as factur-x.xml
 * with AFRelationship Data, as pdf-lib attaches it (EmbeddedFiles name tree and the catalog's AF).
 */
export async function facturXPdf(xml: string | Uint8Array, fileName = 'factur-x.xml'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Facture');
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Facture (Factur-X) - Atelier Lumiere SAS', { x: 50, y: 780, size: 14, font });
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  await doc.attach(bytes, fileName, { mimeType: 'text/xml', description: 'Factur-X invoice', afRelationship: AFRelationship.Data });
  return doc.save({ useObjectStreams: false });
}

/** A plain PDF with no attachment (not a Factur-X). */
export async function plainPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  return doc.save();
}

/** A Factur-X whose attachment is a "zip bomb": 64 MiB of spaces deflated to about 64 KB. */
export async function facturXBomb(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  const inflated = Buffer.alloc(64 * 1024 * 1024, 0x20);
  const stream = doc.context.stream(deflateSync(inflated, { level: 9 }), { Type: 'EmbeddedFile', Filter: 'FlateDecode' });
  const streamRef = doc.context.register(stream);
  const spec = doc.context.register(doc.context.obj({ Type: 'Filespec', F: PDFString.of('factur-x.xml'), EF: { F: streamRef } }));
  doc.catalog.set(PDFName.of('AF'), doc.context.obj([spec]));
  return doc.save({ useObjectStreams: false });
}

/**
 * A PDF with an object stream (/Type /ObjStm) that inflates to 64 MiB, placed after the header:
 * pdf-lib would decode it fully while loading.
 */
export async function objectStreamBomb(): Promise<Uint8Array> {
  const pdf = Buffer.from(await facturXPdf(ciiXml(sampleEInvoice())));
  const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
  const header = pdf.indexOf('\n') + 1;
  const obj = Buffer.concat([Buffer.from(`999 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`, 'latin1'), bomb, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
  return Buffer.concat([pdf.subarray(0, header), obj, pdf.subarray(header)]);
}

/** XXE: an external entity that would read a local file (and a URL) if entities were resolved. */
export const XXE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rsm:CrossIndustryInvoice [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY remote SYSTEM "http://169.254.169.254/latest/meta-data/">
]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
  <rsm:ExchangedDocument><ram:ID>&xxe;</ram:ID><ram:TypeCode>380</ram:TypeCode></rsm:ExchangedDocument>
</rsm:CrossIndustryInvoice>
`;

/** "Billion laughs": 10 levels of 10 entity references, 10^9 "lol"s if expanded. */
export function billionLaughsXml(): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>
<!DOCTYPE Invoice [
  ${entities.join('\n  ')}
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&lol9;</cbc:ID></Invoice>
`;
}

/** 100,000 nested elements inside a valid-looking UBL root. */
export function deepXml(depth = 100_000): string {
  return `<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</Invoice>`;
}
