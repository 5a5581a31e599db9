import { SFNClient } from '@aws-sdk/client-sfn';
import { created, onReset } from '../aws-clients';

let client: SFNClient | undefined;
onReset(() => {
  client?.destroy();
  client = undefined;
});

/** The Step Functions client of this process. */
export const sfn = (): SFNClient => (client ??= created('sfn', new SFNClient({})));
