import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { AUDITOR_LIST_ACTIONS, AUDITOR_OBJECT_ACTIONS } from '../../lib/auditor-access';
import { actionCovers, allStatements, FoundStatement, list, vaultId, vaultScope } from './iam';
import { buildTestApp, PROD } from './synth';

/**
 * The evidence vault: what no one in the stack may do to it, the two prefixes every grant is held
 * to, the archive rule, and the auditor's read-only role.
 */

/** Actions that would destroy, shorten or unlock evidence. */
const FORBIDDEN = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutBucketPolicy',
];

/** Allow statements that reach the vault (or every resource) with an action covering a forbidden one. */
function destructiveGrants(template: any): string[] {
  const vault = vaultId(template);
  return allStatements(template)
    .filter(({ statement }) => statement.Effect === 'Allow')
    .filter(({ statement }) => list(statement.Resource).some((r) => vaultScope(r, vault) !== null) || statement.NotResource)
    .flatMap(({ source, statement }: FoundStatement) => {
      if (statement.NotAction) return [`${source}: Allow with NotAction`];
      return list(statement.Action)
        .filter((a: string) => FORBIDDEN.some((f) => actionCovers(a, f)))
        .map((a: string) => `${source}: ${a}`);
    });
}

/** Allow statements granting s3 actions on the vault outside dossiers/* and bundles/* (and puts under digests/*). */
function unscopedVaultGrants(template: any): string[] {
  const vault = vaultId(template);
  return allStatements(template)
    .filter(({ statement }) => statement.Effect === 'Allow')
    .flatMap(({ source, statement }: FoundStatement) =>
      list(statement.Resource)
        .map((r) => vaultScope(r, vault))
        .filter((scope): scope is string => scope !== null)
        .filter((scope) => {
          if (scope === '/dossiers/*' || scope === '/bundles/*') return false;
          // The accountants' digests and alerts: put with a retention, nothing else (see below).
          if (scope === '/digests/*' && JSON.stringify(list(statement.Action).sort()) === JSON.stringify(['s3:PutObject', 's3:PutObjectRetention'])) return false;
          // Listing the bucket, only under the two prefixes (the auditor).
          const listOnly = list(statement.Action).every((a: string) => AUDITOR_LIST_ACTIONS.includes(a));
          const prefixes = statement.Condition?.StringLike?.['s3:prefix'];
          if (scope === 'bucket' && listOnly && JSON.stringify(list(prefixes).sort()) === JSON.stringify(['bundles/*', 'dossiers/*'])) {
            return false;
          }
          // Logs and X-Ray on "*" are not s3 grants; "*", "s3:*" or "s3:GetObject" on "*" would be.
          const s3 = (a: string) => /^s3:/i.test(a) || actionCovers(a, 's3:AnyAction');
          if (scope === '*' && !list(statement.Action).some(s3)) return false;
          return true;
        })
        .map((scope) => `${source}: ${list(statement.Action).join(',')} on ${scope}`),
    );
}

describe('the evidence vault', () => {
  // Production settings with auditors named: the widest IAM surface the stack can have.
  const { stack } = buildTestApp({ ...PROD, 'amiable:auditorPrincipals': 'arn:aws:iam::123456789012:role/Auditors' });
  const template = Template.fromStack(stack).toJSON();
  const vault = template.Resources[vaultId(template)];

  it('no statement anywhere (policies, inline role policies, bucket policy) allows deleting, bypassing or unlocking evidence', () => {
    expect(allStatements(template).length).toBeGreaterThan(20);
    expect(destructiveGrants(template)).toEqual([]);
  });

  it('every s3 grant on the vault is scoped to dossiers/* or bundles/* (listing: those prefixes only)', () => {
    expect(unscopedVaultGrants(template)).toEqual([]);
  });

  it("digests/* (the accountants' digests and alerts) is written by the digest and alerts functions only, put with a retention, never read or deleted", () => {
    const vaultRef = vaultId(template);
    const onDigests = allStatements(template).filter(({ statement }) => list(statement.Resource).some((r) => vaultScope(r, vaultRef) === '/digests/*'));
    const roles = onDigests.map(({ source }) => template.Resources[source].Properties.Roles.map((r: any) => r.Ref)).flat();
    const handlers = roles.map((roleId: string) =>
      Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Role['Fn::GetAtt'][0] === roleId)?.Metadata?.['amiable:handler'],
    );
    expect(handlers.sort()).toEqual(['accountant-alerts', 'digest']);
    for (const { statement } of onDigests) {
      expect(statement.Effect).toBe('Allow');
      expect(list(statement.Action).sort()).toEqual(['s3:PutObject', 's3:PutObjectRetention']);
    }
  });

  it('the scans would catch a destructive or unscoped grant (they are really checking)', () => {
    const bad = structuredClone(template);
    const arn = { 'Fn::GetAtt': [vaultId(template), 'Arn'] };
    const doc = (Statement: any[]) => ({ Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement }, Roles: [] } });
    bad.Resources.BadDelete = doc([{ Effect: 'Allow', Action: 's3:Delete*', Resource: { 'Fn::Join': ['', [arn, '/dossiers/*']] } }]);
    bad.Resources.BadStar = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    bad.Resources.BadBypass = doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:Bypass*'], Resource: arn }]);
    bad.Resources.BadRead = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [arn, '/*']] } }]);
    bad.Resources.BadList = doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: arn }]);
    bad.Resources.BadDigestRead = doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: { 'Fn::Join': ['', [arn, '/digests/*']] } }]);
    expect(destructiveGrants(bad)).toEqual(['BadDelete: s3:Delete*', 'BadStar: *', 'BadBypass: s3:Bypass*']);
    expect(unscopedVaultGrants(bad)).toEqual([
      'BadStar: * on *',
      'BadBypass: s3:GetObject,s3:Bypass* on bucket',
      'BadRead: s3:GetObject on /*',
      'BadList: s3:ListBucket on bucket',
      'BadDigestRead: s3:GetObject,s3:PutObject on /digests/*',
    ]);
    // Deny statements (the bucket policy's TLS-only rule denies s3:*) are not grants.
    expect(allStatements(template).some(({ statement }) => statement.Effect === 'Deny' && statement.Action === 's3:*')).toBe(true);
  });

  it('moves current and noncurrent versions above 32 KiB to Glacier Instant Retrieval after 90 days, and never expires anything', () => {
    const [rule, ...others] = vault.Properties.LifecycleConfiguration.Rules;
    expect(others).toEqual([]);
    expect(rule).toEqual({
      Id: 'ArchiveToGlacierInstantRetrieval',
      Status: 'Enabled',
      // Above ~30 KiB an object costs less in Glacier IR over ten years even billed as 128 KiB.
      ObjectSizeGreaterThan: '32768',
      Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
      NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
    });
    expect(JSON.stringify(vault.Properties.LifecycleConfiguration)).not.toMatch(/Expiration/);
    expect(vault.Properties.LifecycleConfiguration.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    // Retention is the lock's business, not the lifecycle's.
    expect(vault.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Days: 3650 });
    const sooner = Template.fromStack(buildTestApp({ 'amiable:archiveAfterDays': '30' }).stack).toJSON();
    const soonerRule = sooner.Resources[vaultId(sooner)].Properties.LifecycleConfiguration.Rules[0];
    expect(soonerRule.Transitions[0].TransitionInDays).toBe(30);
    expect(soonerRule.NoncurrentVersionTransitions[0].TransitionInDays).toBe(30);
  });

  it('grantEvidencePut and grantBundles give exactly their actions on their prefixes', () => {
    const probe = buildTestApp(PROD, {}, { nag: false });
    const role = (id: string) => new iam.Role(probe.stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const putter = role('Putter');
    const bundler = role('Bundler');
    probe.stack.evidence.grantEvidencePut(putter);
    probe.stack.evidence.grantBundles(lambda.Function.fromFunctionAttributes(probe.stack, 'B', { functionArn: 'arn:aws:lambda:eu-west-3:123456789012:function:b', role: bundler }));
    const t = Template.fromStack(probe.stack).toJSON();
    const grantsOf = (r: iam.Role) => {
      const id = probe.stack.getLogicalId(r.node.defaultChild as iam.CfnRole);
      return allStatements(t)
        .filter(({ source }) => list(t.Resources[source].Properties.Roles).some((x: any) => x.Ref === id))
        .flatMap(({ statement }) => list(statement.Action).flatMap((a: string) => list(statement.Resource).map((res) => `${a} ${vaultScope(res, vaultId(t))}`)))
        .sort();
    };
    expect(grantsOf(putter)).toEqual(['s3:PutObject /dossiers/*', 's3:PutObjectRetention /dossiers/*']);
    // Read only: bundles are put in the exports bucket (bundle-exports.test.ts), nothing in the vault.
    expect(grantsOf(bundler)).toEqual(['s3:GetObject /dossiers/*', 's3:GetObjectVersion /dossiers/*']);
  });
});

describe('the auditor role', () => {
  function auditorRole(context: Record<string, unknown>) {
    const t = Template.fromStack(buildTestApp(context).stack).toJSON();
    const [id] = Object.keys(t.Resources).filter((k) => k.startsWith('AuditorRole') && t.Resources[k].Type === 'AWS::IAM::Role');
    return { t, id, role: t.Resources[id] };
  }

  it('reads evidence and bundles (objects, versions, retention, attributes) and lists those prefixes, nothing else', () => {
    const { t, id, role } = auditorRole({});
    // No managed policy, no attached policy: only its inline read-only policy.
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const attached = Object.values<any>(t.Resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && list(r.Properties.Roles).some((x: any) => x.Ref === id),
    );
    expect(attached).toEqual([]);
    const statements = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const vault = vaultId(t);
    expect(statements.every((s: any) => s.Effect === 'Allow')).toBe(true);
    const actions = statements.flatMap((s: any) => list(s.Action)).sort();
    expect(actions).toEqual([...AUDITOR_OBJECT_ACTIONS, ...AUDITOR_LIST_ACTIONS].sort());
    expect(actions).toEqual(
      ['s3:GetObject', 's3:GetObjectAttributes', 's3:GetObjectRetention', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions'],
    );
    // No write of any kind, whatever the prefix.
    expect(actions.filter((a: string) => !/^s3:(Get|List)/.test(a))).toEqual([]);
    const objects = statements.find((s: any) => list(s.Action).includes('s3:GetObject'));
    expect(list(objects.Resource).map((r) => vaultScope(r, vault)).sort()).toEqual(['/bundles/*', '/dossiers/*']);
    const listing = statements.find((s: any) => list(s.Action).includes('s3:ListBucket'));
    expect(list(listing.Resource).map((r) => vaultScope(r, vault))).toEqual(['bucket']);
    expect(listing.Condition).toEqual({ StringLike: { 's3:prefix': ['dossiers/*', 'bundles/*'] } });
  });

  it('is assumed by the account root by default, or by the principals named in amiable:auditorPrincipals', () => {
    const trust = (role: any) => role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => ({ action: s.Action, principal: s.Principal.AWS }));
    expect(trust(auditorRole({}).role)).toEqual([
      { action: 'sts:AssumeRole', principal: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
    ]);
    const named = trust(auditorRole({ 'amiable:auditorPrincipals': 'arn:aws:iam::123456789012:role/Auditors,arn:aws:iam::210987654321:user/expert' }).role);
    expect(named).toEqual([
      { action: 'sts:AssumeRole', principal: ['arn:aws:iam::123456789012:role/Auditors', 'arn:aws:iam::210987654321:user/expert'] },
    ]);
  });

  it('is a stack output', () => {
    const { t, id } = auditorRole({});
    expect(t.Outputs.AuditorRoleArn.Value).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
  });
});
