/**
 * aws-local-stepfunctions evaluates every path of every state (InputPath, Parameters' "x.$"
 * fields, ResultPath, OutputPath, the context's "$$." paths) by calling jsonpath-plus's `JSONPath`
 * as a function with `wrap: false`. Called so, JSONPath constructs itself with `new`, and when the
 * answer is a scalar (a string, a number, undefined: most of the state machine's paths) it returns
 * it by throwing an Error that carries it, which the function call catches: a stack trace captured
 * per scalar path, half of the time JSONPath took in an escalation.
 *
 * Here the function call builds the evaluator without starting it and evaluates with the same
 * arguments the constructor would have (jsonpath-plus 10's `autostart`, documented), returning
 * the same value, scalar or not, without the throw. A call with `new`, or not with an options
 * object, is handed to JSONPath as before.
 */
import * as path from 'node:path';

type Json = any;
type JSONPathFn = ((...args: Json[]) => Json) & Record<string, Json>;

let original: JSONPathFn | undefined;

/** jsonpath-plus's own JSONPath (the tests' oracle). */
export function originalJSONPath(): JSONPathFn {
  scalarPathsWithoutThrow();
  return original!;
}

export function scalarPathsWithoutThrow(): void {
  // aws-local-stepfunctions' own dependency (not ours, so knip.json ignores it as unlisted): the copy
  // it resolves, whose `JSONPath` it reads at each call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(require.resolve('jsonpath-plus', { paths: [path.dirname(require.resolve('aws-local-stepfunctions'))] })) as { JSONPath: JSONPathFn & { withoutThrow?: true } };
  const Original = mod.JSONPath;
  if (Original.withoutThrow) return;
  original = Original;
  function JSONPath(this: unknown, ...args: Json[]): Json {
    const opts = args[0];
    if (new.target || args.length !== 1 || !opts || typeof opts !== 'object' || Array.isArray(opts) || opts.autostart === false) {
      return new.target ? Reflect.construct(Original, args, new.target) : Original(...args);
    }
    const evaluator = Reflect.construct(Original, [{ ...opts, autostart: false }]) as { evaluate(a: Json): Json };
    // What the constructor evaluates when it starts itself (an options object: its path, and its json when given).
    const start: Json = { path: opts.path };
    if ('json' in opts) start.json = opts.json;
    return evaluator.evaluate(start);
  }
  Object.setPrototypeOf(JSONPath, Original);
  JSONPath.prototype = Original.prototype;
  mod.JSONPath = Object.assign(JSONPath as unknown as JSONPathFn, { withoutThrow: true as const });
}
