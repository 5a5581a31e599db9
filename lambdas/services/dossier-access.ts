import { Dossier } from '../domain/dossier';
import { notFound } from '../domain/errors';
import { getDossier, updateDossier } from '../adapters/dossier-store';

/** Loads a dossier of this creditor; another creditor's dossier is indistinguishable from none. */
const DOSSIER_ID = /^dos_[a-z2-7]{26}$/;

export async function dossierOf(creditorId: string, id: string): Promise<Dossier> {
  if (!DOSSIER_ID.test(id)) throw notFound('Dossier');
  const d = await getDossier(id);
  if (!d || d.creditorId !== creditorId) throw notFound('Dossier');
  return d;
}

/**
 * updateDossier on a dossier of this creditor: the ownership check rides on the read the update
 * does anyway (no extra read on the write routes).
 */
export function updateOwnDossier<R extends { dossier: Dossier }>(creditorId: string, id: string, mutate: (d: Dossier) => R): Promise<R> {
  if (!DOSSIER_ID.test(id)) throw notFound('Dossier');
  return updateDossier(id, (d) => {
    if (d.creditorId !== creditorId) throw notFound('Dossier');
    return mutate(d);
  });
}
