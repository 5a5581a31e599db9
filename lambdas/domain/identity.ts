/**
 * Deterministic identifiers. The same creditor + invoice number always yields the same dossier id
 * and the same execution name, so intake is idempotent end to end (DynamoDB conditional put, then
 * Step Functions StartExecution, which de-duplicates a running execution by name).
 */
import { createHash } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, unpadded: ids that are safe in URLs, S3 keys and execution names. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function digest(creditorId: string, invoiceNumber: string): string {
  // A separator that cannot occur in either part keeps ("a","bc") and ("ab","c") distinct.
  return base32(createHash('sha256').update(`${creditorId}\u0000${invoiceNumber}`).digest());
}

export function dossierIdFor(creditorId: string, invoiceNumber: string): string {
  return `dos_${digest(creditorId, invoiceNumber).slice(0, 26)}`;
}

/**
 * Execution names: 1-80 characters of [A-Za-z0-9-_], unique per account and Region for 90 days.
 * Generation 1 is the bare name; a dossier resumed later runs as "<name>-2", "<name>-3", ...
 */
export function executionNameFor(creditorId: string, invoiceNumber: string, generation = 1): string {
  const base = `dun-${digest(creditorId, invoiceNumber).slice(0, 52)}`;
  return generation <= 1 ? base : `${base}-${generation}`;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
