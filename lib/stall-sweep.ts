import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { HandlerFunction } from './handler-function';
import type { DunningWorkflow } from './dunning-workflow';
import { acknowledge, wildcardResource } from './nag';

export interface StallSweepProps {
  workflow: DunningWorkflow;
  environment: Record<string, string>;
  /** The dossier writes a flag makes (the stack's grant: table, indexes, evidence-log facts). */
  grantDossierWrites: (fn: HandlerFunction) => void;
}

/** The schedule's input: the function reads it as "sweep now". */
export const STALL_SWEEP_INPUT = { source: 'amiable.stall-sweep' } as const;
/**
 * Every 6 hours, at 00:41, 06:41, 12:41 and 18:41 UTC (off the hour, where most waits fall): a
 * stalled dossier is repaired or flagged at most ~7 hours after its next action fell due (the
 * hour's grace, domain/stall-sweep.ts, plus the period), a few hours on a course counted in days.
 * Hourly would cost nothing more per dossier on AWS (one empty Query per creditor and run), but
 * local mode fires the schedule at every simulated instant it names: ~8 ms of CPU per run there,
 * 10 s per 70 simulated days hourly against 1.7 s at this period (the bench's fixed cost).
 */
export const STALL_SWEEP_CRON = { minute: '41', hour: '0,6,12,18' } as const;

/**
 * The stall sweep (lambdas/services/stall-sweep.ts): an EventBridge Scheduler schedule invokes the
 * stall-sweep function every 6 hours (STALL_SWEEP_CRON); it finds, creditor by creditor, the waiting dossiers whose next
 * action is overdue by more than an hour (the table's sparse byCreditorNextAction index), starts the
 * recorded execution of one that waits on an execution never started (exact name: never a second
 * execution), and flags needs_attention (alerting the accountants) one that waits on an execution
 * that ended. Its own function, not the execution-status one: only it queries the due index and
 * describes executions, and its bundle reads no creditor profile.
 * IAM: the dossier writes of a flag; states:StartExecution on this state machine and
 * states:DescribeExecution on its executions, nothing else of Step Functions (no stop: the sweep
 * never ends an execution). A run that fails after Lambda's two retries, or a schedule invocation
 * that cannot be delivered, lands in the dead-letter queue (alarmed, lib/operations-alarms.ts).
 */
export class StallSweep extends Construct {
  readonly fn: HandlerFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StallSweepProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, "of the stall sweep's schedule target and of the stall-sweep function's async onFailure destination");
    this.fn = new HandlerFunction(this, 'StallSweepFn', {
      handler: 'stall-sweep',
      environment: { ...props.environment, STATE_MACHINE_ARN: props.workflow.stateMachine.stateMachineArn },
      // One empty Query per creditor when nothing stalls; the run stops 20 s before this and the next one resumes.
      timeout: Duration.minutes(5),
      description: 'Every 6 hours: starts the recorded execution of a stalled dossier, or flags it needs_attention',
    });
    props.grantDossierWrites(this.fn);
    props.workflow.stateMachine.grantStartExecution(this.fn);
    props.workflow.grantDescribe(this.fn);
    // A run that still fails after Lambda's retries: the next one retries the dossiers, the DLQ tells the operator.
    this.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new destinations.SqsDestination(this.deadLetterQueue) });

    // The schedule's own role: it may invoke this function (and its versions), nothing else.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Amiable: EventBridge Scheduler invokes the stall sweep',
    });
    acknowledge(
      scheduleRole,
      wildcardResource(scheduleRole, `${this.fn.functionArn}:*`),
      "The schedule's target grant (aws-scheduler-targets LambdaInvoke) covers the stall-sweep function and its qualified ARNs (<function arn>:*, versions and aliases); no other function.",
    );
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Amiable: the stall sweep, every 6 hours (dossiers waiting on an execution that never started or ended)',
      schedule: scheduler.ScheduleExpression.cron(STALL_SWEEP_CRON),
      target: new targets.LambdaInvoke(this.fn, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject(STALL_SWEEP_INPUT),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        // A run older than the next one is worth nothing.
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
