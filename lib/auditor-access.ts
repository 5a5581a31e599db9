import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BUNDLE_PREFIX, EVIDENCE_PREFIX, EvidenceVault } from './evidence-vault';
import { acknowledge, wildcardResource } from './nag';

export interface AuditorAccessProps {
  vault: EvidenceVault;
  /**
   * IAM principal ARNs allowed to assume the role (context amiable:auditorPrincipals). Empty: the
   * account root principal, i.e. the account's IAM admins decide who may assume it (they grant
   * sts:AssumeRole on this role to the auditors' users or roles).
   */
  principals: readonly string[];
}

/** The only read actions the auditor has on objects. No write, delete, retention change or legal hold. */
export const AUDITOR_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectAttributes'];
export const AUDITOR_LIST_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];

/**
 * A role for an auditor, an expert or a court-appointed commissioner: reads the evidence and the
 * bundles (every version, with its Object Lock retention) and nothing else — not the table, not
 * another prefix of the bucket, no write of any kind. Listing is limited to the two prefixes by an
 * s3:prefix condition (a listing without a prefix, or of another prefix, is refused).
 */
export class AuditorAccess extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AuditorAccessProps) {
    super(scope, id);
    const principals = props.principals.map((arn) => new iam.ArnPrincipal(arn));
    const bucket = props.vault.bucket;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: principals.length > 0 ? new iam.CompositePrincipal(...principals) : new iam.AccountRootPrincipal(),
      description: 'Amiable auditor: read-only on the evidence vault (dossiers/ and bundles/), nothing else',
      inlinePolicies: {
        EvidenceReadOnly: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: AUDITOR_OBJECT_ACTIONS,
              resources: [props.vault.objectsArn(EVIDENCE_PREFIX), props.vault.objectsArn(BUNDLE_PREFIX)],
            }),
            new iam.PolicyStatement({
              actions: AUDITOR_LIST_ACTIONS,
              resources: [bucket.bucketArn],
              // StringLike fails when the key is absent: a listing without a prefix is refused too.
              conditions: { StringLike: { 's3:prefix': [`${EVIDENCE_PREFIX}*`, `${BUNDLE_PREFIX}*`] } },
            }),
          ],
        }),
      },
    });
    for (const prefix of [EVIDENCE_PREFIX, BUNDLE_PREFIX] as const) {
      acknowledge(
        this.role,
        wildcardResource(this.role, props.vault.objectsArn(prefix)),
        `Read-only (Get* of objects, versions, retention, attributes) on ${prefix}* of the evidence bucket: evidence and bundle keys are per dossier and only known at run time; no other prefix, no write.`,
      );
    }
  }
}
