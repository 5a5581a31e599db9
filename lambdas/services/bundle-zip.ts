/**
 * Writes an evidence bundle ZIP, streaming: each evidence object is read from the vault and packed
 * as it comes (fflate's streaming Zip, synchronous), the SHA-256 and size of the ZIP computed on
 * the way. The ZIP is kept in memory up to SPILL_BYTES (every bundle of a dossier of ordinary
 * size: a hand-off's is ~140 KiB) and goes to a temporary file beyond, so memory stays bounded
 * whatever the dossier's size.
 *
 * Deterministic: the same entries (names, bytes, mtimes, order) give the same ZIP, byte for byte,
 * whatever the process's time zone and however S3 splits a body into chunks. A bundle is a derived
 * export (kept a few days), rebuilt from the vault when needed and checked against the SHA-256 its
 * issuance recorded (services/evidence.ts), so nothing in it may depend on the machine: entries
 * are deflated by fflate (pure JavaScript, the same bytes on any Node), not by node:zlib, or
 * copied in stored blocks. An entry's CRC-32 (ISO 3309, the ZIP's own check) is node:zlib's
 * crc32, a number every implementation agrees on, rather than fflate's JavaScript loop (~0.6 ms
 * per hand-off bundle; the ZIP's bytes are the same).
 *
 * Every entry's method is deflate (8), so every reader reads it as it read every entry so far; a
 * stored entry (method 0) with a data descriptor, as a streaming ZIP writes it, is refused by
 * streaming readers (Java's ZipInputStream). How the deflate data is made depends on the layout:
 * - `stored` (bundles issued from now on): every entry copied in stored blocks (RFC 1951 3.2.4:
 *   the bytes, a 5-byte header per 65,535), written here, nothing searched for. What deflating
 *   still bought was ~16 KiB of a hand-off bundle's 140 (the manifest, timeline, VERIFY.txt and
 *   JSON files; everything else is PDFs, gzip and messages that are mostly base64 of compressed
 *   attachments), for ~2 ms of the hand-off's CPU, in an export kept a few days.
 * - `messages-stored`: PDFs, .gz and other compressed files and messages (`.eml`) at fflate's level 0
 *   (stored blocks cut where the pushes land), the rest deflated at level 6;
 * - `pdfs-stored`: only the compressed files at level 0 (bundles issued before messages were copied);
 * - `deflated`: every entry at level 6 (bundles issued before that).
 * Bundles issued under an earlier layout rebuild byte for byte with it (evidence.ts rebuildBundle
 * tries ZIP_LAYOUTS in order).
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { AsyncFlateStreamHandler, Deflate, ZipInputFile } from 'fflate';

type BundleLibs = typeof import('./bundle-libs');
let bundleLibs: BundleLibs | undefined;

/** fflate and the timeline page, read with the first bundle: a file of their own next to index.js in a Lambda (SPLIT_MODULES). */
export async function loadBundleLibs(): Promise<BundleLibs> {
  if (!bundleLibs) {
    // In a Lambda the split module is CommonJS: its exports may come as the namespace's default.
    const m = (await import('./bundle-libs.js')) as BundleLibs & { default?: BundleLibs };
    bundleLibs = m.default ?? m;
  }
  return bundleLibs;
}

export interface ZipFile {
  /** The ZIP, when it stayed in memory (at most SPILL_BYTES); else null and the file at `path` holds it. */
  bytes: Buffer | null;
  /** The temporary file holding the ZIP, when it outgrew memory; else null. */
  path: string | null;
  sha256: string;
  size: number;
  /** Removes the temporary file, if any (Lambda's /tmp is reused across invocations). */
  dispose(): void;
}

export interface ZipWriter {
  addBytes(name: string, bytes: Uint8Array, mtime: Date): void;
  /** Streams one entry; resolves with the SHA-256 of the bytes it read (not of the ZIP's data). */
  addStream(name: string, body: Readable, mtime: Date): Promise<string>;
  finish(): Promise<ZipFile>;
  /** Gives up on an unfinished ZIP (a read failed): closes and removes the temporary file, if any. */
  abort(): void;
}

/** How entries are packed (above), newest first. */
export type ZipLayout = 'stored' | 'messages-stored' | 'pdfs-stored' | 'deflated';

/** The layouts a bundle issued by this software may have, newest first (evidence.ts rebuildBundle). */
export const ZIP_LAYOUTS: readonly ZipLayout[] = ['stored', 'messages-stored', 'pdfs-stored', 'deflated'];

/** Names of files whose bytes are already compressed: deflating them again costs CPU and saves little. */
const COMPRESSED = /\.(?:pdf|gz|zip|png|jpe?g)$/i;

/** Messages: mostly the base64 of compressed attachments (above). */
const MESSAGE = /\.eml$/i;

/** How entry `name` is packed in a ZIP of `layout`: fflate's deflate at that level, or stored blocks written here. */
function packingOf(name: string, layout: ZipLayout): 0 | 6 | 'stored' {
  if (layout === 'stored') return 'stored';
  if (layout === 'deflated') return 6;
  return COMPRESSED.test(name) || (layout === 'messages-stored' && MESSAGE.test(name)) ? 0 : 6;
}

/** Size of the pieces a streamed entry is deflated in (fflate's own working window is 64 KiB). */
const PIECE_BYTES = 65_536; // 64 KiB, as a literal: esbuild drops an unused literal, not an unused product

/** The most bytes a stored block holds (RFC 1951 3.2.4: LEN is 16 bits). */
const STORED_BLOCK_BYTES = 65_535;

/** A ZIP larger than this goes to a temporary file rather than memory (the hand-off's Lambda has 512 MB). */
const SPILL_BYTES = 16_777_216; // 16 MiB

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
class ZipEntry implements ZipInputFile {
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
    libs: BundleLibs,
  ) {
    this.mtime = dosWallClock(mtime);
    this.stored = packing === 'stored';
    this.flag = packing === 6 ? 0 : 2;
    this.deflate = packing === 'stored' ? null : new libs.Deflate({ level: packing }, (data, final) => this.ondata!(null, data, final));
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

/** `spillBytes`: the ZIP goes to a temporary file once larger (tests make it small). */
export async function zipWriter(layout: ZipLayout = ZIP_LAYOUTS[0]!, options: { spillBytes?: number } = {}): Promise<ZipWriter> {
  const libs = await loadBundleLibs();
  const spillBytes = options.spillBytes ?? SPILL_BYTES;
  const hash = createHash('sha256');
  let size = 0;
  let chunks: Uint8Array[] = [];
  let file: { dir: string; path: string; fd: number | null } | null = null;
  let failure: Error | null = null;
  let finished: (() => void) | null = null;
  const zip = new libs.Zip((err, chunk, final) => {
    if (err) {
      failure = err;
      finished?.();
      return;
    }
    hash.update(chunk);
    size += chunk.length;
    if (!file && size > spillBytes) {
      // Too large for memory: what is held so far goes to a file, and everything after it.
      const dir = mkdtempSync(join(tmpdir(), 'amiable-bundle-'));
      file = { dir, path: join(dir, 'bundle.zip'), fd: null };
      file.fd = openSync(file.path, 'w');
      for (const held of chunks) writeSync(file.fd, held);
      chunks = [];
    }
    if (file) writeSync(file.fd!, chunk);
    else chunks.push(chunk);
    if (final) finished?.();
  });
  const entry = (name: string, mtime: Date) => {
    const e = new ZipEntry(name, mtime, packingOf(name, layout), libs);
    zip.add(e);
    return e;
  };
  const close = () => {
    if (file?.fd != null) closeSync(file.fd);
    if (file) file.fd = null;
  };
  const dispose = () => {
    const dir = file?.dir;
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  return {
    addBytes(name, bytes, mtime) {
      entry(name, mtime).push(bytes, true);
    },
    async addStream(name, body, mtime) {
      const e = entry(name, mtime);
      const digest = createHash('sha256');
      if (e.stored) {
        // Stored blocks are cut at fixed offsets whatever the chunks (ZipEntry.store).
        for await (const chunk of body) {
          digest.update(chunk as Uint8Array);
          e.push(chunk as Uint8Array, false);
        }
        e.push(new Uint8Array(0), true);
        return digest.digest('hex');
      }
      // fflate's streaming deflate ends a block where a push lands, so the compressed bytes follow
      // the input's chunking: the body is fed in fixed pieces, the last one final.
      const piece = new Uint8Array(PIECE_BYTES);
      let filled = 0;
      for await (const chunk of body) {
        const bytes = chunk as Uint8Array;
        digest.update(bytes);
        for (let at = 0; at < bytes.length; ) {
          const n = Math.min(PIECE_BYTES - filled, bytes.length - at);
          piece.set(bytes.subarray(at, at + n), filled);
          filled += n;
          at += n;
          if (filled === PIECE_BYTES) {
            e.push(piece.slice(), false);
            filled = 0;
          }
        }
      }
      e.push(piece.slice(0, filled), true);
      return digest.digest('hex');
    },
    async finish() {
      const done = new Promise<void>((resolve) => (finished = resolve));
      if (!failure) zip.end();
      if (!failure) await done;
      close();
      if (failure) {
        dispose();
        throw failure;
      }
      const spilled = file as { path: string } | null;
      return { bytes: spilled ? null : Buffer.concat(chunks, size), path: spilled?.path ?? null, sha256: hash.digest('hex'), size, dispose };
    },
    abort() {
      zip.terminate();
      close();
      dispose();
    },
  };
}
