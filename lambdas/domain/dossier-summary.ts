/**
 * A dossier in one line, for lists (GET /invoices): what an operator scans to find what needs a
 * human. Pure; the store writes these fields onto the dossier item so a listing index can serve a
 * page with one Query.
 */
import { balanceCents, type Dossier } from './dossier';
import type { DossierStatus, IsoDate, IsoInstant, NextAction, Stage } from './model';
import { toDecimalString } from './money';

export interface DossierSummary {
  id: string;
  invoiceNumber: string;
  debtorName: string;
  status: DossierStatus;
  /** Last stage sent, null before the first. */
  stage: Stage | null;
  /** The invoice amount (before credit notes and payments). */
  amount: string;
  balance: string;
  currency: 'EUR';
  dueDate: IsoDate;
  nextAction: NextAction | null;
  lastActivityAt: IsoInstant;
}

/** The latest instant recorded on the dossier (its last event, or its creation). */
export function lastActivityAt(d: Pick<Dossier, 'events' | 'createdAt'>): IsoInstant {
  let latest = d.createdAt;
  for (const e of d.events) if (typeof e.at === 'string' && e.at > latest) latest = e.at;
  return latest;
}

export function dossierSummary(d: Dossier): DossierSummary {
  return {
    id: d.id,
    invoiceNumber: d.invoice.invoiceNumber,
    debtorName: d.debtor.name,
    status: d.status,
    stage: d.stage,
    amount: toDecimalString(d.invoice.amountCents),
    balance: toDecimalString(balanceCents(d)),
    currency: 'EUR',
    dueDate: d.invoice.dueDate,
    nextAction: d.nextAction,
    lastActivityAt: lastActivityAt(d),
  };
}

/**
 * What `q` searches: invoice number and debtor name, lower-cased, on separate lines so a search
 * never matches across the two (q has no line breaks).
 */
export function searchText(d: Pick<Dossier, 'invoice' | 'debtor'>): string {
  return `${d.invoice.invoiceNumber}\n${d.debtor.name}`.toLowerCase();
}

/** What `debtor` matches exactly: the debtor's SIREN and its e-mail address (lower-cased). */
export function debtorRefs(debtor: Pick<Dossier['debtor'], 'siren' | 'email'>): string[] {
  const refs = [`email:${debtor.email.trim().toLowerCase()}`];
  const siren = (debtor.siren ?? '').replace(/\s+/g, '');
  if (siren) refs.push(`siren:${siren}`);
  return refs;
}

/** The `debtor` query value as a reference: a SIREN (9 digits) or an e-mail address; null otherwise. */
export function debtorRefOf(value: string): string | null {
  const v = value.trim();
  if (/^\d{9}$/.test(v.replace(/\s+/g, ''))) return `siren:${v.replace(/\s+/g, '')}`;
  if (/^[^\s@]+@[^\s@]+$/.test(v)) return `email:${v.toLowerCase()}`;
  return null;
}
