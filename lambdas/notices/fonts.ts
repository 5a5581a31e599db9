/**
 * The fonts embedded in every PDF letter: DejaVu Sans and DejaVu Sans Bold (a free Unicode font,
 * package dejavu-fonts-ttf). Embedding a Unicode font lets names be printed exactly as given
 * (Ł, ő, ø, Ş, Greek, Cyrillic...), and embedded fonts are what long-term archiving needs (a PDF
 * that relies on the reader's Helvetica renders differently in twenty years).
 *
 * Where the files are found, in order:
 * - AMIABLE_FONT_DIR, when set;
 * - `fonts/` next to the running code: the Lambda bundle, where lib/handler-function.ts copies the
 *   two files after esbuild (fontCopyCommands);
 * - the dejavu-fonts-ttf package in node_modules (local mode and tests run the sources with tsx).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
export type FontWeight = keyof typeof FONT_FILES;

/** The directories searched for the font files, in order (exported for the bundling test). */
export function fontDirectories(): string[] {
  const dirs: string[] = [];
  if (process.env.AMIABLE_FONT_DIR) dirs.push(process.env.AMIABLE_FONT_DIR);
  dirs.push(join(__dirname, 'fonts'));
  try {
    dirs.push(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
  } catch {
    // Not installed (the Lambda bundle ships the files in fonts/ instead).
  }
  return dirs;
}

const cache = new Map<FontWeight, Uint8Array>();

export function fontBytes(weight: FontWeight): Uint8Array {
  const known = cache.get(weight);
  if (known) return known;
  const file = FONT_FILES[weight];
  const dirs = fontDirectories();
  const dir = dirs.find((d) => existsSync(join(d, file)));
  if (!dir) throw new Error(`font ${file} not found (looked in ${dirs.join(', ')}); set AMIABLE_FONT_DIR`);
  const bytes = new Uint8Array(readFileSync(join(dir, file)));
  cache.set(weight, bytes);
  return bytes;
}
