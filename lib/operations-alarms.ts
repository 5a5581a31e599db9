import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../lambdas/adapters/metric-names';

export interface OperationsAlarmsProps {
  stateMachine: sfn.StateMachine;
  /** Dead-letter queues by a readable name ("DeliveryEvents"): anything in one is work not done. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** Every function of the stack, by a readable name. */
  functions: Record<string, lambda.IFunction>;
  /** Operators subscribed by e-mail (context amiable:alarmEmail); none: subscribe by hand. */
  emails: readonly string[];
}

/**
 * What an operator is woken up for, on one SNS topic (encrypted with its own KMS key, SSL only):
 * - a message in any dead-letter queue (delivery events, execution status events, the
 *   accountants' stream records): an event Amiable failed to process after its retries;
 * - an execution of the dunning state machine FAILED or TIMED_OUT (the state machine's own
 *   ExecutionsFailed / ExecutionsTimedOut metrics), or ended in a way the product did not ask for
 *   (Amiable's ExecutionsEndedUnexpectedly, which counts ABORTED only when it was not a payment,
 *   cancellation, pause or new generation, judged by the dossier, domain/execution-status.ts: the
 *   raw ExecutionsAborted counts every settling payment and every task that ends its own execution
 *   early, execution-continuation.ts endChainEarly, so alarming on it would cry wolf);
 * - a dossier the stall sweep had to flag (StalledDossiersFlagged: it waited on an execution
 *   that had ended; the sweep's restarts of never-started executions are counted, not alarmed:
 *   they repair what they find);
 * - a function failing repeatedly (Errors >= 3 in 15 minutes: a single transient error is retried
 *   by the state machine, the stream or EventBridge, and only repeats matter).
 * Missing data is "not breaching": no traffic is not an incident.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const key = new kms.Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Amiable operations alarms topic (SNS server-side encryption)',
    });
    // CloudWatch publishes alarm notifications to an encrypted topic only with use of its key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Amiable operations',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const action = new actions.SnsAction(this.topic);
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const a = new cloudwatch.Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        1,
        `A message waits in the ${name} dead-letter queue: an event Amiable could not process after its retries (DEPLOY.md, Operations).`,
      );
    }
    const five = { period: Duration.minutes(5), statistic: 'Sum' };
    alarm('ExecutionsFailed', props.stateMachine.metricFailed(five), 1, 'A dunning execution FAILED (its dossier is flagged needs_attention).');
    alarm('ExecutionsTimedOut', props.stateMachine.metricTimedOut(five), 1, 'A dunning execution TIMED_OUT (never expected: executions hand over after 300 days).');
    alarm(
      'ExecutionsEndedUnexpectedly',
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: 'ExecutionsEndedUnexpectedly', dimensionsMap: { Status: 'ABORTED' }, ...five }),
      1,
      'A dunning execution was stopped by something other than Amiable (its dossier is flagged needs_attention).',
    );
    // The stall sweep (lib/stall-sweep.ts) flagged a dossier that waited on an execution that had ended:
    // something ended it unheard of (the accountants are alerted by the flag itself).
    alarm(
      'StalledDossiersFlagged',
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: 'StalledDossiersFlagged', period: Duration.hours(1), statistic: 'Sum' }),
      1,
      'The stall sweep flagged a dossier needs_attention: it waited on a workflow execution that had ended (DEPLOY.md, Operations).',
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }), 3, `The ${name} function failed 3 times or more in 15 minutes.`);
    }
  }
}
