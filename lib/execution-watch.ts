import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WATCHED_STATUSES } from '../lambdas/domain/execution-status';
import { deadLetterQueue } from './dead-letter-queue';
import { ruleToLambda } from './rule-to-lambda';

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
 * (lambdas/domain/execution-status.ts). Events it cannot take land in a dead-letter queue (14 days;
 * retries: lib/rule-to-lambda.ts).
 * Local mode routes the local engine's status events through this rule's pattern (local/execution-events.ts).
 */
export class ExecutionWatch extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ExecutionWatchProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, "of the execution status rule's Lambda target and of the execution-status function's async onFailure destination");
    this.rule = ruleToLambda(this, 'StatusRule', {
      bus: props.bus,
      description: 'Amiable: dunning executions that ended FAILED, TIMED_OUT or ABORTED -> execution-status',
      eventPattern: {
        source: ['aws.states'],
        detailType: [EXECUTION_STATUS_CHANGE],
        detail: { stateMachineArn: [props.stateMachine.stateMachineArn], status: [...WATCHED_STATUSES] },
      },
      handler: props.handler,
      deadLetterQueue: this.deadLetterQueue,
    });
  }
}
