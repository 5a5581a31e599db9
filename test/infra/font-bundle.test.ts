import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { fontCopyCommands, SPLIT_MODULES, splitModuleCommands } from '../../lib/handler-function';

/**
 * The Lambda bundle carries the PDF fonts: esbuild with the functions' options, then the
 * afterBundling commands of lib/handler-function.ts; the bundle then renders a PDF with the
 * embedded font from a directory where no node_modules can be found (as in /var/task).
 */
describe('Lambda bundle and the embedded PDF font', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amiable-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the PDF and MIME libraries next to index.js and copies the DejaVu files there, where the bundled renderer finds them', async () => {
    const root = join(__dirname, '..', '..');
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { renderPdfLetter } from ${JSON.stringify(join(root, 'lambdas/notices/pdf-render'))};
       import { pdfSafeText } from ${JSON.stringify(join(root, 'lambdas/notices/pdf-letter'))};
       const fs = require('node:fs');
       const read = fs.readFileSync;
       let fontReads = 0;
       fs.readFileSync = (file, ...rest) => { if (String(file).endsWith('.ttf')) fontReads++; return read(file, ...rest); };
       import { composeMime } from ${JSON.stringify(join(root, 'lambdas/notices/mime'))};
       composeMime({ from: { name: 'A', address: 'a@example.com' }, to: [{ name: 'B', address: 'b@example.com' }], subject: 's', text: 't', html: '<p>t</p>', messageId: '<1@example.com>', date: '2026-05-04T07:00:00.000Z' })
         .then((m) => { if (!m.toString().includes('Subject: s')) throw new Error('no MIME'); })
         .then(() => renderPdfLetter({ language: 'fr', references: [], greeting: 'Madame, Monsieur,', blocks: [{ type: 'paragraph', text: 'Łukasz Wróbel – Ørsted & Kőszegi' }], closing: 'Salutations.', signature: ['X'] },
         { title: 't', subject: 's', author: 'a', date: '2026-05-04T07:00:00.000Z' })
         .then((b) => process.stdout.write(Buffer.from(b).subarray(0, 5).toString('latin1') + ' ' + b.length))
         .then(() => process.stdout.write(' ' + pdfSafeText('Łukasz 漢') + ' ' + fontReads)));`,
    );
    const out = join(dir, 'asset');
    // The PDF and MIME libraries stay out of index.js (external) and are built next to it.
    const external = SPLIT_MODULES.map((m) => m.specifier);
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, external, outfile: join(out, 'index.js'), logLevel: 'silent' });
    for (const cmd of [...splitModuleCommands(root, out), ...fontCopyCommands(root, out)]) execSync(cmd, { shell: '/bin/sh' });
    expect(existsSync(join(out, 'pdf-libs.js')) && existsSync(join(out, 'mime-libs.js'))).toBe(true);
    // pdf-lib and fontkit are ~1.4 MB minified: none of it is in index.js; nor the letter's layout
    // code (pdf-render.ts: it rides in pdf-libs.js), whose Writer draws every line.
    expect(statSync(join(out, 'index.js')).size).toBeLessThan(statSync(join(out, 'pdf-libs.js')).size / 4);
    expect(readFileSync(join(out, 'index.js'), 'utf8')).not.toContain('useObjectStreams');
    expect(readFileSync(join(out, 'pdf-libs.js'), 'utf8')).toContain('useObjectStreams');
    const printed = execFileSync(process.execPath, [join(out, 'index.js')], { cwd: out, env: { PATH: process.env.PATH ?? '' } }).toString();
    // The checker in index.js maps text with the character set of the fonts the renderer in
    // pdf-libs.js parsed: each font file is read (and parsed) once per container, not once per copy.
    expect(printed).toMatch(/^%PDF- \d+ Łukasz \? 2$/);
    // Without the copied fonts the bundle cannot render: the hook is what makes it work.
    execSync(`rm -r "${join(out, 'fonts')}"`, { shell: '/bin/sh' });
    expect(() => execFileSync(process.execPath, [join(out, 'index.js')], { cwd: out, env: { PATH: process.env.PATH ?? '' }, stdio: 'pipe' })).toThrow(/DejaVuSans\.ttf not found/);
  });
});
