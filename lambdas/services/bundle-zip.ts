/**
 * Writes an evidence bundle ZIP to a local file, streaming: each evidence object is read from the
 * vault and deflated straight to disk (fflate's streaming Zip with synchronous writes), so memory
 * stays flat whatever the dossier's size; the SHA-256 and size of the ZIP are computed on the way.
 *
 * Deterministic: the same entries (names, bytes, mtimes, order) give the same ZIP, byte for byte,
 * whatever the process's time zone and however S3 splits a body into chunks. A bundle is a derived
 * export (kept a few days), rebuilt from the vault when needed and checked against the SHA-256 its
 * issuance recorded (services/evidence.ts), so nothing in it may depend on the machine: entries
 * are deflated by fflate (pure JavaScript, the same bytes on any Node), not by node:zlib.
 *
 * Entries whose bytes are already compressed (a PDF's streams are Flate, a .gz, an image) are
 * deflated at level 0: stored blocks (RFC 1951 3.2.4), the bytes copied with a 5-byte header per
 * 64 KiB. Deflating a PDF at level 6 saved a tenth of its size (4 KiB) for a sixth of a hand-off
 * bundle's CPU. The entry's method stays deflate (8), so every reader reads it as it read every
 * entry so far; a stored entry (method 0) with a data descriptor, as fflate's streaming ZIP would
 * write it, is refused by streaming readers (Java's ZipInputStream). Bundles issued before were
 * level 6 throughout: the `deflated` layout rebuilds them byte for byte (evidence.ts
 * rebuildBundle tries it last).
 *
 * Messages (`.eml`) are copied at level 0 too: the bytes a message keeps are mostly the base64 of
 * its attachments (a mise en demeure's 54 KiB: a 30 KiB PDF, Flate inside), which deflate only
 * re-codes (base64's 64 symbols in ~6 bits: a quarter off); that cost ~14 ms of a hand-off
 * bundle's CPU (fflate level 6) for 16 KiB, in an export kept a few days. A text-only message is a
 * few KiB either way. Bundles issued with messages deflated rebuild with the `pdfs-stored` layout.
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
  path: string;
  sha256: string;
  size: number;
  /** Removes the temporary file (Lambda's /tmp is reused across invocations). */
  dispose(): void;
}

export interface ZipWriter {
  addBytes(name: string, bytes: Uint8Array, mtime: Date): void;
  /** Streams one entry; resolves with the SHA-256 of the bytes it read (not of the ZIP's data). */
  addStream(name: string, body: Readable, mtime: Date): Promise<string>;
  finish(): Promise<ZipFile>;
  /** Gives up on an unfinished ZIP (a read failed): closes and removes the temporary file. */
  abort(): void;
}

/**
 * How entries are packed: `current` copies already-compressed files and messages (level 0) and
 * deflates the rest at level 6; `pdfs-stored` copies only the already-compressed files (bundles
 * issued before messages were copied); `deflated` deflates every entry at level 6 (bundles issued
 * before that).
 */
export type ZipLayout = 'current' | 'pdfs-stored' | 'deflated';

/** The layouts a bundle issued by this software may have, newest first (evidence.ts rebuildBundle). */
export const ZIP_LAYOUTS: readonly ZipLayout[] = ['current', 'pdfs-stored', 'deflated'];

/** Names of files whose bytes are already compressed: deflating them again costs CPU and saves little. */
const COMPRESSED = /\.(?:pdf|gz|zip|png|jpe?g)$/i;

/** Messages: mostly the base64 of compressed attachments (above). */
const MESSAGE = /\.eml$/i;

/** The deflate level of entry `name` in a ZIP of `layout`. */
function levelOf(name: string, layout: ZipLayout): 0 | 6 {
  if (layout === 'deflated') return 6;
  return COMPRESSED.test(name) || (layout === 'current' && MESSAGE.test(name)) ? 0 : 6;
}

/** Size of the pieces a streamed entry is deflated in (fflate's own working window is 64 KiB). */
const PIECE_BYTES = 65_536; // 64 KiB, as a literal: esbuild drops an unused literal, not an unused product

/**
 * The instant as fflate should stamp it: a ZIP entry's DOS date/time has no zone and fflate reads
 * it with the local-time getters, so the entry gets the UTC wall clock (what Lambda, in UTC, has
 * always written) in any zone. An instant in a local gap (the hour skipped in spring) is the one
 * case a zone still shifts, by that hour.
 */
function dosWallClock(t: Date): Date {
  return new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
}

export async function zipWriter(layout: ZipLayout = 'current'): Promise<ZipWriter> {
  const { Zip, ZipDeflate } = await loadBundleLibs();
  const dir = mkdtempSync(join(tmpdir(), 'amiable-bundle-'));
  const path = join(dir, 'bundle.zip');
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  let size = 0;
  let failure: Error | null = null;
  let finished: (() => void) | null = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) {
      failure = err;
      finished?.();
      return;
    }
    writeSync(fd, chunk);
    hash.update(chunk);
    size += chunk.length;
    if (final) finished?.();
  });
  const entry = (name: string, mtime: Date) => {
    const e = new ZipDeflate(name, { level: levelOf(name, layout) });
    e.mtime = dosWallClock(mtime);
    zip.add(e);
    return e;
  };
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  let closed = false;
  const close = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  return {
    addBytes(name, bytes, mtime) {
      entry(name, mtime).push(bytes, true);
    },
    async addStream(name, body, mtime) {
      const e = entry(name, mtime);
      const digest = createHash('sha256');
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
      return { path, sha256: hash.digest('hex'), size, dispose };
    },
    abort() {
      zip.terminate();
      close();
      dispose();
    },
  };
}
