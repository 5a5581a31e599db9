import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * One client per service per process (reused across invocations). Endpoints come from the
 * standard AWS_ENDPOINT_URL_<SERVICE> variables, so local mode points the same code at emulators.
 */
let ddb: DynamoDBClient | undefined;
let s3: S3Client | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;

export const clients = {
  dynamodb: () => (ddb ??= new DynamoDBClient({})),
  // Path-style addressing is needed by S3-compatible endpoints on an IP address (s3rver locally).
  s3: () => (s3 ??= new S3Client({ forcePathStyle: process.env.AMIABLE_S3_FORCE_PATH_STYLE === '1' })),
  sesv2: () => (ses ??= new SESv2Client({})),
  sfn: () => (sfn ??= new SFNClient({})),
};

/** Composition root only: local mode re-points the endpoints when it restarts in one process. */
export function resetClients(): void {
  for (const c of [ddb, s3, ses, sfn]) c?.destroy();
  ddb = s3 = ses = sfn = undefined;
}
