// aws-local-stepfunctions 3 uses Promise.withResolvers (Node >= 22); this machine runs Node 20.
import '../local/polyfills';
// Local mode prints a readable line per notice, payment, state change and clock move; tests run
// quiet (AMIABLE_QUIET=0 shows them).
process.env.AMIABLE_QUIET ??= '1';
// Handlers run in this thread unless a run asks for worker threads (AMIABLE_LOCAL_WORKERS=1 npx vitest
// run test/local/...): several tests hook the handlers' SDK clients in this thread (send-barrier.ts).
process.env.AMIABLE_LOCAL_WORKERS ??= '0';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { testSeed } from './support/seed';

// Local mode's synthesized template, cached on disk by a hash of its sources (local/synth-cache.ts):
// every end-to-end test file starts local mode, and synthesizing is most of a start on busy cores.
process.env.AMIABLE_SYNTH_CACHE ??= path.join(os.tmpdir(), 'amiable-synth-cache');

// Property tests: fast-check prints `seed` (and `path`) on a failure; AMIABLE_SEED=<seed> replays it.
if (process.env.AMIABLE_SEED !== undefined) fc.configureGlobal({ seed: testSeed() });
