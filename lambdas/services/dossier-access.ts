import { Dossier } from '../domain/dossier';
import { notFound } from '../domain/errors';
import { getDossier } from '../adapters/dossier-store';

/** Loads a dossier of this creditor; another creditor's dossier is indistinguishable from none. */
export async function dossierOf(creditorId: string, id: string): Promise<Dossier> {
  if (!/^dos_[a-z2-7]{26}$/.test(id)) throw notFound('Dossier');
  const d = await getDossier(id);
  if (!d || d.creditorId !== creditorId) throw notFound('Dossier');
  return d;
}
