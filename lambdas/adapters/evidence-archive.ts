/**
 * How the vault keeps a message: which storage class, and whether gzipped. The lifecycle rule
 * (lib/evidence-vault.ts) moves objects above ARCHIVE_MIN_OBJECT_BYTES to Glacier Instant Retrieval
 * 90 days after their PUT; a few are PUT there directly (storageClassAtPut); the messages that stay
 * in Standard are kept gzipped (keptAs).
 */
import type { PutEvidenceOptions } from './evidence-store';

/**
 * Objects larger than this are archived to Glacier Instant Retrieval; smaller ones stay in
 * Standard (why 32 KiB: lib/evidence-vault.ts, checked against the prices by
 * test/infra/archive-cost.test.ts).
 */
export const ARCHIVE_MIN_OBJECT_BYTES = 32 * 1024;

/**
 * Message kinds PUT directly in Glacier IR rather than in Standard and moved by the lifecycle: the
 * hand-off to counsel, archived anyway (about 90 KiB with the litigation dossier PDF) and never
 * read back by the hand-off (its bundle is built before the message exists, payment updates to
 * counsel do not read it). Prices per object of B <= 128 KiB over ten years (scripts/aws-prices.json:
 * Standard PUT $0.0053/1,000 and $0.024/GB-month in eu-west-3; Glacier IR PUT and lifecycle
 * transition $0.02/1,000 each, $0.004/GB-month billed at least 128 KiB):
 *   PUT in Standard, moved at 90 days: $0.0000053 PUT + B for 2.96 months in Standard ($0.0000060
 *     at 88 KiB) + $0.00002 transition + 128 KiB for 117 months ($0.0000571) = $0.0000884;
 *   PUT in Glacier IR: $0.00002 PUT + 128 KiB for 120 months ($0.0000586) = $0.0000786:
 *   $0.0000098 (11 %) less per hand-off.
 * What it costs: a read in those first 90 days is a Glacier IR GET, $0.01/1,000 + $0.03/GB
 * ($0.0000125 at 88 KiB) instead of $0.00000042. The only such read is an evidence bundle issued
 * after the hand-off (it reads the message once: services/evidence.ts), so this saves money as long
 * as fewer than ~0.8 bundles per hand-off are issued in its first 90 days; counsel gets a bundle
 * with the message (its export kept 3 days). Not the mise en demeure (formal_notice, ~57 KiB): the
 * hand-off's bundle reads it a few weeks after its PUT, a Glacier IR GET costing $0.0000112 more,
 * which outweighs its saving ($0.0000077). Messages at or below the archive size stay in Standard (Glacier
 * IR's 128 KiB minimum would cost more than ten years of Standard).
 */
const ARCHIVED_AT_PUT: ReadonlySet<string> = new Set(['litigation_handoff']);

/** The storage class to PUT a message of `kind` and `bytes` in: GLACIER_IR, or undefined (Standard). */
export function storageClassAtPut(kind: string, bytes: number): 'GLACIER_IR' | undefined {
  return ARCHIVED_AT_PUT.has(kind) && bytes > ARCHIVE_MIN_OBJECT_BYTES ? 'GLACIER_IR' : undefined;
}

/**
 * How to keep a message of `kind` and `bytes` (MIME): gzipped when it stays in Standard (at or
 * below the archive size: reminders, receipts, confirmations, 4-15 KiB of quoted-printable French
 * and HTML that gzip to about a third), where every byte is paid for ten years ($0.0000027 per KiB:
 * a 10 KiB reminder $0.000027 -> ~$0.000008). A larger message (with its PDF) is archived, billed
 * at Glacier IR's 128 KiB minimum whatever its size: compressing it would save nothing, and it is
 * kept as is (the hand-off's is read for its PDF attachment: evidence-source.ts).
 */
export function keptAs(kind: string, bytes: number): PutEvidenceOptions {
  const storageClass = storageClassAtPut(kind, bytes);
  if (storageClass) return { storageClass };
  return bytes <= ARCHIVE_MIN_OBJECT_BYTES ? { compress: true } : {};
}
