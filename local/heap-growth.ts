/**
 * A local mode process (npm start, npm run bench) grows its JavaScript heap by a fixed 25 % over
 * what survives each full collection. V8's default factor goes up to 4x on a machine with memory
 * to spare: a run's live heap stays near 100-150 MB, but sixteen executions at once rendering
 * letters make garbage fast, and the heap was let grow to 300-350 MB between collections, most of
 * a 1,000-dossier run's peak resident memory. The price is more frequent collections (a few % of
 * CPU in the bench). Set at start, before the heap grows; V8 reads the flag at every collection.
 *
 * The young generation cannot be bounded from here: V8 sizes it when the isolate is created, so
 * `npm start`, `npm run demo` and `npm run bench` pass `--max-semi-space-size` (package.json;
 * `YOUNG_GENERATION_FLAG`) to node. Without it the main thread's young generation grew to 34 MB
 * committed (two 16 MB semi-spaces) for a few MB live: ~25 MB of resident memory at 300 dossiers.
 * The handler worker threads have theirs capped by their resource limits (local/handler-workers.ts).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;

/** What package.json's local mode scripts pass to node (checked by test/local/heap-growth.test.ts). */
export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=4';

export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
