/** `amiable keys create|list|revoke`: a creditor's API keys (admin API). */
import { Option, type Command } from 'commander';
import { action } from './command';
import { printJson, printTable } from './output';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("a creditor's API keys (admin API)");

  keys
    .command('create')
    .description('create an API key (shown once)')
    .argument('<creditorId>', 'creditor id')
    .addOption(new Option('--role <role>', 'operator: every route; auditor: read only').choices(['operator', 'auditor']).makeOptionMandatory())
    .requiredOption('--label <label>', 'what the key is for, e.g. "ERP export" or "auditor 2026"')
    .action(
      action(async (ctx, creditorId: string) => {
        const out = await ctx
          .client()
          .request('POST', `/admin/creditors/${encodeURIComponent(creditorId)}/keys`, { role: ctx.opts.role, label: ctx.opts.label });
        if (ctx.json) return printJson(out);
        process.stdout.write(`Created ${out.role} key ${out.keyId} "${out.label}" for ${creditorId} (shown once: keep it now):\n  ${out.key}\n`);
      }),
    );

  keys
    .command('list')
    .description("list a creditor's keys (ids, roles, labels; never the keys)")
    .argument('<creditorId>', 'creditor id')
    .action(
      action(async (ctx, creditorId: string) => {
        const out = await ctx.client().request('GET', `/admin/creditors/${encodeURIComponent(creditorId)}/keys`);
        if (ctx.json) return printJson(out);
        if (!out.items.length) return void process.stdout.write(`No keys for ${creditorId}.\n`);
        printTable(['KEY ID', 'ROLE', 'CREATED', 'LABEL'], out.items.map((k: any) => [k.keyId, k.role, k.createdAt, k.label]));
      }),
    );

  keys
    .command('revoke')
    .description('revoke a key: it gets 401 everywhere (on AWS once the authorizer cache expires, about 10 s)')
    .argument('<creditorId>', 'creditor id')
    .argument('<keyId>', 'key id (from keys list)')
    .action(
      action(async (ctx, creditorId: string, keyId: string) => {
        await ctx.client().request('DELETE', `/admin/creditors/${encodeURIComponent(creditorId)}/keys/${encodeURIComponent(keyId)}`);
        if (ctx.json) return printJson({ creditorId, keyId, revoked: true });
        process.stdout.write(`Revoked key ${keyId} of ${creditorId}.\n`);
      }),
    );
}
