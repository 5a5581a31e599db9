/**
 * Event patterns as AWS evaluates them, for the local stand-ins of Lambda event filtering (the
 * table stream's FilterCriteria: local/dynamodb-stream.ts) and EventBridge rules
 * (local/execution-events.ts). Lambda filtering "supports the same set of syntax and rules as
 * Amazon EventBridge" (Lambda developer guide, Filter rule syntax).
 *
 * The rules implemented, as EventBridge documents them:
 * - a pattern names fields; every named leaf field must match (AND); a field's value in the
 *   pattern is an array of alternatives (OR);
 * - the event is read as leaves (strings, numbers, booleans, null) under dotted paths; an array in
 *   the event contributes each of its elements at the same path, so "if the value in the event is
 *   an array, then the pattern matches if the intersection of the pattern array and the event array
 *   is non-empty" (EventBridge, Arrays in event patterns); an object or array is not a leaf;
 * - an alternative is a value (exact, character by character; `null` matches null, `""` the empty
 *   string), `{"prefix": "…"}` (strings only) or `{"exists": true|false}` (presence of a leaf at that
 *   path: "Exists matching only works on leaf nodes").
 * Numbers are compared by value: AWS compares the JSON text (a pattern's 300 does not match an
 * event's 300.0), which a parsed event no longer carries, so the two differ only for an event whose
 * numbers are not written canonically. None is matched here: DynamoDB stream records carry their
 * attributes' numbers as strings (`{"N": "101"}`, compared as text), and the Step Functions status
 * events write theirs as JSON.stringify does (epoch milliseconds); no pattern of the template names a number.
 * Any other operator (anything-but, numeric, suffix, cidr, …) is refused when the pattern is read,
 * so a template that starts using one fails loudly here rather than filtering differently from AWS.
 * Not modelled: EventBridge's array consistency (two fields matched in the same element of an array
 * of objects); nothing here matches across arrays of objects.
 */

type Json = any;
type Alternative = string | number | boolean | null | { prefix: string } | { exists: boolean };

/** A pattern as a list of leaf paths, each with its alternatives. */
type Compiled = { path: string[]; alternatives: Alternative[] }[];

const compiled = new WeakMap<object, Compiled>();

/** The pattern's leaf rules; throws on a malformed pattern or an operator not implemented here. */
export function compilePattern(pattern: Json): Compiled {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) throw new Error(`event pattern: not an object: ${JSON.stringify(pattern)}`);
  const known = compiled.get(pattern);
  if (known) return known;
  const out: Compiled = [];
  const walk = (node: Record<string, Json>, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key];
      if (Array.isArray(value)) out.push({ path: at, alternatives: value.map((a) => alternative(a, at)) });
      else if (value !== null && typeof value === 'object') walk(value, at);
      else throw new Error(`event pattern: the value of ${at.join('.')} must be an array of alternatives or an object, not ${JSON.stringify(value)}`);
    }
  };
  walk(pattern, []);
  compiled.set(pattern, out);
  return out;
}

function alternative(a: Json, at: string[]): Alternative {
  if (a === null || ['string', 'number', 'boolean'].includes(typeof a)) return a;
  if (typeof a === 'object' && !Array.isArray(a)) {
    const keys = Object.keys(a);
    if (keys.length === 1 && keys[0] === 'prefix' && typeof a.prefix === 'string') return a;
    if (keys.length === 1 && keys[0] === 'exists' && typeof a.exists === 'boolean') return a;
  }
  throw new Error(`event pattern: unsupported rule at ${at.join('.')}: ${JSON.stringify(a)} (local mode implements values, prefix and exists)`);
}

/** The leaves of `event` at `path` (arrays contribute each element, at any depth). */
function leavesAt(event: Json, path: readonly string[]): Json[] {
  let nodes: Json[] = [event];
  for (const key of path) {
    const next: Json[] = [];
    for (const node of spread(nodes)) if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key)) next.push(node[key]);
    nodes = next;
  }
  return spread(nodes).filter((v) => v === null || typeof v !== 'object');
}

function spread(nodes: Json[]): Json[] {
  return nodes.some(Array.isArray) ? nodes.flatMap((n) => (Array.isArray(n) ? spread(n) : [n])) : nodes;
}

function matchesAlternative(a: Alternative, leaves: Json[]): boolean {
  if (a !== null && typeof a === 'object') {
    if ('exists' in a) return leaves.length > 0 === a.exists;
    return leaves.some((v) => typeof v === 'string' && v.startsWith(a.prefix));
  }
  return leaves.some((v) => v === a);
}

/** True when `event` matches `pattern` (every leaf rule has a matching alternative). */
export function matchesPattern(pattern: Json, event: Json): boolean {
  return compilePattern(pattern).every(({ path, alternatives }) => {
    const leaves = leavesAt(event, path);
    return alternatives.some((a) => matchesAlternative(a, leaves));
  });
}
