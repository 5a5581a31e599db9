/**
 * What building an evidence bundle needs beyond the rest of its function, as one module: fflate's
 * streaming ZIP with its entries (zip-entry.ts), and the timeline page. Lambdas bundle it apart (SPLIT_MODULES in
 * lib/handler-function.ts) and bundle-zip.ts loads it with the first bundle built. The hand-off
 * runs without it whenever it builds no bundle (held for approval, a retry that finds the work
 * done or reuses its bundle, a pass-through); so do the evidence route's log reads.
 */
export { Zip } from 'fflate';
export { ZipEntry } from './zip-entry';
export { renderTimeline } from '../notices/evidence-timeline';
