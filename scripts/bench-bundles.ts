/**
 * The bundles phase of `npm run bench` (`npm run bench -- --only=bundles`): for every Lambda of the
 * synthesized stack, its bundle size and module init time side by side with its *floor*, a bundle
 * that only constructs the SDK clients the handler uses, built with the same esbuild settings
 * (BUNDLE_SETTINGS of lib/handler-function.ts) and started with the same NODE_OPTIONS.
 *
 * - Which clients a handler uses is read from what its role may do (the template's IAM, as
 *   test/infra/least-privilege.test.ts pins it): dynamodb:* -> DynamoDBClient, s3:* -> S3Client,
 *   ses:* -> SESv2Client, states:* -> SFNClient, events:PutEvents -> the SigV4 signer and the
 *   default credential chain. Stream reads (an event source mapping's, not the code's) don't count.
 * - Init time: the CPU time of the `require()` of the bundle inside a fresh `node` process (what a
 *   cold start pays on top of the runtime's own start), in the function's environment. Handler and
 *   floor runs are paired and alternate which goes first; medians over BENCH_INIT_RUNS pairs
 *   (default 31), the ratio being the median of the pairs' ratios.
 * - Size is index.js, what a cold start loads; the split modules built next to it (SPLIT_MODULES:
 *   the PDF and MIME libraries, read by the sends that need them) are shown apart, as "lazy".
 * - Results go to bench-results/bundles.json (git-ignored); the budget is each ratio <= 1.25.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { App } from 'aws-cdk-lib';
import { appContext, buildApp, STACK_NAME } from '../lib/app';
import { BUNDLE_SETTINGS, HANDLER_METADATA_KEY, SPLIT_MODULES } from '../lib/handler-function';

type Json = any;

const ROOT = path.join(__dirname, '..');
export const RESULTS_DIR = path.join(ROOT, 'bench-results');
const BUILD_DIR = path.join(RESULTS_DIR, 'build');
export const BUDGET_RATIO = 1.25;

/** What the floor bundle constructs for each service a role may call. */
const FLOOR_PARTS: Record<string, { imports: string; construct: string }> = {
  dynamodb: { imports: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`, construct: `new DynamoDBClient({})` },
  s3: { imports: `import { S3Client } from '@aws-sdk/client-s3';`, construct: `new S3Client({ forcePathStyle: false })` },
  ses: { imports: `import { SESv2Client } from '@aws-sdk/client-sesv2';`, construct: `new SESv2Client({})` },
  states: { imports: `import { SFNClient } from '@aws-sdk/client-sfn';`, construct: `new SFNClient({})` },
  events: {
    imports: `import { defaultProvider } from '@aws-sdk/credential-provider-node';\nimport { SignatureV4 } from '@smithy/signature-v4';`,
    construct: `new SignatureV4({ credentials: defaultProvider(), region: 'eu-west-3', service: 'events', sha256: class {} as never })`,
  },
};

/** Actions a role holds for an event source mapping (Lambda polls the stream), not for the code. */
const EVENT_SOURCE_ACTIONS = /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$|^sqs:/i;

export interface BundleRow {
  handler: string;
  services: string[];
  /** index.js, what a cold start loads. */
  bundleBytes: number;
  mapBytes: number;
  /** The split modules (SPLIT_MODULES) built next to it, loaded by the sends that need them. */
  lazyBytes: number;
  floorBytes: number;
  sizeRatio: number;
  initMs: number;
  floorInitMs: number;
  initRatio: number;
  /** The largest inputs of the bundle, by bytes in the output: where the weight comes from. */
  heaviest: { input: string; bytes: number }[];
}

interface FunctionInfo {
  handler: string;
  environment: Record<string, string>;
  services: string[];
}

const list = (v: Json): Json[] => (v === undefined ? [] : ([] as Json[]).concat(v));

/** Every function of the stack: handler module, environment (tokens made plain) and services. */
function functionsOfStack(): FunctionInfo[] {
  const app = new App({ context: appContext({ 'aws:cdk:bundling-stacks': [] }) });
  buildApp(app, { nag: false });
  const template = app.synth().getStackByName(STACK_NAME).template;
  const resources: Record<string, Json> = template.Resources;
  const byHandler = new Map<string, FunctionInfo>();
  for (const r of Object.values<Json>(resources)) {
    const handler = r.Type === 'AWS::Lambda::Function' ? r.Metadata?.[HANDLER_METADATA_KEY] : undefined;
    if (!handler || byHandler.has(handler)) continue;
    const environment: Record<string, string> = {};
    for (const [k, v] of Object.entries<Json>(r.Properties.Environment?.Variables ?? {})) environment[k] = typeof v === 'string' ? v : `bench-${k.toLowerCase()}`;
    const roleId = r.Properties.Role['Fn::GetAtt'][0];
    const statements = [
      ...Object.values<Json>(resources)
        .filter((p) => p.Type === 'AWS::IAM::Policy' && list(p.Properties.Roles).some((x: Json) => x.Ref === roleId))
        .flatMap((p) => list(p.Properties.PolicyDocument.Statement)),
      ...list(resources[roleId].Properties.Policies).flatMap((p: Json) => list(p.PolicyDocument.Statement)),
    ];
    const services = new Set<string>();
    for (const s of statements) {
      if (s.Effect !== 'Allow') continue;
      for (const action of list(s.Action) as string[]) {
        if (EVENT_SOURCE_ACTIONS.test(action)) continue;
        const prefix = action.split(':')[0].toLowerCase();
        if (Object.hasOwn(FLOOR_PARTS, prefix)) services.add(prefix);
      }
    }
    byHandler.set(handler, { handler, environment, services: [...services].sort() });
  }
  return [...byHandler.values()].sort((a, b) => a.handler.localeCompare(b.handler));
}

async function esbuild(entry: string, file: string, external: string[]): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: BUNDLE_SETTINGS.platform,
    format: BUNDLE_SETTINGS.format,
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    external,
    outfile: file,
    absWorkingDir: ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** index.js as lib/handler-function.ts builds it, and the split modules it imports next to it. */
async function bundle(entry: string, outDir: string): Promise<{ file: string; bytes: number; mapBytes: number; lazyBytes: number; metafile: Metafile }> {
  rmSync(outDir, { recursive: true, force: true });
  const file = path.join(outDir, 'index.js');
  const metafile = await esbuild(entry, file, SPLIT_MODULES.map((m) => m.specifier));
  const code = readFileSync(file, 'utf8');
  let lazyBytes = 0;
  for (const m of SPLIT_MODULES) {
    if (!code.includes(`"${m.specifier}"`)) continue;
    const split = path.join(outDir, m.specifier.slice(2));
    await esbuild(path.join(ROOT, m.entry), split, []);
    lazyBytes += statSync(split).size;
  }
  return { file, bytes: statSync(file).size, mapBytes: BUNDLE_SETTINGS.sourceMap ? statSync(`${file}.map`).size : 0, lazyBytes, metafile };
}

function floorSource(services: string[]): string {
  const parts = services.map((s) => FLOOR_PARTS[s]);
  return [
    ...parts.map((p) => p.imports),
    `export const clients = [${parts.map((p) => p.construct).join(', ')}];`,
    `export const handler = async () => clients.length;`,
    '',
  ].join('\n');
}

/**
 * CPU milliseconds (user + system, all threads of the process) to require() the bundle in a fresh
 * process with the function's options and environment. CPU time, not wall time: on a shared
 * machine the wall time of the same require swung ±25 % between neighbouring runs (two floors of
 * the same client set measured 121 and 164 ms at load 1.2), while a process's own CPU time does not
 * count the time it waited for a core.
 */
function initMs(file: string, fn: FunctionInfo): number {
  const { NODE_OPTIONS, ...vars } = fn.environment;
  const flags = (NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const code = `const c = process.cpuUsage(); require(${JSON.stringify(file)}); const d = process.cpuUsage(c); process.stdout.write(String((d.user + d.system) / 1000));`;
  const out = execFileSync(process.execPath, [...flags, '-e', code], {
    cwd: path.dirname(file),
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-3', AWS_LAMBDA_FUNCTION_NAME: fn.handler, ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Number(out.toString());
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function heaviest(metafile: Metafile, n: number): { input: string; bytes: number }[] {
  // Group by package (node_modules/<pkg> or node_modules/@scope/pkg), else by our own folder.
  const byPkg = new Map<string, number>();
  for (const out of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = m ? m[1] : path.dirname(input);
      byPkg.set(key, (byPkg.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...byPkg.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([input, bytes]) => ({ input, bytes }));
}

export async function benchBundles(row: (name: string, value: string) => void): Promise<BundleRow[]> {
  const runs = Math.max(1, Number(process.env.BENCH_INIT_RUNS ?? 31));
  const only = process.env.BENCH_HANDLERS?.split(',').filter(Boolean);
  const fns = functionsOfStack().filter((f) => !only || only.includes(f.handler));
  mkdirSync(BUILD_DIR, { recursive: true });
  const rows: BundleRow[] = [];
  for (const fn of fns) {
    const own = await bundle(path.join(ROOT, 'lambdas', `${fn.handler}.ts`), path.join(BUILD_DIR, fn.handler));
    const floorEntry = path.join(BUILD_DIR, `floor-${fn.handler}.ts`);
    writeFileSync(floorEntry, floorSource(fn.services));
    const floor = await bundle(floorEntry, path.join(BUILD_DIR, `floor-${fn.handler}`));
    const mine: number[] = [];
    const theirs: number[] = [];
    initMs(own.file, fn); // warms the OS file cache for both, outside the measured pairs
    initMs(floor.file, fn);
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        mine.push(initMs(own.file, fn));
        theirs.push(initMs(floor.file, fn));
      } else {
        theirs.push(initMs(floor.file, fn));
        mine.push(initMs(own.file, fn));
      }
    }
    const initMedian = median(mine);
    const floorMedian = median(theirs);
    // The median of the pairs' ratios: each pair ran back to back, so a slow moment weighs on both.
    const pairRatio = median(mine.map((m, i) => m / theirs[i]));
    rows.push({
      handler: fn.handler,
      services: fn.services,
      bundleBytes: own.bytes,
      mapBytes: own.mapBytes,
      lazyBytes: own.lazyBytes,
      floorBytes: floor.bytes,
      sizeRatio: own.bytes / floor.bytes,
      initMs: initMedian,
      floorInitMs: floorMedian,
      initRatio: pairRatio,
      heaviest: heaviest(own.metafile, 5),
    });
  }
  printTable(rows, runs, row);
  const nodeOptions = fns[0]?.environment.NODE_OPTIONS ?? '';
  writeFileSync(
    path.join(RESULTS_DIR, 'bundles.json'),
    JSON.stringify({ at: new Date().toISOString(), node: process.version, runs, nodeOptions, settings: BUNDLE_SETTINGS, budgetRatio: BUDGET_RATIO, rows }, null, 2),
  );
  return rows;
}

function printTable(rows: BundleRow[], runs: number, row: (name: string, value: string) => void): void {
  const kib = (b: number) => (b / 1024).toFixed(0).padStart(6);
  const ms = (x: number) => x.toFixed(1).padStart(6);
  const ratio = (x: number) => `${x.toFixed(2)}${x > BUDGET_RATIO ? '!' : ' '}`.padStart(6);
  row(`bundles vs SDK floor (${runs} paired fresh processes; init = CPU ms to require, median; init ratio = median of the pairs' ratios)`, '');
  console.log(`  ${'handler'.padEnd(20)} ${'KiB'.padStart(6)} ${'floor'.padStart(6)} ${'ratio'.padStart(6)}  ${'init'.padStart(6)} ${'floor'.padStart(6)} ${'ratio'.padStart(6)}  ${'map KiB'.padStart(7)} ${'lazy KiB'.padStart(8)}  clients`);
  for (const r of rows) {
    console.log(
      `  ${r.handler.padEnd(20)} ${kib(r.bundleBytes)} ${kib(r.floorBytes)} ${ratio(r.sizeRatio)}  ${ms(r.initMs)} ${ms(r.floorInitMs)} ${ratio(r.initRatio)}  ${kib(r.mapBytes).padStart(7)} ${kib(r.lazyBytes).padStart(8)}  ${r.services.join(',')}`,
    );
  }
  const over = rows.filter((r) => r.sizeRatio > BUDGET_RATIO || r.initRatio > BUDGET_RATIO);
  row('  within budget (every ratio <= 1.25)', over.length === 0 ? 'yes' : `no: ${over.map((r) => r.handler).join(', ')}`);
}

