/**
 * Which dossiers of a creditor concern one debtor: an index item per dossier, pk "C#<creditorId>",
 * sk "DD#<debtor key>#<dossierId>" (debtor key: SIREN, else e-mail; domain/debtor-key.ts), written
 * at intake. One Query answers "every dossier of this debtor" (insolvency proceedings apply to all
 * of them) without a Scan. Dossiers created before the index existed are not listed.
 */
import { PutCommand, QueryCommand } from './clients/dynamodb-documents';
import type { DebtorKey } from '../domain/debtor-key';
import { dynamodbDocuments } from './clients/dynamodb-documents';
import { settings } from './env';

const prefix = (key: DebtorKey) => `DD#${key}#`;

export async function indexDebtorDossier(creditorId: string, key: DebtorKey, dossierId: string): Promise<void> {
  await dynamodbDocuments().send(
    new PutCommand({
      TableName: settings.tableName(),
      Item: { pk: `C#${creditorId}`, sk: `${prefix(key)}${dossierId}`, dossierId },
    }),
  );
}

export async function dossiersOfDebtor(creditorId: string, key: DebtorKey): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamodbDocuments().send(
      new QueryCommand({
        TableName: settings.tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `C#${creditorId}`, ':p': prefix(key) },
        ProjectionExpression: 'dossierId',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) if (typeof item.dossierId === 'string' && item.dossierId) ids.push(item.dossierId);
    start = out.LastEvaluatedKey;
  } while (start);
  return ids;
}
