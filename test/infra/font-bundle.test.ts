import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { fontCopyCommands } from '../../lib/handler-function';

/**
 * The Lambda bundle carries the PDF fonts: esbuild with the functions' options, then the
 * afterBundling commands of lib/handler-function.ts; the bundle then renders a PDF with the
 * embedded font from a directory where no node_modules can be found (as in /var/task).
 */
describe('Lambda bundle and the embedded PDF font', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amiable-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the DejaVu files next to index.js, where the bundled renderer finds them', async () => {
    const root = join(__dirname, '..', '..');
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { renderPdfLetter } from ${JSON.stringify(join(root, 'lambdas/notices/pdf-letter'))};
       renderPdfLetter({ language: 'fr', references: [], greeting: 'Madame, Monsieur,', blocks: [{ type: 'paragraph', text: 'Łukasz Wróbel – Ørsted & Kőszegi' }], closing: 'Salutations.', signature: ['X'] },
         { title: 't', subject: 's', author: 'a', date: '2026-05-04T07:00:00.000Z' })
         .then((b) => process.stdout.write(Buffer.from(b).subarray(0, 5).toString('latin1') + ' ' + b.length));`,
    );
    const out = join(dir, 'asset');
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, outfile: join(out, 'index.js'), logLevel: 'silent' });
    for (const cmd of fontCopyCommands(root, out)) execSync(cmd, { shell: '/bin/sh' });
    const printed = execFileSync(process.execPath, [join(out, 'index.js')], { cwd: out, env: { PATH: process.env.PATH ?? '' } }).toString();
    expect(printed).toMatch(/^%PDF- \d+$/);
    // Without the copied fonts the bundle cannot render: the hook is what makes it work.
    execSync(`rm -r "${join(out, 'fonts')}"`, { shell: '/bin/sh' });
    expect(() => execFileSync(process.execPath, [join(out, 'index.js')], { cwd: out, env: { PATH: process.env.PATH ?? '' }, stdio: 'pipe' })).toThrow(/DejaVuSans\.ttf not found/);
  });
});
