/**
 * The images dynalite itself reads and writes for a PutItem, UpdateItem or DeleteItem, handed to
 * the local stream layer (./dynamodb-stream) so it need not ask for them. Without this, every
 * write through the layer cost a second request to dynalite (a GetItem for the image after a put,
 * or before an update of a key it did not remember) and a rewrite of the caller's request
 * (ReturnValues) and answer: ~17 of the ~100 dynalite requests of an escalated dossier.
 *
 * How: dynalite's three write actions are wrapped before dynalite loads them (it requires them
 * once, when its module loads). Each call runs against a view of dynalite's store whose item
 * database records the item the action read under its per-key lock (the image before: what a
 * consistent GetItem would have answered just before the write) and the item it stored or deleted
 * (the image after). Those are the exact values dynalite keeps (numbers normalized, as GetItem
 * answers them). A successful write leaves its pair here, by table and key (the key as the request
 * sent it, serialized as the stream layer does), for the layer to take when the answer arrives;
 * a failed write (condition, validation) leaves nothing. The layer serializes writes per key, so
 * one pair per key at a time.
 */
import { prepareDynaliteLevel } from './dynalite-level';
import { storedText, type StoredText } from './dynalite-text';

type Json = any;
type Item = Record<string, Json>;

export interface WriteImages {
  /** Null: no item. */
  before: Item | null;
  after: Item | null;
  /**
   * JSON.stringify of each image, when known: the text LevelDB held (before) and the text stored
   * (after). The stream layer's records carry the images as text; without these it encoded both
   * images of every write again (the item was encoded three times per write, now once).
   */
  beforeText?: string;
  afterText?: string;
}

type Action = (store: Json, data: Json, cb: (err: unknown, result?: Json) => void) => void;

const ACTIONS = ['putItem', 'updateItem', 'deleteItem'] as const;
const taken = new Map<string, WriteImages>();
/** Tables whose writes are recorded (a stream layer reads them). */
const tables = new Set<string>();
/**
 * Pairs nobody took (a write that did not pass through a layer) are dropped oldest first: a pair
 * is taken as soon as its answer reaches the layer, long before this many other writes end.
 */
const KEPT = 4096;
let installed: boolean | undefined;

/** The id of a write's key: table name and the key object as the stream layer serializes it. */
export function writeId(tableName: string, key: Item): string {
  return `${tableName}\u0000${JSON.stringify(key)}`;
}

/**
 * Wraps dynalite's write actions, once, if dynalite is not loaded yet (after that, its table of
 * actions holds the originals). Returns whether the images are recorded.
 */
export function recordDynaliteWriteImages(): boolean {
  if (installed !== undefined) return installed;
  installed = false;
  let index: string;
  try {
    index = require.resolve('dynalite');
  } catch {
    return installed;
  }
  if (require.cache[index]) return installed; // too late: dynalite holds its actions already
  // The actions load dynalite's db module, which reads its LevelDB class once.
  prepareDynaliteLevel();
  for (const name of ACTIONS) {
    const path = require.resolve(`dynalite/actions/${name}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const original = require(path) as Action;
    const cached = require.cache[path]!;
    cached.exports = recording(name, original);
  }
  installed = true;
  return installed;
}

/** Records the writes to this table from now on. */
export function recordWritesTo(tableName: string): void {
  tables.add(tableName);
}

/** The images of the last successful write to this key (once: they are removed). */
export function takeWriteImages(id: string): WriteImages | undefined {
  const images = taken.get(id);
  if (images) taken.delete(id);
  return images;
}

/** Forgets any images left for this key (before a write whose images are wanted). */
export function forgetWriteImages(id: string): void {
  taken.delete(id);
}

/** The text view of each store (./dynalite-text), made once. */
const texts = new WeakMap<object, StoredText | null>();
const textOf = (store: Json): StoredText | undefined => {
  let t = texts.get(store);
  if (t === undefined) texts.set(store, (t = storedText(store) ?? null));
  return t ?? undefined;
};

function recording(name: (typeof ACTIONS)[number], original: Action): Action {
  return function recordingAction(store, data, cb) {
    const tableName: string = data.TableName;
    if (!tables.has(tableName)) return original(store, data, cb);
    const images: WriteImages = { before: null, after: null };
    // Now: an update of a new item builds it on the request's Key object.
    const id = writeId(tableName, name === 'putItem' ? { pk: data.Item?.pk, sk: data.Item?.sk } : data.Key);
    const text = textOf(store);
    // dynalite's item database of a table is its one database under this prefix (db/index.js getItemDb).
    const prefix = `item-${tableName}~`;
    const view = Object.create(store);
    view.getItemDb = (table: string) => {
      const itemDb = store.getItemDb(table);
      if (table !== tableName) return itemDb;
      // Only the three calls the write actions make on the written key go through the view.
      const recorded = Object.create(itemDb);
      const getDecoded = (key: string, callback: (err: unknown, item?: Item) => void) =>
        itemDb.get(key, (err: unknown, item?: Item) => {
          if (!err) images.before = item ?? null;
          callback(err, item);
        });
      const putEncoded = (key: string, item: Item, callback: (err: unknown) => void) =>
        itemDb.put(key, item, (err: unknown) => {
          if (!err) images.after = item;
          callback(err);
        });
      // Read and written as text, decoded and encoded here as dynalite's json encoding does (same
      // entries, same bytes), so the texts are known; anything unusual goes through dynalite's calls.
      recorded.get = !text
        ? getDecoded
        : (key: string, callback: (err: unknown, item?: Item) => void) => {
            let reading: Promise<string | undefined>;
            try {
              reading = text.get(prefix + key);
            } catch {
              return getDecoded(key, callback);
            }
            reading.then(
              (stored) => {
                let item: Item | undefined;
                try {
                  item = stored === undefined ? undefined : JSON.parse(stored);
                } catch {
                  return getDecoded(key, callback);
                }
                images.before = item ?? null;
                images.beforeText = stored;
                // As dynalite calls back: after the read, on the next turn of the event loop.
                setImmediate(callback, null, item);
              },
              () => getDecoded(key, callback),
            );
          };
      recorded.put = !text
        ? putEncoded
        : (key: string, item: Item, callback: (err: unknown) => void) => {
            let encoded: string;
            let writing: Promise<void>;
            try {
              encoded = JSON.stringify(item);
              writing = text.put(prefix + key, encoded);
            } catch {
              return putEncoded(key, item, callback);
            }
            writing.then(
              () => {
                images.after = item;
                images.afterText = encoded;
                setImmediate(callback, null);
              },
              (err: unknown) => setImmediate(callback, err),
            );
          };
      recorded.del = (key: string, callback: (err: unknown) => void) => itemDb.del(key, callback);
      return recorded;
    };
    original(view, data, (err, result) => {
      if (!err) {
        // Not copies: dynalite only serializes them after this (an answer's Attributes), and keeps none.
        taken.delete(id);
        taken.set(id, images);
        if (taken.size > KEPT) taken.delete(taken.keys().next().value as string);
      }
      cb(err, result);
    });
  };
}
