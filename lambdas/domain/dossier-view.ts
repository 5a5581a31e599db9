/**
 * The dossier as the HTTP contract shows it. Above both dossier.ts and dossier-commitments.ts (it
 * shows the commitments too), so neither has to import the other's view.
 */
import { balanceCents, prescriptionInput, type Dossier } from './dossier';
import { commitmentView, type CommitmentView } from './dossier-commitments';
import type { ChainHead } from './evidence-chain';
import { historyLength } from './history-window';
import type { DossierEvent, DossierStatus, IsoDate, NextAction, ScheduledStage, Stage } from './model';
import { STAGES } from './model';
import { toDecimalString } from './money';
import { prescriptionDetail } from './prescription';

export interface DossierView {
  id: string;
  invoiceNumber: string;
  status: DossierStatus;
  stage: Stage | null;
  amount: string;
  balance: string;
  currency: 'EUR';
  dueDate: IsoDate;
  deadline: IsoDate | null;
  nextAction: NextAction | null;
  schedule: ScheduledStage[];
  promises: CommitmentView['promises'];
  paymentPlan: CommitmentView['paymentPlan'];
  /**
   * Last day to act before the claim is time-barred, restarted by acknowledgments; `runsFrom` and
   * `startingPoint` say which date started it (the performance date, else the issue date).
   */
  prescription: {
    prescribesOn: IsoDate;
    article: string;
    acknowledgedOn: IsoDate[];
    startsOn: IsoDate;
    startingPoint: 'performance_date' | 'issue_date' | 'due_date';
    runsFrom: IsoDate;
  };
  /** Head of the evidence log as last recorded on the dossier (GET .../evidence has the records). */
  evidenceHead: ChainHead | null;
  /** The history, oldest first: all of it, or its first page when `historyNext` is not null. */
  events: DossierEvent[];
  /** Present only while the workflow waits to be started by the bulk-intake queue. */
  pendingStart?: { queuedAt: string };
  /** Entries in the whole history. */
  historyLength: number;
  /** Cursor of the next page (GET /invoices/{id}/history?cursor=), null when `events` is all of it. */
  historyNext: string | null;
}

/** The dossier as the HTTP contract shows it, as of `now` (instalment statuses depend on it). */
export function dossierView(d: Dossier, now: Date): DossierView {
  const acknowledgedOn = (d.acknowledgments ?? []).map((a) => a.on);
  const prescription = prescriptionDetail(prescriptionInput(d));
  const order = new Map(STAGES.map((s, i) => [s, i]));
  return {
    id: d.id,
    invoiceNumber: d.invoice.invoiceNumber,
    status: d.status,
    stage: d.stage,
    amount: toDecimalString(d.invoice.amountCents),
    balance: toDecimalString(balanceCents(d)),
    currency: 'EUR',
    dueDate: d.invoice.dueDate,
    deadline: d.deadline,
    nextAction: d.nextAction,
    schedule: [...d.schedule].sort((a, b) => order.get(a.stage)! - order.get(b.stage)!),
    ...commitmentView(d, now),
    prescription: {
      prescribesOn: prescription.prescribesOn,
      article: prescription.article,
      acknowledgedOn,
      startsOn: prescription.startsOn,
      startingPoint: prescription.startingPoint,
      runsFrom: prescription.runsFrom,
    },
    evidenceHead: d.evidenceHead ?? null,
    // A dossier whose item holds part of its history is shown through services/dossier-history.ts.
    events: d.events,
    ...(d.pendingStart ? { pendingStart: d.pendingStart } : {}),
    historyLength: historyLength(d),
    historyNext: null,
  };
}
