/**
 * Intake of one e-invoice file (POST /invoices/import): read it (Factur-X, UBL, CII), check the
 * seller is this creditor, map it to the intake request of POST /invoices and validate it with the
 * same code, then hand it to the same intake: the answer is POST /invoices's (201, 200, 409), and
 * the file itself, byte for byte with its media type, is the dossier's first evidence record.
 */
import { DomainError } from '../domain/errors';
import { getCreditor } from '../adapters/dossier-store';
import { readEInvoice } from '../einvoice/read';
import { submissionFromEInvoice, type ImportOptions } from '../einvoice/mapping';
import { intakeInvoice, intakeTermsOf, type IntakeResult } from './intake';
import { startAtOnce } from './intake-start';

export async function importEInvoice(creditorId: string, file: Uint8Array, contentType: string | undefined, opts: ImportOptions): Promise<IntakeResult> {
  const read = await readEInvoice(file, contentType);
  const creditor = await getCreditor(creditorId);
  if (!creditor) {
    // The seller check needs the creditor's SIREN: no profile, no import (POST /invoices still works).
    throw new DomainError(422, 'no_creditor_profile', 'This creditor has no profile: the seller of an e-invoice is checked against the profile SIREN.', [
      { path: 'creditor', message: 'create the creditor profile first (npx amiable creditors create)' },
    ]);
  }
  const submission = submissionFromEInvoice(read, creditor, opts);
  return intakeInvoice(creditorId, { invoice: submission.invoice, debtor: submission.debtor }, file, {
    starter: startAtOnce,
    // The profile just read: the intake does not read it again.
    creditor: intakeTermsOf(creditor),
    receivedAs: {
      contentType: read.contentType,
      extension: read.contentType === 'application/pdf' ? 'pdf' : 'xml',
      einvoiceFormat: read.format,
    },
  });
}
