import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DETAIL_TYPES } from '../lambdas/domain/dossier-delivery';
import { Mailer } from './mailer';
import { deadLetterQueue } from './dead-letter-queue';

export interface DeliveryEventsProps {
  mailer: Mailer;
  /** The delivery-events handler. */
  handler: lambda.Function;
}

/**
 * SES events of Amiable's configuration set (bounce, complaint, reject, delivery, delay) on the
 * default bus -> the delivery-events Lambda. Events that cannot be delivered to the function, or
 * that the function fails on after Lambda's own retries, land in a dead-letter queue (14 days).
 */
export class DeliveryEvents extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeliveryEventsProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, "of the SES events rule's Lambda target and of the delivery-events function's async onFailure destination (both below)");
    // Failures inside the function (EventBridge invokes it asynchronously): 2 retries, then the DLQ.
    props.handler.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    this.rule = new events.Rule(this, 'SesEventsRule', {
      eventBus: props.mailer.defaultBus,
      description: "Amiable: SES delivery events of the configuration set -> delivery-events",
      eventPattern: {
        source: ['aws.ses'],
        detailType: Object.values(DETAIL_TYPES),
        detail: {
          mail: { tags: { 'ses:configuration-set': [props.mailer.configurationSet.configurationSetName] } },
        },
      },
    });
    // Failures to reach the function (throttling, permissions): retried for a day, then the DLQ.
    this.rule.addTarget(
      new targets.LambdaFunction(props.handler, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
  }
}
