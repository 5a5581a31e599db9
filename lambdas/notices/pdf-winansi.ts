/**
 * Maps each character a font cannot draw to a safe equivalent instead of crashing or printing a
 * box. The PDF letters embed DejaVu Sans (pdf-letter.ts passes its character set, so Ł, ő, ø are
 * kept exactly and only what the font lacks — emoji, CJK — is replaced); without a charset, the
 * WinAnsi (cp1252) set of the standard PDF fonts is assumed.
 */

/**
 * The code points WinAnsiEncoding (cp1252) can encode: what pdf-lib's standard Helvetica and
 * Helvetica-Bold report as their character set (218 characters).
 */
export const WIN_ANSI_CODE_POINTS: ReadonlySet<number> = (() => {
  const set = new Set<number>();
  for (let c = 0x20; c <= 0x7e; c++) set.add(c);
  for (let c = 0xa0; c <= 0xff; c++) set.add(c);
  for (const ch of '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ') set.add(ch.codePointAt(0) as number);
  return set;
})();

/** Explicit substitutions, tried before the generic accent stripping. */
const SUBSTITUTES: Record<string, string> = {
  '\u202f': '\u00a0', // narrow no-break space (fr thousands separator) -> no-break space
  '\u2007': '\u00a0', // figure space
  '\u2060': '', // word joiner
  '\u200b': '', // zero-width space
  '\ufeff': '',
  '\u2010': '-',
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-',
  '\u2015': '\u2014',
  '\u2212': '-', // minus sign
  '\u2032': "'",
  '\u2033': '"',
  '\u2190': '<-',
  '\u2192': '->',
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2116': 'No',
  '\u2713': 'v',
  '\u0141': 'L', // Ł (no canonical decomposition)
  '\u0142': 'l',
  '\u0110': 'D', // Đ
  '\u0111': 'd',
  '\u0131': 'i', // dotless i
  '\u0126': 'H',
  '\u0127': 'h',
};

/**
 * Returns the text with every character encodable by a font whose character set is `charset`
 * (code points, as given by pdf-lib's PDFFont.getCharacterSet()). Line breaks are kept as "\n".
 */
export function toWinAnsi(text: string, charset: ReadonlySet<number> = WIN_ANSI_CODE_POINTS): string {
  if (printableAsIs(text, charset)) return text;
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    out += mapChar(ch, charset);
  }
  return out;
}

/**
 * Whether every character of the text is one mapChar keeps as it is (a line break, or a code point
 * of the charset that is not a control or line separator): most of the letters' lines, returned
 * without building a copy character by character. A surrogate (a character beyond the BMP) or a
 * carriage return takes the full path.
 */
function printableAsIs(text: string, charset: ReadonlySet<number>): boolean {
  const keep = keptAsIs(charset);
  for (let i = 0; i < text.length; i++) if (keep[text.charCodeAt(i)] === 0) return false;
  return true;
}

/** Per charset (sets never changed once made: WinAnsi, the fonts'), a table of the UTF-16 code units printableAsIs keeps (1) or not (0). */
const keptTables = new WeakMap<ReadonlySet<number>, Uint8Array>();
function keptAsIs(charset: ReadonlySet<number>): Uint8Array {
  let table = keptTables.get(charset);
  if (!table) {
    table = new Uint8Array(0x10000);
    for (const c of charset) {
      // A line break is kept; controls, C1, line and paragraph separators and surrogates are not.
      if (c > 0xffff || c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) continue;
      table[c] = 1;
    }
    table[0x0a] = 1;
    keptTables.set(charset, table);
  }
  return table;
}

function mapChar(ch: string, charset: ReadonlySet<number>): string {
  if (ch === '\n') return '\n';
  const cp = ch.codePointAt(0) as number;
  if (cp === 0x09) return ' ';
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029) return ' ';
  if (charset.has(cp)) return ch;
  const sub = SUBSTITUTES[ch];
  if (sub !== undefined && [...sub].every((c) => charset.has(c.codePointAt(0) as number))) return sub;
  // Other Unicode spaces (en/em/thin/hair...) -> ordinary space.
  if (/\s/u.test(ch)) return ' ';
  // Accented letters outside cp1252 (ő, ł is not decomposable...) -> base letter.
  const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
  if (base && base !== ch && [...base].every((c) => charset.has(c.codePointAt(0) as number))) return base;
  return '?';
}
