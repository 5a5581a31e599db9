/**
 * Local stand-in for SES event publishing: aws-ses-v2-local produces no delivery events, so
 * `POST /_local/ses/events` builds the EventBridge event SES would publish for a message Amiable
 * sent (same shape, the message's tags and recipient as SES knew them: from the message index once
 * an event wrote it, else from the evidence record of the send, the configuration set's tag) at the
 * simulated now, for the same delivery-events handler to process.
 */
import { createHash } from 'node:crypto';
import { DomainError, ErrorDetail, invalid } from '../lambdas/domain/errors';
import { DELIVERY_EVENT_TYPES, DeliveryEventType, DETAIL_TYPES, SentMessage } from '../lambdas/domain/dossier-delivery';
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { emailTags } from '../lambdas/adapters/mailer';
import * as clients from '../lambdas/adapters/clients/dynamodb';
import { settings } from '../lambdas/adapters/env';
import { getSentMessage } from '../lambdas/adapters/delivery-store';
import { getDossier } from '../lambdas/adapters/dossier-store';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template';

export interface LocalSesEventRequest {
  messageId: string;
  type: DeliveryEventType;
  bounceType?: 'Permanent' | 'Transient' | 'Undetermined';
  bounceSubType?: string;
  diagnosticCode?: string;
}

const FIELDS = new Set(['messageId', 'type', 'bounceType', 'bounceSubType', 'diagnosticCode']);
const BOUNCE_TYPES = ['Permanent', 'Transient', 'Undetermined'] as const;

export function parseLocalSesEvent(body: unknown): LocalSesEventRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid([{ path: '', message: 'must be a JSON object' }], 'Give { "messageId", "type" }.');
  }
  const b = body as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  for (const k of Object.keys(b)) if (!FIELDS.has(k)) details.push({ path: k, message: 'unknown field' });
  if (typeof b.messageId !== 'string' || !b.messageId.trim()) {
    details.push({ path: 'messageId', message: 'is required: the SES message id recorded on the notice_sent event' });
  }
  if (!DELIVERY_EVENT_TYPES.includes(b.type as DeliveryEventType)) {
    details.push({ path: 'type', message: `must be one of ${DELIVERY_EVENT_TYPES.join(', ')}` });
  }
  if (b.bounceType !== undefined && !BOUNCE_TYPES.includes(b.bounceType as never)) {
    details.push({ path: 'bounceType', message: `must be one of ${BOUNCE_TYPES.join(', ')}` });
  }
  const typeOk = DELIVERY_EVENT_TYPES.includes(b.type as DeliveryEventType);
  for (const k of ['bounceType', 'bounceSubType', 'diagnosticCode']) {
    if (typeOk && b[k] !== undefined && b.type !== 'Bounce' && !(k === 'diagnosticCode' && b.type === 'DeliveryDelay')) {
      details.push({ path: k, message: `only applies to type Bounce${k === 'diagnosticCode' ? ' or DeliveryDelay' : ''}` });
    }
  }
  for (const k of ['bounceSubType', 'diagnosticCode']) {
    if (b[k] !== undefined && (typeof b[k] !== 'string' || (b[k] as string).length > 1000)) {
      details.push({ path: k, message: 'must be a string of at most 1000 characters' });
    }
  }
  if (details.length) throw invalid(details, 'Invalid SES event request.');
  return b as unknown as LocalSesEventRequest;
}

/**
 * What SES knows of a message Amiable sent (its tags, recipient and instant): the message index
 * once an event of it was recorded, else the evidence record of its notice_sent or message_sent
 * (a send writes nothing else after SES). A scan: local mode only, where the table is small.
 */
export async function sentMessageOf(messageId: string): Promise<SentMessage | null> {
  const indexed = await getSentMessage(messageId);
  if (indexed) return indexed;
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const out: ScanCommandOutput = await clients.dynamodb().send(
      new ScanCommand({
        TableName: settings.tableName(),
        FilterExpression: 'begins_with(sk, :e) AND fact.messageId = :m',
        ExpressionAttributeValues: { ':e': { S: 'E#' }, ':m': { S: messageId } },
        ExclusiveStartKey: start,
      }),
    );
    const item = out.Items?.[0];
    if (item) {
      const record = unmarshall(item);
      const dossierId = String(record.pk).slice(2);
      const dossier = await getDossier(dossierId);
      if (!dossier) return null;
      const kind = String(record.fact.stage ?? record.fact.kind ?? 'unknown');
      return {
        messageId,
        dossierId,
        creditorId: dossier.creditorId,
        kind,
        audience: kind.startsWith('litigation') ? 'litigation_contact' : 'debtor',
        recipient: String(record.fact.to ?? ''),
        sentAt: String(record.fact.at),
      };
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return null;
}

/** A UUID-shaped id, stable for the same message, type and instant (a re-post is a redelivery). */
function eventUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The EventBridge event SES publishes for the request, as of `now`. */
export function buildSesEvent(req: LocalSesEventRequest, message: SentMessage | null, configurationSet: string, now: Date) {
  const at = now.toISOString();
  const recipient = message?.recipient ?? 'unknown@invalid';
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [configurationSet],
    'ses:operation': ['SendEmail'],
    'ses:source-ip': ['127.0.0.1'],
    ...(message ? Object.fromEntries(emailTags(message).map((t) => [t.Name, [t.Value]])) : {}),
  };
  const mail = {
    timestamp: message?.sentAt || at,
    sendingAccountId: LOCAL_ACCOUNT,
    messageId: req.messageId,
    destination: [recipient],
    headersTruncated: false,
    tags,
  };
  const sentMs = Date.parse(mail.timestamp);
  let detail: Record<string, unknown>;
  switch (req.type) {
    case 'Bounce': {
      const bounceType = req.bounceType ?? 'Permanent';
      const permanent = bounceType === 'Permanent';
      detail = {
        bounce: {
          feedbackId: `${eventUuid(req.messageId, 'feedback', at)}-000000`,
          bounceType,
          bounceSubType: req.bounceSubType ?? (permanent ? 'General' : bounceType === 'Transient' ? 'MailboxFull' : 'Undetermined'),
          bouncedRecipients: [
            {
              emailAddress: recipient,
              action: 'failed',
              status: permanent ? '5.1.1' : '4.2.2',
              diagnosticCode: req.diagnosticCode ?? (permanent ? 'smtp; 550 5.1.1 user unknown' : 'smtp; 452 4.2.2 mailbox full'),
            },
          ],
          timestamp: at,
          reportingMTA: 'dns; local.amazonses.com',
        },
      };
      break;
    }
    case 'Complaint':
      detail = {
        complaint: {
          feedbackId: `${eventUuid(req.messageId, 'feedback', at)}-000000`,
          complaintSubType: null,
          complainedRecipients: [{ emailAddress: recipient }],
          timestamp: at,
          userAgent: 'Amiable local mode',
          complaintFeedbackType: 'abuse',
          arrivalDate: at,
        },
      };
      break;
    case 'Delivery':
      detail = {
        delivery: {
          timestamp: at,
          processingTimeMillis: Number.isNaN(sentMs) ? 0 : Math.max(0, now.getTime() - sentMs),
          recipients: [recipient],
          smtpResponse: '250 2.0.0 OK',
          reportingMTA: 'local.amazonses.com',
        },
      };
      break;
    case 'Reject':
      detail = { reject: { reason: 'Bad content' } };
      break;
    case 'DeliveryDelay':
      detail = {
        deliveryDelay: {
          timestamp: at,
          delayType: 'TransientCommunicationFailure',
          expirationTime: new Date(now.getTime() + 14 * 3_600_000).toISOString(),
          delayedRecipients: [
            { emailAddress: recipient, status: '4.4.1', diagnosticCode: req.diagnosticCode ?? 'smtp; 421 4.4.1 connection timed out' },
          ],
        },
      };
      break;
    default:
      throw new DomainError(400, 'validation_failed', `unknown type ${String(req.type)}`);
  }
  return {
    version: '0',
    id: eventUuid(req.messageId, req.type, at),
    'detail-type': DETAIL_TYPES[req.type],
    source: 'aws.ses',
    account: LOCAL_ACCOUNT,
    time: at,
    region: LOCAL_REGION,
    resources: [`arn:aws:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:configuration-set/${configurationSet}`],
    detail: { eventType: req.type, mail, ...detail },
  };
}
