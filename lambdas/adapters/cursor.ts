/**
 * Opaque page cursors: base64url of the JSON of a DynamoDB key (LastEvaluatedKey as the document
 * client gives it), strings only. A cursor coming back is checked attribute by attribute against
 * what the query's index can produce (and the caller's own partition), so a tampered or foreign
 * cursor is a 400 on `cursor`, never a DynamoDB error or a peek into another partition.
 */
import { invalid } from '../domain/errors';

/** A table or index key as plain strings (the document client's ExclusiveStartKey). */
export type DynamoKey = Record<string, string>;

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  if (!key) return null;
  for (const [k, v] of Object.entries(key)) {
    if (typeof v !== 'string') throw new Error(`cursor: key attribute ${k} is not a string`);
  }
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
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
  return parsed as DynamoKey;
}
