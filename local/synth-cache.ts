/**
 * An on-disk cache of the synthesized CloudFormation template, for the test suite: synthesizing the
 * CDK app in-process takes about 10 s on an idle 2-core machine and close to a minute when the
 * cores are busy, and every end-to-end test file (each its own process) starts local mode at least
 * once. Off unless AMIABLE_SYNTH_CACHE names a directory (test/setup.ts sets it; `npm start` and
 * the demo always synthesize). The key is a SHA-256 over every source the synth can read (lib/,
 * bin/, lambdas/, cdk.json, package-lock.json, this directory's template.ts and synth-child.ts) and the environment
 * variables lib/app.ts reads, so any change to them synthesizes anew; entries are written whole
 * (temporary file, then rename) so parallel test files never read a half-written one.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const SOURCES = ['lib', 'bin', 'lambdas'];
const FILES = ['cdk.json', 'package-lock.json', 'local/template.ts', 'local/synth-child.ts'];

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The cache key: what the synthesized template depends on. */
export function synthKey(): string {
  const h = createHash('sha256');
  const files = [...SOURCES.flatMap((d) => listFiles(path.join(ROOT, d))), ...FILES.map((f) => path.join(ROOT, f))].sort();
  for (const f of files) {
    h.update(path.relative(ROOT, f)).update('\0');
    h.update(fs.readFileSync(f)).update('\0');
  }
  for (const k of ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION']) h.update(`${k}=${process.env[k] ?? ''}\0`);
  return h.digest('hex');
}

/** The template from the cache when AMIABLE_SYNTH_CACHE is set and holds it, else `synth()` (then stored). */
export function cachedTemplate<T>(synth: () => T): T {
  const dir = process.env.AMIABLE_SYNTH_CACHE;
  if (!dir) return synth();
  const file = path.join(dir, `template-${synthKey()}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    // not cached yet (or unreadable): synthesize
  }
  const template = synth();
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(template));
  fs.renameSync(tmp, file);
  return template;
}
