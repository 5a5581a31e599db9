/**
 * A local mode process (npm start, npm run bench) grows its JavaScript heap by a fixed 25 % over
 * what survives each full collection. V8's default factor goes up to 4x on a machine with memory
 * to spare: a run's live heap stays near 100-150 MB, but sixteen executions at once rendering
 * letters make garbage fast, and the heap was let grow to 300-350 MB between collections, most of
 * a 1,000-dossier run's peak resident memory. The price is more frequent collections (a few % of
 * CPU in the bench). Set at start, before the heap grows; V8 reads the flag at every collection.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;

export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
