import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zipWriter } from '../../lambdas/services/bundle-zip';

/**
 * A bundle is rebuilt from the vault and must come out byte for byte as issued
 * (services/evidence.ts rebuildBundle): the ZIP writer's bytes may depend on the entries only, not
 * on how S3 happens to split a body into chunks, nor on the process's time zone.
 */
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A stream of `bytes` cut at the given sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: number[]): Readable {
  const parts: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    parts.push(bytes.subarray(at, at + n));
    at += n;
  }
  return Readable.from(parts);
}

async function zipOf(files: { name: string; bytes: Uint8Array; sizes: number[] }[], at: Date): Promise<{ sha256: string; bytes: Buffer }> {
  const zip = await zipWriter();
  for (const f of files) expect(await zip.addStream(f.name, chunked(f.bytes, f.sizes), at)).toBe(sha(f.bytes));
  zip.addBytes('manifest.json', Buffer.from('{}\n'), at);
  const file = await zip.finish();
  try {
    const bytes = readFileSync(file.path);
    expect(sha(bytes)).toBe(file.sha256);
    expect(bytes.length).toBe(file.size);
    return { sha256: file.sha256, bytes };
  } finally {
    file.dispose();
  }
}

// Compressible, like a MIME message with base64 parts, and long enough for several deflate blocks.
const MESSAGE = Buffer.from(Array.from({ length: 6000 }, (_, i) => `line ${i % 97} ${randomBytes(8).toString('base64')}\r\n`).join(''));
const AT = new Date('2026-05-13T07:00:00.000Z');

describe('the bundle ZIP is a function of its entries', () => {
  it('whatever the chunking of each body (seeded property)', async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`bundle-zip chunking property: seed ${seed} (replay with FC_SEED=${seed})`);
    const reference = await zipOf([{ name: 'files/notices/a.eml', bytes: MESSAGE, sizes: [MESSAGE.length] }], AT);
    expect(Buffer.from(unzipSync(reference.bytes)['files/notices/a.eml']!).equals(MESSAGE)).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
        expect((await zipOf([{ name: 'files/notices/a.eml', bytes: MESSAGE, sizes }], AT)).sha256).toBe(reference.sha256);
      }),
      { seed, numRuns: 25 },
    );
  });

  it('whatever the time zone of the process, entries stamped with the UTC wall clock', async () => {
    const zone = process.env.TZ;
    const shas: string[] = [];
    try {
      for (const tz of ['UTC', 'Europe/Paris', 'Pacific/Auckland', 'America/Martinique']) {
        process.env.TZ = tz;
        const out = await zipOf([{ name: 'files/a.eml', bytes: MESSAGE, sizes: [16_384] }], AT);
        // DOS time of the first local header (offset 10): 07:00:00 UTC, 13 May 2026.
        const time = out.bytes.readUInt16LE(10);
        const date = out.bytes.readUInt16LE(12);
        expect({ h: time >> 11, m: (time >> 5) & 63, y: 1980 + (date >> 9), mo: (date >> 5) & 15, d: date & 31 }).toEqual({ h: 7, m: 0, y: 2026, mo: 5, d: 13 });
        shas.push(out.sha256);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(new Set(shas).size).toBe(1);
  });
});
