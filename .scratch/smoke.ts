import { allSampleContexts } from '../lambdas/notices/samples';
import { renderNotice } from '../lambdas/notices/render';
(async () => {
  for (const { dossier, ctx } of allSampleContexts()) {
    try {
      const r = await renderNotice(ctx);
      console.log('OK', dossier.name, ctx.kind, ctx.language, r.subject, r.attachments.map(a => a.content.length));
    } catch (e) {
      console.log('FAIL', dossier.name, ctx.kind, ctx.language, (e as Error).message);
    }
  }
})();
