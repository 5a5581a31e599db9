/**
 * Fails when the project's own modules import each other in a cycle (type-only imports included:
 * a cycle of types still ties two modules together). Uses the TypeScript compiler's own import
 * scanner and module resolution, so it sees exactly what `tsc` sees, in about a second.
 * Run by `npm run lint`.
 *
 * One kind of edge is not a tie: the run-time load (`import('./x.js')`) of a split module
 * (SPLIT_MODULES, lib/handler-function.ts). A Lambda's index.js never bundles that module: it reads
 * the file next to it on first use. pdf-letter.ts loads pdf-libs.ts so, and pdf-libs.ts carries
 * pdf-letter.ts's renderer with the libraries (notices/pdf-render.ts): a load, not a cycle.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { SPLIT_MODULES } from '../lib/handler-function';

const root = path.resolve(__dirname, '..');
const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
if (!config) throw new Error('tsconfig.json could not be read');

const files = config.fileNames.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`)).map((f) => path.resolve(f));
const own = new Set(files);
const splitEntries = new Set(SPLIT_MODULES.map((m) => path.resolve(root, m.entry)));
/** `import('<specifier>')` in this source: a run-time load. */
const loadsAtRunTime = (source: string, specifier: string) => source.includes(`import('${specifier}')`);
const graph = new Map<string, string[]>();
for (const file of files) {
  const source = ts.sys.readFile(file) ?? '';
  const imports = ts.preProcessFile(source, true, true).importedFiles;
  const deps = new Set<string>();
  for (const { fileName } of imports) {
    const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule?.resolvedFileName;
    if (resolved && splitEntries.has(path.resolve(resolved)) && loadsAtRunTime(source, fileName)) continue;
    if (resolved && own.has(path.resolve(resolved))) deps.add(path.resolve(resolved));
  }
  graph.set(file, [...deps]);
}

// Depth-first search; each back edge closes one cycle, reported once by its sorted member list.
const state = new Map<string, 'open' | 'done'>();
const stack: string[] = [];
const cycles = new Map<string, string[]>();
function visit(file: string): void {
  state.set(file, 'open');
  stack.push(file);
  for (const dep of graph.get(file) ?? []) {
    if (state.get(dep) === 'open') {
      const cycle = stack.slice(stack.indexOf(dep)).map((f) => path.relative(root, f));
      cycles.set([...cycle].sort().join('|'), cycle);
    } else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) visit(file);

if (cycles.size > 0) {
  for (const cycle of cycles.values()) console.error(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
  process.exit(1);
}
console.log(`no import cycle among ${files.length} modules`);
