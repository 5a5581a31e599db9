/**
 * Registered electronic letters (lettre recommandée électronique, CPCE L100; a qualified service
 * under eIDAS art. 44) go through a provider behind this interface: it deposits the document,
 * notifies the recipient (the LRE's first presentation, from which the grace period runs) and
 * returns its proofs, which Amiable keeps in the evidence vault byte for byte.
 *
 * Local mode uses a stand-in (AMIABLE_LRE_PROVIDER=local) that produces the same proofs, as JSON
 * documents naming themselves a stand-in, so the whole flow runs without a provider. On AWS no
 * provider is wired yet: a creditor choosing registered_email there gets a clear error (the send
 * fails and the dossier is flagged), never a silent e-mail.
 */
import { createHash } from 'node:crypto';
import { settings } from '../adapters/env';

export interface RegisteredEmailRequest {
  /** Stable per letter: a retried send deposits the same letter once. */
  reference: string;
  sender: { name: string; email: string };
  recipient: { name: string; email: string };
  subject: string;
  document: { filename: string; contentType: string; bytes: Uint8Array };
  at: Date;
}

export interface RegisteredEmailReceipt {
  providerId: string;
  depositedAt: string;
  /** The day the recipient was notified: the first presentation. */
  notifiedOn: string;
  depositProof: { filename: string; contentType: string; bytes: Uint8Array };
  notificationProof: { filename: string; contentType: string; bytes: Uint8Array };
}

export interface RegisteredEmailProvider {
  readonly name: string;
  send(request: RegisteredEmailRequest): Promise<RegisteredEmailReceipt>;
}

/** The local stand-in: deterministic, immediate deposit and notification, proofs as JSON. */
export const localRegisteredEmailProvider: RegisteredEmailProvider = {
  name: 'local-stand-in',
  async send(r) {
    const sha256 = createHash('sha256').update(r.document.bytes).digest('hex');
    const providerId = `lre_${createHash('sha256').update(r.reference).digest('hex').slice(0, 24)}`;
    const depositedAt = r.at.toISOString();
    const notifiedOn = depositedAt.slice(0, 10);
    const proof = (type: string, extra: Record<string, unknown>) =>
      new Uint8Array(
        Buffer.from(
          `${JSON.stringify(
            {
              provider: 'Amiable local stand-in (not a qualified provider: local mode only)',
              type,
              providerId,
              sender: r.sender,
              recipient: r.recipient,
              subject: r.subject,
              document: { filename: r.document.filename, contentType: r.document.contentType, sha256 },
              ...extra,
            },
            null,
            2,
          )}\n`,
          'utf8',
        ),
      );
    return {
      providerId,
      depositedAt,
      notifiedOn,
      depositProof: { filename: `${providerId}-deposit.json`, contentType: 'application/json', bytes: proof('deposit', { depositedAt }) },
      notificationProof: { filename: `${providerId}-notification.json`, contentType: 'application/json', bytes: proof('notification', { notifiedAt: depositedAt }) },
    };
  },
};

export function registeredEmailProvider(): RegisteredEmailProvider {
  const name = settings.registeredEmailProvider();
  if (name === 'local') return localRegisteredEmailProvider;
  throw new Error(
    'no registered e-mail provider is configured (AMIABLE_LRE_PROVIDER): a qualified LRE provider (eIDAS art. 44) must be wired before a creditor uses formalNoticeChannel "registered_email"',
  );
}
