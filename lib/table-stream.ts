import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledge } from './nag';

export interface TableStreamProps {
  /** Which records the function gets (evaluated by Lambda, so the others cost no invocation). */
  filter: Record<string, unknown>;
  batchSize: number;
  retryAttempts: number;
  bisectBatchOnError?: boolean;
  parallelizationFactor?: number;
  /** Records still failing after the retries (lib/dead-letter-queue.ts). */
  deadLetterQueue: sqs.IQueue;
}

/**
 * The filter for every change of a dossier item (INSERT or MODIFY of sk "DOSSIER"): what the
 * functions that follow dossiers (events out, accountant alerts) read, in batches of 10 split in
 * two on an error so one bad record holds back no other, 5 retries.
 */
export const DOSSIER_CHANGES: Omit<TableStreamProps, 'deadLetterQueue'> = {
  filter: {
    eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
    dynamodb: { Keys: { sk: { S: lambda.FilterRule.isEqual('DOSSIER') } } },
  },
  batchSize: 10,
  bisectBatchOnError: true,
  retryAttempts: 5,
};

/**
 * Feeds a function from the table's stream: new records only (LATEST), none older than 6 hours,
 * those that still fail go to the dead-letter queue. The grant this adds holds dynamodb:ListStreams,
 * which IAM only accepts on Resource "*": acknowledged here, once for every stream reader.
 */
export function readTableStream(fn: lambda.Function, table: dynamodb.ITable, props: TableStreamProps): void {
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: props.batchSize,
      ...(props.bisectBatchOnError !== undefined ? { bisectBatchOnError: props.bisectBatchOnError } : {}),
      ...(props.parallelizationFactor !== undefined ? { parallelizationFactor: props.parallelizationFactor } : {}),
      retryAttempts: props.retryAttempts,
      maxRecordAge: Duration.hours(6),
      onFailure: new SqsDlq(props.deadLetterQueue),
      filters: [lambda.FilterCriteria.filter(props.filter)],
    }),
  );
  acknowledge(
    fn.role!,
    'IAM5[Resource::*]',
    "dynamodb:ListStreams (granted by the DynamoDB event source) has no resource-level permission, so IAM only accepts Resource \"*\" for it; the stream reads themselves (DescribeStream, GetRecords, GetShardIterator) are on this table's stream only. X-Ray's two actions are the other \"*\" (lib/handler-function.ts).",
  );
}
