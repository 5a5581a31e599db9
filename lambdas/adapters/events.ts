/**
 * Publishes Amiable's own events on the account's default EventBridge bus (docs/events.md), for the
 * creditor's other systems (ERP, legal case tools) to subscribe with a rule.
 *
 * One call, PutEvents, made with the AWS JSON 1.1 protocol and signed with SigV4 by
 * @smithy/signature-v4 (already a dependency, for the CLI) with the function's own credentials from
 * the standard provider chain: the project ships no @aws-sdk/client-eventbridge, and this is the
 * whole of what it would do here. Like every other adapter, the endpoint comes from the standard
 * AWS_ENDPOINT_URL_EVENTBRIDGE variable, so local mode points the same code at its own recorder
 * (local/eventbridge.ts) and the handler never knows it is local.
 */
import { createHash, createHmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

import { EVENT_SOURCE } from '../domain/dossier-handoff';

export interface BusEvent {
  detailType: string;
  detail: unknown;
  /** The instant the event is about (the hand-off); EventBridge's own time otherwise. */
  time?: Date;
}

class Sha256 {
  private readonly hash;
  constructor(secret?: unknown) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: unknown): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('cannot hash this value');
}

let credentials: ReturnType<typeof defaultProvider> | undefined;

function region(): string {
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-west-3';
}

function endpoint(): URL {
  return new URL(process.env.AWS_ENDPOINT_URL_EVENTBRIDGE ?? process.env.AWS_ENDPOINT_URL ?? `https://events.${region()}.amazonaws.com`);
}

export class EventNotPublished extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventNotPublished';
  }
}

/** Puts one event on the default bus; returns its EventBridge id, or throws EventNotPublished. */
export async function putEvent(event: BusEvent): Promise<string> {
  const url = endpoint();
  const body = JSON.stringify({
    Entries: [
      {
        EventBusName: 'default',
        Source: EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        ...(event.time ? { Time: Math.floor(event.time.getTime() / 1000) } : {}),
      },
    ],
  });
  credentials ??= defaultProvider();
  const signer = new SignatureV4({ credentials, region: region(), service: 'events', sha256: Sha256 as never });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname || '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSEvents.PutEvents',
    },
    body,
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const text = await res.text();
  if (!res.ok) throw new EventNotPublished(`PutEvents answered ${res.status}: ${text.slice(0, 300)}`);
  const out = JSON.parse(text) as { FailedEntryCount?: number; Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] };
  const entry = out.Entries?.[0];
  if (out.FailedEntryCount || !entry?.EventId) {
    throw new EventNotPublished(`PutEvents refused the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
  }
  return entry.EventId;
}
