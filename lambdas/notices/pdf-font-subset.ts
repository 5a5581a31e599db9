/**
 * A letter's font subset (fontkit's TTFSubset, which pdf-lib embeds) encoded to the bytes fontkit's
 * own encoder writes, without it. fontkit encodes every table of the subset field by field through
 * its generic structure encoder, each time: the hinting tables DejaVu carries (cvt, prep, fpgm: ~2,000
 * numbers) and the fixed headers cost more than the glyphs themselves, about 3 ms per letter. Here
 * those tables are taken once per font from fontkit's encoding of a reference subset (only glyph 0),
 * and each subset writes only what varies: the glyphs (fontkit's own _addGlyph collects them, with
 * composite glyphs' components), their offsets (loca) and metrics (hmtx), and the three counts the
 * headers carry (head.indexToLocFormat, hhea.numberOfMetrics, maxp.numGlyphs), exactly as
 * TTFSubset.encode sets them. The layout is fontkit's: an sfnt directory ('true', no checksums),
 * then the tables in its order, unpadded. test/notices/pdf-font-subset.test.ts compares the bytes
 * with fontkit's on the letters' subsets and on seeded random glyph sets.
 */

/** The parts of fontkit's TTFSubset used here (its fields as TTFSubset.encode leaves them). */
export interface TtfSubset {
  glyphs: number[];
  glyf: Uint8Array[];
  offset: number;
  loca: { offsets: number[] };
  hmtx: { metrics: { advance: number; bearing: number }[]; bearings: number[] };
  _addGlyph(gid: number): number;
  encodeStream(): { on(event: string, listener: (arg?: unknown) => void): unknown };
}

/** The bytes fontkit's encodeStream() gives for a subset. */
export function fontkitSubsetBytes(subset: TtfSubset): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const stream = subset.encodeStream();
    stream.on('data', (bytes) => parts.push(bytes as Uint8Array));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

interface Reference {
  header: Buffer;
  tables: { tag: string; checkSum: number; bytes: Buffer }[];
}

const VARIABLE = new Set(['loca', 'glyf', 'hmtx']);

/** The directory and tables of fontkit's encoding of a subset, or undefined when they are not the TrueType ones expected. */
function readReference(bytes: Uint8Array): Reference | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'true') return undefined;
  const n = b.readUInt16BE(4);
  const tables: Reference['tables'] = [];
  let expected = 12 + 16 * n;
  for (let i = 0; i < n; i++) {
    const at = 12 + 16 * i;
    const [tag, checkSum, offset, length] = [b.toString('latin1', at, at + 4), b.readUInt32BE(at + 4), b.readUInt32BE(at + 8), b.readUInt32BE(at + 12)];
    // fontkit writes the tables back to back in directory order.
    if (offset !== expected) return undefined;
    expected += length;
    tables.push({ tag, checkSum, bytes: Buffer.from(b.subarray(offset, offset + length)) });
  }
  if (expected !== b.length) return undefined;
  const size = (tag: string) => tables.find((t) => t.tag === tag)?.bytes.length;
  if (size('head') !== 54 || size('hhea') !== 36 || (size('maxp') ?? 0) < 6 || !['loca', 'glyf', 'hmtx'].every((t) => size(t) !== undefined)) return undefined;
  return { header: Buffer.from(b.subarray(0, 12)), tables };
}

/**
 * The encoder of one font's subsets, built from fontkit's encoding of `reference` (a fresh subset of
 * the font: glyph 0 only); undefined when that encoding is not the layout this module writes (the
 * caller keeps fontkit's encoder).
 */
export async function subsetEncoder(reference: TtfSubset): Promise<((subset: TtfSubset) => Uint8Array) | undefined> {
  const ref = readReference(await fontkitSubsetBytes(reference));
  if (!ref) return undefined;
  const encode = (subset: TtfSubset): Uint8Array => {
    // TTFSubset.encode's first half: the glyphs (components appended as they are met), their offsets and metrics.
    subset.glyf = [];
    subset.offset = 0;
    subset.loca = { offsets: [] };
    subset.hmtx = { metrics: [], bearings: [] };
    for (let i = 0; i < subset.glyphs.length; ) subset._addGlyph(subset.glyphs[i++]!);
    const offsets = subset.loca.offsets;
    offsets.push(subset.offset);
    // loca.preEncode: short offsets (halved) unless the last one exceeds 0xffff.
    const long = offsets[offsets.length - 1]! > 0xffff;
    const tables = ref.tables.map(({ tag, checkSum, bytes }) => {
      if (tag === 'glyf') return { tag, checkSum, bytes: Buffer.concat(subset.glyf) };
      if (tag === 'loca') {
        const out = Buffer.alloc(offsets.length * (long ? 4 : 2));
        offsets.forEach((o, i) => (long ? out.writeUInt32BE(o, 4 * i) : out.writeUInt16BE(o >>> 1, 2 * i)));
        return { tag, checkSum, bytes: out };
      }
      if (tag === 'hmtx') {
        const out = Buffer.alloc(subset.hmtx.metrics.length * 4);
        subset.hmtx.metrics.forEach((m, i) => {
          out.writeUInt16BE(m.advance, 4 * i);
          out.writeInt16BE(m.bearing, 4 * i + 2);
        });
        return { tag, checkSum, bytes: out };
      }
      if (VARIABLE.has(tag)) throw new Error(`unexpected table ${tag}`);
      const copy = Buffer.from(bytes);
      if (tag === 'head') copy.writeInt16BE(long ? 1 : 0, 50);
      else if (tag === 'hhea') copy.writeUInt16BE(subset.hmtx.metrics.length, 34);
      else if (tag === 'maxp') copy.writeUInt16BE(subset.glyf.length, 4);
      return { tag, checkSum, bytes: copy };
    });
    const directory = Buffer.alloc(16 * tables.length);
    let offset = 12 + directory.length;
    tables.forEach((t, i) => {
      directory.write(t.tag, 16 * i, 4, 'latin1');
      directory.writeUInt32BE(t.checkSum, 16 * i + 4);
      directory.writeUInt32BE(offset, 16 * i + 8);
      directory.writeUInt32BE(t.bytes.length, 16 * i + 12);
      offset += t.bytes.length;
    });
    return Buffer.concat([ref.header, directory, ...tables.map((t) => t.bytes)]);
  };
  return encode;
}
