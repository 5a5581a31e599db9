/**
 * dynalite checks the types of every request (validations.checkTypes) by walking the whole request,
 * attribute value by attribute value, and at each one it matches its type name against a regular
 * expression and builds the AttributeValue type description (an object of ten members) afresh: a
 * dossier item holds hundreds of attribute values, written and read back several times a step.
 *
 * The same function runs here, compiled from dynalite's own source with two substitutions, both of
 * values it only reads: the type-name match comes from a memo (one per type name: a handful), and
 * the AttributeValue description is built once per element type. Same walk, same result, same
 * errors. If dynalite's source no longer reads as expected, its function is left as it is.
 */
type Json = any;

const MATCH = 'type.match(/(.+?)<(.+)>$/)';
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
  const compiled = source.replace(MATCH, '__matchType(type)').replace(ATTR_STRUCT, 'return checkType(val, __attrStruct(subtype))\n');
  // The function's own text, closed over the two helpers only (it refers to nothing else of its module).
  const checkTypes = new Function('__matchType', '__attrStruct', `return ${compiled}`)(matchType, structOf) as typeof validations.checkTypes;
  validations.checkTypes = Object.assign(checkTypes, { memoized: true as const });
  return true;
}
