/**
 * The dossier table's listing indexes, as data: lib/dossier-table.ts creates them from these
 * definitions, the adapters query them by these names. No SDK import (lib/ reads this file).
 *
 * - byCreditorActivity: a creditor's dossiers, newest activity first (GET /invoices).
 *   pk creditorId, sk activityKey = "<lastActivityAt>#<dossierId>".
 * - byCreditorStatus: the same, for one status (GET /invoices?status=needs_attention).
 *   pk creditorStatus = "<creditorId>#<status>", sk activityKey.
 *   Both project the summary fields, so a page is one Query (no read of the dossiers).
 * - creditorRegistry: every creditor profile (GET /admin/creditors), by id.
 *   pk registry = "creditor", sk registryId = "<creditorId>", projecting the profile. One partition:
 *   admin traffic only.
 * Only items carrying an index's key attributes appear in it (sparse indexes): dossier items carry
 * the listing attributes (written by dossier-store's toItem), profile items the registry ones.
 */
export const BY_CREDITOR_ACTIVITY = 'byCreditorActivity';
export const BY_CREDITOR_STATUS = 'byCreditorStatus';
export const CREDITOR_REGISTRY = 'creditorRegistry';

/** Non-key attributes the listing indexes carry (the summary and what filters read). */
export const LISTING_PROJECTION = ['summary', 'searchText', 'debtorRefs'] as const;

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** Projected non-key attributes (INCLUDE); absent: keys only. */
  include?: readonly string[];
}

export const LISTING_INDEXES: readonly IndexDefinition[] = [
  { name: BY_CREDITOR_ACTIVITY, partitionKey: 'creditorId', sortKey: 'activityKey', include: LISTING_PROJECTION },
  { name: BY_CREDITOR_STATUS, partitionKey: 'creditorStatus', sortKey: 'activityKey', include: LISTING_PROJECTION },
  { name: CREDITOR_REGISTRY, partitionKey: 'registry', sortKey: 'registryId', include: ['profile', 'createdAt', 'updatedAt'] },
];

/** The attributes the listing adds to a dossier item (stripped when the dossier is read back). */
export const LISTING_ATTRIBUTES = ['activityKey', 'creditorStatus', ...LISTING_PROJECTION] as const;
