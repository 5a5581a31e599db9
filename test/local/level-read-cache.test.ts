/**
 * dynalite's LevelDB behind the read cache (local/level-read-cache.ts), on a real classic-level
 * database in a temporary directory: every read answers what LevelDB holds, whatever the writes
 * (put, del, batch, chained batch, range clear) and however they overlap with reads, and kept
 * values do answer repeated reads (the point of it). The ground truth is an iterator, which reads
 * LevelDB and never the cache.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withReadCache, type ReadCacheStats } from '../../local/level-read-cache';
import { seededRandom } from '../support/seed';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Level } = require('level') as { Level: new (location: string, options?: Record<string, unknown>) => any };

describe('LevelDB read cache', () => {
  let dir: string;
  let db: any;
  const stats = () => db.cacheStats as ReadCacheStats;
  /** What LevelDB holds, read through an iterator (not the cache). */
  const truth = async (): Promise<Map<string, unknown>> => new Map(await db.iterator().all());

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-level-cache-'));
    const Cached = withReadCache(Level, 4096);
    db = new Cached(dir, { valueEncoding: 'json' });
    await db.open();
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated read from memory, and every write is seen by the next read', async () => {
    await db.put('a', { v: 1 });
    const hits = stats().hits;
    expect(await db.get('a')).toEqual({ v: 1 });
    expect(await db.get('a')).toEqual({ v: 1 });
    expect(stats().hits).toBeGreaterThan(hits);
    // Each read decodes its own copy: changing one does not change the next.
    (await db.get('a')).v = 99;
    expect(await db.get('a')).toEqual({ v: 1 });
    await db.put('a', { v: 2 });
    expect(await db.get('a')).toEqual({ v: 2 });
    await db.del('a');
    expect(await db.get('a')).toBeUndefined();
    await db.batch([{ type: 'put', key: 'b', value: { v: 3 } }, { type: 'put', key: 'a', value: { v: 4 } }, { type: 'del', key: 'b' }]);
    expect(await db.get('a')).toEqual({ v: 4 });
    expect(await db.get('b')).toBeUndefined();
    await db.batch().put('a', { v: 5 }).del('c').write();
    expect(await db.get('a')).toEqual({ v: 5 });
    await db.clear({ gte: 'a', lte: 'a' });
    expect(await db.get('a')).toBeUndefined();
  });

  it('knows a key that is not there: read or deleted, its absence answers from memory until a write', async () => {
    expect(await db.get('missing')).toBeUndefined();
    let hits = stats().hits;
    expect(await db.get('missing')).toBeUndefined();
    expect(stats().hits).toBe(hits + 1);
    await db.put('missing', { v: 1 });
    expect(await db.get('missing')).toEqual({ v: 1 });
    await db.del('missing');
    hits = stats().hits;
    expect(await db.get('missing')).toBeUndefined();
    expect(stats().hits).toBe(hits + 1);
    await db.batch([{ type: 'put', key: 'missing', value: { v: 2 } }]);
    expect(await db.get('missing')).toEqual({ v: 2 });
    await db.batch([{ type: 'del', key: 'missing' }]);
    expect(await db.get('missing')).toBeUndefined();
    expect(await db.iterator({ gte: 'missing', lte: 'missing' }).all()).toEqual([]);
  });

  it('keeps no more bytes than its bound, and drops the least recently used', async () => {
    for (let i = 0; i < 100; i++) await db.put(`big-${i}`, { pad: 'x'.repeat(100) });
    for (let i = 0; i < 100; i++) expect(await db.get(`big-${i}`)).toEqual({ pad: 'x'.repeat(100) });
    expect(stats().bytes).toBeLessThanOrEqual(4096);
    expect(stats().kept).toBeGreaterThan(0);
  });

  it('answers what LevelDB holds under overlapping reads and writes (seeded)', async () => {
    const { random } = seededRandom('level read cache');
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
    const pick = () => keys[Math.floor(random() * keys.length)]!;
    let n = 0;
    for (let round = 0; round < 60; round++) {
      // A burst of concurrent operations on few keys: reads overlap writes to the same key.
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < 12; i++) {
        const r = random();
        const key = pick();
        if (r < 0.4) ops.push(db.get(key));
        else if (r < 0.65) ops.push(db.put(key, { n: ++n }));
        else if (r < 0.75) ops.push(db.del(key));
        else if (r < 0.9) ops.push(db.batch([{ type: 'put', key, value: { n: ++n } }, { type: 'put', key: pick(), value: { n: ++n } }]));
        else if (r < 0.95) ops.push(db.batch().put(key, { n: ++n }).write());
        else ops.push(db.clear({ gte: key, lte: key }));
      }
      await Promise.all(ops);
      const held = await truth();
      for (const key of keys) expect(await db.get(key), `round ${round} key ${key}`).toEqual(held.get(key));
    }
    expect(stats().hits).toBeGreaterThan(0);
  });
});
