import { App } from 'aws-cdk-lib';
import { AmiableStack } from './amiable-stack';
import { ObjectLockMode } from './evidence-vault';
import { enableNag } from './nag';

export const STACK_NAME = 'Amiable';

export interface BuildOptions {
  /**
   * Run cdk-nag's AwsSolutions checks when the app is synthesized (an unacknowledged finding fails
   * the synth). On by default: `cdk synth`/`cdk deploy` and the tests run them.
   */
  nag?: boolean;
}

/** Reads the deployment settings from CDK context (cdk.json or -c key=value) and builds the stack. */
export function buildApp(app: App, options: BuildOptions = {}): AmiableStack {
  if (options.nag ?? true) enableNag(app);
  const stage = String(app.node.tryGetContext('amiable:stage') ?? 'test');
  const mode = String(app.node.tryGetContext('amiable:objectLockMode') ?? (stage === 'prod' ? 'COMPLIANCE' : 'GOVERNANCE'));
  if (mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE') {
    throw new Error(`amiable:objectLockMode must be COMPLIANCE or GOVERNANCE, got "${mode}"`);
  }
  const retentionDays = Number(app.node.tryGetContext('amiable:retentionDays') ?? 3650);
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`amiable:retentionDays must be a positive integer, got "${retentionDays}"`);
  }
  const stack = new AmiableStack(app, STACK_NAME, {
    stage,
    objectLockMode: mode as ObjectLockMode,
    retentionDays,
    mailDomain: String(app.node.tryGetContext('amiable:senderDomain') ?? 'example.com'),
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-3',
    },
    description: 'Amiable: serverless amicable collection of overdue invoices',
  });
  return stack;
}
