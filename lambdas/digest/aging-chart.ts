/**
 * The aging chart of the digest: a PNG (pngjs, no scripts, no fonts from the host) sent as an
 * inline image, which every common mail client shows. Bars are the balances of the five buckets,
 * scaled to the largest; above each bar its share of the open balance, below it the bucket's
 * label, drawn with a small built-in 5x7 pixel font. Deterministic: the same figures give the same
 * bytes.
 */
import { PNG } from 'pngjs';
import type { Language } from '../domain/model';
import { ratio } from '../domain/portfolio';

export interface ChartBucket {
  label: string;
  cents: number;
}

const WIDTH = 560;
const HEIGHT = 230;
const BAR_TOP = 40;
const BAR_BOTTOM = 190;
const COLORS: [number, number, number][] = [
  [0x4c, 0x8c, 0x5a], // not yet due
  [0xe0, 0xb1, 0x2f], // 1-30
  [0xe0, 0x7a, 0x2f], // 31-60
  [0xd0, 0x45, 0x3c], // 61-90
  [0x8e, 0x1b, 0x1b], // 90+
];
const INK: [number, number, number] = [0x1f, 0x23, 0x28];
const RULE: [number, number, number] = [0xd0, 0xd7, 0xde];

/** 5x7 glyphs, rows top to bottom; only the characters the chart prints. */
const GLYPHS: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  '%': ['11001', '11010', '00010', '00100', '01000', '01011', '10011'],
  '-': ['00000', '00000', '00000', '11111', '00000', '00000', '00000'],
  '+': ['00000', '00100', '00100', '11111', '00100', '00100', '00000'],
  ',': ['00000', '00000', '00000', '00000', '00110', '00100', '01000'],
  '.': ['00000', '00000', '00000', '00000', '00000', '01100', '01100'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
  N: ['10001', '11001', '10101', '10011', '10001', '10001', '10001'],
  O: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  C: ['01110', '10001', '10000', '10000', '10000', '10001', '01110'],
  H: ['10001', '10001', '10001', '11111', '10001', '10001', '10001'],
  U: ['10001', '10001', '10001', '10001', '10001', '10001', '01110'],
  T: ['11111', '00100', '00100', '00100', '00100', '00100', '00100'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  J: ['00111', '00010', '00010', '00010', '00010', '10010', '01100'],
};

/** The chart's labels of the five buckets, in the digest's language. */
export function chartLabels(language: Language): string[] {
  return [language === 'fr' ? 'NON ECHU' : 'NOT DUE', '1-30 J', '31-60 J', '61-90 J', '90+ J'].map((l) => (language === 'fr' ? l : l.replace(' J', '')));
}

/** Share of the total, one decimal, "12,5 %" (fr) or "12.5%" (en); "0" when the total is zero. */
export function share(cents: number, total: number, language: Language): string {
  const pct = total > 0 ? ratio(BigInt(cents) * 100n, BigInt(total), 1) : '0.0';
  return language === 'fr' ? `${pct.replace('.', ',')} %` : `${pct}%`;
}

export function agingChartPng(buckets: readonly ChartBucket[], language: Language): Buffer {
  const png = new PNG({ width: WIDTH, height: HEIGHT, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.alloc(WIDTH * HEIGHT * 4, 0xff);
  const set = (x: number, y: number, [r, g, b]: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) return;
    const i = (y * WIDTH + x) * 4;
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = 0xff;
  };
  const rect = (x0: number, y0: number, w: number, h: number, c: [number, number, number]) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, c);
  };
  const text = (s: string, cx: number, y: number, scale: number) => {
    const glyphs = [...s.toUpperCase()].map((ch) => GLYPHS[ch] ?? GLYPHS[' ']);
    const width = glyphs.length * 6 * scale - scale;
    let x = Math.round(cx - width / 2);
    for (const g of glyphs) {
      g.forEach((row, gy) => [...row].forEach((bit, gx) => bit === '1' && rect(x + gx * scale, y + gy * scale, scale, scale, INK)));
      x += 6 * scale;
    }
  };

  const total = buckets.reduce((s, b) => s + b.cents, 0);
  const max = Math.max(0, ...buckets.map((b) => b.cents));
  const slot = Math.floor((WIDTH - 40) / buckets.length);
  const barWidth = Math.floor(slot * 0.6);
  rect(20, BAR_BOTTOM, WIDTH - 40, 2, RULE);
  buckets.forEach((b, i) => {
    const cx = 20 + slot * i + Math.floor(slot / 2);
    const h = max > 0 ? Math.round(((BAR_BOTTOM - BAR_TOP) * b.cents) / max) : 0;
    rect(cx - Math.floor(barWidth / 2), BAR_BOTTOM - h, barWidth, h, COLORS[i % COLORS.length]);
    text(share(b.cents, total, language).replace('\u00a0', ' '), cx, BAR_BOTTOM - h - 20, 2);
    text(b.label, cx, BAR_BOTTOM + 12, 2);
  });
  return PNG.sync.write(png, { colorType: 2 });
}
