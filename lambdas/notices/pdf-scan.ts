/**
 * A minimal text scan of the PDFs this module writes (pdf-lib, standard fonts): inflates the content
 * streams and decodes the WinAnsi hex strings shown with Tj. Enough for the checker to verify that
 * the mentions made it into the PDF; not a general PDF text extractor (tests use pdfjs-dist for that).
 */
import { inflateSync } from 'node:zlib';

const STREAM = Buffer.from('stream');
const END = Buffer.from('endstream');
/** cp1252 0x80-0x9F (Node's TextDecoder may treat "windows-1252" as plain latin1 there). */
const CP1252_HIGH: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š',
  0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—',
  0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};

function decodeWinAnsi(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += CP1252_HIGH[b] ?? String.fromCharCode(b);
  return out;
}

/** The text shown by each Tj operator, in drawing order. */
export function scanPdfText(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pieces: string[] = [];
  let at = 0;
  for (;;) {
    const start = buf.indexOf(STREAM, at);
    if (start < 0) break;
    let dataStart = start + STREAM.length;
    if (buf[dataStart] === 0x0d) dataStart++;
    if (buf[dataStart] === 0x0a) dataStart++;
    const end = buf.indexOf(END, dataStart);
    if (end < 0) break;
    at = end + END.length;
    // "endstream" also contains "stream": skip matches that are not a stream start.
    if (start >= 3 && buf.subarray(start - 3, start).toString('latin1') === 'end') continue;
    const raw = buf.subarray(dataStart, end);
    let content: string;
    try {
      content = inflateSync(raw).toString('latin1');
    } catch {
      content = raw.toString('latin1');
    }
    for (const m of content.matchAll(/<([0-9A-Fa-f\s]*)>\s*Tj/g)) {
      const hex = (m[1] ?? '').replace(/\s+/g, '');
      pieces.push(decodeWinAnsi(Buffer.from(hex, 'hex')));
    }
  }
  return pieces;
}
