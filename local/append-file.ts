/**
 * A JSON Lines file that local mode appends to on every change (executions, Object Lock records,
 * bus events), kept open. `fs.appendFileSync` opens and closes the file on every line: three
 * system calls where one does, and `open` alone was 1.5 % of a bench run's main thread. The file
 * is opened for appending once (O_APPEND: each line lands at the end in one write) and each line
 * written at once with `fs.writeSync`, so what a crash or a kill -9 leaves is what
 * appendFileSync left: every line written before it, in the page cache, the last one possibly cut
 * short. `close()` before renaming the file (compaction) or when local mode stops.
 */
import * as fs from 'node:fs';

export class AppendFile {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  append(text: string): void {
    this.fd ??= fs.openSync(this.path, 'a');
    fs.writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
