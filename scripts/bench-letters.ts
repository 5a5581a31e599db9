/**
 * The CPU one notice and one evidence bundle cost, warm (a reused Lambda container, local mode):
 * each stage's notice rendered through the real path (renderNotice: text, HTML and, for the mise
 * en demeure and the hand-off, the PDF) from the sample dossiers, which are replayed through the
 * real engine (test/support/notice-samples.ts); each render names another debtor and invoice, as
 * the dossiers of a run do, so no layout is remembered from the letter before. Then the bundle ZIP
 * of such a dossier at hand-off (bundle-zip.ts, fed as services/evidence.ts feeds it): the invoice
 * JSON, the three notices as sent (MIME, the mise en demeure's PDF inside), the litigation dossier
 * JSON and its PDF, the manifest, the timeline and VERIFY.txt.
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { composeMime } from '../lambdas/notices/mime';
import { renderNotice } from '../lambdas/notices/render';
import type { NoticeContext } from '../lambdas/notices/types';
import { zipWriter } from '../lambdas/services/bundle-zip';
import { sampleContext, sampleDossier, sampleMimeInput } from '../test/support/notice-samples';

const STAGES = ['first_reminder', 'formal_reminder', 'formal_notice', 'litigation_handoff'] as const;
const SAMPLES = ['b2b', 'b2c', 'agency'] as const;

/** The context with its debtor and invoice number made the i-th of a run (every string that names them). */
function variant(ctx: NoticeContext, i: number): NoticeContext {
  const json = JSON.stringify(ctx)
    .split(ctx.debtor.name)
    .join(`${ctx.debtor.name} ${i}`)
    .split(ctx.invoice.invoiceNumber)
    .join(`${ctx.invoice.invoiceNumber}-${i}`);
  return JSON.parse(json) as NoticeContext;
}

export async function benchLetters(row: (name: string, value: string) => void, iterations = Number(process.env.BENCH_LETTERS ?? 30)): Promise<void> {
  if (iterations <= 0) return;
  // Loads the libraries and parses the fonts once, as a container's first PDF does.
  let t = performance.now();
  await renderNotice(sampleContext(sampleDossier('b2b'), 'formal_notice'));
  row('first PDF letter of a process (libraries, fonts)', `${(performance.now() - t).toFixed(1)} ms`);
  for (const stage of STAGES) {
    const contexts = SAMPLES.map((s) => sampleContext(sampleDossier(s), stage));
    const inputs = Array.from({ length: iterations }, (_, i) => variant(contexts[i % contexts.length]!, i + 1));
    let pdfBytes = 0;
    const c0 = process.cpuUsage();
    t = performance.now();
    for (const ctx of inputs) pdfBytes += (await renderNotice(ctx)).attachments.reduce((n, a) => n + a.content.length, 0);
    const ms = (performance.now() - t) / iterations;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000 / iterations;
    const pdf = pdfBytes ? `, PDF ${(pdfBytes / iterations / 1024).toFixed(1)} KiB` : ', no PDF';
    row(`notice rendered: ${stage}`, `${ms.toFixed(2)} ms/letter (cpu ${cpu.toFixed(2)} ms${pdf})`);
  }

  // One hand-off bundle's files, from the b2b sample.
  const b2b = sampleDossier('b2b');
  const files: { name: string; bytes: Uint8Array; stream: boolean }[] = [];
  files.push({ name: 'files/invoice/received.json', bytes: Buffer.from(JSON.stringify(b2b.invoice)), stream: true });
  for (const stage of ['first_reminder', 'formal_reminder', 'formal_notice'] as const) {
    const ctx = sampleContext(b2b, stage);
    const rendered = await renderNotice(ctx);
    files.push({ name: `files/notices/${stage}/message.eml`, bytes: await composeMime(sampleMimeInput(ctx, rendered)), stream: true });
  }
  const handoff = sampleContext(b2b, 'litigation_handoff');
  const manifest = Buffer.from(`${JSON.stringify(handoff.litigation!.dossier, null, 2)}\n`);
  files.push({ name: 'files/litigation/dossier.json', bytes: Buffer.from(JSON.stringify(handoff.litigation!.dossier)), stream: true });
  files.push({ name: 'files/litigation/dossier.pdf', bytes: (await renderNotice(handoff)).attachments[0]!.content, stream: false });
  files.push({ name: 'manifest.json', bytes: manifest.subarray(0, 8192), stream: false });
  files.push({ name: 'timeline.html', bytes: Buffer.from((await renderNotice(handoff)).html.slice(0, 3600)), stream: false });
  files.push({ name: 'VERIFY.txt', bytes: manifest.subarray(0, 3000), stream: false });
  const at = new Date(handoff.sentAt);
  const bundle = async () => {
    const zip = await zipWriter();
    for (const f of files) {
      if (f.stream) await zip.addStream(f.name, Readable.from([f.bytes]), at);
      else zip.addBytes(f.name, f.bytes, at);
    }
    const file = await zip.finish();
    file.dispose();
    return file.size;
  };
  await bundle();
  const rounds = Math.max(10, iterations);
  const c0 = process.cpuUsage();
  t = performance.now();
  let size = 0;
  for (let i = 0; i < rounds; i++) size = await bundle();
  const ms = (performance.now() - t) / rounds;
  const c = process.cpuUsage(c0);
  const raw = files.reduce((n, f) => n + f.bytes.length, 0);
  row(`evidence bundle ZIP (${files.length} files, ${(raw / 1024).toFixed(0)} KiB)`, `${ms.toFixed(2)} ms/bundle (cpu ${((c.user + c.system) / 1000 / rounds).toFixed(2)} ms), ${(size / 1024).toFixed(1)} KiB`);
}
