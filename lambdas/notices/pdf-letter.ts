/**
 * Letter -> A4 PDF (pdf-lib) with embedded Unicode fonts (DejaVu Sans and Sans Bold, subset: only
 * the glyphs used), so that names are printed exactly as given (Ł, ő, ø...) and the fonts travel
 * with the document for long-term archiving. A character neither font has (an emoji, a CJK
 * ideograph) is replaced by its nearest printable form or "?", the same way for the drawing and for
 * the checker (pdfSafeText). Text is wrapped to the column and paginated with a running footer;
 * blocks that must not be split (the payment details) move to the next page whole. Deterministic:
 * the document dates are the sending instant, the producer and font names are fixed, so the same
 * input gives the same bytes (for a given Node build: its streams are deflated by node:zlib).
 */
import { deflateSync } from 'node:zlib';
import type { Color, PDFContext, PDFDocument, PDFFont, PDFName, PDFPage } from 'pdf-lib';
import type { IsoInstant } from '../domain/model';
import { fontBytes } from './fonts';
import { labelSeparator, quoteMarks, type Block, type Letter } from './letter';
import { subsetEncoder, type TtfSubset } from './pdf-font-subset';
import { plainLayout } from './pdf-plain-layout';
import { lineOperators } from './pdf-text-operators';
import { toWinAnsi } from './pdf-winansi';

export const PDF_PRODUCER = 'Amiable notices (pdf-lib 1.17, DejaVu Sans)';

/** PDF base font names: a fixed subset tag (pdf-lib would draw a random one) keeps bytes stable. */
const FONT_NAMES = { regular: 'AMIREG+DejaVuSans', bold: 'AMIBLD+DejaVuSans-Bold' } as const;

type PdfLibs = typeof import('./pdf-libs');
let libs: PdfLibs | undefined;

/**
 * pdf-lib and fontkit (1.4 MB minified, most of a send Lambda's bundle), loaded on first use: in
 * a Lambda they are a file of their own next to index.js (SPLIT_MODULES, lib/handler-function.ts)
 * that only a send rendering a PDF reads, so no cold start parses them.
 */
export async function loadPdfLibs(): Promise<PdfLibs> {
  if (!libs) {
    const m = (await import('./pdf-libs.js')) as PdfLibs & { default?: PdfLibs };
    libs = m.PDFDocument ? m : (m.default as PdfLibs);
    GREY = libs.rgb(0.35, 0.35, 0.38);
    BLACK = libs.rgb(0, 0, 0);
  }
  return libs;
}

type Fontkit = PdfLibs['fontkit'];
type FontkitFont = ReturnType<Fontkit['create']>;

/** Layouts remembered per font (a letter measures the same lines many times, and letters share most of their text). */
const LAYOUT_MEMO_LIMIT = 8192;
const sharedFonts = new Map<Uint8Array, FontkitFont>();

/**
 * The fontkit pdf-lib is given: one parsed font per font file for the life of the process (a
 * warm Lambda container, local mode), whose text layouts are remembered. Laying text out (GSUB and
 * GPOS lookups over DejaVu's tables) was most of a mise en demeure's send: wrap() measures every
 * growing prefix of a paragraph, then draws the line it kept, and every letter re-parsed both
 * fonts. pdf-lib reads only the laid-out glyphs (their ids, and advance widths for measuring), so
 * a remembered layout is the same glyphs: the bytes do not change (test/notices/pdf.test.ts). The
 * subset embedded stays per document (pdf-lib asks the font for a new subset each time).
 */
function sharedFontkit(fontkit: Fontkit): Fontkit {
  return {
    ...fontkit,
    create(data: Uint8Array, postscriptName?: string) {
      if (postscriptName !== undefined) return fontkit.create(data, postscriptName);
      let font = sharedFonts.get(data);
      if (!font) {
        font = fontkit.create(data);
        const layout = font.layout.bind(font);
        const memo = new Map<string, { glyphs: unknown[] }>();
        const plain = plainLayout<{ id: number; codePoints: number[] }>(font as never, { ligatures: true });
        // wrapByWords' exact sums need one glyph per character: no ligature.
        (font as unknown as PlainFont)[PLAIN] = plainLayout(font as never, { ligatures: false });
        font.layout = ((text: string, features?: unknown, ...rest: unknown[]) => {
          if (typeof text !== 'string' || features !== undefined || rest.length > 0) return layout(...([text, features, ...rest] as unknown as Parameters<typeof layout>));
          // Text no substitution can touch: its cmap glyphs, as fontkit would give them (pdf-plain-layout.ts).
          const glyphs = plain(text);
          if (glyphs) return { glyphs };
          let run = memo.get(text);
          if (!run) {
            if (memo.size >= LAYOUT_MEMO_LIMIT) memo.delete(memo.keys().next().value!);
            run = { glyphs: layout(text).glyphs };
            memo.set(text, run);
          }
          return run;
        }) as typeof font.layout;
        skipPositioning(font);
        rememberGlyphOutlines(font);
        sharedFonts.set(data, font);
      }
      return font;
    },
  } as Fontkit;
}

/** The plain layout of a shared font (pdf-plain-layout.ts), kept on it for wrapByWords. */
const PLAIN = Symbol('plain layout');
type PlainFont = { [PLAIN]?: (text: string) => unknown[] | undefined };

/**
 * pdf-lib reads only the glyphs of a layout (their ids and advance widths, CustomFontEmbedder and
 * CustomFontSubsetEmbedder), never its positions: the GPOS pass (mark placement, kerning) of every
 * layout was about half of its cost, for numbers nobody reads. fontkit substitutes (GSUB) before it
 * positions, and hides default ignorables after from the glyphs' code points alone; the one thing
 * its OpenType engine's positioning does to the glyphs is to reverse a right-to-left run (Hebrew,
 * Arabic), kept here. Only on the shared font, whose layouts only pdf-lib consumes, and only with
 * the OpenType engine (DejaVu's: GSUB and GPOS tables, no morx).
 */
function skipPositioning(font: FontkitFont): void {
  const layoutEngine = (font as unknown as { _layoutEngine?: { position?: unknown; engine?: { zeroMarkAdvances?: unknown } } })._layoutEngine;
  if (typeof layoutEngine?.position !== 'function' || typeof layoutEngine.engine?.zeroMarkAdvances !== 'function') return;
  layoutEngine.position = (run: { glyphs: unknown[]; positions: unknown[]; direction: string }) => {
    run.positions = run.glyphs.map(() => ({ xAdvance: 0, yAdvance: 0, xOffset: 0, yOffset: 0 }));
    if (run.direction === 'rtl') run.glyphs.reverse();
  };
}

/**
 * Each document's subset (fontkit's TTFSubset) decodes the outline of every glyph it includes only
 * to learn whether the glyph is composite, and which components it has; the shared font's glyphs
 * are the same objects for the life of the process, so each decodes its outline once. The
 * decoded outline is read, never written, by the subset (the glyph bytes are copied from the glyf table).
 */
function rememberGlyphOutlines(font: FontkitFont): void {
  const f = font as unknown as { getGlyph(id: number, codePoints?: number[]): { _decode?: () => unknown; outlineRemembered?: true } };
  const getGlyph = f.getGlyph.bind(f);
  f.getGlyph = (id, codePoints) => {
    const glyph = getGlyph(id, codePoints);
    if (!glyph.outlineRemembered && typeof glyph._decode === 'function') {
      const decode = glyph._decode.bind(glyph);
      let decoded: { value: unknown } | undefined;
      glyph._decode = () => (decoded ??= { value: decode() }).value;
      glyph.outlineRemembered = true;
    }
    return glyph;
  };
}

let charset: ReadonlySet<number> | undefined;

/**
 * The code points both embedded fonts can draw. Synchronous for the checker, which only maps PDF
 * text after the PDF was rendered: the libraries are loaded. Asked of the PDF libraries' module
 * (fontsCharset, through pdf-libs.ts): in a Lambda this file is bundled twice, into index.js (the
 * checker) and into the split pdf-libs.js (the renderer), each copy with its own state; the set comes
 * from the fonts the renderer parsed, so index.js parses no font.
 */
export function pdfCharset(): ReadonlySet<number> {
  if (!charset) {
    if (!libs) throw new Error('pdfCharset() needs the PDF libraries: await loadPdfLibs() (renderPdfLetter does) first');
    charset = libs.letterCharset();
  }
  return charset;
}

let fontsCharsetMemo: ReadonlySet<number> | undefined;

/** The code points both fonts have, from the process's shared parsed fonts (the renderer's). */
export function fontsCharset(fontkit: Fontkit): ReadonlySet<number> {
  if (!fontsCharsetMemo) {
    const shared = sharedFontkit(fontkit);
    const [regular, bold] = (['regular', 'bold'] as const).map((w) => new Set<number>(shared.create(fontBytes(w)).characterSet));
    fontsCharsetMemo = new Set([...regular!].filter((cp) => bold!.has(cp)));
  }
  return fontsCharsetMemo;
}

/** The text exactly as the PDF prints it (characters the fonts lack mapped to a printable form). */
export function pdfSafeText(text: string): string {
  return toWinAnsi(text, pdfCharset());
}

/** The running footer ends with "page i/n"; the checker leaves these lines out of the body text. */
export const FOOTER_PATTERN = /(?:^| – )page \d+\/\d+$/;

const A4: [number, number] = [595.28, 841.89];
const MARGIN_X = 56;
const MARGIN_TOP = 56;
const MARGIN_BOTTOM = 64;
const BODY = 10;
const SMALL = 8;
const LEADING = 1.35;
const AMOUNT_COL = 110;
// Set by loadPdfLibs (rgb() is pdf-lib's); every use follows a render's load.
let GREY: Color;
let BLACK: Color;

export interface PdfMeta {
  title: string;
  subject: string;
  author: string;
  /** Creation and modification date of the document. */
  date: IsoInstant;
}

export async function renderPdfLetter(letter: Letter, meta: PdfMeta): Promise<Uint8Array> {
  const { PDFDocument } = await loadPdfLibs();
  const doc = await PDFDocument.create({ updateMetadata: false });
  const date = new Date(meta.date);
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid PDF date: ${meta.date}`);
  doc.setTitle(meta.title);
  doc.setSubject(meta.subject);
  doc.setAuthor(meta.author);
  doc.setCreator('Amiable');
  doc.setProducer(PDF_PRODUCER);
  doc.setLanguage(letter.language === 'fr' ? 'fr-FR' : 'en-GB');
  doc.setCreationDate(date);
  doc.setModificationDate(date);

  nativeFlate(doc.context);
  const { regular, bold } = await embedLetterFonts(doc);
  const w = new Writer(doc, regular, bold);
  w.letter(letter);
  w.footers(letter.footer ?? '');
  compressContentStreams(doc.context);
  // Without object streams, every object is top-level: pdf-scan.ts reads the text back synchronously.
  return doc.save({ useObjectStreams: false });
}

/** The letters' two fonts in `doc`, subset, over the process's shared parsed fonts. */
export async function embedLetterFonts(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  const { fontkit } = await loadPdfLibs();
  doc.registerFontkit(sharedFontkit(fontkit));
  const regular = await doc.embedFont(fontBytes('regular'), { subset: true, customName: FONT_NAMES.regular });
  const bold = await doc.embedFont(fontBytes('bold'), { subset: true, customName: FONT_NAMES.bold });
  await Promise.all([fastSubset(regular), fastSubset(bold)]);
  rememberGlyphCodes(regular);
  rememberGlyphCodes(bold);
  return { regular, bold };
}

interface TextEmbedder {
  font: { layout(text: string, features?: unknown): { glyphs: { id: number }[] } };
  fontFeatures?: unknown;
  subset?: { includeGlyph(glyph: { id: number }): number };
  glyphs: unknown[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
  encodeText(text: string): unknown;
}

/**
 * pdf-lib's CustomFontSubsetEmbedder.encodeText, with each glyph's code (its id in this document's
 * subset, 4 hex digits) remembered: a glyph is included in the subset, listed for the ToUnicode map
 * and formatted once per document instead of at every occurrence. Including a glyph again changes
 * nothing in the subset, and the font gives one object per glyph id: same subset, same codes, same
 * bytes (test/notices/pdf-encode-text.test.ts compares with pdf-lib's own encodeText).
 */
function rememberGlyphCodes(font: PDFFont): void {
  const e = (font as unknown as { embedder: TextEmbedder }).embedder;
  if (typeof e.subset?.includeGlyph !== 'function' || !(e.glyphIdMap instanceof Map) || !Array.isArray(e.glyphs) || typeof e.glyphCache?.invalidate !== 'function') return;
  const { PDFHexString } = libs!;
  const codes = new Map<number, string>();
  e.encodeText = (text: string) => {
    const glyphs = e.font.layout(text, e.fontFeatures).glyphs;
    let hex = '';
    for (const glyph of glyphs) {
      let code = codes.get(glyph.id);
      if (code === undefined) {
        const subsetId = e.subset!.includeGlyph(glyph);
        e.glyphs[subsetId - 1] = glyph;
        e.glyphIdMap.set(glyph.id, subsetId);
        // pdf-lib's toHexStringOfMinLength(subsetId, 4).
        code = subsetId.toString(16).padStart(4, '0').toUpperCase();
        codes.set(glyph.id, code);
      }
      hex += code;
    }
    e.glyphCache.invalidate();
    return PDFHexString.of(hex);
  };
}

interface SubsetEmbedder {
  font: { createSubset(): TtfSubset };
  subset?: TtfSubset;
  serializeFont(): Promise<Uint8Array>;
}
/** Each shared font's subset encoder (pdf-font-subset.ts), built once per process. */
const subsetEncoders = new Map<object, ReturnType<typeof subsetEncoder>>();

/**
 * The font's subset, at save, encoded by pdf-font-subset.ts (the bytes fontkit's encoder writes,
 * without re-encoding the font's fixed tables for every letter). pdf-lib's embedder serialises
 * its subset in serializeFont (CustomFontSubsetEmbedder); only this document's embedder is changed.
 * The bytes depend only on the font and the glyphs in subset order: a recent subset with the same
 * glyphs (about half of a run's letters: one template, similar names) gives its bytes, and their
 * deflated form (nativeFlate), again.
 */
async function fastSubset(font: PDFFont): Promise<void> {
  const embedder = (font as unknown as { embedder: SubsetEmbedder }).embedder;
  if (!embedder.subset) return;
  let encoder = subsetEncoders.get(embedder.font);
  if (!encoder) subsetEncoders.set(embedder.font, (encoder = subsetEncoder(embedder.font.createSubset())));
  const encode = await encoder;
  if (!encode) return;
  let memo = subsetMemos.get(embedder.font);
  if (!memo) subsetMemos.set(embedder.font, (memo = new Map()));
  const remembered = memo;
  embedder.serializeFont = async () => {
    const subset = embedder.subset!;
    // The glyphs in subset order decide the bytes (composite glyphs' components are appended in encoding).
    const key = subset.glyphs.join(',');
    let bytes = remembered.get(key);
    if (bytes) remembered.delete(key);
    else {
      bytes = encode(subset);
      if (remembered.size >= SUBSET_MEMO_LIMIT) remembered.delete(remembered.keys().next().value!);
      rememberedSubsets.add(bytes);
    }
    remembered.set(key, bytes);
    return bytes;
  };
}

/** Recent subsets' bytes per shared font, by their glyphs in subset order (least recently used out first). */
const SUBSET_MEMO_LIMIT = 32;
const subsetMemos = new Map<object, Map<string, Uint8Array>>();
/** The remembered subsets' bytes, whose deflated form nativeFlate remembers too. */
const rememberedSubsets = new WeakSet<Uint8Array>();
const deflatedSubsets = new WeakMap<Uint8Array, Buffer>();

/**
 * pdf-lib deflates every stream with pako (pure JavaScript): each page's content stream, and at
 * save the font subsets and their ToUnicode CMaps. node:zlib deflates the same data natively, several
 * times faster (pako was about a fifth of a letter's PDF CPU), into the same zlib format FlateDecode
 * reads (ISO 32000-1 7.4.4), at the same level (6). Its bytes are deterministic for a given Node
 * build, not across zlib releases: a litigation PDF rendered again after a runtime update differs
 * from its record, and services/litigation.ts then establishes it again, as after any software change.
 */
function nativeFlate(context: PDFContext): void {
  // Fonts and CMaps, at save (CustomFontEmbedder): this document's context only.
  context.flateStream = (contents, dict = {}) => {
    if (typeof contents === 'string') return context.stream(deflatedCmap(contents), { ...dict, Filter: 'FlateDecode' });
    const subset = rememberedSubsets.has(contents) ? contents : undefined;
    let deflated = subset && deflatedSubsets.get(subset);
    if (!deflated) {
      deflated = deflateSync(contents);
      if (subset) deflatedSubsets.set(subset, deflated);
    }
    return context.stream(deflated, { ...dict, Filter: 'FlateDecode' });
  };
}

/** Recent ToUnicode CMaps deflated, by their text (least recently used out first). */
const CMAP_MEMO_LIMIT = 32;
const deflatedCmaps = new Map<string, Buffer>();

/**
 * A font's ToUnicode CMap (the only stream pdf-lib hands flateStream as text), deflated: its text
 * depends only on the subset's glyphs, so a recent one with the same glyphs (most of a run's
 * letters and litigation dossiers: one template, similar names and amounts) gives the same bytes
 * again, deflated once. The same input to the same deflateSync: the same bytes.
 */
function deflatedCmap(text: string): Buffer {
  let deflated = deflatedCmaps.get(text);
  if (deflated) deflatedCmaps.delete(text);
  else {
    deflated = deflateSync(text);
    if (deflatedCmaps.size >= CMAP_MEMO_LIMIT) deflatedCmaps.delete(deflatedCmaps.keys().next().value!);
  }
  deflatedCmaps.set(text, deflated);
  return deflated;
}

/**
 * Pages' content streams, once everything is drawn: each PDFContentStream (pdf-lib would deflate it
 * with pako when writing) becomes the raw stream of its operators deflated by node:zlib, under the
 * same reference and dictionary (which already says /FlateDecode; the writer sets /Length).
 */
function compressContentStreams(context: PDFContext): void {
  const { PDFContentStream, PDFRawStream } = libs!;
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (object instanceof PDFContentStream) context.assign(ref, PDFRawStream.of(object.dict, deflateSync(object.getUnencodedContents())));
  }
}

/** drawText's operators for a line, from shared parts (pdf-text-operators.ts); made on the first line drawn. */
let lineOps: ReturnType<typeof lineOperators> | undefined;

class Writer {
  private page!: PDFPage;
  private y = 0;
  private readonly pages: PDFPage[] = [];
  /** While measuring, nothing is drawn and no page is added: only y moves. */
  private measuring = false;
  private readonly width = A4[0] - 2 * MARGIN_X;
  private quotes: [string, string] = ['"', '"'];
  /** The name each font has in each page's resources (text). */
  private readonly fontNames = new Map<PDFPage, Map<PDFFont, PDFName>>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  letter(letter: Letter): void {
    const sep = labelSeparator(letter.language);
    this.quotes = quoteMarks(letter.language);
    if (letter.letterhead) {
      const top = this.y;
      this.lines(letter.letterhead.sender, { x: MARGIN_X, width: this.width / 2 - 12 });
      const afterSender = this.y;
      this.y = top - 2 * BODY * LEADING;
      this.lines(letter.letterhead.recipient, { x: MARGIN_X + this.width / 2 + 12, width: this.width / 2 - 12 });
      this.y = Math.min(afterSender, this.y) - BODY;
    }
    if (letter.title) {
      this.space(8);
      this.centered(letter.title, 16);
      this.space(10);
    }
    for (const f of letter.references) this.paragraph(`${f.label}${sep}${f.value}`);
    if (letter.references.length) this.space(6);
    if (letter.object) {
      this.paragraph(letter.object, { font: this.bold });
      this.space(6);
    }
    this.paragraph(letter.greeting);
    this.space(6);
    for (const block of letter.blocks) {
      this.block(block, sep);
      this.space(6);
    }
    this.paragraph(letter.closing);
    this.space(10);
    if (letter.placeDate) {
      this.paragraph(letter.placeDate);
      this.space(6);
    }
    this.lines(letter.signature, { font: this.bold });
  }

  footers(text: string): void {
    const total = this.pages.length;
    this.pages.forEach((page, i) => {
      const label = `${text}${text ? ' – ' : ''}page ${i + 1}/${total}`;
      const safe = this.safe(label, this.regular);
      const width = this.regular.widthOfTextAtSize(safe, SMALL);
      this.text(page, safe, (A4[0] - width) / 2, MARGIN_BOTTOM / 2, this.regular, SMALL, GREY);
    });
  }

  private block(block: Block, sep: string): void {
    switch (block.type) {
      case 'paragraph':
        this.paragraph(block.text, { font: block.emphasis ? this.bold : this.regular });
        return;
      case 'heading':
        this.space(4);
        this.ensure(BODY * LEADING * 3);
        this.paragraph(block.text, { font: this.bold, size: 11 });
        return;
      case 'list':
        for (const item of block.items) {
          const lines = this.wrap(item, this.regular, BODY, this.width - 14);
          this.ensure(lines.length * BODY * LEADING);
          this.drawAt('-', MARGIN_X + 2, this.regular, BODY);
          lines.forEach((l, i) => {
            if (i > 0) this.ensure(BODY * LEADING);
            this.drawAt(l, MARGIN_X + 14, this.regular, BODY);
            this.y -= BODY * LEADING;
          });
        }
        return;
      case 'fields':
        for (const f of block.rows) this.paragraph(`${f.label}${sep}${f.value}`, { x: MARGIN_X + 8, width: this.width - 8 });
        return;
      case 'amounts':
        this.amounts(block.rows);
        return;
      case 'table':
        this.table(block);
        return;
      case 'quote':
        this.paragraph(block.title, { font: this.bold });
        for (const p of block.paragraphs) {
          this.space(2);
          this.paragraph(`${this.quotes[0]}${p}${this.quotes[1]}`, { x: MARGIN_X + 14, width: this.width - 28, size: 9 });
        }
        return;
      case 'link':
        this.paragraph(`${block.label} ${block.url}`);
        return;
      case 'group': {
        // Kept on one page: when it does not fit in what is left of this one, it starts the next.
        const height = this.measure(() => this.blocks(block.blocks, sep));
        this.ensure(height);
        this.blocks(block.blocks, sep);
        return;
      }
    }
  }

  private blocks(blocks: Block[], sep: string): void {
    blocks.forEach((b, i) => {
      if (i > 0) this.space(6);
      this.block(b, sep);
    });
  }

  /** The height `draw` would take, drawing nothing. */
  private measure(draw: () => void): number {
    const [y, was] = [this.y, this.measuring];
    this.measuring = true;
    try {
      draw();
      return y - this.y;
    } finally {
      this.y = y;
      this.measuring = was;
    }
  }

  private amounts(rows: { label: string; detail?: string; amount: string; total?: boolean }[]): void {
    const labelWidth = this.width - AMOUNT_COL - 8;
    for (const row of rows) {
      const font = row.total ? this.bold : this.regular;
      const labelLines = this.wrap(row.label, font, BODY, labelWidth);
      const detailLines = row.detail ? this.wrap(row.detail, this.regular, SMALL, labelWidth - 8) : [];
      const height = labelLines.length * BODY * LEADING + detailLines.length * SMALL * LEADING + 4;
      this.ensure(height + (row.total ? 4 : 0));
      if (row.total) {
        if (!this.measuring) {
          this.page.drawLine({
            start: { x: MARGIN_X, y: this.y + 2 },
            end: { x: MARGIN_X + this.width, y: this.y + 2 },
            thickness: 0.8,
            color: BLACK,
          });
        }
        this.y -= 4;
      }
      const amount = this.safe(row.amount, font);
      const amountWidth = font.widthOfTextAtSize(amount, BODY);
      this.drawAt(amount, MARGIN_X + this.width - amountWidth, font, BODY);
      for (const l of labelLines) {
        this.drawAt(l, MARGIN_X, font, BODY);
        this.y -= BODY * LEADING;
      }
      for (const l of detailLines) {
        this.drawAt(l, MARGIN_X + 8, this.regular, SMALL, GREY);
        this.y -= SMALL * LEADING;
      }
      this.y -= 4;
    }
  }

  private table(block: Extract<Block, { type: 'table' }>): void {
    const n = block.columns.length;
    const colWidth = this.width / n;
    const row = (cells: string[], font: PDFFont) => {
      const wrapped = cells.map((c) => this.wrap(c, font, BODY, colWidth - 8));
      const height = Math.max(...wrapped.map((l) => l.length)) * BODY * LEADING;
      this.ensure(height + 2);
      const top = this.y;
      wrapped.forEach((lines, i) => {
        this.y = top;
        for (const l of lines) {
          const right = block.columns[i]?.align === 'right';
          const x = right ? MARGIN_X + (i + 1) * colWidth - font.widthOfTextAtSize(l, BODY) - 4 : MARGIN_X + i * colWidth;
          this.drawAt(l, x, font, BODY);
          this.y -= BODY * LEADING;
        }
      });
      this.y = top - height - 2;
    };
    row(block.columns.map((c) => c.label), this.bold);
    for (const r of block.rows) row(r, this.regular);
    if (block.totalRow) row(block.totalRow, this.bold);
  }

  private paragraph(text: string, opts: { font?: PDFFont; size?: number; x?: number; width?: number } = {}): void {
    const font = opts.font ?? this.regular;
    const size = opts.size ?? BODY;
    const x = opts.x ?? MARGIN_X;
    for (const l of this.wrap(text, font, size, opts.width ?? this.width)) {
      this.ensure(size * LEADING);
      this.drawAt(l, x, font, size);
      this.y -= size * LEADING;
    }
  }

  private lines(lines: string[], opts: { font?: PDFFont; x?: number; width?: number }): void {
    for (const l of lines) this.paragraph(l, opts);
  }

  private centered(text: string, size: number): void {
    for (const l of this.wrap(text, this.bold, size, this.width)) {
      this.ensure(size * LEADING);
      const width = this.bold.widthOfTextAtSize(l, size);
      this.drawAt(l, MARGIN_X + (this.width - width) / 2, this.bold, size);
      this.y -= size * LEADING;
    }
  }

  /** Draws already-wrapped, already-safe text at the current baseline. */
  private drawAt(text: string, x: number, font: PDFFont, size: number, color = BLACK): void {
    if (!text || this.measuring) return;
    this.text(this.page, text, x, this.y - size, font, size, color);
  }

  /**
   * The operators PDFPage.drawText writes for one line of text (pdf-lib's own textOperators), with
   * the font named once per page. drawText with a font adds that font to the page's resources under
   * a new name on every call: the first page of a mise en demeure listed its two fonts 56 times,
   * each new name checked against all the others. The text, its
   * cleaning (tabs to spaces) and its encoding are drawText's; a line that cleaning would split
   * (a carriage return, a form feed) goes through drawText itself.
   */
  private text(page: PDFPage, text: string, x: number, y: number, font: PDFFont, size: number, color: Color): void {
    const { cleanText, degrees, lineSplit, textOperators } = libs!;
    const lines = lineSplit(cleanText(text));
    if (lines.length !== 1) {
      page.drawText(text, { x, y, size, font, color });
      return;
    }
    let names = this.fontNames.get(page);
    if (!names) this.fontNames.set(page, (names = new Map()));
    let name = names.get(font);
    if (!name) names.set(font, (name = page.node.newFontDictionary(font.name, font.ref)));
    const hex = font.encodeText(lines[0]!);
    lineOps ??= lineOperators(libs!);
    const none = degrees(0);
    page.pushOperators(...(lineOps(hex, { color, font: name, size, x, y }) ?? textOperators(hex, { color, font: name, size, rotate: none, xSkew: none, ySkew: none, x, y })));
  }

  private space(points: number): void {
    this.y -= points;
  }

  private ensure(height: number): void {
    if (this.measuring) return;
    if (this.y - height < MARGIN_BOTTOM) this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN_TOP;
  }

  /** The text as both fonts can draw it (the checker maps its needles with the same function). */
  private safe(text: string, _font: PDFFont): string {
    return pdfSafeText(text);
  }

  /** Printable lines no wider than maxWidth; breaks on spaces, hard-breaks overlong words. */
  private wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
    const out: string[] = [];
    for (const raw of this.safe(text, font).split('\n')) out.push(...wrapRemembered(raw, font, font === this.bold ? 'bold' : 'regular', size, maxWidth));
    return out;
  }
}

/** Lines of recent texts, by font, size, width and text; bounded. */
const WRAP_MEMO_LIMIT = 2048;
const wrapMemo = new Map<string, readonly string[]>();

/**
 * The lines of one line of text (wrapByWords', or wrapLine's when it gives up), remembered for the
 * process: most of a letter is its template's fixed text (the legal paragraphs), wrapped the same
 * way in every letter. Wrapping depends only on the text, the font's metrics (the process's shared
 * fonts, `fontKey`), the size and the width, so a remembered result is the same lines.
 */
function wrapRemembered(raw: string, font: PDFFont, fontKey: string, size: number, maxWidth: number): readonly string[] {
  const key = `${fontKey}\u0000${size}\u0000${maxWidth}\u0000${raw}`;
  let lines = wrapMemo.get(key);
  if (!lines) {
    if (wrapMemo.size >= WRAP_MEMO_LIMIT) wrapMemo.delete(wrapMemo.keys().next().value!);
    lines = wrapByWords(raw, font, fontKey, size, maxWidth) ?? wrapLine(raw, font, size, maxWidth);
    wrapMemo.set(key, lines);
  }
  return lines;
}

/**
 * wrapLine's lines for `font` (`fontKey` names it across documents), measuring each candidate as
 * the sum of its words' widths (remembered per font for the process) instead of laying the growing
 * line out again for each word: a line of twelve words cost twelve layouts of up to a line's text,
 * now two (the line kept, drawn anyway, and the first candidate that did not fit). pdf-lib's width
 * is the sum of the glyphs' advances (integers, times 1000/2048: exact in binary) times size/1000,
 * and so is this one, whenever laying the words out apart gives the glyphs of laying them out
 * together. That holds for the letters' Latin text (test/notices/pdf-wrap.test.ts); not for a line
 * fontkit shapes in another script than its words (Arabic in a Latin line, a Latin ligature in a
 * Greek one). Each line kept and each break is checked against the real width: a sum that differs
 * gives null, and the caller measures that text the old way.
 */
export function wrapByWords(raw: string, font: PDFFont, fontKey: string, size: number, maxWidth: number): string[] | null {
  const widths = wordWidths(fontKey);
  const units = (word: string) => {
    let u = widths.get(word);
    if (u === undefined) {
      if (widths.size >= WORD_WIDTH_LIMIT) widths.delete(widths.keys().next().value!);
      // At size 1000, pdf-lib's width is the sum of the advances itself (times 1).
      u = font.widthOfTextAtSize(word, 1000);
      widths.set(word, u);
    }
    return u;
  };
  const scale = size / 1000;
  const space = units(' ');
  const kept: [string, number][] = [];
  const out: string[] = [];
  let line = '';
  let lineUnits = 0;
  for (const word of raw.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    const candidateUnits = line ? lineUnits + space + units(word) : units(word);
    if (candidateUnits * scale <= maxWidth) {
      line = candidate;
      lineUnits = candidateUnits;
      continue;
    }
    kept.push([candidate, candidateUnits]);
    if (line) {
      out.push(line);
      kept.push([line, lineUnits]);
    }
    line = '';
    line = hardBreak(word, font, size, maxWidth, out);
    lineUnits = units(line);
  }
  out.push(line);
  kept.push([line, lineUnits]);
  // A line the plain layout lays out is one glyph per character, each word's the same glyphs: its
  // width is the sum of its words' (advances times 1000/2048 are multiples of 1/256, summed exactly
  // in any order), no need to lay it out again.
  const plain = (font as unknown as { embedder?: { font?: PlainFont } }).embedder?.font?.[PLAIN];
  for (const [s, u] of kept) if (!plain?.(s) && font.widthOfTextAtSize(s, size) !== u * scale) return null;
  return out;
}

/** Word widths remembered per font (in thousandths of the size), for the life of the process; bounded. */
const WORD_WIDTH_LIMIT = 16_384;
const sharedWordWidths = new Map<string, Map<string, number>>();
function wordWidths(font: string): Map<string, number> {
  let m = sharedWordWidths.get(font);
  if (!m) sharedWordWidths.set(font, (m = new Map()));
  return m;
}

/**
 * A word wider than the line, cut where the text laid out still fits: the full pieces go to out,
 * the remainder (which fits) is returned to start the next line. Shared by both wrappers.
 */
function hardBreak(word: string, font: PDFFont, size: number, maxWidth: number, out: string[]): string {
  let rest = word;
  while (font.widthOfTextAtSize(rest, size) > maxWidth) {
    let cut = rest.length - 1;
    while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > maxWidth) cut--;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return rest;
}

/**
 * One line of text (no newline) as printable lines no wider than maxWidth, each candidate measured
 * by laying it out: breaks on spaces, hard-breaks overlong words. What wrapByWords must give.
 */
export function wrapLine(raw: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of raw.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) out.push(line);
    line = '';
    line = hardBreak(word, font, size, maxWidth, out);
  }
  out.push(line);
  return out;
}
