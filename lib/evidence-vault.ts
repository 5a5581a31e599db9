import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeGrantWildcards } from './nag';
import { ARCHIVE_MIN_OBJECT_BYTES } from '../lambdas/adapters/evidence-archive';

export type ObjectLockMode = 'COMPLIANCE' | 'GOVERNANCE';

/**
 * Key prefixes of the vault. Every evidence key is dossiers/<dossierId>/... (lambdas/services);
 * the accountants' digests and immediate alerts (exact MIME bytes, and each digest's report) are
 * digests/<creditorId>/<...>. bundles/<...> holds the evidence bundles versions before the exports
 * bucket (lib/bundle-exports.ts) kept here: nothing writes there any more, auditors still read
 * them. No grant of this stack reaches any other key.
 */
export const EVIDENCE_PREFIX = 'dossiers/';
export const BUNDLE_PREFIX = 'bundles/';
export const DIGEST_PREFIX = 'digests/';

/**
 * Objects larger than this move to Glacier Instant Retrieval; smaller ones stay in Standard. Glacier
 * IR bills at least 128 KiB per object (and $0.02 per 1,000 transitions), so for the ~117 months an
 * object spends there out of 10 years, 128 KiB at $0.004/GB-month plus the transition equals about
 * 30 KiB kept in Standard at $0.023-0.024 (scripts/aws-prices.json): a 58 KiB mise en demeure or a
 * 90 KiB hand-off costs half as much archived, even billed as 128 KiB; a 7 KiB reminder or a JSON
 * fact would cost more. The S3 default (transitionDefaultMinimumObjectSize, 128 KiB) would keep
 * every message of a dossier in Standard for ten years: none reaches 128 KiB. (The constant lives
 * with the Lambdas, which also PUT some messages in Glacier IR directly: evidence-archive.ts.)
 */
export { ARCHIVE_MIN_OBJECT_BYTES };

export interface EvidenceVaultProps {
  /** COMPLIANCE in production (nobody can delete), GOVERNANCE for test deployments. */
  lockMode: ObjectLockMode;
  retentionDays: number;
  /** Days after which object versions move to Glacier Instant Retrieval. */
  archiveAfterDays: number;
  removalPolicy: RemovalPolicy;
}

const EVIDENCE_WILDCARD_REASON =
  'Evidence objects are keyed per dossier (dossiers/<dossierId>/notices|delivery|calls|facts/...), ids known only at run time; the grant is limited to that prefix of the evidence bucket, and Object Lock keeps whatever was put.';
const DIGEST_WILDCARD_REASON =
  'Digests and alerts sent to the accountants are kept per creditor and day (digests/<creditorId>/<date>/..., digests/<creditorId>/alerts/<dossierId>/...), names known only at run time; the grant is limited to that prefix of the evidence bucket, put only, and Object Lock keeps whatever was put.';
const BUNDLE_WILDCARD_REASON =
  'Evidence bundles are built per dossier at run time from the evidence under dossiers/<dossierId>/..., ids known only then; the grant is limited to that prefix of the evidence bucket, read only (bundles go to the exports bucket).';

/**
 * The evidence bucket: every message sent, every delivery event and every fact of the evidence log,
 * write-once. Object Lock must be enabled at creation (enabling it later replaces the bucket), which
 * forces versioning (aws-facts.md, S3 Object Lock). Access logs go to a separate bucket: an Object
 * Lock bucket cannot be a log target.
 *
 * The vault owns its grants (as aws-solutions-constructs do): functions get put or read access to
 * its two prefixes through the methods below, never a bucket-wide or delete grant.
 */
export class EvidenceVault extends Construct {
  readonly bucket: s3.Bucket;
  /** Server access logs of the vault (evidence/) and of the exports bucket (exports/). */
  readonly accessLogs: s3.Bucket;
  readonly lockMode: ObjectLockMode;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: EvidenceVaultProps) {
    super(scope, id);
    this.lockMode = props.lockMode;
    this.retentionDays = props.retentionDays;
    const accessLogs = (this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: props.removalPolicy,
    }));
    const retention = Duration.days(props.retentionDays);
    const archive = [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(props.archiveAfterDays) }];
    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.lockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      // Evidence is read mostly while a dossier is live (disputes, the mise en demeure and its
      // 8-day deadline, the hand-off: within about three months of the first reminder), then rarely,
      // for years. After `archiveAfterDays` (default 90) current and noncurrent versions move to
      // Glacier Instant Retrieval: millisecond reads, so a bundle can still be built (or rebuilt)
      // at once, without the restore step of the other Glacier classes, for a fraction of
      // S3 Standard's storage price. Locked versions stay for years, so Glacier IR's 90-day minimum
      // storage duration never adds a charge.
      // Retention is unaffected: a transition changes the storage class of the same object version,
      // which keeps its Object Lock mode and retain-until date; the rule has no expiration action,
      // and a lifecycle expiration could not remove a locked version anyway.
      // Only objects above ARCHIVE_MIN_OBJECT_BYTES (messages with a PDF, litigation dossiers):
      // a rule's own size filter takes precedence over the bucket's default minimum.
      // Why not Glacier Flexible Retrieval or Deep Archive (about 1/4 and 1/16 of Glacier IR's price
      // per GB): each archived object also costs 8 KiB billed at the Standard rate plus 32 KiB at the
      // archive rate, which for a dossier's ~10 objects of 5-90 KiB outweighs the saving, and every
      // read needs a restore first (minutes to 48 hours): bundles could no longer be built on demand.
      lifecycleRules: [
        {
          id: 'ArchiveToGlacierInstantRetrieval',
          objectSizeGreaterThan: ARCHIVE_MIN_OBJECT_BYTES,
          transitions: archive,
          noncurrentVersionTransitions: archive,
        },
      ],
      // Smaller objects (reminders without a PDF, JSON facts, SES events) stay in Standard, where they
      // cost less than Glacier IR's 128 KiB minimum (messages and the litigation JSON kept gzipped
      // there; the hand-off to counsel PUT in Glacier IR at once: lambdas/adapters/evidence-archive.ts).
      // Explicit, not left to the account's default.
      transitionDefaultMinimumObjectSize: s3.TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      removalPolicy: props.removalPolicy,
    });
    // CloudFormation types ObjectSizeGreaterThan as a string (the L2 writes a number, which the
    // template validator flags as coerced): the same value, as CloudFormation expects it.
    (this.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(
      'LifecycleConfiguration.Rules.0.ObjectSizeGreaterThan',
      String(ARCHIVE_MIN_OBJECT_BYTES),
    );
  }

  /** ARN of the objects under one of the vault's prefixes. */
  objectsArn(prefix: typeof EVIDENCE_PREFIX | typeof BUNDLE_PREFIX | typeof DIGEST_PREFIX): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }

  /**
   * Puts evidence under dossiers/ with an explicit retention: s3:PutObject + s3:PutObjectRetention,
   * nothing else (no read, no delete, no tagging or legal hold). PutObjectRetention is what a put
   * carrying x-amz-object-lock-mode/retain-until-date needs (lambdas/adapters/evidence-store.ts); it
   * can set or extend a retention but, without s3:BypassGovernanceRetention (never granted here),
   * not shorten a GOVERNANCE one, and nothing can shorten a COMPLIANCE one.
   */
  grantEvidencePut(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      resourceArns: [this.objectsArn(EVIDENCE_PREFIX)],
    });
    acknowledgeGrantWildcards(grantee, grant, EVIDENCE_WILDCARD_REASON);
    return grant;
  }

  /**
   * Puts the accountants' digests and alerts under digests/ with an explicit retention, like any
   * message sent: s3:PutObject + s3:PutObjectRetention on that prefix only (no read, no delete).
   */
  grantDigestPut(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      resourceArns: [this.objectsArn(DIGEST_PREFIX)],
    });
    acknowledgeGrantWildcards(grantee, grant, DIGEST_WILDCARD_REASON);
    return grant;
  }

  /**
   * What the bundle builder needs from the vault: read evidence, every version (a bundle cites the
   * exact versions it packs). Nothing else: the bundle itself, a derived export, goes to the
   * exports bucket (BundleExports.grantBundleExports), and its issuance to the evidence log.
   */
  grantBundles(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resourceArns: [this.objectsArn(EVIDENCE_PREFIX)],
    });
    acknowledgeGrantWildcards(grantee, grant, BUNDLE_WILDCARD_REASON);
    return grant;
  }
}
