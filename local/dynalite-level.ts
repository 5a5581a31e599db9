/**
 * What dynalite's LevelDB is given before dynalite loads (its db module reads `Level` from the
 * `level` package once, when it loads: whatever requires a dynalite module first, ./emulators or
 * ./dynalite-write-images, calls this before).
 */
import { withReadCache } from './level-read-cache';

/**
 * dynalite keeps an on-disk table in LevelDB (classic-level), which memory-maps every table file it
 * holds open (up to 1,000 by default): the mapped pages count in the process's resident memory, and
 * a table that is rewritten on every step (the dossier item, its lease) leaves hundreds of MB of
 * 2 MB files behind until compaction: ~240 MB of a 1,000-dossier run's peak. dynalite opens its
 * database with no options, so the Level class it reads is given bounds first: the fewest open
 * table files LevelDB allows (64 + 10) and 512 KB files: ~60 MB mapped at most (measured). Same data, same
 * format: a data dir written with the defaults opens as before.
 */
// `level` is dynalite's own dependency (not ours, so knip.json ignores it as unlisted): the
// class is patched where dynalite will read it.
export function prepareDynaliteLevel(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const level = require('level') as { Level: new (location: string, options?: Record<string, unknown>) => unknown; bounded?: true };
  if (level.bounded) return;
  // With a read cache in front (./level-read-cache): dynalite reads the table description and the item before each write.
  const Level = withReadCache(level.Level);
  type Iterator = { close(): Promise<void>; return?: () => Promise<void> };
  type Base = new (location: string, options?: Record<string, unknown>) => { keys(options?: unknown): Iterator; values(options?: unknown): Iterator };
  level.Level = class BoundedLevel extends (Level as unknown as Base) {
    constructor(location: string, options: Record<string, unknown> = {}) {
      super(location, { maxOpenFiles: 74, maxFileSize: 512 * 1024, ...options });
    }

    keys(options?: unknown): Iterator {
      return closable(super.keys(options));
    }

    values(options?: unknown): Iterator {
      return closable(super.values(options));
    }
  } as unknown as typeof Level;
  level.bounded = true;
}

/**
 * dynalite's read streams (every Query and Scan) close their LevelDB iterator on end by calling its
 * `return()` (the async iterator protocol), which abstract-level 3's iterators do not have: each one
 * stayed open, held by the database until it closed (3,200 after 300 escalated dossiers), and an
 * open LevelDB iterator pins the memtables and table files of its moment, so resident memory grew
 * with every query and compaction could not let files go. `return()` is the iterator's `close()`.
 */
function closable<T extends { close(): Promise<void>; return?: () => Promise<void> }>(iterator: T): T {
  if (typeof iterator.return !== 'function') iterator.return = () => iterator.close();
  return iterator;
}
