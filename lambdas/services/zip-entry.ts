/**
 * One entry of an evidence bundle ZIP (bundle-zip.ts), as fflate's Zip takes any (its ZipInputFile
 * interface). Travels with fflate in the split bundle-libs module: only invocations that build a
 * bundle load it.
 */
import { crc32 } from 'node:zlib';
import { Deflate, type AsyncFlateStreamHandler, type ZipInputFile } from 'fflate';

/** The most bytes a stored block holds (RFC 1951 3.2.4: LEN is 16 bits). */
const STORED_BLOCK_BYTES = 65_535;

/**
 * The instant as fflate should stamp it: a ZIP entry's DOS date/time has no zone and fflate reads
 * it with the local-time getters, so the entry gets the UTC wall clock (what Lambda, in UTC, has
 * always written) in any zone. An instant in a local gap (the hour skipped in spring) is the one
 * case a zone still shifts, by that hour.
 */
function dosWallClock(t: Date): Date {
  return new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
}

/**
 * One entry, as fflate's Zip takes any (its ZipInputFile interface): the same fields fflate's own
 * ZipDeflate gives it, the CRC-32 from node:zlib, the data deflated by fflate's Deflate (as
 * ZipDeflate does) or copied in stored blocks.
 */
export class ZipEntry implements ZipInputFile {
  readonly compression = 8;
  /** The deflate option flag fflate's ZipDeflate records: 0 for level 6, 2 for level 0 (stored blocks are level 0). */
  readonly flag: number;
  readonly mtime: Date;
  size = 0;
  crc = 0;
  /** Set by Zip.add. */
  ondata?: AsyncFlateStreamHandler;
  readonly stored: boolean;
  private readonly deflate: Deflate | null;
  /** Stored packing: bytes not yet written, at most one block's worth (the last block is marked final). */
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(
    readonly filename: string,
    mtime: Date,
    packing: 0 | 6 | 'stored',
  ) {
    this.mtime = dosWallClock(mtime);
    this.stored = packing === 'stored';
    this.flag = packing === 6 ? 0 : 2;
    this.deflate = packing === 'stored' ? null : new Deflate({ level: packing }, (data, final) => this.ondata!(null, data, final));
  }

  push(chunk: Uint8Array, final: boolean): void {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    if (!this.deflate) return this.store(chunk, final);
    try {
      this.deflate.push(chunk, final);
    } catch (e) {
      this.ondata!(e as Parameters<AsyncFlateStreamHandler>[0], null as unknown as Uint8Array<ArrayBuffer>, final);
    }
  }

  /** Full blocks of STORED_BLOCK_BYTES wherever the pushes land (the bytes do not follow the chunking), the last one final. */
  private store(chunk: Uint8Array, final: boolean): void {
    this.held.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.heldBytes += chunk.length;
    if (this.heldBytes <= STORED_BLOCK_BYTES && !final) return;
    const all = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held, this.heldBytes);
    let at = 0;
    // A full block is written once a byte follows it: only then is it known not to be the last.
    for (; all.length - at > STORED_BLOCK_BYTES; at += STORED_BLOCK_BYTES) this.block(all.subarray(at, at + STORED_BLOCK_BYTES), false);
    if (final) {
      this.block(all.subarray(at), true);
      this.held = [];
      this.heldBytes = 0;
    } else {
      // Kept as a copy: the caller may reuse its chunk.
      this.held = [Buffer.from(all.subarray(at))];
      this.heldBytes = all.length - at;
    }
  }

  private block(data: Buffer, final: boolean): void {
    const out = Buffer.allocUnsafe(data.length + 5);
    out[0] = final ? 1 : 0; // BFINAL, BTYPE 00 (no compression)
    out.writeUInt16LE(data.length, 1); // LEN
    out.writeUInt16LE(~data.length & 0xffff, 3); // NLEN
    data.copy(out, 5);
    this.ondata!(null, out as Uint8Array<ArrayBuffer>, final);
  }
}

