import { handleDeliveryEvent, DeliveryEventOutcome } from './services/delivery-events';
import type { SesEventBridgeEvent } from './domain/dossier-delivery';
import { deliveryEvent } from './adapters/telemetry';

/**
 * EventBridge target for the configuration set's SES events (bounce, complaint, reject, delivery,
 * delay). Unknown messages are logged and ignored; a failure throws so EventBridge and Lambda's
 * asynchronous retries try again, then the dead-letter queue keeps the event.
 */
export async function handler(event: SesEventBridgeEvent): Promise<DeliveryEventOutcome> {
  const out = await handleDeliveryEvent(event);
  deliveryEvent({ type: event.detail?.eventType, bounceType: event.detail?.bounce?.bounceType, ...out });
  return out;
}
