/**
 * fflate's streaming ZIP as one module: Lambdas bundle it apart (SPLIT_MODULES in
 * lib/handler-function.ts) and bundle-zip.ts loads it with the first evidence bundle built. The
 * hand-off runs without it whenever it builds no bundle (held for approval, a retry that finds the
 * work done or reuses its bundle, a pass-through); so does the evidence route's log read.
 */
export { Zip, ZipDeflate } from 'fflate';
