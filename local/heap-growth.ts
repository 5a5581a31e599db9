/**
 * A local mode process (npm start, npm run bench) grows its JavaScript heap by a fixed 50 % over
 * what survives each full collection. V8's default factor goes up to 4x on a machine with memory
 * to spare: a run's live heap stays near 100-150 MB, but sixteen executions at once rendering
 * letters make garbage fast, and the heap was let grow to 300-350 MB between collections, most of
 * a 1,000-dossier run's peak resident memory. The price is more frequent full collections: at
 * 25 % the worker's heap (~50 MB live) was marked every ~7 MB promoted, 48 full collections per
 * 100 dossiers, and V8's background threads (concurrent marking) used a third of the CPU.
 * Session 12, 1,000 dossiers, quiet machine, one worker running every handler (main-thread share
 * 0): growth 25 % took 87.0 s, 138 ms CPU per dossier (47.0 s in V8's background threads),
 * maxRSS 350 MiB; 50 %: 76.1 s, 117 ms (34.8 s), 388 MiB; 100 %: 78.9 s, 120 ms (30.5 s),
 * 449 MiB. 50 % is the knee, well inside the 500 MB budget. (Session 11 kept 25 % because the
 * main thread then ran a share of the handlers, which cost ~60 MB: at 50 % it peaked at 489 MiB.)
 * Set at start, before the heap grows; V8 reads the flag at
 * every collection, in every isolate.
 *
 * The young generation cannot be bounded from here: V8 sizes it when the isolate is created, so
 * `npm start`, `npm run demo` and `npm run bench` pass `--max-semi-space-size` (package.json;
 * `YOUNG_GENERATION_FLAG`) to node. Without it the main thread's young generation grew to 34 MB
 * committed (two 16 MB semi-spaces) for a few MB live: ~25 MB of resident memory at 300 dossiers.
 * The handler worker threads have theirs capped by their resource limits (local/handler-workers.ts).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** What package.json's local mode scripts pass to node (checked by test/local/heap-growth.test.ts). */
export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=4';

/**
 * What package.json's local mode scripts set before node starts (checked by
 * test/infra/local-memory.test.ts): glibc gives each thread that allocates its own malloc arena
 * (up to 8 per core: the main thread, the handler worker, V8's four platform threads, libuv's
 * pool), each keeping its freed memory; two arenas kept ~30 MB off the peak at 300 dossiers.
 * Only an environment variable read when the C library starts can set it (glibc has no runtime
 * switch node exposes), hence the scripts; the C libraries without arenas (musl, macOS) ignore it.
 */
export const MALLOC_ARENAS_ENV = 'MALLOC_ARENA_MAX=2';

export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
