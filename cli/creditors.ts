/** `amiable creditors create|list|get|update`: the admin API's creditor routes. */
import type { Command } from 'commander';
import { action, readJsonFile } from './command';
import { printJson, printTable } from './output';

export function registerCreditors(program: Command): void {
  const creditors = program.command('creditors').description('creditors and their profiles (admin API)');

  creditors
    .command('create')
    .description('create a creditor from a profile file; prints its first operator API key (shown once)')
    .argument('<profile.json>', 'the full creditor profile (see docs/openapi.yaml CreditorProfile)')
    .action(
      action(async (ctx, file: string) => {
        const out = await ctx.client().request('POST', '/admin/creditors', readJsonFile(file));
        if (ctx.json) return printJson(out);
        process.stdout.write(
          [
            `Created creditor ${out.creditor.id} (${out.creditor.legalName}).`,
            `Operator API key ${out.apiKey.keyId} (shown once: keep it now):`,
            `  ${out.apiKey.key}`,
            '',
          ].join('\n'),
        );
      }),
    );

  creditors
    .command('list')
    .description('list every creditor')
    .option('--limit <n>', 'page size of each request (1-100)', '100')
    .action(
      action(async (ctx) => {
        const items: any[] = [];
        let cursor: string | undefined;
        do {
          const page = await ctx.client().request('GET', '/admin/creditors', undefined, { limit: String(ctx.opts.limit), cursor });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (ctx.json) return printJson({ items });
        if (!items.length) return void process.stdout.write('No creditors.\n');
        printTable(
          ['ID', 'LEGAL NAME', 'SIREN', 'POLICY', 'LANG', 'CREATED'],
          items.map((c) => [c.id, c.legalName, c.siren, c.policyName ?? '(default)', c.language, c.createdAt]),
        );
      }),
    );

  creditors
    .command('get')
    .description("print a creditor's profile")
    .argument('<id>', 'creditor id')
    .action(
      action(async (ctx, id: string) => {
        const out = await ctx.client().request('GET', `/admin/creditors/${encodeURIComponent(id)}`);
        if (ctx.json) return printJson(out);
        process.stdout.write(`# created ${out.createdAt}, updated ${out.updatedAt}\n`);
        printJson(out.creditor);
      }),
    );

  creditors
    .command('update')
    .description("replace a creditor's profile (running dossiers keep the policy and terms they started with)")
    .argument('<id>', 'creditor id')
    .argument('<profile.json>', 'the full creditor profile')
    .action(
      action(async (ctx, id: string, file: string) => {
        const out = await ctx.client().request('PUT', `/admin/creditors/${encodeURIComponent(id)}`, readJsonFile(file));
        if (ctx.json) return printJson(out);
        process.stdout.write(`Updated creditor ${out.creditor.id} (${out.updatedAt}).\n`);
      }),
    );
}
