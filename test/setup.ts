// aws-local-stepfunctions 3 uses Promise.withResolvers (Node >= 22); this machine runs Node 20.
import '../local/polyfills';
// Local mode prints a readable line per notice, payment, state change and clock move; tests run
// quiet (AMIABLE_QUIET=0 shows them).
process.env.AMIABLE_QUIET ??= '1';
