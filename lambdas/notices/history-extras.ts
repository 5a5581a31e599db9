/**
 * What every letter of a dossier may recall from its history (pure: used by the send path and by
 * the samples): the reminders already sent, with their dates (the mise en demeure recalls them),
 * and in agency mode the first letter's readable reference and date (CPCE R124-4: later letters
 * repeat them).
 */
import { prescriptionInput, sentStages, type Dossier } from '../domain/dossier';
import { prescriptionDetail } from '../domain/prescription';
import type { CreditorProfile } from '../domain/model';
import { parisDate } from './format';
import { letterReference } from './templates';
import type { NoticeContext, NoticeKind } from './types';

export function historyExtras(
  d: Pick<Dossier, 'events' | 'invoice' | 'debtor' | 'acknowledgments'>,
  creditor: Pick<CreditorProfile, 'agency'>,
  kind: NoticeKind,
): Partial<Pick<NoticeContext, 'earlierLetters' | 'agencyFirstLetter' | 'prescription'>> {
  const sent = sentStages(d);
  const earlierLetters = sent
    .filter((s): s is { stage: 'first_reminder' | 'formal_reminder'; at: string } => s.stage === 'first_reminder' || s.stage === 'formal_reminder')
    .map((s) => ({ kind: s.stage, date: parisDate(s.at) }));
  const first = creditor.agency && kind !== 'first_reminder' ? sent.find((s) => s.stage === 'first_reminder') : undefined;
  // The hand-off tells the lawyer when the claim prescribes and from which date (performance, else issue).
  const prescription =
    kind === 'litigation_handoff'
      ? prescriptionDetail(prescriptionInput(d))
      : undefined;
  return {
    ...(prescription
      ? { prescription: { prescribesOn: prescription.prescribesOn, startsOn: prescription.startsOn, startingPoint: prescription.startingPoint, runsFrom: prescription.runsFrom, years: prescription.years } }
      : {}),
    ...(earlierLetters.length > 0 && kind !== 'first_reminder' ? { earlierLetters } : {}),
    ...(first ? { agencyFirstLetter: { reference: letterReference(d.invoice.invoiceNumber, 'first_reminder'), date: parisDate(first.at) } } : {}),
  };
}
