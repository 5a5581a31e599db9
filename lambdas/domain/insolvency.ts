/**
 * Insolvency proceedings opened against the debtor (Code de commerce, livre VI): what they change
 * for a dossier, as pure rules.
 *
 * - L622-7: the opening judgment forbids paying claims born before it; L622-21: it suspends
 *   individual actions to be paid (an injonction de payer included). Amicable collection stops:
 *   no workflow, no message to the debtor (status insolvency_proceedings).
 * - L622-24: the creditor declares its claim to the mandataire judiciaire (the liquidateur in a
 *   liquidation) within two months of the publication of the opening judgment in the BODACC
 *   (R622-24; two more months for a creditor established outside metropolitan France). The
 *   publication date is often unknown when the judgment is learnt: the deadline is then counted
 *   from the judgment date, which the publication cannot precede (a prudent, earlier date), and
 *   marked provisional.
 * - L622-25: the declaration states the amount due on the day of the opening judgment. L622-28:
 *   the judgment stops interest and late-payment increases (also in a liquidation, L641-3): the
 *   breakdown is computed as of the judgment date, interest included up to that day.
 * - L441-10 II: the 40 EUR indemnity is not due "lorsque l'ouverture d'une procédure de sauvegarde,
 *   de redressement ou de liquidation judiciaire interdit le paiement à son échéance de la créance"
 *   — when the judgment came on or before the due date. An invoice already late at the judgment
 *   keeps the indemnity that had become due, declared with the claim.
 * - These proceedings concern professionals; a consumer's over-indebtedness is another procedure
 *   (C. conso., livre VII): refused for a consumer debtor.
 */
import { computeBreakdown } from './breakdown';
import { assertNoLiveSend, breakdownInputFor, Dossier, iso } from './dossier';
import { addMonths, compareIsoDates } from './epoch-days';
import { conflict, DomainError } from './errors';
import type { AmountBreakdown, CreditorProfile, IsoDate } from './model';
import { endCommitments } from './dossier-commitments';

export const INSOLVENCY_STATUS = 'insolvency_proceedings';
export const PROCEDURES = ['sauvegarde', 'redressement', 'liquidation'] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const PROCEDURE_LABELS: Record<Procedure, string> = {
  sauvegarde: 'procédure de sauvegarde',
  redressement: 'redressement judiciaire',
  liquidation: 'liquidation judiciaire',
};

export interface InsolvencyInput {
  judgmentDate: IsoDate;
  procedure: Procedure;
  /** The court that opened the proceedings ("Tribunal de commerce de Paris"). */
  court: string;
  /** The mandataire judiciaire (sauvegarde, redressement) or liquidateur (liquidation). */
  mandataire: { name: string; address?: string; email?: string };
  /** Publication of the opening judgment in the BODACC, when known (starts the two months). */
  bodaccPublishedOn?: IsoDate;
}

export interface DeclarationDeadline {
  /** Last day to declare (R622-24). */
  date: IsoDate;
  /** Counted from the judgment date because the BODACC publication date is unknown. */
  provisional: boolean;
  from: IsoDate;
  rule: string;
}

/** Two months from the BODACC publication, or from the judgment date until it is known (earlier, prudent). */
export function declarationDeadline(input: Pick<InsolvencyInput, 'judgmentDate' | 'bodaccPublishedOn'>): DeclarationDeadline {
  const from = input.bodaccPublishedOn ?? input.judgmentDate;
  const date = addMonths(from, 2);
  return {
    date,
    provisional: input.bodaccPublishedOn === undefined,
    from,
    rule:
      input.bodaccPublishedOn === undefined
        ? "Deux mois à compter de la publication du jugement d'ouverture au BODACC (art. L622-24 et R622-24 C. com.) ; date de publication non connue : délai compté, par prudence, du jugement, que la publication ne peut précéder. À recalculer dès la publication."
        : "Deux mois à compter de la publication du jugement d'ouverture au BODACC (art. L622-24 et R622-24 C. com.).",
  };
}

/** Whether the opening forbade paying the invoice at its due date: then no 40 EUR (L441-10 II). */
export function indemnityDropped(judgmentDate: IsoDate, dueDate: IsoDate): boolean {
  return compareIsoDates(judgmentDate, dueDate) <= 0;
}

/** The claim as of the judgment date: interest stopped there (L622-28), the indemnity per L441-10 II. */
export function claimAtJudgment(d: Dossier, creditor: CreditorProfile, judgmentDate: IsoDate): AmountBreakdown {
  const input = breakdownInputFor(d, creditor, judgmentDate);
  return computeBreakdown({ ...input, insolvency: indemnityDropped(judgmentDate, d.invoice.dueDate) });
}

/** Statuses with nothing left to declare or that cannot change (a paid or cancelled invoice). */
const CLOSED = new Set(['paid', 'cancelled']);

export type InsolvencyResult =
  | { kind: 'opened'; dossier: Dossier }
  | { kind: 'already'; dossier: Dossier }
  | { kind: 'closed'; dossier: Dossier };

/**
 * The debtor is in insolvency proceedings: stop the dossier (whatever it waited for: a stage, a
 * promise, a plan, an approval) and record the judgment with the declaration deadline. Idempotent
 * for the same judgment; a paid or cancelled dossier is left as it is.
 */
export function openInsolvency(d: Dossier, input: InsolvencyInput, now: Date, realNowMs: number): InsolvencyResult {
  if (d.debtor.kind !== 'business') {
    throw new DomainError(422, 'not_a_business', "Les procédures collectives (sauvegarde, redressement, liquidation) ne visent que les professionnels ; pour un consommateur, le surendettement relève du code de la consommation.", [
      { path: 'debtor.kind', message: 'consumer' },
    ]);
  }
  if (CLOSED.has(d.status)) return { kind: 'closed', dossier: d };
  const existing = d.events.find((e) => e.type === 'insolvency_opened');
  if (d.status === INSOLVENCY_STATUS && existing) {
    if (existing.judgmentDate === input.judgmentDate && existing.procedure === input.procedure) return { kind: 'already', dossier: d };
    throw conflict(`Insolvency proceedings opened on ${String(existing.judgmentDate)} are already recorded on this dossier.`, [{ path: 'judgmentDate', message: String(existing.judgmentDate) }]);
  }
  assertNoLiveSend(d, realNowMs);
  const at = iso(now);
  const deadline = declarationDeadline(input);
  return {
    kind: 'opened',
    dossier: {
      ...d,
      ...endCommitments(d, at),
      status: INSOLVENCY_STATUS,
      nextAction: null,
      sending: null,
      events: [
        ...d.events,
        {
          type: 'insolvency_opened',
          at,
          judgmentDate: input.judgmentDate,
          procedure: input.procedure,
          court: input.court,
          mandataire: input.mandataire.name,
          previousStatus: d.status,
          declarationDeadline: deadline.date,
          deadlineProvisional: deadline.provisional,
          ...(input.bodaccPublishedOn ? { bodaccPublishedOn: input.bodaccPublishedOn } : {}),
        },
      ],
    },
  };
}
