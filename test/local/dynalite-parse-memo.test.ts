/**
 * The memo of dynalite's expression parsers (local/dynalite-parse-memo.ts) answers an exact repeat
 * as dynalite's own parsers would. The oracle is dynalite's request validation
 * (validateExpressions: every expression of a request, then the unused names and values check) run
 * with dynalite's own parsers, against the same run through the memo, the first time (parsed) and
 * again (from the memo): same error, same parsed expressions, the request's own value objects in
 * them, and a result dynalite can mutate without touching the next request's.
 */
import { describe, expect, it } from 'vitest';
import { memoizeDynaliteParsers, unmemoisedParse } from '../../local/dynalite-parse-memo';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateExpressions } = require('dynalite/validations') as { validateExpressions(data: any): string | undefined };
const PARSERS = ['conditionParser', 'updateParser', 'projectionParser'] as const;

type Request = Record<string, unknown>;
const PARSED = ['_updates', '_condition', '_keyCondition', '_filter', '_projection'];

/** validateExpressions on a fresh copy of the request; what it answers and what it parsed. */
function validate(request: Request) {
  const data = structuredClone(request) as any;
  const error = validateExpressions(data);
  return { data, error, parsed: Object.fromEntries(PARSED.filter((k) => data[k] !== undefined).map((k) => [k, data[k]])) };
}

function withOwnParsers<T>(run: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const modules = PARSERS.map((p) => require(`dynalite/db/${p}`) as { parse: unknown });
  const memoised = modules.map((m) => m.parse);
  modules.forEach((m, i) => (m.parse = unmemoisedParse(PARSERS[i])));
  try {
    return run();
  } finally {
    modules.forEach((m, i) => (m.parse = memoised[i]));
  }
}

/** Every object of `v` that is one of `values`' objects (by identity), by name. */
function valueObjectsIn(v: any, values: Record<string, unknown>, found = new Set<string>()): Set<string> {
  if (v && typeof v === 'object') {
    for (const [name, o] of Object.entries(values)) if (o === v) found.add(name);
    for (const x of Object.values(v)) valueObjectsIn(x, values, found);
  }
  return found;
}

const N = (n: string) => ({ N: n });
const S = (s: string) => ({ S: s });
const CASES: Request[] = [
  { ConditionExpression: 'attribute_not_exists(pk)' },
  { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': N('3') } },
  { ConditionExpression: '#s IN (:a, :b) AND begins_with(sk, :p)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':a': S('active'), ':b': S('paused'), ':p': S('EV#') } },
  { ConditionExpression: 'size(#h) > :n OR NOT attribute_exists(lease)', ExpressionAttributeNames: { '#h': 'history' }, ExpressionAttributeValues: { ':n': N('10') } },
  { ConditionExpression: 'attribute_type(#x, :t)', ExpressionAttributeNames: { '#x': 'x' }, ExpressionAttributeValues: { ':t': S('N') } },
  // Value-dependent checks (attribute_type's type name, BETWEEN's bounds): the same types with other values.
  { KeyConditionExpression: 'pk = :p AND sk BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':p': S('D#1'), ':hi': S('a'), ':lo': S('z') } },
  // Errors, each as dynalite words it.
  { ConditionExpression: 'attribute_type(#x, :t)', ExpressionAttributeNames: { '#x': 'x' }, ExpressionAttributeValues: { ':t': S('Q') } },
  { KeyConditionExpression: 'pk = :p AND sk BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':p': S('D#1'), ':hi': S('z'), ':lo': S('a') } },
  { ConditionExpression: 'a = = :v', ExpressionAttributeValues: { ':v': N('1') } },
  { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': N('3'), ':w': N('4') } },
  { ConditionExpression: '#nope = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': N('3') } },
  { ConditionExpression: 'status = :v', ExpressionAttributeValues: { ':v': S('x') } },
  // Several expressions sharing names and values (the unused check spans them).
  {
    UpdateExpression: 'SET #a = :a, #b = if_not_exists(#b, :zero) + :one REMOVE #c',
    ConditionExpression: '#a <> :a',
    ExpressionAttributeNames: { '#a': 'a', '#b': 'b', '#c': 'c' },
    ExpressionAttributeValues: { ':a': S('x'), ':zero': N('0'), ':one': N('1') },
  },
  { UpdateExpression: 'SET #a = :a', ConditionExpression: '#b = :b', ExpressionAttributeNames: { '#a': 'a', '#b': 'b' }, ExpressionAttributeValues: { ':a': S('x'), ':b': S('y') } },
  { UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'a', '#b': 'b' }, ExpressionAttributeValues: { ':a': S('x') } },
  { UpdateExpression: 'ADD #n :one DELETE #ss :set', ExpressionAttributeNames: { '#n': 'n', '#ss': 'tags' }, ExpressionAttributeValues: { ':one': N('1'), ':set': { SS: ['a'] } } },
  { UpdateExpression: 'SET #l = list_append(#l, :items)', ExpressionAttributeNames: { '#l': 'events' }, ExpressionAttributeValues: { ':items': { L: [{ M: { at: S('2026') } }] } } },
  { KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', FilterExpression: 'amount > :min', ProjectionExpression: '#a, b.c, d[0]', ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':p': S('D#1'), ':s': S('EV#'), ':min': N('100') } },
];

describe('dynalite expression parse memo', () => {
  const stats = memoizeDynaliteParsers();

  it('answers every request as dynalite does, parsed the first time and from the memo after', () => {
    const hitsBefore = stats.hits;
    for (const request of CASES) {
      const own = withOwnParsers(() => validate(request));
      for (const round of ['first', 'repeat', 'again']) {
        const memo = validate(request);
        expect({ round, request, error: memo.error }).toEqual({ round, request, error: own.error });
        expect(memo.parsed).toEqual(own.parsed);
        // The parsed expressions hold this request's own value objects, as a fresh parse does.
        const values = memo.data.ExpressionAttributeValues ?? {};
        expect([...valueObjectsIn(memo.parsed, values)].sort()).toEqual([...valueObjectsIn(own.parsed, own.data.ExpressionAttributeValues ?? {})].sort());
      }
    }
    expect(stats.hits - hitsBefore).toBeGreaterThan(CASES.length);
    // The error cases do differ from each other: the oracle is not vacuous.
    expect(new Set(CASES.map((c) => withOwnParsers(() => validate(c)).error)).size).toBeGreaterThan(6);
  });

  it('answers an update carrying new values of the same types as dynalite does (updates are keyed by value type)', () => {
    const update = (version: string, name: string, tags: string[], events: unknown[]) => ({
      UpdateExpression: 'SET #v = :v, #n = :n, #e = list_append(if_not_exists(#e, :empty), :events), #c = #c + :one ADD #t :tags REMOVE #l',
      ConditionExpression: '#v = :prev',
      ExpressionAttributeNames: { '#v': 'version', '#n': 'name', '#e': 'events', '#c': 'count', '#t': 'tags', '#l': 'lease' },
      ExpressionAttributeValues: { ':v': N(version), ':prev': N(String(Number(version) - 1)), ':n': S(name), ':empty': { L: [] }, ':events': { L: events }, ':one': N('1'), ':tags': { SS: tags } },
    });
    const hitsBefore = stats.hits;
    for (let i = 1; i <= 5; i++) {
      const request = update(String(i + 1), `dossier ${i}`, [`t${i}`, 'x'], Array.from({ length: i }, (_, k) => ({ M: { at: S(`2026-0${k + 1}`) } })));
      const own = withOwnParsers(() => validate(request));
      const memo = validate(request);
      expect(memo.error).toBe(own.error);
      expect(memo.parsed).toEqual(own.parsed);
      expect([...valueObjectsIn(memo.parsed._updates, memo.data.ExpressionAttributeValues)].sort()).toEqual([':empty', ':events', ':n', ':one', ':tags', ':v']);
    }
    expect(stats.hits - hitsBefore).toBeGreaterThanOrEqual(4);
    // A value of another type is another entry: ADD of a string is refused, as dynalite does.
    const wrong = update('2', 'x', ['a'], []);
    (wrong.ExpressionAttributeValues as any)[':tags'] = S('a');
    expect(validate(wrong).error).toBe(withOwnParsers(() => validate(wrong)).error);
    expect(validate(wrong).error).toMatch(/Incorrect operand type/);
  });

  it("keys attribute_type's type name by its content and the other values by type", () => {
    const send = (typeName: string, stage: string, history: unknown[]) => ({
      ConditionExpression: '#status = :active AND #next.#stage = :stage AND (attribute_not_exists(#sending) OR attribute_type(#sending, :nullType)) AND #h <> :history',
      ExpressionAttributeNames: { '#status': 'status', '#next': 'next', '#stage': 'stage', '#sending': 'sending', '#h': 'history' },
      ExpressionAttributeValues: { ':active': S('active'), ':stage': S(stage), ':nullType': S(typeName), ':history': { L: history } },
    });
    const hitsBefore = stats.hits;
    const requests = [send('NULL', 'first_reminder', []), send('NULL', 'formal_notice', [S('a')]), send('Q', 'first_reminder', []), send('NULL', 'x', [N('1'), S('b')]), send('Q', 'y', [])];
    for (const request of requests) {
      const own = withOwnParsers(() => validate(request));
      const memo = validate(request);
      expect(memo.error).toBe(own.error);
      expect(memo.parsed).toEqual(own.parsed);
    }
    expect(withOwnParsers(() => validate(requests[2])).error).toMatch(/Invalid attribute type name found; type: Q/);
    expect(validate(requests[0]).error).toBeUndefined();
    expect(stats.hits - hitsBefore).toBeGreaterThanOrEqual(3);
  });

  it('hands each request a result of its own: what dynalite writes into one does not reach the next', () => {
    const request = { UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':a': S('x') } };
    const first = validate(request);
    // dynalite's updateItem resolves each SET value in place (section.val = resolveValue(...)).
    first.data._updates.sections[0].val = { S: 'resolved' };
    first.data._updates.sections[0].path.push('mutated');
    const second = validate(request);
    expect(second.data._updates).toEqual(withOwnParsers(() => validate(request)).data._updates);
  });
});
