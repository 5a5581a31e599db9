import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { clients } from './aws-clients';
import { settings } from './env';

/** Sends exact MIME bytes (the same bytes the evidence vault keeps) through SES v2. */
export async function sendRawEmail(raw: Uint8Array, from: string, to: string[]): Promise<string> {
  const out = await clients.sesv2().send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: to },
      Content: { Raw: { Data: raw } },
      ConfigurationSetName: settings.configurationSet(),
    }),
  );
  return out.MessageId ?? '';
}
