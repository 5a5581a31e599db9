/**
 * dynalite stamps every answer with its CRC32 (x-amz-crc32, which the SDK checks) through
 * buffer-crc32, a byte-at-a-time JavaScript loop over the whole JSON answer: a Query answering a
 * page of dossiers is tens of KB. zlib's crc32 (Node >= 20.15, native) computes the same CRC-32
 * (IEEE, the same polynomial and initial value): dynalite's `crc32.unsigned(body)` calls get it.
 */
import * as path from 'node:path';
import * as zlib from 'node:zlib';

type Crc32 = { unsigned: ((...args: unknown[]) => number) & { native?: true } };

export function nativeDynaliteCrc32(): void {
  const native = (zlib as { crc32?: (data: string | Uint8Array, value?: number) => number }).crc32;
  if (typeof native !== 'function') return;
  // dynalite's own dependency (not ours, so knip.json ignores it as unlisted): the copy dynalite
  // resolves (it requires it when its module loads, and reads `unsigned` per answer).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crc32 = require(require.resolve('buffer-crc32', { paths: [path.dirname(require.resolve('dynalite'))] })) as Crc32;
  if (crc32.unsigned.native) return;
  const original = crc32.unsigned;
  crc32.unsigned = Object.assign(
    (...args: unknown[]) => {
      const [data] = args;
      // dynalite passes one string or Buffer; anything else keeps the original.
      return args.length === 1 && (typeof data === 'string' || Buffer.isBuffer(data)) ? native(data) : original(...args);
    },
    { native: true as const },
  );
}
