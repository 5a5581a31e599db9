import { SESv2Client } from '@aws-sdk/client-sesv2';
import { created, onReset, SDK_MAX_ATTEMPTS } from '../aws-clients';

let client: SESv2Client | undefined;
onReset(() => {
  client?.destroy();
  client = undefined;
});

/** The SES v2 client of this process. */
export const sesv2 = (): SESv2Client => (client ??= created('sesv2', new SESv2Client({ maxAttempts: SDK_MAX_ATTEMPTS })));
