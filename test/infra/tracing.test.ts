import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './synth';

/** The X-Ray switch (lib/tracing.ts, DEPLOY.md): everything traced or nothing, cdk-nag clean either way. */
const build = (context: Record<string, unknown>) => buildTestApp(context, {}, { nag: false }).stack;

function traced(context: Record<string, unknown>) {
  const stack = build(context);
  const template = Template.fromStack(stack);
  const fns = Object.values<any>(template.findResources('AWS::Lambda::Function')).filter((f) => f.Metadata?.['amiable:handler']);
  const machines = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'));
  const stages = Object.values<any>(template.findResources('AWS::ApiGateway::Stage'));
  const xrayGrants = Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .flatMap((st: any) => [].concat(st.Action))
    .filter((a: string) => a.startsWith('xray:'));
  const findings = new AwsSolutionsChecks().validateScope(stack).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
  return { fns, machines, stages, xrayGrants, findings };
}

describe('amiable:tracing (lib/tracing.ts)', () => {
  it('is off by default: no function, state machine or API stage traced, no X-Ray grant, nag clean', () => {
    const t = traced({});
    expect(t.fns.length).toBeGreaterThan(10);
    for (const f of t.fns) expect(f.Properties.TracingConfig).toBeUndefined();
    for (const m of t.machines) expect(m.Properties.TracingConfiguration?.Enabled ?? false).toBe(false);
    for (const s of t.stages) expect(s.Properties.TracingEnabled ?? false).toBe(false);
    expect(t.xrayGrants).toEqual([]);
    expect(t.findings).toEqual([]);
  });

  it('-c amiable:tracing=true traces every function, the state machine and the API stage, nag clean', () => {
    const t = traced({ 'amiable:tracing': 'true' });
    for (const f of t.fns) expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    for (const m of t.machines) expect(m.Properties.TracingConfiguration).toEqual({ Enabled: true });
    for (const s of t.stages) expect(s.Properties.TracingEnabled).toBe(true);
    expect(t.xrayGrants).toContain('xray:PutTraceSegments');
    expect(t.findings).toEqual([]);
  });

  it('refuses anything but true or false', () => {
    expect(() => build({ 'amiable:tracing': 'yes' })).toThrow(/amiable:tracing must be true or false/);
  });
});
