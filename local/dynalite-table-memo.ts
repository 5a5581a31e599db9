/**
 * dynalite reads its table description from LevelDB at the start of every request (getTable) and
 * decodes it: JSON.parse of ~3 KB for the dossier table (its key schema, attribute definitions and
 * five indexes), about 100 times per escalated dossier, and the objects it makes are garbage at the
 * end of the request. The read cache in front of LevelDB (./level-read-cache) already answers the
 * read from memory; here the decoded description is kept too, next to the text it was decoded
 * from, and handed again while the stored text is the same.
 *
 * Exact: the stored text is still read on every request (from the read cache, undecoded), and a
 * description whose text changed (CreateTable, UpdateTable, DeleteTable, a table upgrade) is
 * decoded again. Shared, so only for the actions that read the description and never change it
 * (the item reads and writes: test/local/dynalite-direct.test.ts checks a kept description still
 * encodes to its text after a run); the table actions get dynalite's own getTable. Anything
 * unusual (no such table, a table being created or deleted, a value that does not decode) goes
 * to dynalite's own getTable, which answers it as it always did.
 */
import { storedText } from './dynalite-text';

type Json = any;
type Store = Json;
type GetTable = (name: string, checkStatus: unknown, cb?: (err: unknown, table?: Json) => void) => void;

/** Actions that read the table description and never change it (dynalite 4.0.0's actions/*.js). */
export const READS_TABLE_ONLY = new Set(['getItem', 'putItem', 'updateItem', 'deleteItem', 'query', 'scan', 'batchGetItem', 'batchWriteItem']);

/** dynalite keeps table descriptions under this prefix of its one database (db/index.js getSubDb('table')). */
const TABLE_PREFIX = 'table~';
const KEPT_TABLES = 64;

/** The descriptions kept per store, for the tests: each must still encode to the text it came from. */
const kept = new WeakMap<Store, Map<string, { text: string; table: Json }>>();

/** A view of dynalite's store whose getTable hands the decoded description kept for an unchanged text. */
export function withTableMemo(store: Store): Store {
  const text = storedText(store);
  if (!text || typeof store.getTable !== 'function') return store;
  const original = store.getTable as GetTable;
  const memo = new Map<string, { text: string; table: Json }>();
  kept.set(store, memo);
  const view = Object.create(store);
  view.getTable = function getTable(name: string, checkStatus: unknown, cb?: (err: unknown, table?: Json) => void): void {
    const done = (typeof checkStatus === 'function' ? checkStatus : cb) as (err: unknown, table?: Json) => void;
    const fallback = () => original.call(store, name, checkStatus, cb);
    let reading: Promise<unknown>;
    try {
      reading = text.get(TABLE_PREFIX + name);
    } catch {
      return fallback();
    }
    reading.then((stored) => {
      if (typeof stored !== 'string') return fallback();
      let m = memo.get(name);
      if (!m || m.text !== stored) {
        let table: Json;
        try {
          table = JSON.parse(stored);
        } catch {
          return fallback();
        }
        if (memo.size >= KEPT_TABLES) memo.clear();
        memo.set(name, (m = { text: stored, table }));
      }
      const table = m.table;
      // dynalite's own checks (db/index.js getTable): a table not ACTIVE-like is answered by it.
      const usable = table && typeof table === 'object' && table.TableStatus && !(checkStatus && (table.TableStatus == 'CREATING' || table.TableStatus == 'DELETING'));
      if (!usable) return fallback();
      // As dynalite calls back: after the read, on the next turn of the event loop.
      setImmediate(done, null, table);
    }, fallback);
  };
  return view;
}

/** Whether every description kept for this store still encodes to the text it was decoded from (tests). */
export function tableMemoIntact(store: Store): boolean {
  for (const { text, table } of kept.get(store)?.values() ?? []) if (JSON.stringify(table) !== text) return false;
  return true;
}
