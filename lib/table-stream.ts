import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { APPENDED_ATTRIBUTE } from '../lambdas/adapters/appended-marker';
import { acknowledge } from './nag';

export interface TableStreamProps {
  /**
   * Which records the function gets (Lambda event filtering: the filters are ORed, at most 5 per
   * event source mapping by default; evaluated by Lambda, so the others cost no invocation).
   */
  filters: Record<string, unknown>[];
  batchSize: number;
  retryAttempts: number;
  bisectBatchOnError?: boolean;
  parallelizationFactor?: number;
  /** Records still failing after the retries (lib/dead-letter-queue.ts). */
  deadLetterQueue: sqs.IQueue;
}

/** AWS: a FilterCriteria holds at most 5 filters (a quota, 10 on request), each pattern at most 4,096 characters. */
const MAX_FILTERS = 5;
const MAX_PATTERN_CHARS = 4096;

/** A change (INSERT or MODIFY) of a dossier item (sk "DOSSIER"). */
const DOSSIER_CHANGE = {
  eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
  Keys: { sk: { S: lambda.FilterRule.isEqual('DOSSIER') } },
};

/**
 * The filters for the dossier changes that appended a history entry of one of `types` (the item's
 * `appended` marker, lambdas/adapters/appended-marker.ts: a string set, which an event pattern
 * matches when it shares one value with the pattern's list), and those of an item last written
 * before the marker existed (no `appended`: the function decides, as before). For the functions
 * that follow dossiers (events out, accountant alerts): in batches of 10 split in two on an error
 * so one bad record holds back no other, 5 retries. A change that appended only other types, or
 * none (a send's claim, a lease released, a listing attribute), invokes nobody.
 */
export function dossierAppends(types: readonly string[]): Omit<TableStreamProps, 'deadLetterQueue'> {
  if (types.length === 0) throw new Error('dossierAppends: no entry type given');
  return {
    filters: [
      { eventName: DOSSIER_CHANGE.eventName, dynamodb: { Keys: DOSSIER_CHANGE.Keys, NewImage: { [APPENDED_ATTRIBUTE]: { SS: [...new Set(types)] } } } },
      { eventName: DOSSIER_CHANGE.eventName, dynamodb: { Keys: DOSSIER_CHANGE.Keys, NewImage: { [APPENDED_ATTRIBUTE]: { SS: lambda.FilterRule.notExists() } } } },
    ],
    batchSize: 10,
    bisectBatchOnError: true,
    retryAttempts: 5,
  };
}

/**
 * Feeds a function from the table's stream: new records only (LATEST), none older than 6 hours,
 * those that still fail go to the dead-letter queue. The grant this adds holds dynamodb:ListStreams,
 * which IAM only accepts on Resource "*": acknowledged here, once for every stream reader.
 */
export function readTableStream(fn: lambda.Function, table: dynamodb.ITable, props: TableStreamProps): void {
  if (props.filters.length === 0 || props.filters.length > MAX_FILTERS) throw new Error(`readTableStream: ${props.filters.length} filters (1 to ${MAX_FILTERS})`);
  for (const f of props.filters) {
    const chars = JSON.stringify(f).length;
    if (chars > MAX_PATTERN_CHARS) throw new Error(`readTableStream: a filter pattern of ${chars} characters (AWS: at most ${MAX_PATTERN_CHARS})`);
  }
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: props.batchSize,
      ...(props.bisectBatchOnError !== undefined ? { bisectBatchOnError: props.bisectBatchOnError } : {}),
      ...(props.parallelizationFactor !== undefined ? { parallelizationFactor: props.parallelizationFactor } : {}),
      retryAttempts: props.retryAttempts,
      maxRecordAge: Duration.hours(6),
      onFailure: new SqsDlq(props.deadLetterQueue),
      filters: props.filters.map((f) => lambda.FilterCriteria.filter(f)),
    }),
  );
  acknowledge(
    fn.role!,
    'IAM5[Resource::*]',
    "dynamodb:ListStreams (granted by the DynamoDB event source) has no resource-level permission, so IAM only accepts Resource \"*\" for it; the stream reads themselves (DescribeStream, GetRecords, GetShardIterator) are on this table's stream only. X-Ray's two actions are the other \"*\" (lib/handler-function.ts).",
  );
}
