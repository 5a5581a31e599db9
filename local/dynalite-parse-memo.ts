/**
 * dynalite parses every condition, update, key-condition, filter and projection expression of
 * every request with its PEG parsers (dynalite/db/*Parser.js): 5 % of a bench escalation's CPU.
 * The application sends about 25 distinct expressions (with 27 combinations of value types, on 20
 * escalated dossiers: 1,929 parses). A parse is a pure function of the text, the request's
 * ExpressionAttributeNames and ExpressionAttributeValues (the
 * parser reads nothing else of the request and keeps no state between calls) with one side effect:
 * it deletes the names and values it uses from the request's "unused" sets, which dynalite checks
 * afterwards. So a repeat is answered from a memo:
 *
 * - the result is rebuilt fresh for each request (dynalite mutates it: an update's SET sections
 *   get their resolved values written in), with the request's own value objects where the parser
 *   put the value objects of the names it resolved, exactly as a fresh parse would;
 * - the names and values the expression uses (found by the first parse, run on full "unused" sets)
 *   are deleted from the request's sets;
 * - an error (SyntaxError or a validation message) is thrown again as it was.
 *
 * Expressions are keyed by the type of each value rather than the value: the parsers read values
 * for their type only, and most requests carry new values (a dossier's history window, its
 * version, the instant a lease runs to). The two exceptions, both in conditions, are attribute_type
 * (its type name is checked: that value is keyed by its content) and BETWEEN (constant bounds are
 * compared): a condition naming BETWEEN is keyed by its exact values, and not memoised when a value
 * holds a collection (L, M, SS, NS, BS: it would cost more to key than to parse). Bounded (the memo
 * starts afresh).
 */
type Json = any;

const PARSERS = ['conditionParser', 'updateParser', 'projectionParser'] as const;
const MEMO_LIMIT = 2_000;
const COLLECTIONS = new Set(['L', 'M', 'SS', 'NS', 'BS']);
/**
 * The two places dynalite's condition parser reads a value's content, not just its type:
 * attribute_type's type name (checked against the type list: that value is keyed by its content)
 * and BETWEEN's bounds (compared: a condition naming BETWEEN, anywhere in its text, is keyed by its
 * exact values, as is one whose attribute_type calls are not all of the simple form).
 */
const BETWEEN = /between/i;

/** Where a value object of the request's ExpressionAttributeValues sat in a parse result. */
class ValueRef {
  constructor(readonly name: string) {}
}

interface Entry {
  /** The result with ValueRef where the request's value objects were, or the error thrown. */
  template?: Json;
  thrown?: unknown;
  usedNames: string[];
  usedValues: string[];
}

const plain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** A deep copy of a parse result with `values`' objects (by identity) replaced by ValueRef; undefined if not plain data. */
function toTemplate(v: Json, values: Map<object, string>): Json {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new NotPlain();
    return v;
  }
  const name = values.get(v);
  if (name !== undefined) return new ValueRef(name);
  if (Array.isArray(v)) return v.map((x) => toTemplate(x, values));
  if (!plain(v)) throw new NotPlain();
  const out = Object.create(Object.getPrototypeOf(v));
  for (const k of Object.keys(v)) out[k] = toTemplate(v[k], values);
  return out;
}

/** A fresh result from a template, with the request's own value objects. */
function fromTemplate(v: Json, attrVals: Record<string, Json>): Json {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof ValueRef) return attrVals[v.name];
  if (Array.isArray(v)) return v.map((x) => fromTemplate(x, attrVals));
  const out = Object.create(Object.getPrototypeOf(v));
  for (const k of Object.keys(v)) out[k] = fromTemplate(v[k], attrVals);
  return out;
}

class NotPlain extends Error {}

const all = (o: Record<string, unknown> | undefined | null) => Object.fromEntries(Object.keys(o ?? {}).map((k) => [k, true]));

/** The values named as attribute_type's type name, or undefined when the text is not that simple. */
function typeNameValues(text: string): Set<string> | undefined {
  const calls = text.match(/attribute_type/gi)?.length ?? 0;
  const names = [...text.matchAll(/attribute_type\s*\(\s*[#A-Za-z0-9_.[\]]+\s*,\s*(:[A-Za-z0-9_]+)\s*\)/gi)].map((m) => m[1]);
  return names.length === calls ? new Set(names) : undefined;
}

/**
 * typeNameValues and the BETWEEN test of each condition text, found once per text (two regular
 * expressions over the text, at every parse of every request, were a third of the memo's own cost).
 * The sets are only read. Bounded like the memo.
 */
const conditionShapes = new Map<string, { exact: Set<string> | undefined; between: boolean }>();
function conditionShape(text: string): { exact: Set<string> | undefined; between: boolean } {
  let shape = conditionShapes.get(text);
  if (!shape) {
    if (conditionShapes.size >= MEMO_LIMIT) conditionShapes.clear();
    conditionShapes.set(text, (shape = { exact: typeNameValues(text), between: BETWEEN.test(text) }));
  }
  return shape;
}
const NONE = new Set<string>();

/** The memo key of a parse, or undefined when it is not memoised. */
function keyOf(parser: string, text: string, context: Json): string | undefined {
  const vals: Record<string, Json> = context.attrVals ?? {};
  // Values keyed by their content: attribute_type's type names (the parser checks them).
  const shape = parser === 'conditionParser' ? conditionShape(text) : undefined;
  const exact = shape ? shape.exact : NONE;
  if (exact && !shape?.between) {
    // The parsers read values for their type only (getType/getImmediateType: operand and function
    // checks, an update section's attrType) and put the value objects themselves in their result:
    // keyed by each value's type, the result is rebuilt with the request's own values.
    const parts = Object.entries(vals).map(([k, v]) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
      return exact.has(k) ? `${k}=${JSON.stringify(v)}` : `${k}=${Object.keys(v).join('|')}`;
    });
    if (parts.some((t) => t === undefined)) return undefined;
    return `${parser}\u0000${text}\u0000${JSON.stringify(context.attrNames ?? null)}\u0000${parts.join(',')}`;
  }
  for (const v of Object.values(vals)) {
    if (!v || typeof v !== 'object' || Object.keys(v).some((t) => COLLECTIONS.has(t))) return undefined;
  }
  return `${parser}\u0000${text}\u0000${JSON.stringify(context.attrNames ?? null)}\u0000${JSON.stringify(context.attrVals ?? null)}`;
}

export interface ParseMemoStats {
  hits: number;
  misses: number;
}

let installed: ParseMemoStats | undefined;
const originals = new Map<string, (text: string, options?: Json) => Json>();

/** dynalite's own parse function of one of its parsers, whether memoised or not (the tests' oracle). */
export function unmemoisedParse(name: (typeof PARSERS)[number]): (text: string, options?: Json) => Json {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return originals.get(name) ?? (require(`dynalite/db/${name}`) as { parse(text: string, options?: Json): Json }).parse;
}

/** Memoises dynalite's expression parsers in this process (once); returns the counters. */
export function memoizeDynaliteParsers(): ParseMemoStats {
  if (installed) return installed;
  const stats: ParseMemoStats = { hits: 0, misses: 0 };
  const memo = new Map<string, Entry>();
  for (const name of PARSERS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parser = require(`dynalite/db/${name}`) as { parse(text: string, options?: Json): Json };
    const parse = parser.parse.bind(parser);
    originals.set(name, parse);
    parser.parse = (text: string, options?: Json): Json => {
      const context = options?.context;
      const key = context && typeof text === 'string' ? keyOf(name, text, context) : undefined;
      if (key === undefined) return parse(text, options);
      const unusedNames: Record<string, unknown> = context.unusedAttrNames ?? {};
      const unusedValues: Record<string, unknown> = context.unusedAttrVals ?? {};
      const known = memo.get(key);
      if (known) {
        stats.hits++;
        for (const n of known.usedNames) delete unusedNames[n];
        for (const v of known.usedValues) delete unusedValues[v];
        if ('thrown' in known) throw known.thrown;
        return fromTemplate(known.template, context.attrVals ?? {});
      }
      stats.misses++;
      // First time: parsed on full "unused" sets, to learn which names and values it uses.
      const probe = { ...context, unusedAttrNames: all(context.attrNames), unusedAttrVals: all(context.attrVals) };
      const used = () => ({
        usedNames: Object.keys(context.attrNames ?? {}).filter((n) => !(n in probe.unusedAttrNames)),
        usedValues: Object.keys(context.attrVals ?? {}).filter((v) => !(v in probe.unusedAttrVals)),
      });
      const remember = (entry: Entry) => {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(key, entry);
        for (const n of entry.usedNames) delete unusedNames[n];
        for (const v of entry.usedValues) delete unusedValues[v];
      };
      let result: Json;
      try {
        result = parse(text, { ...options, context: probe });
      } catch (e) {
        remember({ thrown: e, ...used() });
        throw e;
      }
      const values = new Map<object, string>();
      for (const [n, v] of Object.entries(context.attrVals ?? {})) if (v && typeof v === 'object' && !values.has(v)) values.set(v as object, n);
      let template: Json;
      try {
        template = toTemplate(result, values);
      } catch (e) {
        if (!(e instanceof NotPlain)) throw e;
        // Not plain data: answered as parsed, not memoised.
        const { usedNames, usedValues } = used();
        for (const n of usedNames) delete unusedNames[n];
        for (const v of usedValues) delete unusedValues[v];
        return result;
      }
      remember({ template, ...used() });
      return result;
    };
  }
  installed = stats;
  return stats;
}
