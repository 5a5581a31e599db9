import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DossierTable } from './dossier-table';
import { HandlerFunction } from './handler-function';
import type { Mailer } from './mailer';
import { deadLetterQueue } from './dead-letter-queue';
import { dossierAppends, readTableStream } from './table-stream';
import { DETAIL_TYPE_OF } from '../lambdas/domain/dossier-events';

export interface EventsOutProps {
  dossiers: DossierTable;
  /** Grants publishing Amiable's events on the default bus it holds. */
  mailer: Pick<Mailer, 'grantPublish'>;
  environment: Record<string, string>;
}

/**
 * Events out (docs/events.md): every history entry that is a state change of a dossier becomes an
 * event on the default EventBridge bus (source "amiable") and a delivery to each subscribed
 * webhook of its creditor.
 * - events-out function: reads the table's stream (filter: dossier changes, INSERT or MODIFY, that
 *   appended an entry type with a detail-type, by the item's `appended` marker), maps
 *   the entries each change appended (lambdas/domain/dossier-events.ts), puts them on the bus and
 *   records one delivery per subscribed webhook, each sent on the delivery queue. Deriving events
 *   from the stream means no code path that appends history can forget to publish.
 * - webhook-delivery function: one attempt per message (signed POST); a failed attempt is sent
 *   back to the queue with the schedule's delay (SQS DelaySeconds, at most 15 min), the last one
 *   to the dead-letter queue.
 * - dead-letter queue (14 days): deliveries that exhausted the schedule, messages the function
 *   failed on 5 times, and stream records the events-out function failed on after its retries.
 */
export class EventsOut extends Construct {
  readonly eventsFn: HandlerFunction;
  readonly deliveryFn: HandlerFunction;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EventsOutProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, "of the webhook delivery queue (redrive policy), of the deliveries that exhausted the retry schedule, and of the events-out stream source's on-failure destination");
    const deliveryTimeout = Duration.seconds(60);
    this.queue = new sqs.Queue(this, 'DeliveryQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS: at least 6 times the consuming function's timeout.
      visibilityTimeout: Duration.seconds(deliveryTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    const environment = { ...props.environment, WEBHOOK_QUEUE_URL: this.queue.queueUrl, WEBHOOK_DLQ_URL: this.deadLetterQueue.queueUrl };

    this.eventsFn = new HandlerFunction(this, 'EventsFn', {
      handler: 'events-out',
      environment,
      description: "Publishes each dossier state change on EventBridge and queues its creditor's webhook deliveries",
    });
    // The creditor's webhooks (Query), delivery records (PutItem, GetItem on a redelivered record).
    props.dossiers.grant(this.eventsFn, ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:GetItem']);
    props.mailer.grantPublish(this.eventsFn);
    this.queue.grantSendMessages(this.eventsFn);
    // Only the dossier changes that appended an entry type with a detail-type: every one of them is
    // published on the bus (or subscribable by a webhook), whoever subscribes today.
    readTableStream(this.eventsFn, props.dossiers.table, { ...dossierAppends(Object.keys(DETAIL_TYPE_OF)), deadLetterQueue: this.deadLetterQueue });

    this.deliveryFn = new HandlerFunction(this, 'DeliveryFn', {
      handler: 'webhook-delivery',
      environment,
      timeout: deliveryTimeout,
      description: 'Posts signed webhook deliveries, retries them with backoff, records each attempt',
    });
    // The delivery and its webhook (GetItem), each attempt (UpdateItem); retries and the DLQ (SendMessage).
    props.dossiers.grant(this.deliveryFn, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    this.queue.grantSendMessages(this.deliveryFn);
    this.deadLetterQueue.grantSendMessages(this.deliveryFn);
    this.deliveryFn.addEventSource(new SqsEventSource(this.queue, { batchSize: 5, reportBatchItemFailures: true }));
  }
}
