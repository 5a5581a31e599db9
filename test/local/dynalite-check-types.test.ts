/**
 * local/dynalite-check-types.ts compiles dynalite's own type check with a memo for two values it
 * only reads: for any request, valid or not, it must answer exactly what dynalite's function
 * answers (the checked request, or the same error). Seeded: the seed is printed;
 * AMIABLE_TYPES_SEED=<seed> replays a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fasterDynaliteTypeChecks } from '../../local/dynalite-check-types';

type Json = any;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validations = require('dynalite/validations') as { checkTypes: (data: Json, types: Json) => Json };
const original = validations.checkTypes;
const ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem', 'query', 'scan', 'batchGetItem', 'batchWriteItem'];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const types = Object.fromEntries(ACTIONS.map((a) => [a, (require(`dynalite/validations/${a}`) as { types: Json }).types]));
const SEED = Number(process.env.AMIABLE_TYPES_SEED ?? Date.now() % 1_000_000);

/** What a check answers: its result, or its error's message and body. */
function outcome(check: (data: Json, t: Json) => Json, data: Json, t: Json): Json {
  try {
    return { ok: check(structuredClone(data), t) };
  } catch (e) {
    return { error: (e as Error).message, body: (e as { body?: unknown }).body, status: (e as { statusCode?: number }).statusCode };
  }
}

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('true', 'no', 'AAAA', 'AA=', '1.50'));
const attributeValue: fc.Arbitrary<Json> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ S: fc.oneof(fc.string({ maxLength: 8 }), scalar) }),
    fc.record({ N: fc.oneof(fc.constantFrom('1', '1.50', '-0', '1e3'), scalar) }),
    fc.record({ B: fc.oneof(fc.constantFrom('AAAA', 'AA==', 'A'), scalar) }),
    fc.record({ BOOL: scalar }),
    fc.record({ NULL: scalar }),
    fc.record({ SS: fc.oneof(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), scalar) }),
    fc.record({ NS: fc.array(fc.oneof(fc.constant('2'), scalar), { maxLength: 3 }) }),
    fc.record({ L: fc.oneof(fc.array(tie('value'), { maxLength: 3 }), scalar) }),
    fc.record({ M: fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 3 }), scalar) }),
    fc.dictionary(fc.constantFrom('S', 'N', 'X', 'M'), scalar, { maxKeys: 2 }),
    scalar,
  ),
})).value;
const item = fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), attributeValue, { maxKeys: 5 }), scalar);
const request = fc.record(
  {
    TableName: fc.oneof(fc.constant('t-table'), scalar),
    Item: item,
    Key: item,
    ExpressionAttributeValues: fc.oneof(fc.dictionary(fc.constantFrom(':a', ':b'), attributeValue, { maxKeys: 2 }), scalar),
    ExpressionAttributeNames: fc.oneof(fc.dictionary(fc.constantFrom('#a'), fc.oneof(fc.string({ maxLength: 3 }), scalar)), scalar),
    ConditionExpression: fc.oneof(fc.constant('attribute_exists(pk)'), scalar),
    ReturnValues: fc.oneof(fc.constantFrom('ALL_NEW', 'NONE'), scalar),
    ConsistentRead: scalar,
    Limit: scalar,
    ExclusiveStartKey: item,
    RequestItems: fc.oneof(
      fc.dictionary(
        fc.constantFrom('t-table'),
        fc.oneof(fc.record({ Keys: fc.array(item, { maxLength: 2 }) }), fc.array(fc.record({ PutRequest: fc.record({ Item: item }) }), { maxLength: 2 }), scalar),
      ),
      scalar,
    ),
    Unknown: scalar,
  },
  { requiredKeys: [] },
);

describe("dynalite's type check, memoised", () => {
  it('answers every request as dynalite does', () => {
    expect(fasterDynaliteTypeChecks()).toBe(true);
    const faster = validations.checkTypes;
    expect(faster).not.toBe(original);
    console.log(`dynalite-check-types: seed ${SEED} (replay: AMIABLE_TYPES_SEED=${SEED})`);
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), request, (action, data) => {
        expect(outcome(faster, data, types[action])).toEqual(outcome(original, data, types[action]));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
