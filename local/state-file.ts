import * as fs from 'node:fs';

/**
 * A small state file of local mode's data dir, rewritten at every step: the simulated clock's
 * instant (./sim-clock), the scheduler's last firings (./scheduler). Each save used to write a
 * temporary file and rename it over the old one: ~140 µs of CPU per save on ext4, which starts
 * writing back a file renamed over another (auto_da_alloc), a few hundred saves per run (~1 % of
 * a profiled escalation's CPU). Now:
 * - the first save, and any whose length differs from the file's, still writes whole and renames
 *   (a crash leaves the old file or the new one, never a mix);
 * - a save of the same length (an ISO instant replaced by another) overwrites the bytes in place,
 *   without truncating: one write of at most one disk sector (512 bytes) at offset 0, which a
 *   process crash cannot leave half done and a power loss cannot tear (~5–13 µs).
 * The file's bytes are the same either way.
 */
export class StateFile {
  /** Length of what this process last wrote to the file; -1 until it has written it whole. */
  private length = -1;

  constructor(readonly path: string) {}

  write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === this.length && bytes.length <= 512) {
      try {
        fs.writeFileSync(this.path, bytes, { flag: 'r+' });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // removed meanwhile: written whole below
      }
    }
    const tmp = `${this.path}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, this.path);
    this.length = bytes.length;
  }
}
