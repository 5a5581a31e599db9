/**
 * What keeps local mode's process within its memory budget (500 MB of peak RSS for 1,000 dossiers;
 * README, "Handlers in worker threads"): the template module never loads the CDK (the synth runs in
 * a child process), and the npm scripts that run local mode cap the young generation and the
 * number of malloc arenas.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MALLOC_ARENAS_ENV, YOUNG_GENERATION_FLAG } from '../../local/heap-growth';

const ROOT = path.join(__dirname, '..', '..');

describe('local mode memory', () => {
  it('loads local/template.ts (and what local/system.ts reads from it) without aws-cdk-lib, constructs or cdk-nag', () => {
    const probe = [
      "require('./local/template');",
      "const heavy = Object.keys(require.cache).filter((f) => /node_modules\\/(aws-cdk-lib|constructs|cdk-nag)\\//.test(f) || /\\/lib\\/(app|amiable-stack|handler-function)\\.ts$/.test(f));",
      'console.log(JSON.stringify(heavy));',
    ].join('\n');
    const out = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim().split('\n').pop()!)).toEqual([]);
  });

  it('runs npm start, the demo and the bench with the young generation capped', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    for (const name of ['start', 'demo', 'bench']) expect(scripts[name].split(/\s+/)).toContain(YOUNG_GENERATION_FLAG);
  });

  it('runs npm start, the demo and the bench with two malloc arenas (set before node starts; inert without glibc)', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    for (const name of ['start', 'demo', 'bench']) expect(scripts[name].startsWith(`${MALLOC_ARENAS_ENV} `), name).toBe(true);
  });
});
