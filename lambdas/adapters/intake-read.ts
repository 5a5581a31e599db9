/**
 * What an intake reads before it creates a dossier, in ONE BatchGetItem (issue 15: every request
 * per dossier counts): the dossier item (an invoice sent again is answered from it) and the
 * creditor's profile (the policy and the mise en demeure's channel a new dossier is fixed with).
 * Both consistent reads: the dossier's must be (a replay right after a create finds it); the
 * profile's, eventually consistent before, costs 0.5 RRU more and sees an admin update at once.
 * The profile is validated only when asked for: a replay never looked at it (a corrupt profile
 * still answers a replay, as before). A key the store leaves unprocessed (throttling) is read on
 * its own.
 */
import { BatchGetCommand, dynamodbDocuments } from './clients/dynamodb-documents';
import type { Dossier } from '../domain/dossier';
import type { CreditorProfile } from '../domain/model';
import { creditorOfItem, creditorProfileKey, getCreditor } from './creditor-store';
import { fromItem, getDossier } from './dossier-store';
import { settings } from './env';

export interface IntakeRead {
  dossier: Dossier | null;
  /** The creditor's profile, validated on call (null: no profile stored). */
  creditor: () => Promise<CreditorProfile | null>;
}

export async function readForIntake(dossierId: string, creditorId: string): Promise<IntakeRead> {
  const table = settings.tableName();
  const dossierKey = { pk: `D#${dossierId}`, sk: 'DOSSIER' };
  const profileKey = creditorProfileKey(creditorId);
  const out = await dynamodbDocuments().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [dossierKey, profileKey], ConsistentRead: true } } }));
  const found = out.Responses?.[table] ?? [];
  const unprocessed = out.UnprocessedKeys?.[table]?.Keys ?? [];
  const at = (k: { pk: string; sk: string }) => found.find((item) => item.pk === k.pk && item.sk === k.sk);
  const left = (k: { pk: string; sk: string }) => unprocessed.some((u) => u.pk === k.pk && u.sk === k.sk);
  const dossierItem = at(dossierKey);
  const dossier = left(dossierKey) ? await getDossier(dossierId) : dossierItem ? fromItem(dossierItem) : null;
  const profileItem = at(profileKey);
  const creditor = left(profileKey) ? () => getCreditor(creditorId) : () => creditorOfItem(profileItem);
  return { dossier, creditor };
}
