import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZIP_LAYOUTS, type ZipFile, type ZipLayout, zipWriter } from '../../lambdas/services/bundle-zip';

/**
 * A bundle is rebuilt from the vault and must come out byte for byte as issued
 * (services/evidence.ts rebuildBundle): the ZIP writer's bytes may depend on the entries only, not
 * on how S3 happens to split a body into chunks, nor on the process's time zone.
 */
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The ZIP's bytes, from memory or from the file it spilled to. */
const bytesOf = (file: ZipFile) => file.bytes ?? readFileSync(file.path!);

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

async function zipOf(files: { name: string; bytes: Uint8Array; sizes: number[] }[], at: Date, layout?: ZipLayout, spillBytes?: number): Promise<{ sha256: string; bytes: Buffer }> {
  const zip = await zipWriter(layout, { spillBytes });
  for (const f of files) expect(await zip.addStream(f.name, chunked(f.bytes, f.sizes), at)).toBe(sha(f.bytes));
  zip.addBytes('manifest.json', Buffer.from('{}\n'), at);
  const file = await zip.finish();
  try {
    const bytes = bytesOf(file);
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
  it('whatever the chunking of each body, in every layout (seeded property)', async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`bundle-zip chunking property: seed ${seed} (replay with FC_SEED=${seed})`);
    for (const layout of ZIP_LAYOUTS) {
      const reference = await zipOf([{ name: 'files/notices/a.eml', bytes: MESSAGE, sizes: [MESSAGE.length] }], AT, layout);
      expect(Buffer.from(unzipSync(reference.bytes)['files/notices/a.eml']!).equals(MESSAGE)).toBe(true);
      const storedReference = await zipOf([{ name: 'files/litigation/b.pdf', bytes: MESSAGE, sizes: [MESSAGE.length] }], AT, layout);
      expect(Buffer.from(unzipSync(storedReference.bytes)['files/litigation/b.pdf']!).equals(MESSAGE)).toBe(true);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
          expect((await zipOf([{ name: 'files/notices/a.eml', bytes: MESSAGE, sizes }], AT, layout)).sha256).toBe(reference.sha256);
          // A stored entry (a PDF) too.
          expect((await zipOf([{ name: 'files/litigation/b.pdf', bytes: MESSAGE, sizes }], AT, layout)).sha256).toBe(storedReference.sha256);
        }),
        { seed, numRuns: 10 },
      );
    }
  });

  it('the same bytes whether the ZIP stays in memory or spills to a temporary file', async () => {
    const files = [
      { name: 'files/notices/a.eml', bytes: MESSAGE, sizes: [7_000] },
      { name: 'files/litigation/b.pdf', bytes: MESSAGE.subarray(0, 70_000), sizes: [70_000] },
    ];
    for (const layout of ZIP_LAYOUTS) {
      const inMemory = await zipOf(files, AT, layout);
      const spilled = await zipWriter(layout, { spillBytes: 50_000 });
      for (const f of files) await spilled.addStream(f.name, chunked(f.bytes, f.sizes), AT);
      spilled.addBytes('manifest.json', Buffer.from('{}\n'), AT);
      const file = await spilled.finish();
      expect(file.bytes).toBeNull();
      expect(sha(readFileSync(file.path!))).toBe(inMemory.sha256);
      expect(file.sha256).toBe(inMemory.sha256);
      file.dispose();
      expect(existsSync(file.path!)).toBe(false);
    }
  });

  it('stored blocks hold at most 65,535 bytes, the last one final, for any size (empty, one block exactly, one byte over)', async () => {
    const long = Buffer.concat([MESSAGE, MESSAGE]);
    for (const n of [0, 1, 65_534, 65_535, 65_536, 131_070, 131_071, 200_000]) {
      const body = long.subarray(0, n);
      expect(body.length).toBe(n);
      const zips = [await zipOf([{ name: 'files/x.json', bytes: body, sizes: [n || 1] }], AT, 'stored'), await zipOf([{ name: 'files/x.json', bytes: body, sizes: [1_000, 65_535, 3] }], AT, 'stored')];
      expect(zips[1]!.sha256, `${n} bytes`).toBe(zips[0]!.sha256);
      const e = entries(zips[0]!.bytes)['files/x.json']!;
      expect(e).toEqual({ method: 8, size: n, compressed: n + 5 * Math.max(1, Math.ceil(n / 65_535)) });
      expect(Buffer.from(unzipSync(zips[0]!.bytes)['files/x.json']!).equals(body)).toBe(true);
    }
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

/** Each entry's method and compressed and uncompressed sizes, from the central directory (APPNOTE 4.3.12). */
function entries(zip: Buffer): Record<string, { method: number; compressed: number; size: number }> {
  const out: Record<string, { method: number; compressed: number; size: number }> = {};
  for (let at = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])), cd = zip.readUInt32LE(at + 16), n = zip.readUInt16LE(at + 10); n > 0; n--) {
    const nameLength = zip.readUInt16LE(cd + 28);
    out[zip.subarray(cd + 46, cd + 46 + nameLength).toString('utf8')] = { method: zip.readUInt16LE(cd + 10), compressed: zip.readUInt32LE(cd + 20), size: zip.readUInt32LE(cd + 24) };
    cd += 46 + nameLength + zip.readUInt16LE(cd + 30) + zip.readUInt16LE(cd + 32);
  }
  return out;
}

describe('every entry copied in stored blocks; bundles issued under earlier layouts rebuilt byte for byte', () => {
  // Fixed bytes: a text that deflates well, and bytes that do not (as a PDF's Flate streams).
  const h = (s: string) => createHash('sha256').update(s).digest('base64');
  const TEXT = Buffer.from(Array.from({ length: 6000 }, (_, i) => `line ${i % 97} ${h(String(i)).slice(0, 12)}\r\n`).join(''));
  const PDF = Buffer.concat(Array.from({ length: 700 }, (_, i) => createHash('sha256').update(`pdf ${i}`).digest()));
  const build = async (layout?: ZipLayout) => {
    const zip = await zipWriter(layout);
    await zip.addStream('files/notices/a.eml', Readable.from([TEXT]), AT);
    zip.addBytes('files/litigation/b.pdf', PDF, AT);
    await zip.addStream('files/litigation/c.PDF', Readable.from([PDF]), AT);
    zip.addBytes('manifest.json', Buffer.from('{"a":1}\n'), AT);
    const file = await zip.finish();
    try {
      return bytesOf(file);
    } finally {
      file.dispose();
    }
  };

  it('every entry (PDFs, messages, the manifest) copied in stored blocks of method 8; amiable verify\'s unzipSync reads them back', async () => {
    const zip = await build();
    const e = entries(zip);
    expect(Object.values(e).map((x) => x.method)).toEqual([8, 8, 8, 8]);
    // Its bytes and a 5-byte block header (RFC 1951 3.2.4) per 65,535 bytes, nothing searched for.
    for (const pdf of ['files/litigation/b.pdf', 'files/litigation/c.PDF']) expect(e[pdf]).toEqual({ method: 8, size: PDF.length, compressed: PDF.length + 5 });
    expect(e['files/notices/a.eml']).toEqual({ method: 8, size: TEXT.length, compressed: TEXT.length + 5 * Math.ceil(TEXT.length / 65_535) });
    expect(e['manifest.json']).toEqual({ method: 8, size: 8, compressed: 13 });
    const files = unzipSync(zip);
    expect(Buffer.from(files['files/notices/a.eml']!).equals(TEXT)).toBe(true);
    expect(Buffer.from(files['files/litigation/b.pdf']!).equals(PDF)).toBe(true);
    expect(Buffer.from(files['files/litigation/c.PDF']!).equals(PDF)).toBe(true);
  });

  it('the messages-stored layout is byte for byte what this writer made before it stored every entry (bundles issued then are rebuilt)', async () => {
    const zip = await build('messages-stored');
    const e = entries(zip);
    // PDFs and messages copied at fflate's level 0, the manifest deflated.
    expect(e['files/litigation/b.pdf']!.compressed).toBe(PDF.length + 5);
    expect(e['files/notices/a.eml']!.compressed - TEXT.length).toBeGreaterThan(0);
    expect(e['files/notices/a.eml']!.compressed - TEXT.length).toBeLessThanOrEqual(5 * 6);
    // The SHA-256 the previous writer (411c496: fflate's ZipDeflate throughout, its own CRC-32) gave for these very entries.
    expect(sha(zip)).toBe('ed5291bd5dc2fd4344a335c4c315d8e20facbedd6aa7f1d8827d19b7492a8688');
  });

  it('the pdfs-stored layout is byte for byte what this writer made before it copied messages (bundles issued then are rebuilt)', async () => {
    const zip = await build('pdfs-stored');
    expect(entries(zip)['files/notices/a.eml']!.compressed).toBeLessThan(TEXT.length * 0.7);
    expect(entries(zip)['files/litigation/b.pdf']!.compressed).toBe(PDF.length + 5);
    // The SHA-256 the previous writer (7de73c8: PDFs at level 0, messages at level 6) gave for these very entries.
    expect(sha(zip)).toBe('300f664cb6702ab13aaf5a2d39beb82ea5fdd7261998570ff4e9b59f4d81c2c2');
  });

  it('the deflated layout is byte for byte what this writer made before it stored entries (bundles issued then are rebuilt)', async () => {
    const zip = await build('deflated');
    // Compressed with Huffman codes, not copied (random bytes: a little larger than they are).
    expect(entries(zip)['files/litigation/b.pdf']!.compressed).not.toBe(PDF.length + 5);
    // The SHA-256 the previous writer (a155c2c, every entry deflated at level 6) gave for the two first entries and the manifest.
    const before = await zipWriter('deflated');
    await before.addStream('files/notices/a.eml', Readable.from([TEXT]), AT);
    before.addBytes('files/litigation/b.pdf', PDF, AT);
    before.addBytes('manifest.json', Buffer.from('{"a":1}\n'), AT);
    const file = await before.finish();
    file.dispose();
    expect(file.sha256).toBe('2988534d2ea3145f0d6887de15395bca534f05a72652acc33a072f3b771a0aa5');
  });
});
