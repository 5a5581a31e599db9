import { ConditionalCheckFailedException, PutItemCommand, PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { clients } from './aws-clients';
import { settings } from './env';

/**
 * A put guarded by a condition (create-if-absent, complete-if-open...): true when written,
 * false when the condition did not hold; any other failure is thrown.
 */
export async function conditionalPut(input: Omit<PutItemCommandInput, 'TableName'>): Promise<boolean> {
  try {
    await clients.dynamodb().send(new PutItemCommand({ TableName: settings.tableName(), ...input }));
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}
