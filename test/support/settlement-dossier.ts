/**
 * The dossier the settlement tests share: 1 250,00 due Friday 3 April 2026 (B2B); first reminder
 * 7 April, formal reminder 20 April, mise en demeure 4 May; "now" 5 May.
 */
import { completeSend, Dossier, newDossier } from '../../lambdas/domain/dossier';

export const INFO = { messageId: 'm', evidenceKey: 'k', sha256: 's', to: 'd@example.com' };
export const NOW = new Date('2026-05-05T10:00:00Z');
export const CIVIL = { category: 'business' as const, paymentAllocation: 'civil-code-1343-1' as const };
export const WAIVER = { category: 'business' as const, paymentAllocation: 'principal-first' as const };

export function dossier(): Dossier {
  return {
    ...newDossier({
      id: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
      creditorId: 'c',
      executionName: 'exec-1',
      now: new Date('2026-04-04T10:00:00Z'),
      invoice: { invoiceNumber: 'F1', issueDate: '2026-03-04', dueDate: '2026-04-03', amountCents: 125_000, currency: 'EUR' },
      debtor: { kind: 'business', name: 'D', email: 'd@example.com', language: 'fr', address: { line1: 'l', postalCode: '75011', city: 'Paris', country: 'FR' } },
    }),
    version: 1,
  };
}

export function sent(d: Dossier, stage: 'first_reminder' | 'formal_reminder' | 'formal_notice', at: string): Dossier {
  return completeSend({ ...d, sending: { stage, token: 't', leaseUntil: 0 } }, stage, 't', new Date(at), INFO);
}

export const afterNotice = () =>
  sent(sent(sent(dossier(), 'first_reminder', '2026-04-07T07:00:00Z'), 'formal_reminder', '2026-04-20T07:00:00Z'), 'formal_notice', '2026-05-04T07:00:00Z');
