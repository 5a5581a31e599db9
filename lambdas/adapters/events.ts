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

import { EVENT_SOURCE } from '../domain/dossier-events';

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

/**
 * One AWS JSON-protocol call, signed with SigV4 (the function's credentials): PutEvents here,
 * SQS SendMessage in queue.ts. The endpoint is the service's standard AWS_ENDPOINT_URL_<SERVICE>.
 */
export async function awsJsonCall(opts: { service: string; endpoint: URL; target: string; jsonVersion: '1.0' | '1.1'; body: string }): Promise<{ status: number; text: string }> {
  const url = opts.endpoint;
  credentials ??= defaultProvider();
  const signer = new SignatureV4({ credentials, region: region(), service: opts.service, sha256: Sha256 as never });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname || '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': `application/x-amz-json-${opts.jsonVersion}`,
      'x-amz-target': opts.target,
    },
    body: opts.body,
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body: opts.body });
  return { status: res.status, text: await res.text() };
}

export function awsRegion(): string {
  return region();
}

/** Puts one event on the default bus; returns its EventBridge id, or throws EventNotPublished. */
export async function putEvent(event: BusEvent): Promise<string> {
  return (await putEvents([event]))[0];
}

/** PutEvents takes at most 10 entries per call (AWS limit). */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * Puts events on the default bus, up to 10 per call; returns their EventBridge ids in order, or
 * throws EventNotPublished if any entry was refused (the caller retries the lot: at least once).
 */
export async function putEvents(events: readonly BusEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < events.length; i += PUT_EVENTS_MAX_ENTRIES) {
    const chunk = events.slice(i, i + PUT_EVENTS_MAX_ENTRIES);
    const body = JSON.stringify({
      Entries: chunk.map((event) => ({
        EventBusName: 'default',
        Source: EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        ...(event.time ? { Time: Math.floor(event.time.getTime() / 1000) } : {}),
      })),
    });
    const res = await awsJsonCall({ service: 'events', endpoint: endpoint(), target: 'AWSEvents.PutEvents', jsonVersion: '1.1', body });
    if (res.status < 200 || res.status >= 300) throw new EventNotPublished(`PutEvents answered ${res.status}: ${res.text.slice(0, 300)}`);
    const out = JSON.parse(res.text) as { FailedEntryCount?: number; Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] };
    const failed = (out.Entries ?? []).find((e) => !e.EventId);
    if (out.FailedEntryCount || (out.Entries ?? []).length !== chunk.length || failed) {
      throw new EventNotPublished(`PutEvents refused an event: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim());
    }
    ids.push(...out.Entries!.map((e) => e.EventId!));
  }
  return ids;
}
