import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WATCHED_STATUSES } from '../lambdas/domain/execution-status';
import { deadLetterQueue } from './dead-letter-queue';

/** The detail-type Step Functions publishes on the default bus for every execution status change. */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

export interface ExecutionWatchProps {
  stateMachine: sfn.IStateMachine;
  /** The execution-status handler. */
  handler: lambda.Function;
  bus: events.IEventBus;
}

/**
 * Executions of the dunning state machine that end FAILED, TIMED_OUT or ABORTED -> the
 * execution-status Lambda, which flags the dossier unless the product ended the execution itself
 * (lambdas/domain/execution-status.ts). Events it cannot take land in a dead-letter queue (14 days).
 * Local mode routes the local engine's status events through this rule's pattern (local/execution-events.ts).
 */
export class ExecutionWatch extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ExecutionWatchProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, "of the execution status rule's Lambda target and of the execution-status function's async onFailure destination");
    props.handler.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    this.rule = new events.Rule(this, 'StatusRule', {
      eventBus: props.bus,
      description: 'Amiable: dunning executions that ended FAILED, TIMED_OUT or ABORTED -> execution-status',
      eventPattern: {
        source: ['aws.states'],
        detailType: [EXECUTION_STATUS_CHANGE],
        detail: { stateMachineArn: [props.stateMachine.stateMachineArn], status: [...WATCHED_STATUSES] },
      },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.handler, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
  }
}
