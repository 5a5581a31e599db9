/**
 * A local mode process (npm start, npm run bench) grows its JavaScript heap by a fixed 25 % over
 * what survives each full collection. V8's default factor goes up to 4x on a machine with memory
 * to spare: a run's live heap stays near 100-150 MB, but sixteen executions at once rendering
 * letters make garbage fast, and the heap was let grow to 300-350 MB between collections, most of
 * a 1,000-dossier run's peak resident memory. The price is more frequent full collections: the
 * worker's heap (~50 MB live) is marked every ~7 MB promoted, 48 full collections per 100
 * dossiers. 50 % halved them and took ~20 s of V8's background threads off 1,000 dossiers
 * (-3 % CPU in all), but peaked at 489 MiB against 419 (README, "Handlers in worker threads"):
 * too close to the 500 MB budget. Set at start, before the heap grows; V8 reads the flag at
 * every collection, in every isolate.
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
