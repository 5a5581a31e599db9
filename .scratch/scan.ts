import { sampleContext, sampleDossier } from '../lambdas/notices/samples';
import { TEMPLATES } from '../lambdas/notices/templates';
import { renderPdfLetter } from '../lambdas/notices/pdf-letter';
import { scanPdfText } from '../lambdas/notices/pdf-scan';
import { writeFileSync } from 'node:fs';
(async () => {
  const ctx = sampleContext(sampleDossier('b2c'), 'formal_notice', 'fr');
  const d = TEMPLATES.formal_notice(ctx);
  const pdf = await renderPdfLetter(d.letter, { title: 't', subject: 's', author: 'a', date: ctx.sentAt });
  writeFileSync('.scratch/x.pdf', pdf);
  const t = scanPdfText(pdf);
  console.log(JSON.stringify(t.slice(0, 3000)));
})();
