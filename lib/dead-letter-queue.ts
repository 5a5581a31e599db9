import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag';

/**
 * The dead-letter queue of one concern (id "DeadLetterQueue" in its construct): 14 days to look at
 * what failed, SQS-managed encryption, TLS only, and a depth alarm (lib/operations-alarms.ts finds
 * every queue nothing consumes). `of` says whose dead letters it holds (the cdk-nag SQS3 reason:
 * cdk-nag only recognizes SQS redrive policies, and a DLQ needs no DLQ of its own).
 */
export function deadLetterQueue(scope: Construct, of: string): sqs.Queue {
  const queue = new sqs.Queue(scope, 'DeadLetterQueue', {
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  acknowledge(queue, 'SQS3', `This queue IS the dead-letter queue ${of}. cdk-nag only recognizes SQS redrive policies, and a DLQ needs no DLQ of its own.`);
  return queue;
}
