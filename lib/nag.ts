import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
// The function cdk-nag itself uses to name a wildcard finding: acknowledgments match it exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct, IConstruct } from 'constructs';

/**
 * cdk-nag (v3: a CDK policy-validation plugin, not an Aspect). The AwsSolutions pack runs on every
 * synth of the app; any unacknowledged finding, error or warning, fails the synth.
 *
 * Findings that are intentional are acknowledged next to the resource or grant that causes them,
 * with `acknowledge` below and a written reason; test/infra/nag.test.ts proves there is no
 * unacknowledged finding and that every reason says something.
 */
export function enableNag(app: App): AwsSolutionsChecks {
  const pack = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(pack);
  return pack;
}

/**
 * Acknowledges one AwsSolutions rule (e.g. "COG4", or "IAM5[Resource::...]") on a construct and its
 * children. The id is recorded unprefixed ("AwsSolutions-COG4"): the CLI suggests
 * "AwsSolutions::AwsSolutions-COG4", but cdk-nag 3.0.2 does not honour that form.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}

/** The IAM5 finding for one wildcard resource (an ARN that may contain tokens), as cdk-nag names it. */
export function wildcardResource(scope: IConstruct, arn: string): string {
  return `IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}]`;
}

/**
 * Acknowledges the wildcard resources of one grant on the grantee's role, with the grant's reason:
 * only the wildcards that grant produced, so another grant's wildcard on the same role still fails.
 */
export function acknowledgeGrantWildcards(grantee: iam.IGrantable, grant: iam.Grant, reason: string): void {
  const role = grantee.grantPrincipal;
  if (!Construct.isConstruct(role)) throw new Error('acknowledgeGrantWildcards: the grantee has no role construct');
  for (const statement of grant.principalStatements) {
    for (const arn of statement.resources) {
      const rule = wildcardResource(role, arn);
      if (rule.includes('*')) acknowledge(role, rule, reason);
    }
  }
}
