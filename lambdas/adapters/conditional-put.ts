import {
  ConditionalCheckFailedException,
  PutItemCommand,
  PutItemCommandInput,
  UpdateItemCommand,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type PutCommandInput, type UpdateCommandInput } from './clients/dynamodb-documents';
import * as clients from './clients/dynamodb';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { settings } from './env';

/**
 * A put guarded by a condition (create-if-absent, complete-if-open...): true when written,
 * false when the condition did not hold; any other failure is thrown.
 */
export async function conditionalPut(input: Omit<PutItemCommandInput, 'TableName'>): Promise<boolean> {
  return whenConditionHolds(() => clients.dynamodb().send(new PutItemCommand({ TableName: settings.tableName(), ...input })));
}

/** The same through the document client: a plain item and plain expression values. */
export async function conditionalPutDocument(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
  return whenConditionHolds(() => dynamodbDocuments().send(new PutCommand({ TableName: settings.tableName(), ...input })));
}

/** The same for an update (only the attributes it names are touched). */
export async function conditionalUpdate(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<boolean> {
  return whenConditionHolds(() => clients.dynamodb().send(new UpdateItemCommand({ TableName: settings.tableName(), ...input })));
}

/** The same for an update through the document client. */
export async function conditionalUpdateDocument(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
  return whenConditionHolds(() => dynamodbDocuments().send(new UpdateCommand({ TableName: settings.tableName(), ...input })));
}

async function whenConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}
