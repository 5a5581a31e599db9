import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import * as clients from './clients/sesv2';
import { settings } from './env';

/** SES message tags (EmailTags): they travel in every event SES publishes about the message. */
export interface MailTags {
  dossierId: string;
  creditorId: string;
  kind: string;
  audience: 'debtor' | 'litigation_contact';
}

/** Tag names as SES events show them in `detail.mail.tags`. */
export const TAG_NAMES = {
  dossierId: 'amiable_dossier',
  creditorId: 'amiable_creditor',
  kind: 'amiable_kind',
  audience: 'amiable_audience',
} as const satisfies Record<keyof MailTags, string>;

/** SES accepts tag values of 1-256 characters of [A-Za-z0-9_-]: anything else becomes "_". */
export function sesTagValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
  return cleaned.length > 0 ? cleaned : '_';
}

export function emailTags(tags: MailTags): { Name: string; Value: string }[] {
  return (Object.keys(TAG_NAMES) as (keyof MailTags)[]).map((k) => ({ Name: TAG_NAMES[k], Value: sesTagValue(tags[k]) }));
}

/** Sends exact MIME bytes (the same bytes the evidence vault keeps) through SES v2. */
export async function sendRawEmail(raw: Uint8Array, from: string, to: string[], tags?: MailTags, cc: string[] = []): Promise<string> {
  const out = await clients.sesv2().send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: to, ...(cc.length ? { CcAddresses: cc } : {}) },
      Content: { Raw: { Data: raw } },
      ConfigurationSetName: settings.configurationSet(),
      EmailTags: tags ? emailTags(tags) : undefined,
    }),
  );
  return out.MessageId ?? '';
}
