import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { created, onReset } from '../aws-clients';

let client: DynamoDBClient | undefined;
onReset(() => {
  client?.destroy();
  client = undefined;
});

/** The DynamoDB client of this process. */
export const dynamodb = (): DynamoDBClient => (client ??= created('dynamodb', new DynamoDBClient({})));
