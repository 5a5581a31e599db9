/**
 * The engine's JSONPath calls without an Error thrown per scalar answer (local/sfn/jsonpath-scalars.ts)
 * answer as jsonpath-plus's own function does: the paths the state machine uses and the edges of
 * jsonpath-plus's answers (no match, a falsy document, "$", arrays, filters, wrap), value for value,
 * and the same errors.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { originalJSONPath, scalarPathsWithoutThrow } from '../../local/sfn/jsonpath-scalars';

scalarPathsWithoutThrow();
// The function aws-local-stepfunctions calls (its own copy of jsonpath-plus, patched).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const patched = (require(require.resolve('jsonpath-plus', { paths: [path.dirname(require.resolve('aws-local-stepfunctions'))] })) as { JSONPath: (o: unknown) => unknown }).JSONPath;

describe('JSONPath without a throw per scalar', () => {
  it('answers every call as jsonpath-plus does', () => {
    const original = originalJSONPath();
    expect(patched).not.toBe(original);
    const doc = { a: { b: 'x', n: 0, f: false, z: null, e: '', list: [1, { c: 2 }], o: { k: 'v' } }, items: [{ p: 1 }, { p: 2 }], 'we.ird': 1 };
    const context = { Execution: { Id: 'arn:x', Input: { dossierId: 'd1' }, StartTime: '2026-04-04T10:00:00Z' }, State: { Name: 'Send' } };
    const jsons: unknown[] = [doc, context, null, 0, '', 'text', [1, 2], { only: undefined }];
    const paths = ['$', '$.a', '$.a.b', '$.a.n', '$.a.f', '$.a.z', '$.a.e', '$.a.list', '$.a.list[1].c', '$.a.o', '$.missing', '$.a.missing.deeper', '$.items[*].p', '$..p', "$['we.ird']", '$.Execution.Input.dossierId', '$.Execution.Id', '$.items[?(@.p > 1)]', '$.a.b.length', '$[0]', '$.only'];
    let compared = 0;
    for (const json of jsons) {
      for (const p of paths) {
        for (const wrap of [false, true, undefined]) {
          const opts = wrap === undefined ? { path: p, json } : { path: p, json, wrap };
          const answer = (f: (o: unknown) => unknown) => {
            try {
              return { value: f(opts) };
            } catch (e) {
              return { error: String((e as Error).message) };
            }
          };
          expect(answer(patched), `${p} on ${JSON.stringify(json)} wrap ${wrap}`).toEqual(answer(original as (o: unknown) => unknown));
          compared++;
        }
      }
    }
    expect(compared).toBe(jsons.length * paths.length * 3);
    // Not an options object, or with new: jsonpath-plus's own behaviour.
    expect(patched('$.a.b' as unknown)).toEqual((original as (...a: unknown[]) => unknown)('$.a.b'));
  });
});
