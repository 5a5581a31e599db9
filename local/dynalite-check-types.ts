/**
 * dynalite checks the types of every request (validations.checkTypes) by walking the whole request,
 * attribute value by attribute value, and at each one it matches its type name against a regular
 * expression and builds the AttributeValue type description (an object of ten members) afresh: a
 * dossier item holds hundreds of attribute values, written and read back several times a step.
 *
 * The same function runs here, compiled from dynalite's own source with three substitutions, all of
 * values it only reads: the type-name match comes from a memo (one per type name: a handful), and
 * the AttributeValue description is built once per element type, and a structure's member names
 * are listed once per type description (REDUCE below). Same walk, same result, same
 * errors. If dynalite's source no longer reads as expected, its function is left as it is.
 */
type Json = any;

const MATCH = 'type.match(/(.+?)<(.+)>$/)';
/**
 * The checked copy of a structure, built over its type's member names: `Object.keys(types)` and a
 * reduce closure per structure checked, and an AttributeValue is a structure of ten members (a
 * tenth of the DynamoDB emulation's allocations). The names come from a memo per type description
 * (the descriptions are dynalite's constant tables and the AttributeValue description above), in
 * the same order, into the same object.
 */
const REDUCE = /return Object\.keys\(types\)\.reduce\(function \(newData, key\) \{\n\s*var val = checkType\(data\[key\], types\[key\]\)\n\s*if \(val != null\) newData\[key\] = val\n\s*return newData\n\s*\}, \{\}\)\n/;
const LOOP = 'var __names = __keysOf(types), newData = {}\n  for (var __i = 0; __i < __names.length; __i++) {\n    var val = checkType(data[__names[__i]], types[__names[__i]])\n    if (val != null) newData[__names[__i]] = val\n  }\n  return newData\n';
const ATTR_STRUCT = /return checkType\(val, \{\n\s*type: subtype \+ '<AttributeValue>',[\s\S]*?\n\s*\}\)\n/;

/** The AttributeValue description dynalite builds for `subtype<AttributeValue>`, as it builds it. */
function attrStruct(subtype: string): Json {
  return {
    type: `${subtype}<AttributeValue>`,
    children: {
      S: 'String',
      B: 'Blob',
      N: 'String',
      BOOL: 'Boolean',
      NULL: 'Boolean',
      BS: { type: 'List', children: 'Blob' },
      NS: { type: 'List', children: 'String' },
      SS: { type: 'List', children: 'String' },
      L: { type: 'List', children: 'AttrStruct<ValueStruct>' },
      M: { type: 'Map<AttributeValue>', children: 'AttrStruct<ValueStruct>' },
    },
  };
}

export function fasterDynaliteTypeChecks(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validations = require('dynalite/validations') as { checkTypes: ((data: Json, types: Json) => Json) & { memoized?: true } };
  if (validations.checkTypes.memoized) return true;
  const source = validations.checkTypes.toString();
  if (!source.startsWith('function checkTypes') || source.split(MATCH).length !== 2 || !ATTR_STRUCT.test(source)) return false;
  const matches = new Map<string, RegExpMatchArray | null>();
  const matchType = (type: string) => {
    let m = matches.get(type);
    if (m === undefined) {
      m = type.match(/(.+?)<(.+)>$/);
      matches.set(type, m);
    }
    return m;
  };
  const structs = new Map<string, Json>();
  const structOf = (subtype: string) => {
    let s = structs.get(subtype);
    if (!s) structs.set(subtype, (s = attrStruct(subtype)));
    return s;
  };
  const names = new WeakMap<object, string[]>();
  const keysOf = (types: object) => {
    let k = names.get(types);
    if (!k) names.set(types, (k = Object.keys(types)));
    return k;
  };
  let compiled = source.replace(MATCH, '__matchType(type)').replace(ATTR_STRUCT, 'return checkType(val, __attrStruct(subtype))\n');
  // The member loop only where dynalite's text reads as expected (else its reduce stays).
  if (REDUCE.test(compiled)) compiled = compiled.replace(REDUCE, LOOP);
  // The function's own text, closed over the helpers only (it refers to nothing else of its module).
  const checkTypes = new Function('__matchType', '__attrStruct', '__keysOf', `return ${compiled}`)(matchType, structOf, keysOf) as typeof validations.checkTypes;
  validations.checkTypes = Object.assign(checkTypes, { memoized: true as const });
  return true;
}
