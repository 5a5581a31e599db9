import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { created, onReset, SDK_MAX_ATTEMPTS } from '../aws-clients';

let client: DynamoDBClient | undefined;
onReset(() => {
  client?.destroy();
  client = undefined;
});

/** The DynamoDB client of this process. */
export const dynamodb = (): DynamoDBClient => (client ??= created('dynamodb', new DynamoDBClient({ maxAttempts: SDK_MAX_ATTEMPTS })));
