/**
 * The EN 16931 business terms Amiable reads, and where each one is in the two syntaxes: UN/CEFACT
 * CII (D16B, as embedded in Factur-X) and UBL 2.1 Invoice. One table per syntax, so the XPath named
 * in an error, the one documented in docs/einvoice.md and the one read are the same string.
 *
 * `path` is the list of element names (prefixes dropped) below the root; `attr` selects the element
 * whose attribute has that value (e.g. an e-mail address is the buyer's electronic address with
 * schemeID "EM"); `scheme` names the attribute returned alongside the value.
 */
import { attrOf, nodesAt, textOf, type XmlNode } from './xml';

export type TermKey =
  | 'specification'
  | 'typeCode'
  | 'invoiceNumber'
  | 'issueDate'
  | 'dueDate'
  | 'paymentTerms'
  | 'amountDue'
  | 'currency'
  | 'buyerName'
  | 'buyerLegalId'
  | 'buyerVatId'
  | 'buyerEmail'
  | 'buyerLine1'
  | 'buyerLine2'
  | 'buyerLine3'
  | 'buyerCity'
  | 'buyerPostcode'
  | 'buyerCountry'
  | 'sellerName'
  | 'sellerLegalId'
  | 'sellerVatId'
  | 'paymentMeansCode'
  | 'payeeIban'
  | 'orderReference'
  | 'contractReference'
  | 'deliveryDate';

export interface TermSpec {
  bt: string;
  xpath: string;
  path: readonly string[];
  attr?: { name: string; equals: string };
  scheme?: string;
}

export interface TermValue {
  value: string;
  /** The scheme attribute named by the spec (schemeID, format, currencyID...), when present. */
  scheme?: string;
}

const CII_ROOT = '/rsm:CrossIndustryInvoice';
const CII_DOC = `${CII_ROOT}/rsm:ExchangedDocument`;
const CII_TX = `${CII_ROOT}/rsm:SupplyChainTradeTransaction`;
const CII_AGREEMENT = `${CII_TX}/ram:ApplicableHeaderTradeAgreement`;
const CII_BUYER = `${CII_AGREEMENT}/ram:BuyerTradeParty`;
const CII_SELLER = `${CII_AGREEMENT}/ram:SellerTradeParty`;
const CII_SETTLEMENT = `${CII_TX}/ram:ApplicableHeaderTradeSettlement`;
const TX = ['SupplyChainTradeTransaction'];
const AGREEMENT = [...TX, 'ApplicableHeaderTradeAgreement'];
const BUYER = [...AGREEMENT, 'BuyerTradeParty'];
const SELLER = [...AGREEMENT, 'SellerTradeParty'];
const SETTLEMENT = [...TX, 'ApplicableHeaderTradeSettlement'];
const BUYER_ADDRESS = [...BUYER, 'PostalTradeAddress'];

export const CII_TERMS: Record<TermKey, TermSpec> = {
  specification: { bt: 'BT-24', xpath: `${CII_ROOT}/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID`, path: ['ExchangedDocumentContext', 'GuidelineSpecifiedDocumentContextParameter', 'ID'] },
  typeCode: { bt: 'BT-3', xpath: `${CII_DOC}/ram:TypeCode`, path: ['ExchangedDocument', 'TypeCode'] },
  invoiceNumber: { bt: 'BT-1', xpath: `${CII_DOC}/ram:ID`, path: ['ExchangedDocument', 'ID'] },
  issueDate: { bt: 'BT-2', xpath: `${CII_DOC}/ram:IssueDateTime/udt:DateTimeString`, path: ['ExchangedDocument', 'IssueDateTime', 'DateTimeString'], scheme: 'format' },
  dueDate: { bt: 'BT-9', xpath: `${CII_SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString`, path: [...SETTLEMENT, 'SpecifiedTradePaymentTerms', 'DueDateDateTime', 'DateTimeString'], scheme: 'format' },
  paymentTerms: { bt: 'BT-20', xpath: `${CII_SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:Description`, path: [...SETTLEMENT, 'SpecifiedTradePaymentTerms', 'Description'] },
  amountDue: { bt: 'BT-115', xpath: `${CII_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount`, path: [...SETTLEMENT, 'SpecifiedTradeSettlementHeaderMonetarySummation', 'DuePayableAmount'] },
  currency: { bt: 'BT-5', xpath: `${CII_SETTLEMENT}/ram:InvoiceCurrencyCode`, path: [...SETTLEMENT, 'InvoiceCurrencyCode'] },
  buyerName: { bt: 'BT-44', xpath: `${CII_BUYER}/ram:Name`, path: [...BUYER, 'Name'] },
  buyerLegalId: { bt: 'BT-47', xpath: `${CII_BUYER}/ram:SpecifiedLegalOrganization/ram:ID`, path: [...BUYER, 'SpecifiedLegalOrganization', 'ID'], scheme: 'schemeID' },
  buyerVatId: { bt: 'BT-48', xpath: `${CII_BUYER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']`, path: [...BUYER, 'SpecifiedTaxRegistration', 'ID'], attr: { name: 'schemeID', equals: 'VA' } },
  buyerEmail: { bt: 'BT-49', xpath: `${CII_BUYER}/ram:URIUniversalCommunication/ram:URIID[@schemeID='EM']`, path: [...BUYER, 'URIUniversalCommunication', 'URIID'], attr: { name: 'schemeID', equals: 'EM' } },
  buyerLine1: { bt: 'BT-50', xpath: `${CII_BUYER}/ram:PostalTradeAddress/ram:LineOne`, path: [...BUYER_ADDRESS, 'LineOne'] },
  buyerLine2: { bt: 'BT-51', xpath: `${CII_BUYER}/ram:PostalTradeAddress/ram:LineTwo`, path: [...BUYER_ADDRESS, 'LineTwo'] },
  buyerLine3: { bt: 'BT-163', xpath: `${CII_BUYER}/ram:PostalTradeAddress/ram:LineThree`, path: [...BUYER_ADDRESS, 'LineThree'] },
  buyerCity: { bt: 'BT-52', xpath: `${CII_BUYER}/ram:PostalTradeAddress/ram:CityName`, path: [...BUYER_ADDRESS, 'CityName'] },
  buyerPostcode: { bt: 'BT-53', xpath: `${CII_BUYER}/ram:PostalTradeAddress/ram:PostcodeCode`, path: [...BUYER_ADDRESS, 'PostcodeCode'] },
  buyerCountry: { bt: 'BT-55', xpath: `${CII_BUYER}/ram:PostalTradeAddress/ram:CountryID`, path: [...BUYER_ADDRESS, 'CountryID'] },
  sellerName: { bt: 'BT-27', xpath: `${CII_SELLER}/ram:Name`, path: [...SELLER, 'Name'] },
  sellerLegalId: { bt: 'BT-30', xpath: `${CII_SELLER}/ram:SpecifiedLegalOrganization/ram:ID`, path: [...SELLER, 'SpecifiedLegalOrganization', 'ID'], scheme: 'schemeID' },
  sellerVatId: { bt: 'BT-31', xpath: `${CII_SELLER}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']`, path: [...SELLER, 'SpecifiedTaxRegistration', 'ID'], attr: { name: 'schemeID', equals: 'VA' } },
  paymentMeansCode: { bt: 'BT-81', xpath: `${CII_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode`, path: [...SETTLEMENT, 'SpecifiedTradeSettlementPaymentMeans', 'TypeCode'] },
  payeeIban: { bt: 'BT-84', xpath: `${CII_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID`, path: [...SETTLEMENT, 'SpecifiedTradeSettlementPaymentMeans', 'PayeePartyCreditorFinancialAccount', 'IBANID'] },
  orderReference: { bt: 'BT-13', xpath: `${CII_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID`, path: [...AGREEMENT, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'] },
  contractReference: { bt: 'BT-12', xpath: `${CII_AGREEMENT}/ram:ContractReferencedDocument/ram:IssuerAssignedID`, path: [...AGREEMENT, 'ContractReferencedDocument', 'IssuerAssignedID'] },
  deliveryDate: { bt: 'BT-72', xpath: `${CII_TX}/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString`, path: [...TX, 'ApplicableHeaderTradeDelivery', 'ActualDeliverySupplyChainEvent', 'OccurrenceDateTime', 'DateTimeString'], scheme: 'format' },
};

const UBL_ROOT = '/Invoice';
const UBL_BUYER = `${UBL_ROOT}/cac:AccountingCustomerParty/cac:Party`;
const UBL_SELLER = `${UBL_ROOT}/cac:AccountingSupplierParty/cac:Party`;
const U_BUYER = ['AccountingCustomerParty', 'Party'];
const U_SELLER = ['AccountingSupplierParty', 'Party'];
const U_ADDRESS = [...U_BUYER, 'PostalAddress'];

export const UBL_TERMS: Record<TermKey, TermSpec> = {
  specification: { bt: 'BT-24', xpath: `${UBL_ROOT}/cbc:CustomizationID`, path: ['CustomizationID'] },
  typeCode: { bt: 'BT-3', xpath: `${UBL_ROOT}/cbc:InvoiceTypeCode`, path: ['InvoiceTypeCode'] },
  invoiceNumber: { bt: 'BT-1', xpath: `${UBL_ROOT}/cbc:ID`, path: ['ID'] },
  issueDate: { bt: 'BT-2', xpath: `${UBL_ROOT}/cbc:IssueDate`, path: ['IssueDate'] },
  dueDate: { bt: 'BT-9', xpath: `${UBL_ROOT}/cbc:DueDate`, path: ['DueDate'] },
  paymentTerms: { bt: 'BT-20', xpath: `${UBL_ROOT}/cac:PaymentTerms/cbc:Note`, path: ['PaymentTerms', 'Note'] },
  amountDue: { bt: 'BT-115', xpath: `${UBL_ROOT}/cac:LegalMonetaryTotal/cbc:PayableAmount`, path: ['LegalMonetaryTotal', 'PayableAmount'], scheme: 'currencyID' },
  currency: { bt: 'BT-5', xpath: `${UBL_ROOT}/cbc:DocumentCurrencyCode`, path: ['DocumentCurrencyCode'] },
  buyerName: { bt: 'BT-44', xpath: `${UBL_BUYER}/cac:PartyLegalEntity/cbc:RegistrationName`, path: [...U_BUYER, 'PartyLegalEntity', 'RegistrationName'] },
  buyerLegalId: { bt: 'BT-47', xpath: `${UBL_BUYER}/cac:PartyLegalEntity/cbc:CompanyID`, path: [...U_BUYER, 'PartyLegalEntity', 'CompanyID'], scheme: 'schemeID' },
  buyerVatId: { bt: 'BT-48', xpath: `${UBL_BUYER}/cac:PartyTaxScheme/cbc:CompanyID`, path: [...U_BUYER, 'PartyTaxScheme', 'CompanyID'] },
  buyerEmail: { bt: 'BT-49', xpath: `${UBL_BUYER}/cbc:EndpointID[@schemeID='EM']`, path: [...U_BUYER, 'EndpointID'], attr: { name: 'schemeID', equals: 'EM' } },
  buyerLine1: { bt: 'BT-50', xpath: `${UBL_BUYER}/cac:PostalAddress/cbc:StreetName`, path: [...U_ADDRESS, 'StreetName'] },
  buyerLine2: { bt: 'BT-51', xpath: `${UBL_BUYER}/cac:PostalAddress/cbc:AdditionalStreetName`, path: [...U_ADDRESS, 'AdditionalStreetName'] },
  buyerLine3: { bt: 'BT-163', xpath: `${UBL_BUYER}/cac:PostalAddress/cac:AddressLine/cbc:Line`, path: [...U_ADDRESS, 'AddressLine', 'Line'] },
  buyerCity: { bt: 'BT-52', xpath: `${UBL_BUYER}/cac:PostalAddress/cbc:CityName`, path: [...U_ADDRESS, 'CityName'] },
  buyerPostcode: { bt: 'BT-53', xpath: `${UBL_BUYER}/cac:PostalAddress/cbc:PostalZone`, path: [...U_ADDRESS, 'PostalZone'] },
  buyerCountry: { bt: 'BT-55', xpath: `${UBL_BUYER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode`, path: [...U_ADDRESS, 'Country', 'IdentificationCode'] },
  sellerName: { bt: 'BT-27', xpath: `${UBL_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName`, path: [...U_SELLER, 'PartyLegalEntity', 'RegistrationName'] },
  sellerLegalId: { bt: 'BT-30', xpath: `${UBL_SELLER}/cac:PartyLegalEntity/cbc:CompanyID`, path: [...U_SELLER, 'PartyLegalEntity', 'CompanyID'], scheme: 'schemeID' },
  sellerVatId: { bt: 'BT-31', xpath: `${UBL_SELLER}/cac:PartyTaxScheme/cbc:CompanyID`, path: [...U_SELLER, 'PartyTaxScheme', 'CompanyID'] },
  paymentMeansCode: { bt: 'BT-81', xpath: `${UBL_ROOT}/cac:PaymentMeans/cbc:PaymentMeansCode`, path: ['PaymentMeans', 'PaymentMeansCode'] },
  payeeIban: { bt: 'BT-84', xpath: `${UBL_ROOT}/cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID`, path: ['PaymentMeans', 'PayeeFinancialAccount', 'ID'] },
  orderReference: { bt: 'BT-13', xpath: `${UBL_ROOT}/cac:OrderReference/cbc:ID`, path: ['OrderReference', 'ID'] },
  contractReference: { bt: 'BT-12', xpath: `${UBL_ROOT}/cac:ContractDocumentReference/cbc:ID`, path: ['ContractDocumentReference', 'ID'] },
  deliveryDate: { bt: 'BT-72', xpath: `${UBL_ROOT}/cac:Delivery/cbc:ActualDeliveryDate`, path: ['Delivery', 'ActualDeliveryDate'] },
};

/** Reads every term of the table from the root element; absent terms are left out. */
export function readTerms(root: XmlNode, table: Record<TermKey, TermSpec>): Partial<Record<TermKey, TermValue>> {
  const out: Partial<Record<TermKey, TermValue>> = {};
  for (const [key, spec] of Object.entries(table) as [TermKey, TermSpec][]) {
    const candidates = nodesAt(root, spec.path).filter((n) => !spec.attr || attrOf(n, spec.attr.name) === spec.attr.equals);
    const node = candidates.find((n) => textOf(n) !== undefined);
    const value = textOf(node);
    if (value === undefined) continue;
    const scheme = spec.scheme ? attrOf(node, spec.scheme) : undefined;
    out[key] = scheme !== undefined ? { value, scheme } : { value };
  }
  return out;
}
