import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onReset } from '../aws-clients';
import { dynamodb } from './dynamodb';

let documents: DynamoDBDocumentClient | undefined;
onReset(() => {
  documents = undefined;
});

/**
 * The DynamoDB document client of this process: plain JavaScript values in and out, marshalled by
 * the SDK (strings as S, numbers as N, booleans as BOOL, objects as M), so adapters write no
 * attribute maps by hand. It wraps the process's DynamoDB client and shares its middleware stack
 * (local mode's fault injection and metering see its requests); undefined fields are left out.
 */
export const dynamodbDocuments = (): DynamoDBDocumentClient =>
  (documents ??= DynamoDBDocumentClient.from(dynamodb(), { marshallOptions: { removeUndefinedValues: true } }));
