/**
 * Opaque page cursors: base64url of the JSON of a DynamoDB key (LastEvaluatedKey), strings only.
 * A cursor coming back is checked attribute by attribute against what the query's index can
 * produce (and the caller's own partition), so a tampered or foreign cursor is a 400 on `cursor`,
 * never a DynamoDB error or a peek into another partition.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { invalid } from '../domain/errors';

export type DynamoKey = Record<string, AttributeValue>;

export function encodeCursor(key: DynamoKey | undefined): string | null {
  if (!key) return null;
  const plain = Object.fromEntries(
    Object.entries(key).map(([k, v]) => {
      if (v.S === undefined) throw new Error(`cursor: key attribute ${k} is not a string`);
      return [k, v.S];
    }),
  );
  return Buffer.from(JSON.stringify(plain), 'utf8').toString('base64url');
}

/** Each attribute the key must have, with the exact value or pattern it must match. */
export type CursorShape = Record<string, RegExp | string>;

export function decodeCursor(raw: string | undefined, shape: CursorShape): DynamoKey | undefined {
  if (raw === undefined) return undefined;
  const bad = (message: string) => invalid([{ path: 'cursor', message }], 'Invalid query');
  if (raw.length === 0 || raw.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw bad('is not a cursor returned by this list');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad('is not a cursor returned by this list');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('is not a cursor returned by this list');
  const entries = Object.entries(parsed as Record<string, unknown>);
  const expected = Object.keys(shape);
  if (entries.length !== expected.length || !expected.every((k) => k in (parsed as object))) {
    throw bad('does not belong to this list (use the nextCursor of the same query)');
  }
  for (const [k, v] of entries) {
    const want = shape[k];
    const ok = typeof v === 'string' && (typeof want === 'string' ? v === want : want.test(v));
    if (!ok) throw bad('does not belong to this list (use the nextCursor of the same query)');
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, { S: v as string }]));
}
