/**
 * Writes an evidence bundle ZIP to a local file, streaming: each evidence object is read from the
 * vault and deflated straight to disk (fflate's streaming Zip with synchronous writes), so memory
 * stays flat whatever the dossier's size; the SHA-256 and size of the ZIP are computed on the way.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';

export interface ZipFile {
  path: string;
  sha256: string;
  size: number;
  /** Removes the temporary file (Lambda's /tmp is reused across invocations). */
  dispose(): void;
}

export interface ZipWriter {
  addBytes(name: string, bytes: Uint8Array, mtime: Date): void;
  /** Streams one entry; resolves with the SHA-256 of the bytes it read (not of the deflated data). */
  addStream(name: string, body: Readable, mtime: Date): Promise<string>;
  finish(): Promise<ZipFile>;
  /** Gives up on an unfinished ZIP (a read failed): closes and removes the temporary file. */
  abort(): void;
}

export function zipWriter(): ZipWriter {
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
    const e = new ZipDeflate(name, { level: 6 });
    e.mtime = mtime;
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
      for await (const chunk of body) {
        digest.update(chunk as Uint8Array);
        e.push(chunk as Uint8Array);
      }
      e.push(new Uint8Array(0), true);
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
