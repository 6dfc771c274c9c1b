// One WooCommerce webhook delivery (POST /webhooks/woocommerce): verify, then
// translate and apply through the ingest verb. Delivery per WooCommerce's REST
// API docs (wp-api-v3/_webhooks.md) and WC_Webhook::deliver: a JSON body
// signed in X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body with the
// webhook's secret), named by X-WC-Webhook-Topic (`order.updated`; also split
// into X-WC-Webhook-Resource and -Event), with X-WC-Webhook-ID (the webhook)
// and X-WC-Webhook-Delivery-ID. On creation WooCommerce posts an unsigned
// form body `webhook_id=N` and wants a 200: answered, nothing stored.
//
// The signature is checked, in constant time, before the body is parsed; a
// missing or wrong one is a 401 and nothing is written. WooCommerce never
// retries and sends no stable event id, so a delivery is applied only when its
// resource's date_modified_gmt is newer than the last one applied
// (shared/newer-state.ts): the same delivery again, or an older state arriving
// late, is answered 200 and not applied. Never logs bodies or addresses.
import { AppError } from '../../../core/errors.ts';
import type { Store } from '../../../db/store.ts';
import { verifyHmacSha256Base64 } from '../shared/hmac-signature.ts';
import { applyIfNewer, type DeliveryOutcome } from '../shared/newer-state.ts';
import { type TopicPorts, topicHandlers } from './topics.ts';

export const wooPlatform = 'woocommerce';

export interface WooCommercePorts extends TopicPorts {
  store: Store;
  now: () => number;
  /** The webhook's secret (WOO_WEBHOOK_SECRET). */
  secret: string;
}

export type WooDeliveryResult =
  | { outcome: 'ping'; webhook_id: string }
  | { outcome: DeliveryOutcome; topic: string; resource_id: string }
  | { outcome: 'ignored'; topic: string; reason: string }
  | { outcome: 'unavailable'; topic: string; reason: string };

const decoder = new TextDecoder();

/** The webhook id of WooCommerce's creation ping, or null when `body` is not one. */
function pingWebhookId(body: Uint8Array): string | null {
  if (body.length > 64) return null;
  return /^webhook_id=(\d+)$/.exec(decoder.decode(body).trim())?.[1] ?? null;
}

function topicOf(headers: Headers): string | null {
  const topic = headers.get('x-wc-webhook-topic')?.trim();
  if (topic) return topic;
  const resource = headers.get('x-wc-webhook-resource')?.trim();
  const event = headers.get('x-wc-webhook-event')?.trim();
  return resource && event ? `${resource}.${event}` : null;
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(body));
  } catch {
    throw new AppError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

async function sha256Hex(body: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function receiveWooCommerceDelivery(
  ports: WooCommercePorts,
  request: Request,
): Promise<WooDeliveryResult> {
  const body = new Uint8Array(await request.arrayBuffer());
  const signature = request.headers.get('x-wc-webhook-signature');
  if (!signature) {
    const webhookId = pingWebhookId(body);
    if (webhookId !== null) return { outcome: 'ping', webhook_id: webhookId };
  }
  if (!(await verifyHmacSha256Base64(ports.secret, body, signature))) {
    throw new AppError(
      401,
      'invalid_signature',
      signature
        ? "X-WC-Webhook-Signature does not match the body: WOO_WEBHOOK_SECRET must be the webhook's secret"
        : 'X-WC-Webhook-Signature is missing: only signed WooCommerce deliveries are accepted',
    );
  }
  const topic = topicOf(request.headers);
  if (!topic) {
    throw new AppError(400, 'invalid_input', 'X-WC-Webhook-Topic is missing', [
      { field: 'X-WC-Webhook-Topic', message: 'expected a topic such as order.updated' },
    ]);
  }
  const handler = topicHandlers[topic];
  if (!handler) return { outcome: 'ignored', topic, reason: 'Rekindle does not use this topic' };
  const now = ports.now();
  const plan = handler(parseJson(body), ports, now);
  if ('unavailable' in plan) return { outcome: 'unavailable', topic, reason: plan.unavailable };
  const outcome = await applyIfNewer(
    ports.store,
    {
      key: { platform: wooPlatform, resource: plan.resource, resourceId: plan.resourceId },
      versionAt: plan.versionAt,
      digest: await sha256Hex(body),
      deliveryId: request.headers.get('x-wc-webhook-delivery-id')?.slice(0, 200) ?? null,
    },
    now,
    plan.build,
  );
  return { outcome, topic, resource_id: plan.resourceId };
}
