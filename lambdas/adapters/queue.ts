/**
 * SQS SendMessage (AWS JSON 1.0 protocol), signed like PutEvents (events.ts), so no SQS client
 * ships in the bundles. The endpoint is the standard AWS_ENDPOINT_URL_SQS (local mode: local/sqs.ts).
 */
import { awsJsonCall, awsRegion } from './events';

export class QueueSendFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueSendFailed';
  }
}

function endpoint(): URL {
  return new URL(process.env.AWS_ENDPOINT_URL_SQS ?? process.env.AWS_ENDPOINT_URL ?? `https://sqs.${awsRegion()}.amazonaws.com`);
}

/** Sends one message; `delaySeconds` 0-900 (SQS limit: 15 minutes). */
export async function sendMessage(queueUrl: string, body: unknown, delaySeconds = 0): Promise<void> {
  const res = await awsJsonCall({
    service: 'sqs',
    endpoint: endpoint(),
    target: 'AmazonSQS.SendMessage',
    jsonVersion: '1.0',
    body: JSON.stringify({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body), DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))) }),
  });
  if (res.status < 200 || res.status >= 300) throw new QueueSendFailed(`SendMessage answered ${res.status}: ${res.text.slice(0, 300)}`);
}
