/**
 * Write units a table write costs in its global secondary indexes, which the local DynamoDB
 * emulator (dynalite) does not report: on AWS, every write that changes what an index holds is
 * also a write to that index, billed like a table write (1 WRU per started KiB of the index entry;
 * on demand, the same price per unit). From the AWS developer guide, "Global secondary indexes /
 * Provisioned throughput considerations / Write capacity units"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes):
 * - an item that gets the index's key attributes (new, or defined by an update): 1 write (put);
 * - an item whose index key value changes (A to B): 2 writes (delete the old entry, put the new);
 * - an item that loses an index key attribute (or is deleted): 1 write (delete);
 * - an item in the index whose projected attributes change, keys unchanged: 1 write;
 * - an item in no index before or after, or whose entry does not change: nothing.
 * The size of an index write is the index entry's: the table's key, the index's key and the
 * projected attributes (KEYS_ONLY: none; INCLUDE: those listed; ALL: every attribute), rounded up
 * to the next KiB, sizes as the emulator measures items (dynalite's itemSize). Assumption: a
 * delete is billed on the size of the entry deleted.
 * Pure; items are attribute-value maps (what dynalite and the stream records hold).
 */

type AttributeValue = Record<string, any>;
export type Item = Record<string, AttributeValue>;

export interface IndexSpec {
  name: string;
  /** The index's key attributes (partition, then sort). */
  keys: string[];
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** Non-key attributes INCLUDE projects. */
  include: string[];
}

export interface TableIndexes {
  tableName?: string;
  /** The table's own key attributes (projected into every index). */
  tableKeys: string[];
  indexes: IndexSpec[];
}

/** The key and global secondary indexes of a table, from its template properties (AWS::DynamoDB::Table). */
export function indexesOfTable(p: any): TableIndexes {
  return {
    tableName: typeof p?.TableName === 'string' ? p.TableName : undefined,
    tableKeys: (p?.KeySchema ?? []).map((k: any) => k.AttributeName),
    indexes: (p?.GlobalSecondaryIndexes ?? []).map((g: any) => ({
      name: g.IndexName,
      keys: g.KeySchema.map((k: any) => k.AttributeName),
      projection: g.Projection?.ProjectionType ?? 'ALL',
      include: g.Projection?.NonKeyAttributes ?? [],
    })),
  };
}

/** The tables of a synthesized template (logical id order), with their indexes. */
export function tableIndexes(template: any): TableIndexes[] {
  return Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::DynamoDB::Table')
    .map((r) => indexesOfTable(r.Properties));
}

/**
 * An item's size as the emulator computes it for the table's own units (dynalite's itemSize:
 * attribute names plus values, DynamoDB's rules), so an index entry and the table write it comes
 * from are measured alike.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const itemSize: (item: Item) => number = require('dynalite/db').itemSize;

/** The entry `item` has in `index` (undefined: not in it, a key attribute is missing). */
export function indexEntry(item: Item | undefined, index: IndexSpec, tableKeys: string[]): Item | undefined {
  if (!item || index.keys.some((k) => item[k] === undefined)) return undefined;
  const names = index.projection === 'ALL' ? Object.keys(item) : [...tableKeys, ...index.keys, ...(index.projection === 'INCLUDE' ? index.include : [])];
  const entry: Item = {};
  for (const name of names) if (item[name] !== undefined) entry[name] = item[name];
  return entry;
}

/** Equal attribute values, whatever the order of a map's names or a set's members. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return `{${Object.entries(v)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, e]) => `${JSON.stringify(k)}:${['SS', 'NS', 'BS'].includes(k) && Array.isArray(e) ? canonical([...e].sort()) : canonical(e)}`)
      .join(',')}}`;
  }
  return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : JSON.stringify(v);
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const units = (entry: Item) => Math.max(1, Math.ceil(itemSize(entry) / 1024));

/**
 * Write units one table write (old image -> new image; either absent for a put of a new item or a
 * delete) costs in each index, by name (indexes it does not touch are left out).
 */
export function indexWriteUnits(spec: Pick<TableIndexes, 'tableKeys' | 'indexes'>, before: Item | undefined, after: Item | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const index of spec.indexes) {
    const old = indexEntry(before, index, spec.tableKeys);
    const now = indexEntry(after, index, spec.tableKeys);
    let n = 0;
    if (old && now) {
      if (index.keys.some((k) => !same(old[k], now[k]))) n = units(old) + units(now);
      else if (!same(old, now)) n = units(now);
    } else if (now) n = units(now);
    else if (old) n = units(old);
    if (n > 0) out[index.name] = n;
  }
  return out;
}
