import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { onReset } from '../aws-clients';

let client: DynamoDBClient | undefined;
onReset(() => {
  client?.destroy();
  client = undefined;
});

/** The DynamoDB client of this process. */
export const dynamodb = (): DynamoDBClient => (client ??= new DynamoDBClient({}));
