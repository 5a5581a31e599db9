import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface RuleToLambdaProps {
  bus: events.IEventBus;
  description: string;
  eventPattern: events.EventPattern;
  handler: lambda.Function;
  /** Where the events the function never takes end up (lib/dead-letter-queue.ts). */
  deadLetterQueue: sqs.IQueue;
}

/**
 * An EventBridge rule whose events one Lambda handles, none lost: failures to reach the function
 * (throttling, permissions) are retried by EventBridge for a day (185 attempts, its maximum, within
 * 24 hours) and then go to the dead-letter queue; failures inside the function (EventBridge
 * invokes it asynchronously) get Lambda's 2 retries within 6 hours, then the same queue.
 */
export function ruleToLambda(scope: Construct, id: string, props: RuleToLambdaProps): events.Rule {
  props.handler.configureAsyncInvoke({
    retryAttempts: 2,
    maxEventAge: Duration.hours(6),
    onFailure: new destinations.SqsDestination(props.deadLetterQueue),
  });
  const rule = new events.Rule(scope, id, { eventBus: props.bus, description: props.description, eventPattern: props.eventPattern });
  rule.addTarget(
    new targets.LambdaFunction(props.handler, {
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    }),
  );
  return rule;
}
