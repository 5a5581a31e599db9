import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onReset } from '../aws-clients';
import { dynamodb } from './dynamodb';

let documents: DynamoDBDocumentClient | undefined;
onReset(() => {
  documents = undefined;
});

/**
 * A document client over `client`, with the one set of marshalling options every stored item is
 * written with: undefined fields are left out; empty strings, sets and binaries are refused, not
 * turned into NULL (convertEmptyValues off); class instances are refused, not turned into maps;
 * numbers come back as numbers (wrapNumbers off). A fresh options object each time: the SDK
 * writes its defaults into the one it is given.
 */
export const documentsOver = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/**
 * The DynamoDB document client of this process: plain JavaScript values in and out, marshalled by
 * the SDK (strings as S, numbers as N, booleans as BOOL, objects as M, Sets of strings as SS,
 * bytes as B), so adapters write no attribute maps by hand. It wraps the process's DynamoDB client
 * and shares its middleware stack (local mode's fault injection and metering see its requests).
 */
export const dynamodbDocuments = (): DynamoDBDocumentClient => (documents ??= documentsOver(dynamodb()));
