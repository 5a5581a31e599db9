/**
 * npm run notices [outDir]  (default out/notices)
 * Renders every notice kind, in French and English, for the sample dossiers (B2B with penalties
 * over three half-years, the last provisional, and a partial payment allocated per C. civ. 1343-1;
 * B2C consumer; collection agency), each a timeline replayed through the real engine
 * (test/support/notice-samples.ts: newDossier, completeSend, recordPayment, breakdownFor), into
 * <outDir>/<dossier>/<kind>.<lang>.{txt,html,eml} plus the mise en demeure PDF, and lists the files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { composeMime } from '../lambdas/notices/mime';
import { renderNotice } from '../lambdas/notices/render';
import { allSampleContexts, sampleMimeInput } from '../test/support/notice-samples';

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'out/notices');
  const written: string[] = [];
  const write = (path: string, content: string | Uint8Array) => {
    writeFileSync(path, content);
    written.push(path);
  };
  for (const { dossier, ctx } of allSampleContexts()) {
    const dir = join(outDir, dossier.name);
    mkdirSync(dir, { recursive: true });
    const rendered = await renderNotice(ctx);
    const base = join(dir, `${ctx.kind}.${ctx.language}`);
    write(`${base}.txt`, rendered.text);
    write(`${base}.html`, rendered.html);
    for (const a of rendered.attachments) write(join(dir, `${ctx.language}.${a.filename}`), a.content);
    write(`${base}.eml`, await composeMime(sampleMimeInput(ctx, rendered)));
  }
  for (const path of written) console.log(relative(process.cwd(), path));
  console.log(`${written.length} files written to ${relative(process.cwd(), outDir) || '.'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
