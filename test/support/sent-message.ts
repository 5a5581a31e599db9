import type { SentMessage } from '../../lambdas/domain/dossier-delivery';

/** A first reminder to the debtor, as the message index records it (SES message id format). */
export const SENT_MESSAGE: SentMessage = {
  messageId: '0102018f-aaaa-bbbb-cccc-000000000000-000000',
  dossierId: 'dos_aaaaaaaaaaaaaaaaaaaaaaaaaa',
  creditorId: 'demo-creditor',
  kind: 'first_reminder',
  audience: 'debtor',
  recipient: 'compta@dupont.example',
  sentAt: '2026-04-08T07:00:00.000Z',
};
