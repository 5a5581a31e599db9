/**
 * docs/openapi.yaml as a checker of real answers: every answer the local HTTP front gives during a
 * test (LocalOptions.onResponse) must be a documented route and status, and its JSON body must
 * match the documented schema. Objects are checked closed (a field the document does not list is
 * an error unless the schema says `additionalProperties`), so the schemas describe what the
 * handlers produce and nothing more.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { RecordedResponse } from '../../local/http-front';

export const spec = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'openapi.yaml'), 'utf8'));

/**
 * OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes "null or the rest" (so it also
 * works around allOf/$ref), and an object schema with `properties` is closed unless it says
 * otherwise.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, example: _e, ...rest } = flattenAllOf(node as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    // Property names and enum values are data, not schemas: copy them as they are at that level.
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, toJsonSchema(s)]));
    } else if (k === 'enum' || k === 'required') out[k] = v;
    else out[k] = toJsonSchema(v);
  }
  if (out.properties && out.additionalProperties === undefined && !out.allOf && !out.oneOf && !out.anyOf) out.additionalProperties = false;
  return nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/**
 * `allOf` of object schemas (a documented view plus the fields one answer adds) as one object
 * schema: closing each branch on its own would refuse every field of the other branch, so the
 * branches' properties and required lists are merged and the result is closed once.
 */
function flattenAllOf(node: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(node.allOf)) return node;
  const parts = (node.allOf as unknown[]).map((p) => flattenAllOf(resolve(p) as Record<string, unknown>));
  const mergeable = parts.every(
    (p) => p && typeof p === 'object' && p.properties && p.additionalProperties === undefined && !p.oneOf && !p.anyOf && !p.nullable,
  );
  if (!mergeable) return node;
  const { allOf: _a, ...own } = node;
  return {
    ...own,
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties), own.properties ?? {}),
    required: [...new Set(parts.flatMap((p) => (p.required as string[] | undefined) ?? []))],
  };
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: toJsonSchema(spec.components) } as object);

const validators = new Map<string, ValidateFunction>();

function resolve(node: any): any {
  if (node?.$ref && typeof node.$ref === 'string') {
    const parts = node.$ref.replace(/^#\//, '').split('/');
    return resolve(parts.reduce((o: any, p: string) => o?.[p], spec));
  }
  return node;
}

/** What is wrong with one recorded answer (empty: it is as documented). */
export function contractProblems(r: RecordedResponse): string[] {
  const what = `${r.method} ${r.route ?? '(no route)'} -> ${r.status}`;
  if (r.route === null) {
    // No route: the front's own 404 (API Gateway's "Missing Authentication Token" equivalent).
    // ...or API Gateway's own 413 past its 10 MB payload limit, which holds on every path.
    return r.status === 404 || r.status === 413 ? [] : [`${what}: an answer outside every route`];
  }
  const op = spec.paths?.[r.route]?.[r.method.toLowerCase()];
  if (!op) return [`${what}: route not documented`];
  const doc = resolve(op.responses?.[String(r.status)]);
  if (!doc) return [`${what}: status not documented (documented: ${Object.keys(op.responses ?? {}).join(', ')})`];
  const content = doc.content?.['application/json'];
  if (!content) return r.body === '' ? [] : [`${what}: a body where none is documented`];
  const key = `${r.method} ${r.route} ${r.status}`;
  let validate = validators.get(key);
  if (!validate) {
    const schema = JSON.parse(JSON.stringify(toJsonSchema(content.schema)).replace(/"#\/components\//g, '"openapi#/components/'));
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    return [`${what}: body is not JSON`];
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${what}: ${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${(e.params as any).additionalProperty})` : ''}`);
}

/** Collects the answers of a local system and lists what departs from the document. */
export function responseRecorder() {
  const seen: RecordedResponse[] = [];
  return {
    onResponse: (r: RecordedResponse) => void seen.push(r),
    seen,
    problems: () => [...new Set(seen.flatMap(contractProblems))],
    /** The (method route status) triples answered, for coverage figures. */
    produced: () => [...new Set(seen.map((r) => `${r.method} ${r.route} ${r.status}`))].sort(),
  };
}
