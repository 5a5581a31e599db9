/**
 * dynalite's LevelDB values as their stored text. dynalite opens its one database with the json
 * value encoding (every get decodes with JSON.parse, every put encodes with JSON.stringify) and
 * replaces the instance's get and put with callback versions that take no options; the class's own
 * methods, given the utf8 encoding, read and write the same entries as text (the text a json put
 * stores is exactly JSON.stringify of the value). Used where the text is wanted as well as the
 * value (./dynalite-table-memo, ./dynalite-write-images), so it is not made twice.
 */
type Json = any;

/** abstract-level forwards a constant options object without copying it. */
const AS_TEXT = Object.freeze({ keyEncoding: 'utf8', valueEncoding: 'utf8' });

export interface StoredText {
  /** The stored text of a key (undefined: no such key). */
  get(key: string): Promise<string | undefined>;
  /** Stores a text as the value of a key (tracked as dynalite tracks its writes, for a graceful close). */
  put(key: string, text: string): Promise<void>;
}

/** The text view of dynalite's database, or undefined when its store is not what dynalite 4 makes. */
export function storedText(store: Json): StoredText | undefined {
  const db = store?.db;
  const proto = db ? (Object.getPrototypeOf(db) as { get?: unknown; put?: unknown }) : undefined;
  if (typeof proto?.get !== 'function' || typeof proto.put !== 'function') return undefined;
  const get = proto.get as (key: string, options: object) => Promise<string | undefined>;
  const put = proto.put as (key: string, value: string, options: object) => Promise<void>;
  const lifecycle = store.lifecycleManager as { trackOperation?: (p: Promise<void>) => Promise<void> } | undefined;
  return {
    get: (key) => get.call(db, key, AS_TEXT),
    put: (key, text) => {
      const done = put.call(db, key, text, AS_TEXT);
      return typeof lifecycle?.trackOperation === 'function' ? lifecycle.trackOperation(done) : done;
    },
  };
}
