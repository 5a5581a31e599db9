import { S3Client } from '@aws-sdk/client-s3';
import { created, onReset, SDK_MAX_ATTEMPTS } from '../aws-clients';

let client: S3Client | undefined;
onReset(() => {
  client?.destroy();
  client = undefined;
});

/** The S3 client of this process. Path-style addressing is needed by S3-compatible endpoints on an IP address (s3rver locally). */
export const s3 = (): S3Client => (client ??= created('s3', new S3Client({ maxAttempts: SDK_MAX_ATTEMPTS, forcePathStyle: process.env.AMIABLE_S3_FORCE_PATH_STYLE === '1' })));
