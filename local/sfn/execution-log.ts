/**
 * Where local mode keeps its executions across restarts: an append-only JSON Lines file, one
 * line per change of one execution (the last line of an ARN wins). Rewriting the whole list on
 * every change, as before, made a run of n executions write O(n^2) bytes; appending writes each
 * change once. The file is compacted (one line per execution) when it is opened and whenever it
 * holds several times more lines than executions.
 *
 * A data dir from an earlier version has executions.json (the whole list): it is read once and
 * replaced by the log.
 */
import * as fs from 'node:fs';
import type { ExecutionRecord } from './local-step-functions';
import { AppendFile } from '../append-file';

export class ExecutionLog {
  private lines = 0;
  private readonly live = new Map<string, ExecutionRecord>();
  private readonly out: AppendFile;

  constructor(private readonly file: string, private readonly legacyFile?: string) {
    this.out = new AppendFile(file);
  }

  /** The executions as last written, and a compacted file. */
  load(): ExecutionRecord[] {
    if (fs.existsSync(this.file)) {
      for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const r = JSON.parse(line) as ExecutionRecord;
          this.live.set(r.arn, r);
        } catch {
          // A line cut short by a crash mid-append: the change before it stands.
        }
      }
    } else if (this.legacyFile && fs.existsSync(this.legacyFile)) {
      for (const r of JSON.parse(fs.readFileSync(this.legacyFile, 'utf8')) as ExecutionRecord[]) this.live.set(r.arn, r);
    }
    const records = [...this.live.values()];
    this.compact();
    if (this.legacyFile && fs.existsSync(this.legacyFile)) fs.rmSync(this.legacyFile);
    return records;
  }

  /** Records one change of one execution. */
  append(record: ExecutionRecord): void {
    this.live.set(record.arn, record);
    this.out.append(JSON.stringify(record) + '\n');
    this.lines++;
    if (this.lines > 4 * this.live.size + 1000) this.compact();
  }

  /** Closes the file (local mode stopping). */
  close(): void {
    this.out.close();
  }

  private compact(): void {
    this.out.close();
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const r of this.live.values()) fs.writeSync(fd, JSON.stringify(r) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    this.lines = this.live.size;
  }
}
