import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeGrantWildcards } from './nag';

/** Bundles are put under bundles/<dossierId>/<bundleId>.zip (lambdas/services/evidence.ts). */
export const EXPORT_PREFIX = 'bundles/';

/**
 * Days a bundle stays in the exports bucket. Its link works 15 minutes (BUNDLE_LINK_SECONDS,
 * lambdas/services/evidence.ts); a
 * retried hand-off reuses the bundle its failed attempt issued (minutes to hours later, the state
 * machine's retries); after that a bundle is rebuilt from the vault for its head, byte for byte.
 * S3 expires an object at the first midnight UTC after `days` days from its creation.
 */
export const EXPORT_EXPIRY_DAYS = 3;

export interface BundleExportsProps {
  /** Where S3 access logs go (the vault's access-log bucket, under exports/). */
  accessLogs: s3.IBucket;
  removalPolicy: RemovalPolicy;
}

const EXPORT_WILDCARD_REASON =
  'Evidence bundles are exported per dossier at run time (bundles/<dossierId>/<bundleId>.zip), ids known only then; the grant is limited to that prefix of the exports bucket: put, read (the presigned link and the reuse check), no delete.';

/**
 * The exports bucket: evidence bundles, derived from the vault (every original stays there under
 * Object Lock, and each bundle's issuance, with its SHA-256 and head, is a record of the evidence
 * log), so not evidence themselves and not kept ten years: no Object Lock, no versioning, each
 * bundle deleted by a lifecycle rule a few days after its 15-minute link expired. Private,
 * encrypted, TLS only, access logged, like the vault.
 */
export class BundleExports extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: BundleExportsProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'exports/',
      lifecycleRules: [
        { id: 'ExpireBundles', expiration: Duration.days(EXPORT_EXPIRY_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy,
    });
  }

  /**
   * What the bundle builder needs here: put bundles and read them (the presigned link carries the
   * function's GetObject; HeadObject checks a kept bundle is still there). No listing, no delete:
   * the lifecycle rule deletes.
   */
  grantBundleExports(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(`${EXPORT_PREFIX}*`)],
    });
    acknowledgeGrantWildcards(grantee, grant, EXPORT_WILDCARD_REASON);
    return grant;
  }
}
