/**
 * What an API key grants, read by the authorizer on every uncached request: `K#<sha256(key)>` /
 * `KEY` -> { creditorId, role, keyId } (the item creditor-store.ts writes). In a module of its own
 * so the authorizer's bundle holds the DynamoDB client and nothing of the profiles (their schema,
 * the domain behind it): npm run bench -- --only=bundles.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { sha256Hex } from '../domain/identity';
import type { KeyRole } from '../domain/model';
import * as clients from './clients/dynamodb';
import { settings } from './env';

export interface KeyGrant {
  creditorId: string;
  role: KeyRole;
  /** Empty for a key stored before key ids existed. */
  keyId: string;
}

export const keyItemKey = (keyHash: string) => ({ pk: { S: `K#${keyHash}` }, sk: { S: 'KEY' } });

export async function grantOfApiKey(apiKey: string): Promise<KeyGrant | null> {
  const out = await clients.dynamodb().send(
    new GetItemCommand({ TableName: settings.tableName(), Key: keyItemKey(sha256Hex(apiKey)), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const item = unmarshall(out.Item);
  const role = item.role ?? 'operator'; // keys stored before roles existed
  if (typeof item.creditorId !== 'string' || !item.creditorId || (role !== 'operator' && role !== 'auditor')) return null;
  return { creditorId: item.creditorId, role, keyId: typeof item.keyId === 'string' ? item.keyId : '' };
}
