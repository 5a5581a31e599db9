#!/usr/bin/env node
// `npx amiable …`: runs cli/main.ts through tsx (TypeScript, no build step). The CDK app entry is
// bin/amiable.ts (cdk.json), not this file.
require('tsx/cjs');
require('../cli/main.ts')
  .main(process.argv)
  .then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: ${(e && e.stack) || e}\n`);
      process.exit(1);
    },
  );
