import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import * as clients from '../../lambdas/adapters/clients/dynamodb';
import { settings } from '../../lambdas/adapters/env';

/**
 * An item's size as DynamoDB counts it against the 400 KB limit: attribute names (UTF-8) plus
 * values — strings and binaries by length, numbers ~1 byte per 2 digits + 1, booleans and nulls
 * 1 byte, lists and maps 3 bytes + 1 per element + their contents
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 */
export function itemSize(item: Record<string, AttributeValue>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return total;
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S, 'utf8');
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k, 'utf8') + valueSize(x), 0);
  return 0;
}

/** The stored dossier item, raw (local mode: the emulated table). */
export async function rawDossierItem(id: string): Promise<Record<string, AttributeValue>> {
  const out = await clients.dynamodb().send(
    new GetItemCommand({ TableName: settings.tableName(), Key: { pk: { S: `D#${id}` }, sk: { S: 'DOSSIER' } }, ConsistentRead: true }),
  );
  if (!out.Item) throw new Error(`no dossier item ${id}`);
  return out.Item;
}
