import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export type ObjectLockMode = 'COMPLIANCE' | 'GOVERNANCE';

export interface EvidenceVaultProps {
  /** COMPLIANCE in production (nobody can delete), GOVERNANCE for test deployments. */
  lockMode: ObjectLockMode;
  retentionDays: number;
  removalPolicy: RemovalPolicy;
}

/**
 * The evidence bucket: every message sent and every delivery event, write-once.
 * Object Lock must be enabled at creation (enabling it later replaces the bucket), which forces
 * versioning. Access logs go to a separate bucket: an Object Lock bucket cannot be a log target.
 */
export class EvidenceVault extends Construct {
  readonly bucket: s3.Bucket;
  readonly lockMode: ObjectLockMode;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: EvidenceVaultProps) {
    super(scope, id);
    this.lockMode = props.lockMode;
    this.retentionDays = props.retentionDays;
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: props.removalPolicy,
    });
    const retention = Duration.days(props.retentionDays);
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
      removalPolicy: props.removalPolicy,
    });
  }
}
