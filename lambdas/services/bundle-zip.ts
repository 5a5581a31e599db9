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

/** A ZIP larger than this goes to a temporary file rather than memory (the hand-off's Lambda has 512 MB). */
const SPILL_BYTES = 16_777_216; // 16 MiB

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
    const e = new libs.ZipEntry(name, mtime, packingOf(name, layout));
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
