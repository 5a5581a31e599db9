import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function';
import { deadLetterQueue } from './dead-letter-queue';

/**
 * How fast bulk intake starts executions. Step Functions' StartExecution is a token bucket that
 * refills at 300/s in the largest Regions (us-east-1, us-west-2, eu-west-1) and 150/s elsewhere,
 * eu-west-3 (Paris, the default here) included (shared/reference/aws-facts.md; Step Functions
 * quotas, "StartExecution"). Bulk starts are capped at a third of the smaller figure, 50/s, so
 * single intake and the dossier actions (which also start executions) keep 100/s to themselves:
 * 25 starts/s in each invocation (lambdas/services/start-pacing.ts) x at most 2 concurrent
 * invocations (the event source's maximum concurrency; 2 is SQS's minimum). 10,000 invoices start
 * in about 3 min 20 s.
 */
export const BULK_START_RATE = { perInvocation: 25, maxConcurrency: 2 } as const;
/** Receives before a message goes to the dead-letter queue (its dossier keeps `pendingStart`). */
export const BULK_MAX_RECEIVES = 5;

export interface BulkIntakeProps {
  environment: Record<string, string>;
  stateMachine: sfn.IStateMachine;
  /** Grants the starter what it does on the table: read the dossier, clear its marker. */
  grantDossierUpdate: (fn: iam.IGrantable) => void;
}

/**
 * Bulk intake's buffer: POST /invoices/batch stores each dossier (with `pendingStart`) and queues
 * its id here; the starter function takes 10 at a time and starts their first executions at the
 * paced rate above, the SDK retrying throttled calls with backoff. Failed messages come back
 * alone (ReportBatchItemFailures), then after 5 receives land in the dead-letter queue (14 days),
 * from which they can be redriven (DEPLOY.md). Both queues: SQS-managed encryption, TLS only.
 */
export class BulkIntake extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly starter: HandlerFunction;

  constructor(scope: Construct, id: string, props: BulkIntakeProps) {
    super(scope, id);
    const timeout = Duration.seconds(60);
    this.deadLetterQueue = deadLetterQueue(this, "of the bulk-start queue (its redrive target below)");
    this.queue = new sqs.Queue(this, 'StartQueue', {
      // Lambda's guidance for SQS event sources: at least 6 x the function timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: BULK_MAX_RECEIVES },
    });
    this.starter = new HandlerFunction(this, 'StarterFn', {
      handler: 'start-workflows',
      timeout,
      environment: {
        ...props.environment,
        BULK_STARTS_PER_SECOND: String(BULK_START_RATE.perInvocation),
        // A throttled StartExecution is retried by the SDK: adaptive mode adds client-side rate
        // limiting to the standard exponential backoff with jitter; 8 attempts span ~20 s.
        AWS_RETRY_MODE: 'adaptive',
        AWS_MAX_ATTEMPTS: '8',
      },
      description: 'Starts the workflows of invoices received in bulk, paced under the StartExecution quota',
    });
    props.grantDossierUpdate(this.starter);
    props.stateMachine.grantStartExecution(this.starter);
    this.starter.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxConcurrency: BULK_START_RATE.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }

  /** The batch route's function: may queue starts (SendMessage), nothing else on the queues. */
  grantQueueStarts(fn: lambda.IFunction): void {
    this.queue.grantSendMessages(fn);
  }
}
