/**
 * The glyphs fontkit's layout gives a text no glyph substitution touches, without running its
 * OpenType engine. Laying text out was most of a letter's PDF: every line measured (wrap) and drawn
 * (encodeText) went through fontkit's GSUB pass, whose lookups walk every glyph of the text even
 * when none applies, and the per-dossier text (names, amounts, dates) missed the whole-string memo.
 *
 * fontkit's layout (LayoutEngine.layout, OTLayoutEngine) maps the string to the cmap glyph of each
 * character (font.glyphsForString), picks the script from the first character neither Common nor
 * Inherited, substitutes (GSUB: the lookups of its default shaper's features, DEFAULT_GSUB_FEATURES,
 * in that script's default language system), positions (skipped for the letters: pdf-letter.ts),
 * then shows default-ignorable characters as a space. A text is laid out here, glyph for glyph as
 * fontkit would (the same objects: the font keeps one per glyph id), when
 * - every character's script is Latin, Greek, Cyrillic, Common or Inherited (so fontkit's default
 *   shaper, left to right, in the latn, grek, cyrl or default script system: PLAIN_SCRIPTS), and none
 *   is default-ignorable (fontkit's own predicate), a variation selector or a surrogate;
 * - no lookup of those script systems' default features can fire at any glyph of the text: a
 *   lookup applies at a glyph only if the glyph is in its coverage, and, for the ligatures and the
 *   contexts whose lookups skip no glyph, only if the next glyph is one a ligature or a rule can
 *   continue with (triggers()). When no lookup fires on the text as given, none changes a glyph, so
 *   none fires later either.
 * Except the Latin ligatures (fi, fl, ff, ffi, ffl: latn's one ligature lookup, latinLigatures()),
 * which are formed here as fontkit forms them when the text's script system is latn, no other lookup
 * firing on the text before or after. Anything else (an i before a combining accent, Hebrew, "fi"
 * in a Greek line...) goes through fontkit.
 * test/notices/pdf-plain-layout.test.ts compares both on every character and on seeded random strings.
 */

/** What fontkit's default shaper asks GSUB for (DefaultShaper: VARIATION, DIRECTIONAL, FRACTIONAL, COMMON, HORIZONTAL features). */
export const DEFAULT_GSUB_FEATURES: ReadonlySet<string> = new Set([
  'rvrn',
  'ltra',
  'ltrm',
  'rtla',
  'rtlm',
  'frac',
  'numr',
  'dnom',
  'ccmp',
  'locl',
  'rlig',
  'mark',
  'mkmk',
  'calt',
  'clig',
  'liga',
  'rclt',
  'curs',
  'kern',
]);

const PLAIN_SCRIPT = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]$/u;
/** The script systems fontkit may select for such text (its tags for those scripts, and its fallbacks DFLT, dflt, latn). */
const PLAIN_SCRIPTS: ReadonlySet<string> = new Set(['latn', 'grek', 'cyrl', 'zyyy', 'zinh', 'zzzz', 'DFLT', 'dflt']);

/** The parts of a fontkit font read here (fontkit's TTFFont; tables as its restructure parses them). */
interface LayoutFont {
  GSUB?: GsubTable;
  morx?: unknown;
  glyphForCodePoint(codePoint: number): { id: number };
  getGlyph(id: number, codePoints?: number[]): { id: number };
  _cmapProcessor?: { lookup(codePoint: number): number };
  _layoutEngine?: { isDefaultIgnorable?(codePoint: number): boolean };
}
interface GsubTable {
  scriptList: { tag: string; script: { defaultLangSys?: { featureIndexes: number[] } | null } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: Listish<Lookup>;
  featureVariations?: unknown;
}
interface Lookup {
  lookupType: number;
  flags: { markAttachmentType: number; flags: Record<string, boolean> };
  subTables: Listish<Subtable>;
}
type Listish<T> = { length: number; toArray?(): T[] } & Iterable<T>;
type Coverage = { version: 1; glyphs: number[] } | { version: 2; rangeRecords: { start: number; end: number }[] };
type ClassDef = { version: 1; startGlyph: number; classValueArray: number[] } | { version: 2; classRangeRecord: { start: number; end: number; class: number }[] };
interface Subtable {
  version?: number;
  lookupType?: number;
  extension?: Subtable;
  coverage?: Coverage;
  ligatureSets?: Listish<Listish<{ components: number[]; glyph: number }>>;
  // Chaining context (type 6).
  chainRuleSets?: Listish<Listish<{ input: number[]; lookahead: number[] }> | null>;
  inputClassDef?: ClassDef;
  lookaheadClassDef?: ClassDef;
  chainClassSet?: Listish<Listish<{ input: number[]; lookahead: number[] }> | null>;
  inputCoverage?: Coverage[];
  lookaheadCoverage?: Coverage[];
}

function items<T>(list: Listish<T> | null | undefined): T[] {
  if (!list) return [];
  if (typeof list.toArray === 'function') return list.toArray();
  return [...list];
}

function coverageGlyphs(coverage: Coverage | undefined): number[] {
  if (!coverage) throw new Error('GSUB subtable without coverage');
  if (coverage.version === 1) return [...coverage.glyphs];
  if (coverage.version === 2) return coverage.rangeRecords.flatMap((r) => Array.from({ length: r.end - r.start + 1 }, (_, i) => r.start + i));
  throw new Error('unknown coverage format');
}

/** The glyphs of one class (fontkit's getClassID: a glyph in no range is class 0, never asked for here). */
function classGlyphs(classDef: ClassDef | undefined, cls: number): number[] {
  if (!classDef) throw new Error('GSUB context without its class definition');
  if (classDef.version === 1) return classDef.classValueArray.flatMap((c, i) => (c === cls ? [classDef.startGlyph + i] : []));
  if (classDef.version === 2) return classDef.classRangeRecord.flatMap((r) => (r.class === cls ? Array.from({ length: r.end - r.start + 1 }, (_, i) => r.start + i) : []));
  throw new Error('unknown class definition format');
}

/** When a lookup may fire at a glyph: whatever follows it (any), or only before one of `next`. */
export interface Trigger {
  any: boolean;
  next: Set<number>;
}

/**
 * For each glyph at which some lookup of the plain scripts' default features may fire, what must
 * follow it for that. Sound, not exact: a lookup whose subtable kind is not read closely here fires
 * on its whole coverage (any). Throws on a structure it does not know (the caller then lays
 * everything out with fontkit).
 */
export function triggers(gsub: GsubTable, except?: number): Map<number, Trigger> {
  const lookups = items(gsub.lookupList);
  const indexes = new Set<number>();
  for (const { tag, script } of gsub.scriptList) {
    if (!PLAIN_SCRIPTS.has(tag)) continue;
    // fontkit asks for no language: the default language system's features.
    for (const fi of script.defaultLangSys?.featureIndexes ?? []) {
      const record = gsub.featureList[fi];
      if (!record) throw new Error(`GSUB feature ${fi} missing`);
      if (DEFAULT_GSUB_FEATURES.has(record.tag)) for (const li of record.feature.lookupListIndexes) indexes.add(li);
    }
  }
  const out = new Map<number, Trigger>();
  const at = (glyph: number) => {
    let t = out.get(glyph);
    if (!t) out.set(glyph, (t = { any: false, next: new Set() }));
    return t;
  };
  const anyAfter = (glyphs: number[]) => {
    for (const g of glyphs) at(g).any = true;
  };
  for (const index of indexes) {
    if (index === except) continue;
    const lookup = lookups[index];
    if (!lookup) throw new Error(`GSUB lookup ${index} missing`);
    // Only a lookup that skips no glyph looks at the very next one (fontkit's GlyphIterator).
    const skipsNone = skipsNoGlyph(lookup);
    for (const sub of items(lookup.subTables)) {
      const [type, table] = lookup.lookupType === 7 ? [sub.lookupType, sub.extension] : [lookup.lookupType, sub];
      if (!table) throw new Error('GSUB extension without its table');
      if (type === 4 && skipsNone) {
        // Ligatures: the covered glyph, then the first other component of one of its ligatures.
        const covered = coverageGlyphs(table.coverage);
        const sets = items(table.ligatureSets);
        covered.forEach((glyph, i) => {
          for (const lig of items(sets[i])) {
            if (lig.components.length === 0) at(glyph).any = true;
            else at(glyph).next.add(lig.components[0]!);
          }
        });
      } else if (type === 6 && skipsNone && table.version === 2) {
        // Class-based chaining context: a rule of the glyph's input class, then its next input or lookahead class.
        const classSets = items(table.chainClassSet);
        for (const glyph of coverageGlyphs(table.coverage)) {
          const cls = classGlyphsOf(table.inputClassDef, glyph);
          for (const rule of items(classSets[cls] ?? null)) {
            const [classDef, next] = rule.input.length ? [table.inputClassDef, rule.input[0]!] : rule.lookahead.length ? [table.lookaheadClassDef, rule.lookahead[0]!] : [undefined, undefined];
            if (next === undefined || next === 0) at(glyph).any = true;
            else for (const g of classGlyphs(classDef, next)) at(glyph).next.add(g);
          }
        }
      } else if (type === 6 && skipsNone && table.version === 3) {
        const next = table.inputCoverage!.length > 1 ? table.inputCoverage![1] : table.lookaheadCoverage![0];
        for (const glyph of coverageGlyphs(table.inputCoverage![0])) {
          if (!next) at(glyph).any = true;
          else for (const g of coverageGlyphs(next)) at(glyph).next.add(g);
        }
      } else if (type === 5 || type === 6) {
        anyAfter(coverageGlyphs(type === 6 && table.version === 3 ? table.inputCoverage![0] : table.coverage));
      } else if (type === 1 || type === 2 || type === 3 || type === 4 || type === 8) {
        anyAfter(coverageGlyphs(table.coverage));
      } else {
        throw new Error(`GSUB lookup type ${type} unknown`);
      }
    }
  }
  return out;
}

function skipsNoGlyph(lookup: Lookup): boolean {
  const { markAttachmentType, flags } = lookup.flags;
  return markAttachmentType === 0 && !flags.ignoreBaseGlyphs && !flags.ignoreLigatures && !flags.ignoreMarks && !flags.useMarkFilteringSet;
}

/** The Latin script system's one ligature lookup: per subtable, each covered glyph's ligatures in order. */
export interface Ligatures {
  index: number;
  subtables: Map<number, { components: number[]; glyph: number }[]>[];
}

/**
 * The ligature lookup (liga: fi, fl, ff...) fontkit applies to Latin text, when the latn script
 * system's default features reach exactly one ligature lookup, once, skipping no glyph; else undefined
 * (then ligatures are left to fontkit, as triggers).
 */
export function latinLigatures(gsub: GsubTable): Ligatures | undefined {
  const latn = gsub.scriptList.find((s) => s.tag === 'latn');
  if (!latn) return undefined;
  const lookups = items(gsub.lookupList);
  const applied: number[] = [];
  for (const fi of latn.script.defaultLangSys?.featureIndexes ?? []) {
    const record = gsub.featureList[fi];
    if (record && DEFAULT_GSUB_FEATURES.has(record.tag)) applied.push(...record.feature.lookupListIndexes);
  }
  const typeOf = (l: Lookup) => (l.lookupType === 7 ? items(l.subTables)[0]?.lookupType : l.lookupType);
  const ligatures = applied.filter((i) => lookups[i] && typeOf(lookups[i]) === 4);
  if (ligatures.length !== 1) return undefined;
  const index = ligatures[0]!;
  const lookup = lookups[index]!;
  if (!skipsNoGlyph(lookup)) return undefined;
  const subtables = items(lookup.subTables).map((sub) => {
    const table = lookup.lookupType === 7 ? sub.extension : sub;
    if (!table || (lookup.lookupType === 7 && sub.lookupType !== 4)) throw new Error('GSUB extension of mixed types');
    const sets = items(table.ligatureSets);
    const byGlyph = new Map<number, { components: number[]; glyph: number }[]>();
    coverageGlyphs(table.coverage).forEach((glyph, i) => byGlyph.set(glyph, items(sets[i]).map((l) => ({ components: [...l.components], glyph: l.glyph }))));
    return byGlyph;
  });
  return { index, subtables };
}

/** fontkit's getClassID. */
function classGlyphsOf(classDef: ClassDef | undefined, glyph: number): number {
  if (!classDef) throw new Error('GSUB context without its class definition');
  if (classDef.version === 1) return classDef.classValueArray[glyph - classDef.startGlyph] ?? 0;
  return classDef.classRangeRecord.find((r) => r.start <= glyph && glyph <= r.end)?.class ?? 0;
}

/**
 * A function giving the glyphs `font.layout(text)` would (the same objects), or undefined for a
 * text it does not lay out (then fontkit must). Never lays out for a font whose layout is not the
 * OpenType engine's (morx), with feature variations, or whose GSUB this module cannot read.
 */
export function plainLayout<G extends { id: number; codePoints: number[] }>(font: LayoutFont, options: { ligatures: boolean }): (text: string) => G[] | undefined {
  const never = () => undefined;
  const ignorable = font._layoutEngine?.isDefaultIgnorable?.bind(font._layoutEngine);
  if (font.morx || !ignorable || font.GSUB?.featureVariations) return never;
  let fires: Map<number, Trigger>;
  let ligatures: Ligatures | undefined;
  try {
    ligatures = font.GSUB && options.ligatures ? latinLigatures(font.GSUB) : undefined;
    fires = font.GSUB ? triggers(font.GSUB, ligatures?.index) : new Map();
  } catch {
    return never;
  }
  // Per UTF-16 code unit: its glyph when its character may be laid out here, null when not; undefined until first seen.
  const byUnit: (G | null | undefined)[] = new Array(0x10000);
  const classify = (unit: number): G | null => {
    const plain = !(unit >= 0xd800 && unit <= 0xdfff) && !(unit >= 0xfe00 && unit <= 0xfe0f) && !ignorable(unit) && PLAIN_SCRIPT.test(String.fromCharCode(unit));
    // glyphForCodePoint is what glyphsForString calls for a character: the font's one object per glyph id.
    return plain ? (font.glyphForCodePoint(unit) as G) : null;
  };
  const fire = (glyphs: G[]) => {
    const n = glyphs.length;
    for (let i = 0; i < n; i++) {
      const t = fires.get(glyphs[i]!.id);
      if (t && (t.any || (i + 1 < n && t.next.has(glyphs[i + 1]!.id)))) return true;
    }
    return false;
  };
  // fontkit's ligature substitution (GSUBProcessor, type 4), left to right: at each glyph, the first
  // subtable covering it whose ligature's components follow it replaces them all by the ligature
  // glyph, whose code points are theirs in order (font.getGlyph, as fontkit maps them back).
  const ligate = (glyphs: G[]): G[] => {
    let out = glyphs;
    for (let i = 0; i < out.length; i++) {
      for (const sub of ligatures!.subtables) {
        const set = sub.get(out[i]!.id);
        const lig = set?.find((l) => i + l.components.length < out.length && l.components.every((c, j) => out[i + 1 + j]!.id === c));
        if (!lig) continue;
        if (out === glyphs) out = glyphs.slice();
        const parts = out.slice(i, i + 1 + lig.components.length);
        out.splice(i, parts.length, font.getGlyph(lig.glyph, parts.flatMap((g) => g.codePoints)) as G);
        break;
      }
    }
    return out;
  };
  // Glyphs a ligature may start at: only a text with one is run through ligate.
  const starts = new Set(ligatures?.subtables.flatMap((sub) => [...sub.keys()]));
  const latin = /\p{Script=Latin}/u;
  const common = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
  return (text: string) => {
    const n = text.length;
    const glyphs = new Array<G>(n);
    let mayLigate = false;
    for (let i = 0; i < n; i++) {
      const unit = text.charCodeAt(i);
      let glyph = byUnit[unit];
      if (glyph === undefined) byUnit[unit] = glyph = classify(unit);
      if (glyph === null) return undefined;
      glyphs[i] = glyph;
      if (starts.has(glyph.id)) mayLigate = true;
    }
    if (fires.size && fire(glyphs)) return undefined;
    if (!mayLigate) return glyphs;
    const ligated = ligate(glyphs);
    if (ligated === glyphs) return glyphs;
    // Ligatures only where fontkit applies latn's features: the first character neither Common nor
    // Inherited is Latin. And no other lookup may fire on the text as ligated either.
    const first = [...text].find((c) => !common.test(c));
    if (!first || !latin.test(first) || (fires.size && fire(ligated))) return undefined;
    return ligated;
  };
}
