/**
 * The JSONPath subset Wait states use here ("$.next.at"): a dotted path from the root.
 * Anything richer is refused loudly rather than evaluated wrongly.
 */
export function readPath(path: string, input: unknown): unknown {
  if (path === '$') return input;
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) {
    throw new Error(`local engine supports only simple dotted JSONPaths in Wait states, got ${path}`);
  }
  let cur: any = input;
  for (const key of path.slice(2).split('.')) {
    cur = cur == null ? undefined : cur[key];
  }
  return cur;
}
