import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type PutCommandInput, type UpdateCommandInput } from './clients/dynamodb-documents';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { settings } from './env';

/**
 * A put guarded by a condition (create-if-absent, complete-if-open...), through the document
 * client (a plain item and plain expression values): true when written, false when the condition
 * did not hold; any other failure is thrown.
 */
export async function conditionalPutDocument(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
  return whenConditionHolds(() => dynamodbDocuments().send(new PutCommand({ TableName: settings.tableName(), ...input })));
}

/** The same for an update (only the attributes it names are touched). */
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
