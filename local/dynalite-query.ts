/**
 * dynalite reads every Query and Scan through a Node Readable over its LevelDB iterator, wrapped in
 * `lazy` streams (db.queryTable: a Lazy for the values, another for takeWhile, a join): each Lazy
 * defines some forty closures when it is made, every value passes through three event emitters and
 * a promise per value. That machinery was the largest allocation of the DynamoDB emulation after the
 * requests' own copies (~15 KB per query), for ~40 queries per escalated dossier.
 *
 * Here the same reads run as a loop over the same iterator (same range, with dynalite's key prefix
 * applied as its prefixed database applies it, same limit, same order, values decoded by the same
 * json encoding, read in batches), with dynalite's own steps on each value (the 1 MB and Limit
 * stops, the item sizes and capacity) and on the list (filters, LastEvaluatedKey, projection,
 * Count, ConsumedCapacity), copied from db/index.js queryTable as of dynalite 4.0.0. A query that
 * fetches items from the table through a local index (fetchFromItemDb), or a store that is not
 * dynalite 4's, goes to dynalite's own function. test/local/dynalite-query.test.ts runs queries
 * and scans both ways on the same data and compares the answers.
 */
type Json = any;
type QueryTable = (store: Json, table: Json, data: Json, opts: Json, isLocal: boolean, fetchFromItemDb: boolean, startKeyNames: string[], cb: (err: unknown, result?: Json) => void) => void;

interface DynaliteDb {
  queryTable: QueryTable & { direct?: true };
  itemSize(item: Json, compress?: boolean, addMetaSize?: boolean, rangeKey?: string): number;
  matchesExprFilter(item: Json, expr: Json): boolean;
  matchesFilter(item: Json, filter: Json, conditionalOperator: Json): boolean;
  mapPaths(paths: Json, item: Json): Json;
}

/** Values read from the iterator at a time (it is given the query's limit too). */
const BATCH = 64;
const MAX_BYTES = 1024 * 1024;

let original: QueryTable | undefined;

/** dynalite's own queryTable (the tests' oracle). */
export function originalQueryTable(): QueryTable {
  fasterDynaliteQueries();
  return original!;
}

/** Replaces dynalite's queryTable (which query.js and scan.js call through its module), once. */
export function fasterDynaliteQueries(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const db = require('dynalite/db') as DynaliteDb;
  if (db.queryTable.direct) return;
  original = db.queryTable;
  const fallback = original;
  db.queryTable = Object.assign(
    function queryTable(store: Json, table: Json, data: Json, opts: Json, isLocal: boolean, fetchFromItemDb: boolean, startKeyNames: string[], cb: (err: unknown, result?: Json) => void): void {
      const level = store?.db;
      if (fetchFromItemDb || typeof level?.values !== 'function') return fallback(store, table, data, opts, isLocal, fetchFromItemDb, startKeyNames, cb);
      let called = false;
      const done = (err: unknown, result?: Json) => {
        if (called) return;
        called = true;
        cb(err, result);
      };
      read(db, level, table, data, opts, isLocal, startKeyNames).then(
        (result) => done(null, result),
        (err) => done(err),
      );
    },
    { direct: true as const },
  );
}

async function read(db: DynaliteDb, level: Json, table: Json, data: Json, opts: Json, isLocal: boolean, startKeyNames: string[]): Promise<Json> {
  // The range as dynalite's prefixed database gives it to LevelDB (db/index.js createPrefixedDbWrapper, getItemDb, getIndexDb).
  const prefix = data.IndexName ? `index-${isLocal ? 'local' : 'global'}~${data.TableName}~${data.IndexName}~` : `item-${data.TableName}~`;
  const range = { ...opts };
  if (range.gte) range.gte = prefix + range.gte;
  else if (range.gt) range.gt = prefix + range.gt;
  else range.gte = prefix;
  if (range.lte) range.lte = prefix + range.lte;
  else if (range.lt) range.lt = prefix + range.lt;
  else range.lt = prefix + '\xFF';

  let tableCapacity = 0;
  let indexCapacity = 0;
  const calculateCapacity = ~['TOTAL', 'INDEXES'].indexOf(data.ReturnConsumedCapacity);
  let size = 0;
  let count = 0;
  const rangeKey = table.KeySchema[1] && table.KeySchema[1].AttributeName;

  // takeWhile's steps, value by value, until its first false.
  let items: Json[] = [];
  const iterator = level.values(range);
  try {
    reading: for (;;) {
      const batch: Json[] = await iterator.nextv(BATCH);
      if (batch.length === 0) break;
      for (const val of batch) {
        if (count >= data.Limit || size >= MAX_BYTES) break reading;
        if (calculateCapacity) {
          const capacitySize = db.itemSize(val);
          if (data.IndexName) indexCapacity += capacitySize;
          else tableCapacity += capacitySize;
        }
        count++;
        size += db.itemSize(val, true, true, rangeKey);
        items.push(val);
      }
    }
  } finally {
    await iterator.close();
  }

  // join's steps.
  const lastItem = items[items.length - 1];
  const queryFilter = data.QueryFilter || data.ScanFilter;
  if (data._filter) items = items.filter((val) => db.matchesExprFilter(val, data._filter.expression));
  else if (queryFilter) items = items.filter((val) => db.matchesFilter(val, queryFilter, data.ConditionalOperator));

  const result: Json = { ScannedCount: count };
  if (count >= data.Limit || size >= MAX_BYTES) {
    if (data.Limit) items.splice(data.Limit);
    if (lastItem) {
      result.LastEvaluatedKey = startKeyNames.reduce((key: Json, attr: string) => {
        key[attr] = lastItem[attr];
        return key;
      }, {});
    }
  }

  const paths = data._projection ? data._projection.paths : data.AttributesToGet;
  if (paths) items = items.map((item) => db.mapPaths(paths, item));

  result.Count = items.length;
  if (data.Select != 'COUNT') result.Items = items;
  if (calculateCapacity) {
    const tableUnits = Math.ceil(tableCapacity / 1024 / 4) * (data.ConsistentRead ? 1 : 0.5);
    const indexUnits = Math.ceil(indexCapacity / 1024 / 4) * (data.ConsistentRead ? 1 : 0.5);
    result.ConsumedCapacity = {
      CapacityUnits: tableUnits + indexUnits,
      TableName: data.TableName,
    };
    if (data.ReturnConsumedCapacity == 'INDEXES') {
      result.ConsumedCapacity.Table = { CapacityUnits: tableUnits };
      if (data.IndexName) {
        const indexAttr = isLocal ? 'LocalSecondaryIndexes' : 'GlobalSecondaryIndexes';
        result.ConsumedCapacity[indexAttr] = {};
        result.ConsumedCapacity[indexAttr][data.IndexName] = { CapacityUnits: indexUnits };
      }
    }
  }
  return result;
}
