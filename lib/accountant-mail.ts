import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALERTING_MARKERS } from '../lambdas/domain/accountant-alerts';
import { DIGEST_TIME } from '../lambdas/domain/digest-schedule';
import { DossierTable } from './dossier-table';
import { EvidenceVault } from './evidence-vault';
import { HandlerFunction } from './handler-function';
import { Mailer } from './mailer';
import { acknowledge, wildcardResource } from './nag';
import { deadLetterQueue } from './dead-letter-queue';
import { dossierAppends, readTableStream } from './table-stream';

export interface AccountantMailProps {
  dossiers: DossierTable;
  vault: EvidenceVault;
  mailer: Mailer;
  environment: Record<string, string>;
}

/** The schedule's input: the digest function reads it as "fan out today's digests". */
export const DIGEST_SCHEDULE_INPUT = { source: 'amiable.digest-schedule' } as const;

/**
 * What the creditor's accountants receive (lambdas/digest.ts, lambdas/accountant-alerts.ts):
 * - the morning digest: an EventBridge Scheduler schedule, every weekday at 07:30 Europe/Paris,
 *   invokes the digest function, which writes one job item per creditor due today
 *   (daily/weekly/monthly, French holidays skipped); the table's stream hands each new job
 *   (filter: INSERT of a DIGEST#<date> item) to the same function, which builds, keeps and sends
 *   that creditor's digest. Creditors are processed in parallel (up to 10 batches per shard);
 * - immediate alerts: the table's stream (filter: dossier changes that appended a hard bounce, a
 *   complaint, a needs_attention flag or a dispute opened, by the item's `appended` marker) hands
 *   them to the alerts function, which e-mails a hard bounce, a complaint, a needs_attention flag or
 *   a dispute opened, once per history entry, within an hourly limit per creditor.
 * Records that still fail after the retries go to a dead-letter queue (14 days), as do schedule
 * invocations that cannot be delivered.
 */
export class AccountantMail extends Construct {
  readonly digestFn: HandlerFunction;
  readonly alertsFn: HandlerFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: AccountantMailProps) {
    super(scope, id);
    const table = props.dossiers.table;
    this.deadLetterQueue = deadLetterQueue(this, "of the digest schedule's target and of the two stream event sources' on-failure destinations (below)");

    this.digestFn = new HandlerFunction(this, 'DigestFn', {
      handler: 'digest',
      environment: props.environment,
      // A creditor with 100,000 open dossiers: about 40 pages of summaries and a ~15 MB CSV (npm run bench).
      memorySize: 1024,
      timeout: Duration.minutes(5),
      description: "Fans out the accountants' morning digest per creditor, then builds, keeps and sends each one",
    });
    // Jobs and digest state (GetItem, PutItem, UpdateItem); the report's reads (Query on the
    // listing indexes, tasks, receivables, deferred alerts; BatchGetItem of the dossiers active in
    // the period); the creditor registry (Query) for the fan-out.
    props.dossiers.grant(this.digestFn, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    props.vault.grantDigestPut(this.digestFn);
    props.mailer.grantSend(this.digestFn);
    readTableStream(this.digestFn, table, {
      filters: [
        {
          eventName: lambda.FilterRule.isEqual('INSERT'),
          dynamodb: { Keys: { sk: { S: lambda.FilterRule.beginsWith('DIGEST#') } } },
        },
      ],
      batchSize: 1,
      parallelizationFactor: 10,
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
    });

    this.alertsFn = new HandlerFunction(this, 'AlertsFn', {
      handler: 'accountant-alerts',
      environment: props.environment,
      description: 'E-mails the accountants at once on a hard bounce, a complaint, a dossier needing attention or a dispute',
    });
    // Creditor profile (GetItem); alert claims and records (PutItem, GetItem); the hourly counter (UpdateItem).
    props.dossiers.grant(this.alertsFn, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    props.vault.grantDigestPut(this.alertsFn);
    props.mailer.grantSend(this.alertsFn);
    // Only the dossier changes that appended an entry type an alert can come from.
    readTableStream(this.alertsFn, table, { ...dossierAppends(ALERTING_MARKERS), deadLetterQueue: this.deadLetterQueue });

    // The schedule's own role: it may invoke the digest function (and its versions), nothing else.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: "Amiable: EventBridge Scheduler invokes the accountants' digest function",
    });
    acknowledge(
      scheduleRole,
      wildcardResource(scheduleRole, `${this.digestFn.functionArn}:*`),
      "The schedule's target grant (aws-scheduler-targets LambdaInvoke) covers the digest function and its qualified ARNs (<function arn>:*, versions and aliases) so a later alias target keeps working; no other function.",
    );
    const [hour, minute] = DIGEST_TIME.split(':');
    this.schedule = new scheduler.Schedule(this, 'DigestSchedule', {
      description: "Amiable: the accountants' morning digest, every weekday 07:30 Europe/Paris (French holidays skipped by the function)",
      schedule: scheduler.ScheduleExpression.cron({ minute: String(Number(minute)), hour: String(Number(hour)), weekDay: 'MON-FRI', timeZone: TimeZone.EUROPE_PARIS }),
      target: new targets.LambdaInvoke(this.digestFn, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject(DIGEST_SCHEDULE_INPUT),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
  }
}
