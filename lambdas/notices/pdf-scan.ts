/**
 * A minimal, synchronous text scan of the PDFs this module writes (pdf-lib, embedded Unicode fonts,
 * saved without object streams): for each page, the fonts its resources name, each font's
 * ToUnicode CMap, then the text shown by each Tj operator of the page's content streams, decoded
 * through the CMap of the font selected by the last Tf. Enough for the checker to verify, on the
 * bytes, that the mentions made it into the PDF; not a general PDF text extractor (tests use
 * pdfjs-dist for that). Strings shown with a font that has no ToUnicode are decoded as WinAnsi.
 */
import { inflateSync } from 'node:zlib';

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

interface PdfObject {
  dict: string;
  /** The stream's bytes as stored (inflated on first use: streamOf). */
  raw?: Buffer;
  stream?: Buffer;
}

/**
 * An object's stream, inflated on first use. The scan reads the page contents and the ToUnicode
 * CMaps only: the embedded font programs (FontFile2, most of a letter's bytes) are never inflated.
 */
function streamOf(obj: PdfObject | undefined): Buffer | undefined {
  if (!obj?.raw) return obj?.stream;
  const raw = obj.raw;
  obj.raw = undefined;
  try {
    obj.stream = /\/FlateDecode/.test(obj.dict) ? inflateSync(raw) : raw;
  } catch {
    obj.stream = raw;
  }
  return obj.stream;
}

/** Every "n 0 obj ... endobj" of the file, with its dictionary text and its stream (streamOf). */
function objects(buf: Buffer): Map<number, PdfObject> {
  const text = buf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    let dict = body;
    let raw: Buffer | undefined;
    if (s >= 0 && !body.slice(0, s).includes('endstream')) {
      dict = body.slice(0, s);
      let dataStart = start + s + 'stream'.length;
      if (text[dataStart] === '\r') dataStart++;
      if (text[dataStart] === '\n') dataStart++;
      // The dictionary's /Length says where the data ends (compressed data may end in 0x0A).
      const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
      const dataEnd = length ? dataStart + Number(length[1]) : text.lastIndexOf('endstream', end);
      raw = buf.subarray(dataStart, dataEnd);
    }
    out.set(Number(m[1]), { dict, raw });
    re.lastIndex = end;
  }
  return out;
}

/** A ToUnicode CMap's bfchar entries: code (hex) -> text. */
function parseCMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, uni] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const units: number[] = [];
      for (let i = 0; i + 4 <= uni!.length; i += 4) units.push(parseInt(uni!.slice(i, i + 4), 16));
      map.set(code!.toUpperCase(), String.fromCharCode(...units));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const a = parseInt(lo!, 16);
      const b = parseInt(hi!, 16);
      const d = parseInt(dst!, 16);
      for (let c = a; c <= b && c - a < 65536; c++) map.set(c.toString(16).toUpperCase().padStart(lo!.length, '0'), String.fromCharCode(d + c - a));
    }
  }
  return map;
}

const ref = (text: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(text);
  return m ? Number(m[1]) : null;
};

/** The text shown by each Tj operator, page by page, in drawing order. */
export function scanPdfText(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const objs = objects(buf);
  const cmaps = new Map<number, Map<string, string> | null>();
  const cmapOf = (fontObj: number): Map<string, string> | null => {
    if (!cmaps.has(fontObj)) {
      const font = objs.get(fontObj);
      const tu = font ? ref(font.dict, 'ToUnicode') : null;
      const stream = tu !== null ? streamOf(objs.get(tu)) : undefined;
      cmaps.set(fontObj, stream ? parseCMap(stream.toString('latin1')) : null);
    }
    return cmaps.get(fontObj) ?? null;
  };
  const pieces: string[] = [];
  for (const [, obj] of objs) {
    if (!/\/Type\s*\/Page\b(?!s)/.test(obj.dict)) continue;
    // Resources inline or by reference; its /Font dictionary maps names to font objects.
    let resources = obj.dict;
    const resRef = ref(obj.dict, 'Resources');
    if (resRef !== null) resources = objs.get(resRef)?.dict ?? '';
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const fonts = new Map<string, number>();
    for (const [, name, num] of fontDict.matchAll(/\/([^\s/<>[\]()]+)\s+(\d+) 0 R/g)) fonts.set(name!, Number(num));
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(obj.dict)?.[1] ?? '';
    for (const [, num] of contents.matchAll(/(\d+) 0 R/g)) {
      const content = streamOf(objs.get(Number(num)))?.toString('latin1') ?? '';
      let cmap: Map<string, string> | null = null;
      for (const op of content.matchAll(/\/([^\s/<>[\]()]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>\s*Tj/g)) {
        if (op[1] !== undefined) {
          const f = fonts.get(op[1]);
          cmap = f !== undefined ? cmapOf(f) : null;
          continue;
        }
        const hex = (op[2] ?? '').replace(/\s+/g, '').toUpperCase();
        if (cmap) {
          let s = '';
          for (let i = 0; i + 4 <= hex.length; i += 4) s += cmap.get(hex.slice(i, i + 4)) ?? '\uFFFD';
          pieces.push(s);
        } else {
          pieces.push(decodeWinAnsi(Buffer.from(hex, 'hex')));
        }
      }
    }
  }
  return pieces;
}
