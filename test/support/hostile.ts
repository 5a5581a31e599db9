/**
 * Hostile and malformed input for the HTTP fuzz test (test/local/hostile-input.test.ts), as
 * fast-check arbitraries: wrong types, huge strings, deep nesting, Unicode (RTL overrides, lone
 * surrogates, zero-width, emoji), CR/LF, HTML, prototype keys, absurd amounts and dates, and
 * request bodies that are not JSON at all. Bodies are mostly a valid sample with one hostile
 * mutation, so validation past the first field is reached.
 */
import fc from 'fast-check';

/** Values no field of the contract should choke on. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

const hostileStrings = [
  '',
  ' ',
  '\u0000',
  '\r\n',
  'a\r\nBcc: victim@example.com',
  '\r\nContent-Type: text/html\r\n\r\n<h1>x</h1>',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil.example","x")',
  '\u202eevil\u202c',
  '\u200f\u0645\u0631\u062d\u0628\u0627',
  '\u200b\u200c\u200d\ufeff',
  '\ud800',
  '\udfff\ud800',
  '😀👍🏽‍',
  'Z\u0351\u0364\u036b\u0343a\u0344\u0346\u0350lgo',
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'true',
  '[object Object]',
];

const absurdAmounts = [
  '1e308',
  '-1e308',
  '1e-308',
  'Infinity',
  '-Infinity',
  'NaN',
  '-0',
  '-0.00',
  '0',
  '0.00',
  '0.001',
  '-1.00',
  '99999999999999999999999999.99',
  '9007199254740993.00',
  '90071992547409.91',
  '1,50',
  '1.5.0',
  ' 12.00 ',
  '0x10',
  '١٢٣٫٤٥',
  '12.00\n',
];
const absurdNumbers = [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1 + 0.2, 2 ** 53, -(2 ** 63), 1e-320];

const absurdDates = [
  '0000-00-00',
  '0000-01-01',
  '9999-12-31',
  '+275760-09-13',
  '-000001-01-01',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '2026-06-01T25:00:00Z',
  '2026-06-01T10:00:00',
  '2026-06-01T10:00:00+99:00',
  '1970-01-01',
  '1900-02-29',
  '2100-02-29',
  '2026-W23',
  '01/06/2026',
  '2026-06-01\r\n',
];

/** A string hostile to parsers, templates, mail headers and databases. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings, ...absurdAmounts, ...absurdDates) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  // Huge: past every field's maximum and DynamoDB's 400 KB item (API Gateway's 10 MB payload is the hard bound).
  { weight: 1, arbitrary: fc.constantFrom(2_000, 70_000, 420_000).chain((n) => fc.constantFrom('x', 'é', '😀', '<', '\n').map((c) => c.repeat(n))) },
);

/** Deeply nested arrays or objects (JSON nesting that recursive code would overflow on). */
export const deepNesting: fc.Arbitrary<unknown> = fc.tuple(fc.constantFrom(50, 500, 2_000), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

/** Any value of the wrong kind for a field, or an absurd one of the right kind. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, [], {}, [null], { '': '' }, ...absurdNumbers) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS, 'a', ''), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `v` (the root included, as []). */
function pathsOf(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}

/** `v` with the value at `path` replaced (a structural copy; prototype keys stay own data keys). */
function setAt(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? setAt(x, rest, value) : x));
  const copy: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as object)) Object.defineProperty(copy, k, { value: k === head ? setAt(x, rest, value) : x, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** `v` with a key added (or overwritten) in the object at `path`; `__proto__` becomes an own key, as JSON.parse makes it. */
function addKey(v: unknown, path: (string | number)[], key: string, value: unknown): unknown {
  const target = path.reduce<unknown>((o, k) => (o as any)?.[k], v);
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return v;
  const copy: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(target)) Object.defineProperty(copy, k, { value: x, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return setAt(v, path, copy);
}

function removeAt(v: unknown, path: (string | number)[]): unknown {
  if (path.length === 0) return undefined;
  const parent = path.slice(0, -1);
  const last = path[path.length - 1];
  const target = parent.reduce<unknown>((o, k) => (o as any)?.[k], v);
  if (Array.isArray(target)) return setAt(v, parent, target.filter((_x, i) => i !== last));
  const copy: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(target as object)) if (k !== last) copy[k] = x;
  return setAt(v, parent, copy);
}

/** The request body as sent: JSON text (a hostile mutation of the sample), or bytes that are not JSON. */
export function hostileBody(sample: unknown): fc.Arbitrary<Body> {
  const paths = pathsOf(sample);
  const objectPaths = paths.filter((p) => {
    const t = p.reduce<unknown>((o, k) => (o as any)?.[k], sample);
    return t !== null && typeof t === 'object' && !Array.isArray(t);
  });
  const mutate = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...paths), hostileValue).map(([p, x]) => setAt(sample, p, x)) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...(objectPaths.length ? objectPaths : [[]])), fc.constantFrom(...PROTOTYPE_KEYS), hostileValue).map(([p, k, x]) => addKey(sample, p, k, x)) },
    ...(paths.length > 1 ? [{ weight: 1, arbitrary: fc.constantFrom(...paths.filter((p) => p.length > 0)).map((p) => removeAt(sample, p)) }] : []),
    // Two mutations at once.
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...paths), hostileValue, fc.constantFrom(...paths), hostileValue).map(([p, x, q, y]) => setAt(setAt(sample, p, x), q, y)) },
  );
  const notJson = fc.constantFrom(
    '{',
    '{"a":',
    '{"amount": 1,}',
    "{'amount': '1.00'}",
    '\ufeff{}',
    'null',
    '[]',
    '"just a string"',
    '1e999',
    'NaN',
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    '\u0000\u0001\u0002',
    `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
    '{"a":"\\ud800"}',
    '{"amount":"1.00","amount":"2.00"}',
  );
  return fc
    .oneof(
      { weight: 8, arbitrary: mutate.map((b) => (b === undefined ? undefined : JSON.stringify(b as Json))) },
      { weight: 1, arbitrary: hostileValue.map((b) => JSON.stringify(b as Json) ?? 'null') },
      { weight: 1, arbitrary: notJson },
    )
    .map((text) => new Body(text));
}

/** A request body whose report (fast-check's counterexample) stays short, whatever its size. */
export class Body {
  constructor(readonly text: string | undefined) {}
  [fc.toStringMethod](): string {
    return this.text === undefined ? 'no body' : `${JSON.stringify(this.text.slice(0, 300))}${this.text.length > 300 ? `… (${this.text.length} chars)` : ''}`;
  }
}

/** A path parameter: usually the real one (so the body is what gets tested), sometimes hostile. */
export function pathParam(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...real) },
    { weight: 1, arbitrary: hostileString.map((s) => s.slice(0, 500)).filter((s) => s.length > 0) },
    { weight: 1, arbitrary: fc.constantFrom('..', '.', '%', '%2F', 'dos_' + 'a'.repeat(26), 'dos_' + 'A'.repeat(300), '0', '-1', 'null', '__proto__', '2026-13', '9999-99') },
  );
}
