/**
 * A read cache in front of dynalite's on-disk LevelDB (local mode with a data dir). dynalite reads
 * the table's description from LevelDB on every request (getTable) and the item before every
 * update, and each read is a native call that takes a LevelDB snapshot and a thread-pool round
 * trip: 10-13 % of a bench escalation's samples were under LevelDB get. Here the values last read
 * or written by key are kept in memory (bounded in bytes, least recently used out), and a read of
 * a kept key answers from memory. So is the absence of a key read or deleted: a conditional first
 * write (an event of the evidence log, a lease, the stall sweep's cursor) reads a key that is not
 * there, a third of the reads LevelDB still answered (replayed escalation: 81 % of reads answered from memory before, 90 % now).
 *
 * Exact, not approximate: every write goes to LevelDB first, as before (write-through), and a key
 * is kept only when nothing else can have changed it meanwhile:
 * - a write drops the key before it starts, and keeps the written value when it ends only if no
 *   other write to that key started or is still under way (LevelDB's thread pool may finish two
 *   writes to one key in either order: then the key is left to the next read);
 * - a read keeps what it read only if no write to that key (or range clear) started while it ran;
 * - a range clear, or a chained batch (routed through the array batch), drops everything it touches;
 * - reads under an explicit snapshot, and values not in the utf8 format dynalite uses (its
 *   valueEncoding is json, stored as utf8 strings), go to LevelDB.
 * Iterators (Query, Scan) read LevelDB, which every completed write has reached.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DefaultChainedBatch } = require('abstract-level/lib/default-chained-batch') as { DefaultChainedBatch: new (db: unknown) => unknown };

/** A key read or deleted, known not to be there (kept too: a read of it answers undefined from memory). */
const ABSENT = Symbol('absent');

const sizeOf = (key: string, value: string | typeof ABSENT) => 2 * (key.length + (value === ABSENT ? 0 : value.length));

/** Bytes of values kept (UTF-16 code units x 2, keys included): a bound on the memory it adds. */
export const READ_CACHE_BYTES = 24 * 1024 * 1024;

type Options = { keyEncoding?: string; valueEncoding?: string; snapshot?: unknown };
type Op = { type: 'put' | 'del'; key: unknown; value?: unknown; keyEncoding?: string; valueEncoding?: string };
type LevelClass = new (location: string, options?: Record<string, unknown>) => unknown;

interface LevelInternals {
  _get(key: unknown, options: Options): Promise<unknown>;
  _put(key: unknown, value: unknown, options: Options): Promise<void>;
  _del(key: unknown, options: Options): Promise<void>;
  _batch(ops: Op[], options: Options): Promise<void>;
  _clear(options: unknown): Promise<void>;
  _close(): Promise<void>;
}

/** Counters, for the tests (a hit is a read answered from memory). */
export interface ReadCacheStats {
  hits: number;
  misses: number;
  kept: number;
  bytes: number;
}

/** Reads answered from memory and from LevelDB, all databases of this process (for the bench's notes). */
export const readCacheTotals = { hits: 0, misses: 0 };

/** `Level` with the read cache (a subclass: same constructor, same data, same format). */
export function withReadCache<T extends LevelClass>(Level: T, maxBytes = READ_CACHE_BYTES): T {
  const Base = Level as unknown as new (location: string, options?: Record<string, unknown>) => LevelInternals;
  class CachedLevel extends Base {
    /** Kept values (utf8 strings, or ABSENT: no such key) by key, least recently used first. */
    private readonly kept = new Map<string, string | typeof ABSENT>();
    private bytes = 0;
    /** Per key: writes started (a generation) and writes under way. */
    private readonly writes = new Map<string, { started: number; running: number }>();
    /** Reads under way per key; overtaken once a write to the key starts meanwhile (they keep nothing). */
    private readonly reads = new Map<string, { count: number; overtaken: boolean }>();
    /** Bumped by every range clear: reads that straddle one keep nothing. */
    private clears = 0;
    readonly cacheStats: ReadCacheStats = { hits: 0, misses: 0, kept: 0, bytes: 0 };

    private drop(key: string): void {
      const v = this.kept.get(key);
      if (v === undefined) return;
      this.kept.delete(key);
      this.bytes -= sizeOf(key, v);
    }

    private keep(key: string, value: string | typeof ABSENT): void {
      this.drop(key);
      const size = sizeOf(key, value);
      if (size > maxBytes / 16) return;
      this.kept.set(key, value);
      this.bytes += size;
      while (this.bytes > maxBytes) this.drop(this.kept.keys().next().value as string);
      this.cacheStats.kept = this.kept.size;
      this.cacheStats.bytes = this.bytes;
    }

    private dropAll(): void {
      this.kept.clear();
      this.bytes = 0;
      this.clears++;
    }

    /** Marks a write to `key` started; returns what ends it (keeping `value`, a string, if still the latest). */
    private writing(key: unknown): (ok: boolean, value?: unknown) => void {
      if (typeof key !== 'string') {
        // Not a key this cache can hold (dynalite's keys are strings): nothing kept could be it unless
        // encodings differ, so be safe and forget everything.
        this.dropAll();
        return () => undefined;
      }
      const w = this.writes.get(key) ?? { started: 0, running: 0 };
      w.started++;
      w.running++;
      this.writes.set(key, w);
      const reading = this.reads.get(key);
      if (reading) reading.overtaken = true;
      this.drop(key);
      const mine = w.started;
      const clears = this.clears;
      return (ok, value) => {
        w.running--;
        if (w.running === 0) this.writes.delete(key);
        if (ok && w.running === 0 && w.started === mine && this.clears === clears && (typeof value === 'string' || value === ABSENT)) this.keep(key, value);
        else this.drop(key);
      };
    }

    override async _get(key: unknown, options: Options): Promise<unknown> {
      if (typeof key !== 'string' || options.snapshot || options.keyEncoding !== 'utf8' || options.valueEncoding !== 'utf8') return super._get(key, options);
      const hit = this.kept.get(key);
      if (hit !== undefined) {
        this.cacheStats.hits++;
        readCacheTotals.hits++;
        // Most recently used last.
        this.kept.delete(key);
        this.kept.set(key, hit);
        return hit === ABSENT ? undefined : hit;
      }
      this.cacheStats.misses++;
      readCacheTotals.misses++;
      const reading = this.reads.get(key) ?? { count: 0, overtaken: this.writes.has(key) };
      reading.count++;
      this.reads.set(key, reading);
      const clears = this.clears;
      try {
        const value = await super._get(key, options);
        // A key not found is kept as such: a write's condition reads it first (a new event, a lease, a cursor).
        const found = typeof value === 'string' ? value : value === undefined ? ABSENT : undefined;
        if (!reading.overtaken && !this.writes.has(key) && this.clears === clears && found !== undefined) this.keep(key, found);
        return value;
      } finally {
        if (--reading.count === 0) this.reads.delete(key);
      }
    }

    override async _put(key: unknown, value: unknown, options: Options): Promise<void> {
      const done = this.writing(key);
      try {
        await super._put(key, value, options);
      } catch (e) {
        done(false);
        throw e;
      }
      done(true, options.valueEncoding === 'utf8' && options.keyEncoding === 'utf8' ? value : undefined);
    }

    override async _del(key: unknown, options: Options): Promise<void> {
      const done = this.writing(key);
      try {
        await super._del(key, options);
      } catch (e) {
        done(false);
        throw e;
      }
      done(true, options.keyEncoding === 'utf8' ? ABSENT : undefined);
    }

    override async _batch(ops: Op[], options: Options): Promise<void> {
      const dones = ops.map((op) => ({ op, done: this.writing(op.key) }));
      try {
        await super._batch(ops, options);
      } catch (e) {
        for (const d of dones) d.done(false);
        throw e;
      }
      for (const { op, done } of dones) {
        const utf8 = (op.keyEncoding ?? options.keyEncoding) === 'utf8' && (op.valueEncoding ?? options.valueEncoding) === 'utf8';
        done(true, !utf8 ? undefined : op.type === 'put' ? op.value : ABSENT);
      }
    }

    override async _clear(options: unknown): Promise<void> {
      this.dropAll();
      try {
        await super._clear(options);
      } finally {
        this.dropAll();
      }
    }

    /** Chained batches go through _batch above (classic-level's native one would bypass the cache). */
    _chainedBatch(): unknown {
      return new DefaultChainedBatch(this);
    }

    override async _close(): Promise<void> {
      this.dropAll();
      return super._close();
    }
  }
  return CachedLevel as unknown as T;
}
