import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE_SETTINGS, SPLIT_MODULES } from '../../lib/handler-function';

/**
 * What a cold start loads: the packages in each index.js, built as lib/handler-function.ts builds
 * it. Sizes and times are the bench's (npm run bench -- --only=bundles); this pins what must stay out.
 */
async function packagesOf(handler: string): Promise<Set<string>> {
  return (await contentsOf(handler)).packages;
}

async function contentsOf(handler: string): Promise<{ packages: Set<string>; own: Set<string> }> {
  const result = await build({
    entryPoints: [join(__dirname, '..', '..', 'lambdas', `${handler}.ts`)],
    bundle: true,
    platform: BUNDLE_SETTINGS.platform,
    format: BUNDLE_SETTINGS.format,
    target: BUNDLE_SETTINGS.target,
    external: SPLIT_MODULES.map((m) => m.specifier),
    write: false,
    metafile: true,
    outfile: 'index.js',
    logLevel: 'silent',
  });
  const packages = new Set<string>();
  const own = new Set<string>();
  // What reaches the output: an import esbuild shakes away entirely (0 bytes) loads nothing.
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (m && bytesInOutput > 0) packages.add(m[1]);
    if (!m && bytesInOutput > 0) own.add(input.replace(/^.*?lambdas\//, 'lambdas/'));
    // zod's full API (zod/v4/classic) as a pseudo-package: the Lambdas use zod/mini.
    if (/node_modules\/zod\/v4\/classic\//.test(input) && bytesInOutput > 0) packages.add('zod/classic');
  }
  return { packages, own };
}

const HEAVY = ['pdf-lib', '@pdf-lib/fontkit', 'nodemailer', 'date-holidays', 'moment', 'moment-timezone', 'astronomia'];

describe('Lambda bundles load only what their handler runs', () => {
  it('the authorizer holds the DynamoDB client and nothing of the domain, validation or other clients', async () => {
    const pkgs = await packagesOf('authorizer');
    expect(pkgs.has('@aws-sdk/client-dynamodb')).toBe(true);
    for (const p of ['@aws-sdk/client-s3', '@aws-sdk/client-sesv2', '@aws-sdk/client-sfn', 'zod', 'luxon', ...HEAVY]) expect(pkgs.has(p), p).toBe(false);
  });

  it('the send Lambda leaves the PDF and MIME libraries to its split modules, and carries no holiday data package', async () => {
    const pkgs = await packagesOf('send-notice');
    // It does carry the Step Functions client: a next step past the execution horizon starts the
    // dossier's next generation from this Lambda (services/execution-continuation.ts).
    expect(pkgs.has('@aws-sdk/client-sfn')).toBe(true);
    for (const p of HEAVY) expect(pkgs.has(p), p).toBe(false);
  });

  it('a read route carries no S3, SES or Step Functions client', async () => {
    const pkgs = await packagesOf('get-invoice');
    for (const p of ['@aws-sdk/client-s3', '@aws-sdk/client-sesv2', '@aws-sdk/client-sfn', ...HEAVY]) expect(pkgs.has(p), p).toBe(false);
  });

  it('the bulk-start consumer, which only clears a marker, carries no S3 client (the evidence log is not on its path)', async () => {
    const pkgs = await packagesOf('start-workflows');
    expect(pkgs.has('@aws-sdk/client-sfn')).toBe(true);
    for (const p of ['@aws-sdk/client-s3', '@aws-sdk/client-sesv2', ...HEAVY]) expect(pkgs.has(p), p).toBe(false);
  });

  it('only the Lambdas that hand off carry the hand-off letter; each sender carries the templates of what it sends', async () => {
    const handoff = 'lambdas/notices/templates/litigation-handoff.ts';
    expect((await contentsOf('handoff')).own.has(handoff)).toBe(true);
    // The letters' Lambda carries none of the hand-off: no litigation dossier, court route, bundle ZIP or EventBridge.
    const send = await contentsOf('send-notice');
    for (const f of [handoff, 'lambdas/domain/litigation.ts', 'lambdas/domain/court-route.ts', 'lambdas/services/bundle-zip.ts', 'lambdas/adapters/events.ts']) expect(send.own.has(f), f).toBe(false);
    expect(send.packages.has('fflate')).toBe(false);
    // Nor does the litigation route (GET /litigation, insolvency): POST /handoff is the hand-off function's.
    const litigation = await contentsOf('litigation');
    for (const f of ['lambdas/services/bundle-zip.ts', 'lambdas/adapters/events.ts']) expect(litigation.own.has(f), f).toBe(false);
    expect(litigation.packages.has('fflate')).toBe(false);
    // The letters' Lambda carries the three letters it sends, none of the receipts or confirmations.
    for (const t of ['first-reminder', 'formal-reminder', 'formal-notice']) expect(send.own.has(`lambdas/notices/templates/${t}.ts`), t).toBe(true);
    for (const t of ['payment-receipt', 'payment-plan-confirmation', 'promise-confirmation', 'instalment-reminder', 'dispute-acknowledgment', 'dispute-rejection']) {
      expect(send.own.has(`lambdas/notices/templates/${t}.ts`), t).toBe(false);
    }
    const review = (await contentsOf('review-commitment')).own;
    expect(review.has('lambdas/notices/templates/instalment-reminder.ts')).toBe(true);
    for (const t of [handoff, 'lambdas/notices/templates/first-reminder.ts', 'lambdas/notices/templates/payment-receipt.ts']) expect(review.has(t), t).toBe(false);
    const actions = (await contentsOf('dossier-actions')).own;
    expect(actions.has('lambdas/notices/templates/dispute-acknowledgment.ts')).toBe(true);
    for (const t of [handoff, 'lambdas/notices/templates/first-reminder.ts']) expect(actions.has(t), t).toBe(false);
  });

  it("the hand-off checks its message with the hand-off's mentions only (check-handoff.ts), not every kind's lists", async () => {
    const own = (await contentsOf('handoff')).own;
    expect(own.has('lambdas/notices/check-handoff.ts')).toBe(true);
    for (const f of ['lambdas/notices/checker.ts', 'lambdas/notices/templates/formal-notice.ts', 'lambdas/notices/pdf-scan.ts', 'lambdas/notices/legal-texts.ts']) expect(own.has(f), f).toBe(false);
  });

  it("no handler carries lib-dynamodb's client (adapters/clients/dynamodb-documents.ts sends the document commands)", async () => {
    for (const handler of ['handoff', 'send-notice', 'get-invoice', 'admin', 'reports']) {
      const pkgs = await packagesOf(handler);
      expect(pkgs.has('@aws-sdk/lib-dynamodb'), handler).toBe(false);
      expect(pkgs.has('@aws-sdk/util-dynamodb'), handler).toBe(true);
    }
  });

  it('no handler carries luxon (lambdas/domain/dates.ts) or full zod (validation is zod/mini); e-invoice import leaves pdf-lib to its split module', async () => {
    for (const handler of ['create-invoice', 'import-invoice', 'record-payment', 'admin']) {
      const pkgs = await packagesOf(handler);
      expect(pkgs.has('zod'), `${handler} validates`).toBe(true);
      for (const p of ['luxon', 'zod/classic', ...HEAVY]) expect(pkgs.has(p), `${handler}: ${p}`).toBe(false);
    }
  });

  it('the workflow steps that only read creditor profiles carry no zod (lambdas/http/lean-checks.ts; the schema is a split module)', async () => {
    for (const handler of ['handoff', 'send-notice']) {
      const pkgs = await packagesOf(handler);
      expect(pkgs.has('zod'), handler).toBe(false);
      expect(pkgs.has('fflate'), handler).toBe(false);
    }
  });
});
