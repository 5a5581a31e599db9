import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { appContext, buildApp } from '../../lib/app';
import { AmiableStack } from '../../lib/amiable-stack';

/**
 * Builds the app as `cdk synth` would: cdk.json's context (the feature flags) plus `context`, with
 * bundling skipped (tests read the template, not the Lambda bundles). `env` sets process variables
 * (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION) for the build only.
 */
export function buildTestApp(
  context: Record<string, unknown> = {},
  env: Record<string, string> = {},
  options: { nag?: boolean } = {},
): { app: App; stack: AmiableStack } {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const app = new App({ context: appContext({ 'aws:cdk:bundling-stacks': [], ...context }) });
    return { app, stack: buildApp(app, options) };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export function synthTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(buildTestApp(context).stack);
}

/** A production context that passes the settings checks. */
export const PROD = { 'amiable:stage': 'prod', 'amiable:senderDomain': 'relances.amiable-test.fr' };
