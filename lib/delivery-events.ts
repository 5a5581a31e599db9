import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DETAIL_TYPES } from '../lambdas/domain/dossier-delivery';
import { Mailer } from './mailer';
import { deadLetterQueue } from './dead-letter-queue';
import { ruleToLambda } from './rule-to-lambda';

export interface DeliveryEventsProps {
  mailer: Mailer;
  /** The delivery-events handler. */
  handler: lambda.Function;
}

/**
 * SES events of Amiable's configuration set (bounce, complaint, reject, delivery, delay) on the
 * default bus -> the delivery-events Lambda. Events that cannot be delivered to the function, or
 * that the function fails on after Lambda's own retries, land in a dead-letter queue (14 days;
 * retries: lib/rule-to-lambda.ts).
 */
export class DeliveryEvents extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeliveryEventsProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, "of the SES events rule's Lambda target and of the delivery-events function's async onFailure destination (both below)");
    this.rule = ruleToLambda(this, 'SesEventsRule', {
      bus: props.mailer.defaultBus,
      description: 'Amiable: SES delivery events of the configuration set -> delivery-events',
      eventPattern: {
        source: ['aws.ses'],
        detailType: Object.values(DETAIL_TYPES),
        detail: {
          mail: { tags: { 'ses:configuration-set': [props.mailer.configurationSet.configurationSetName] } },
        },
      },
      handler: props.handler,
      deadLetterQueue: this.deadLetterQueue,
    });
  }
}
