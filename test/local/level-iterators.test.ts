/**
 * dynalite ends each Query and Scan stream by calling `return()` on its LevelDB iterator (the async
 * iterator protocol); local mode's Level class (local/emulators.ts) gives abstract-level's
 * iterators that method, so the stream's end closes the iterator instead of leaving it open (and
 * pinning LevelDB's memtables and files) until the database closes. On a real classic-level
 * database, through dynalite's own read stream.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../local/emulators';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Level } = require('level') as { Level: new (location: string, options?: Record<string, unknown>) => any };

describe('LevelDB iterators of dynalite read streams', () => {
  let dir: string;
  let db: any;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-level-iterators-'));
    db = new Level(dir);
    await db.open();
    await db.batch(Array.from({ length: 20 }, (_, i) => ({ type: 'put', key: `k${String(i).padStart(2, '0')}`, value: `v${i}` })));
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('closes an iterator through return(), as dynalite ends its streams', async () => {
    for (const make of [() => db.values({ gte: 'k05' }), () => db.keys({ limit: 3 })]) {
      const iterator = make();
      expect(typeof iterator.return).toBe('function');
      expect(await iterator.next()).toBeDefined();
      await iterator.return();
      await expect(iterator.next()).rejects.toThrow(/not open/i);
    }
  });

  it('a read stream read to its end (what a Query does) leaves no iterator open', async () => {
    // dynalite/db/index.js createValueStream, as dynalite builds it on this database.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Readable } = require('node:stream') as typeof import('node:stream');
    const opened: any[] = [];
    const stream = () => {
      const iterator = db.values({ gte: 'k10', lt: 'k15' });
      opened.push(iterator);
      return new Readable({
        objectMode: true,
        read() {
          iterator.next().then((v: unknown) => this.push(v === undefined ? null : v), (e: Error) => this.destroy(e));
        },
        destroy(err, callback) {
          if (iterator.return) iterator.return().then(() => callback(err), () => callback(err));
          else callback(err);
        },
      });
    };
    for (let i = 0; i < 5; i++) {
      const values: unknown[] = [];
      await new Promise<void>((resolve, reject) => stream().on('data', (v) => values.push(v)).on('close', resolve).on('error', reject));
      expect(values).toEqual(['v10', 'v11', 'v12', 'v13', 'v14']);
    }
    for (const iterator of opened) await expect(iterator.next()).rejects.toThrow(/not open/i);
  });
});
