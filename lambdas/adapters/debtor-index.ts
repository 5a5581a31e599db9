/**
 * Which dossiers of a creditor concern one debtor: an index item per dossier, pk "C#<creditorId>",
 * sk "DD#<debtor key>#<dossierId>" (debtor key: SIREN, else e-mail; domain/debtor-key.ts), written
 * at intake. One Query answers "every dossier of this debtor" (insolvency proceedings apply to all
 * of them) without a Scan. Dossiers created before the index existed are not listed.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DebtorKey } from '../domain/debtor-key';
import * as clients from './clients/dynamodb';
import { settings } from './env';

const prefix = (key: DebtorKey) => `DD#${key}#`;

export async function indexDebtorDossier(creditorId: string, key: DebtorKey, dossierId: string): Promise<void> {
  await clients.dynamodb().send(
    new PutItemCommand({
      TableName: settings.tableName(),
      Item: { pk: { S: `C#${creditorId}` }, sk: { S: `${prefix(key)}${dossierId}` }, dossierId: { S: dossierId } },
    }),
  );
}

export async function dossiersOfDebtor(creditorId: string, key: DebtorKey): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await clients.dynamodb().send(
      new QueryCommand({
        TableName: settings.tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': { S: `C#${creditorId}` }, ':p': { S: prefix(key) } },
        ProjectionExpression: 'dossierId',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) if (item.dossierId?.S) ids.push(item.dossierId.S);
    start = out.LastEvaluatedKey;
  } while (start);
  return ids;
}
