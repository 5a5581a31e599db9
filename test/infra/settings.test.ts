import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { buildApp, isPlaceholderDomain, readSettings } from '../../lib/app';
import { synthesize } from '../../local/template';
import { buildTestApp, PROD } from './synth';

/** Deployment settings (lib/app.ts): safe by default, production only on purpose. */
const settings = (context: Record<string, unknown>) => readSettings((key) => context[key]);
const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));

function resourcesOf(template: Template, type: string): any[] {
  return Object.values(template.findResources(type));
}

function vault(template: Template): any {
  return resourcesOf(template, 'AWS::S3::Bucket').find((b) => b.Properties.ObjectLockEnabled);
}

describe('deployment settings', () => {
  it('cdk.json pins no stage, lock mode, retention or domain: a bare `cdk deploy` is a test stack', () => {
    expect(Object.keys(cdkJson.context).filter((k) => k.startsWith('amiable:'))).toEqual([]);
    expect(settings({})).toEqual({
      stage: 'test',
      objectLockMode: 'GOVERNANCE',
      retentionDays: 1,
      archiveAfterDays: 90,
      senderDomain: undefined,
      auditorPrincipals: [],
      alarmEmails: [],
    });
  });

  it('a default (test) stack is GOVERNANCE with 1-day retention and a table that goes with the stack', () => {
    const { stack } = buildTestApp();
    const template = Template.fromStack(stack);
    expect(vault(template).Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 1 });
    const [table] = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(stack.stackName).toBe('Amiable');
    expect(stack.terminationProtection).toBe(false);
    // Offline synth targets Paris unless CDK_DEFAULT_REGION says otherwise.
    expect(stack.region).toBe(process.env.CDK_DEFAULT_REGION ?? 'eu-west-3');
  });

  it('stage prod: COMPLIANCE, 3650 days, table retained with deletion protection, vault retained', () => {
    const { stack } = buildTestApp(PROD);
    // Its own stack name (a deploy without the prod context cannot update it), termination-protected.
    expect(stack.stackName).toBe('Amiable-prod');
    expect(stack.terminationProtection).toBe(true);
    const template = Template.fromStack(stack);
    const bucket = vault(template);
    expect(bucket.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Days: 3650 });
    expect(bucket.DeletionPolicy).toBe('Retain');
    const [table] = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    // The evidence functions are told the same mode and retention they put with.
    const fns = resourcesOf(template, 'AWS::Lambda::Function').filter((f) => f.Metadata?.['amiable:handler']);
    for (const f of fns) {
      expect(f.Properties.Environment.Variables).toMatchObject({ EVIDENCE_LOCK_MODE: 'COMPLIANCE', EVIDENCE_RETENTION_DAYS: '3650' });
    }
  });

  it('refuses GOVERNANCE in prod unless explicitly allowed', () => {
    expect(() => settings({ ...PROD, 'amiable:objectLockMode': 'GOVERNANCE' })).toThrow(/amiable:allowGovernanceInProd=true/);
    expect(() => settings({ ...PROD, 'amiable:objectLockMode': 'GOVERNANCE', 'amiable:allowGovernanceInProd': 'false' })).toThrow(
      /BypassGovernanceRetention/,
    );
    // CLI context values arrive as strings, cdk.json ones may be booleans.
    for (const allow of ['true', true]) {
      expect(settings({ ...PROD, 'amiable:objectLockMode': 'GOVERNANCE', 'amiable:allowGovernanceInProd': allow }).objectLockMode).toBe('GOVERNANCE');
    }
    expect(() => settings({ ...PROD, 'amiable:objectLockMode': 'GOVERNANCE', 'amiable:allowGovernanceInProd': 'yes' })).toThrow(/true or false/);
    // The override does not weaken anything by itself.
    expect(settings({ ...PROD, 'amiable:allowGovernanceInProd': 'true' }).objectLockMode).toBe('COMPLIANCE');
  });

  it('refuses a prod stage without a real sender domain', () => {
    expect(() => settings({ 'amiable:stage': 'prod' })).toThrow(/stage prod needs amiable:senderDomain/);
    for (const placeholder of ['example.com', 'Mail.Example.COM', 'example.org', 'acme.example', 'relances.test', 'x.invalid', 'localhost', 'example.com.']) {
      expect(() => settings({ 'amiable:stage': 'prod', 'amiable:senderDomain': placeholder }), placeholder).toThrow(/reserved example or test name/);
    }
    expect(() => settings({ 'amiable:stage': 'prod', 'amiable:senderDomain': 'not a domain' })).toThrow(/must be a domain name/);
    // Look-alikes of reserved names are real domains.
    for (const real of ['relances.atelier-lumiere.fr', 'example.fr', 'myexample.com', 'contest.io', 'testing.eu']) {
      expect(isPlaceholderDomain(real), real).toBe(false);
      expect(settings({ 'amiable:stage': 'prod', 'amiable:senderDomain': real }).senderDomain).toBe(real);
    }
    // A test stack may name a placeholder (or nothing): it is not asked to send for real.
    expect(settings({ 'amiable:senderDomain': 'example.com' }).senderDomain).toBe('example.com');
  });

  it('refuses an unknown stage rather than deploying a deletable stack under a production-like name', () => {
    expect(() => settings({ 'amiable:stage': 'production' })).toThrow(/must be one of prod, test, local/);
    expect(() => settings({ 'amiable:objectLockMode': 'LOOSE' })).toThrow(/COMPLIANCE or GOVERNANCE/);
  });

  it('takes retention and archive periods from context, as whole positive days', () => {
    expect(settings({ 'amiable:retentionDays': '30' }).retentionDays).toBe(30);
    expect(settings({ ...PROD, 'amiable:retentionDays': 4000 }).retentionDays).toBe(4000);
    expect(settings({ 'amiable:archiveAfterDays': '30' }).archiveAfterDays).toBe(30);
    for (const bad of ['0', '-1', '1.5', 'ten']) {
      expect(() => settings({ 'amiable:retentionDays': bad }), bad).toThrow(/amiable:retentionDays must be a positive whole number/);
      expect(() => settings({ 'amiable:archiveAfterDays': bad }), bad).toThrow(/amiable:archiveAfterDays must be a positive whole number/);
    }
  });

  it('reads auditor principals as a comma-separated list of IAM principal ARNs', () => {
    expect(
      settings({ 'amiable:auditorPrincipals': ' arn:aws:iam::123456789012:role/Auditors, arn:aws:iam::210987654321:user/expert ' }).auditorPrincipals,
    ).toEqual(['arn:aws:iam::123456789012:role/Auditors', 'arn:aws:iam::210987654321:user/expert']);
    expect(() => settings({ 'amiable:auditorPrincipals': 'auditor@example.fr' })).toThrow(/not an IAM principal ARN/);
  });

  it('local mode synthesizes stage local: GOVERNANCE, 3650 days, no sender domain, and its functions get both', () => {
    const system = synthesize();
    expect(system.template.Description).toMatch(/\(local\)/);
    const bucket: any = Object.values(system.template.Resources).find((r: any) => r.Properties?.ObjectLockEnabled);
    expect(bucket.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 3650 });
    expect(system.functions.size).toBeGreaterThanOrEqual(9);
    for (const fn of system.functions.values()) {
      expect(fn.environment, fn.handler).toMatchObject({ EVIDENCE_LOCK_MODE: 'GOVERNANCE', EVIDENCE_RETENTION_DAYS: '3650' });
      expect(fn.environment.MAIL_DOMAIN).toBeUndefined();
    }
    expect(Object.values(system.template.Resources).some((r: any) => r.Type === 'AWS::SES::EmailIdentity')).toBe(false);
  });
});

describe('CDK feature flags', () => {
  it('cdk.json sets every flag aws-cdk-lib recommends, to its recommended value', () => {
    for (const [flag, value] of Object.entries(CURRENTLY_RECOMMENDED_FLAGS)) {
      expect(cdkJson.context[flag], flag).toEqual(value);
    }
  });

  it('an in-process App without them is refused (tests and local mode must synthesize what a deploy does)', () => {
    expect(() => buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }))).toThrow(/feature flags missing.*appContext/);
  });
});
