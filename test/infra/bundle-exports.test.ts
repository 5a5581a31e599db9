import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EXPORT_EXPIRY_DAYS, EXPORT_PREFIX } from '../../lib/bundle-exports';
import { BUNDLE_LINK_SECONDS } from '../../lambdas/services/evidence';
import { allStatements, list, roleOfHandler, statementsOfRole, vaultId } from './iam';
import { buildTestApp, PROD } from './synth';

/**
 * The exports bucket (lib/bundle-exports.ts): evidence bundles are derived exports, kept a few
 * days, not under Object Lock. It must still be private, encrypted, TLS only and access logged,
 * and no role may delete from it (the lifecycle rule does).
 */
describe('the bundles exports bucket', () => {
  const t = Template.fromStack(buildTestApp(PROD, {}, { nag: false }).stack).toJSON();
  const ids = Object.keys(t.Resources).filter((id) => t.Resources[id].Type === 'AWS::S3::Bucket' && /^Exports/.test(id));
  const id = ids[0]!;
  const bucket = t.Resources[id];

  it('is one bucket, private, encrypted, without Object Lock or versioning, logged to the access-log bucket', () => {
    expect(ids).toHaveLength(1);
    expect(id).not.toBe(vaultId(t));
    const p = bucket.Properties;
    expect(p.ObjectLockEnabled).toBeUndefined();
    expect(p.VersioningConfiguration).toBeUndefined();
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(p.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: expect.stringMatching(/^EvidenceAccessLogs/) }, LogFilePrefix: 'exports/' });
  });

  it('refuses plain HTTP', () => {
    const policy = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === id);
    expect(list(policy.Properties.PolicyDocument.Statement)).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('expires every bundle a few days after its link stopped working', () => {
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([expect.objectContaining({ Id: 'ExpireBundles', Status: 'Enabled', ExpirationInDays: EXPORT_EXPIRY_DAYS })]);
    expect(rules[0].Prefix ?? rules[0].Filter).toBeUndefined();
    expect(EXPORT_EXPIRY_DAYS * 86_400).toBeGreaterThan(BUNDLE_LINK_SECONDS);
    expect(EXPORT_EXPIRY_DAYS).toBeLessThanOrEqual(7);
  });

  it('lets the bundle builders put and read bundles/ only, and no role delete anything from it', () => {
    const reaching = allStatements(t).filter(({ statement }) => JSON.stringify(statement.Resource ?? '').includes(`"${id}"`) && statement.Effect === 'Allow');
    expect(reaching.flatMap(({ statement }) => list(statement.Action)).filter((a: string) => /Delete|Bypass|PutLifecycle|PutBucketPolicy|\*/.test(a))).toEqual([]);
    for (const handler of ['handoff', 'evidence']) {
      const mine = statementsOfRole(t, roleOfHandler(t, handler)).filter((s) => JSON.stringify(s.Resource).includes(`"${id}"`));
      expect(mine.flatMap((s) => list(s.Action)).sort(), handler).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(mine.flatMap((s) => list(s.Resource)), handler).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, `/${EXPORT_PREFIX}*`]] }]);
    }
    // The letters (send-notice) and GET /litigation issue no bundle: nothing of theirs reaches the bucket.
    for (const handler of ['send-notice', 'litigation']) {
      expect(statementsOfRole(t, roleOfHandler(t, handler)).filter((s) => JSON.stringify(s.Resource).includes(`"${id}"`)), handler).toEqual([]);
    }
  });

  it('is named to every function by EXPORTS_BUCKET (local mode creates it from there too)', () => {
    const fn = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['amiable:handler'] === 'evidence');
    expect(fn.Properties.Environment.Variables.EXPORTS_BUCKET).toEqual({ Ref: id });
  });
});
