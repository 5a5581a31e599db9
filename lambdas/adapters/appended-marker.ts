/**
 * The `appended` marker of a dossier item: the types of the history entries its last write
 * appended (a string set), or the single value APPENDED_NONE when that write appended none.
 *
 * Why: the table's stream hands every dossier change to the functions that follow dossiers
 * (accountant alerts, events out), which act only on some entry types. Lambda event filtering reads
 * the record's attributes, not a diff of two images, so the write states what it appended and each
 * event source mapping passes only the changes that appended a type its function acts on
 * (lib/table-stream.ts `dossierAppends`): a filtered-out record costs no invocation (AWS Lambda
 * event filtering). Every write of a dossier item sets it (dossier-store.ts: the create, every
 * update, the send claim), never leaving the previous write's value behind; an item without it was
 * last written before the marker existed, and the filters pass it on, as before.
 * Not projected into any index (lib/dossier-table.ts; test/infra/stream-filters.test.ts).
 */
import { HARD_BOUNCE_MARKER } from '../domain/accountant-alerts';
import type { DossierEvent } from '../domain/model';

export const APPENDED_ATTRIBUTE = 'appended';

/** A string set cannot be empty: what a write that appends no entry stores. No entry type is named so. */
export const APPENDED_NONE = 'none';

/**
 * The marker for a write that appends `entries` (the tail of the history it stores): their types,
 * and HARD_BOUNCE_MARKER beside `email_bounced` for a hard bounce (the only bounce the accountants
 * are alerted of: their filter names it, so a soft bounce invokes nobody).
 */
export function appendedMarker(entries: readonly (Pick<DossierEvent, 'type'> & { bounceType?: unknown })[]): Set<string> {
  const types = new Set<string>();
  for (const e of entries) {
    types.add(e.type);
    if (e.type === 'email_bounced' && e.bounceType === 'Permanent') types.add(HARD_BOUNCE_MARKER);
  }
  return types.size > 0 ? types : new Set([APPENDED_NONE]);
}
