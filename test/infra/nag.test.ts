import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildTestApp as build, PROD } from './synth';

/**
 * cdk-nag 3 is a policy-validation plugin: buildApp registers the AwsSolutions pack, and an
 * unacknowledged error makes app.synth() throw. These tests also run the pack directly
 * (validateScope) to see warnings too, and read every acknowledgment back.
 */
/** Unacknowledged AwsSolutions findings, one line each: severity, rule, construct path. */
function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`),
  );
}

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  const { app, stack } = build();

  it('finds no unacknowledged error or warning', () => {
    expect(findings(stack)).toEqual([]);
  });

  it('runs on every synth of the app, which fails on any unacknowledged finding (warnings included)', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('stays clean in production settings and with a concrete account and region (acknowledged ARNs follow them)', () => {
    const prod = build(
      { ...PROD, 'amiable:auditorPrincipals': 'arn:aws:iam::123456789012:role/Auditors' },
      { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' },
    );
    expect(prod.stack.account).toBe('123456789012');
    expect(findings(prod.stack)).toEqual([]);
  });

  it('acknowledges findings one by one, each with a reason of substance, never for a whole stack', () => {
    // (aws-cdk-lib acknowledges some of its own CloudFormation-Validate rules: not ours.)
    const acks = acknowledgments(app).filter((a) => a.id.includes('AwsSolutions'));
    expect(acks.length).toBeGreaterThan(10);
    for (const { path, id, reason } of acks) {
      expect(id, path).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThan(20);
      // Says why, not just which rule.
      expect(reason.split(/\s+/).length, `${path} ${id}`).toBeGreaterThan(8);
      // Next to the resource or grant it covers: not on the app or the stack.
      expect(path.split('/').length, `${path} ${id}`).toBeGreaterThan(1);
    }
    // IAM5 wildcards are acknowledged resource by resource, never the rule as a whole.
    expect(acks.filter((a) => a.id === 'Annotation::AwsSolutions-IAM5')).toEqual([]);
  });

  it('fixes rather than acknowledges: own log-group-only role per function, state machine logs ALL without data', () => {
    const template = Template.fromStack(stack);
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter((f: any) => f.Metadata?.['amiable:handler']);
    const roles = template.findResources('AWS::IAM::Role');
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    for (const fn of fns as any[]) {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      expect(roles[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      const statements = policies
        .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      const logs = statements.filter((st: any) => [].concat(st.Action).some((a: string) => a.startsWith('logs:')));
      expect(logs).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
        }),
      ]);
      // No wildcard resource but a stream consumer's dynamodb:ListStreams, which IAM only accepts as "*"
      // (and X-Ray's, with -c amiable:tracing=true: test/infra/tracing.test.ts).
      for (const st of statements.filter((x: any) => x.Resource === '*')) {
        const actions: string[] = [].concat(st.Action).sort();
        if (actions.includes('dynamodb:ListStreams')) expect(['digest', 'accountant-alerts', 'events-out']).toContain(fn.Metadata['amiable:handler']);
        expect(actions.filter((a) => a !== 'dynamodb:ListStreams')).toEqual([]);
      }
    }
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('would catch a finding (the pack is really checking)', () => {
    const probe = new Stack(new App(), 'Probe');
    new sqs.Queue(probe, 'Queue');
    expect(findings(probe)).toEqual(expect.arrayContaining([expect.stringMatching(/^error AwsSolutions-SQS3 /)]));
  });
});
