/**
 * Child process of local/template.ts: synthesizes the CDK app and writes the stack's template as
 * JSON to the file named by its argument (the local mode process never holds the construct tree,
 * nor loads aws-cdk-lib).
 */
import * as fs from 'node:fs';
import { App } from 'aws-cdk-lib';
import { appContext, buildApp, STACK_NAME } from '../lib/app';

/** Synthesizes the CDK app in this process. */
function synthesizeTemplate(): unknown {
  // cdk.json's feature flags, as a deploy: local mode runs the very template AWS would get.
  const app = new App({
    context: appContext({
      // Local mode executes handler sources; no esbuild bundles needed.
      'aws:cdk:bundling-stacks': [],
      // GOVERNANCE, 3650 days, no sender domain needed: the local S3 layer enforces the lock.
      'amiable:stage': 'local',
    }),
  });
  buildApp(app);
  return app.synth().getStackByName(STACK_NAME).template;
}

const out = process.argv[2];
if (!out) throw new Error('usage: synth-child.ts <template.json>');
fs.writeFileSync(out, JSON.stringify(synthesizeTemplate()));
