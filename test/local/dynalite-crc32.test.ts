/**
 * dynalite's answer checksums (x-amz-crc32) come from zlib's native crc32 in local mode
 * (local/dynalite-crc32.ts): the same value as buffer-crc32's JavaScript loop, for any answer text.
 * Seeded: the seed is printed; AMIABLE_CRC_SEED=<seed> replays a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nativeDynaliteCrc32 } from '../../local/dynalite-crc32';

/** CRC-32 (IEEE 802.3, reflected 0xEDB88320), bit by bit: the reference. */
function reference(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const SEED = Number(process.env.AMIABLE_CRC_SEED ?? Date.now() % 1_000_000);

describe("dynalite's answer checksum", () => {
  it('is the CRC-32 buffer-crc32 computes, for strings and buffers', () => {
    nativeDynaliteCrc32();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crc32 = require('buffer-crc32') as { unsigned(data: string | Buffer): number & { native?: true } };
    expect((crc32.unsigned as { native?: true }).native).toBe(true);
    console.log(`dynalite-crc32: seed ${SEED} (replay: AMIABLE_CRC_SEED=${SEED})`);
    for (const text of ['', '{}', JSON.stringify({ Items: [{ pk: { S: 'D#é€😀' } }] })]) {
      expect(crc32.unsigned(text)).toBe(reference(Buffer.from(text, 'utf8')));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
        expect(crc32.unsigned(text)).toBe(reference(Buffer.from(text, 'utf8')));
        expect(crc32.unsigned(Buffer.from(text, 'utf8'))).toBe(reference(Buffer.from(text, 'utf8')));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
