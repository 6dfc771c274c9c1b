// POST /webhooks/shopify, without HTTP: verify, then translate and apply.
// Order of checks: the signature (X-Shopify-Hmac-Sha256 over the raw bytes,
// before anything is parsed: 401 and nothing written when bad or missing),
// the shop (X-Shopify-Shop-Domain, when SHOPIFY_SHOP_DOMAIN is set), the
// topic and delivery id headers, a delivery already applied (200, nothing
// again), the JSON (ids past 2^53 kept exact), then the topic's handler.
// Never logs a payload.

import { parseJsonKeepingLongIntegers } from '../shared/exact-ids-json.ts';
import { hmacSha256Base64Verifier } from '../shared/hmac-signature.ts';
import { type PlatformPorts, refusal, type WebhookAnswer, type WebhookReceiver } from '../shared/ports.ts';
import { alreadyApplied, countUnknownTopic, type Delivery } from '../shared/webhook-ledger.ts';
import type { ShopifyConnector } from './config.ts';
import { platform, type TopicResult } from './context.ts';
import { objectOf, PayloadError } from './payload.ts';
import { shopifyTopics } from './topics.ts';

export function shopifyWebhookReceiver(ports: PlatformPorts, config: ShopifyConnector): WebhookReceiver {
  const verify = hmacSha256Base64Verifier(config.webhookSecret);
  return async ({ headers, body }) => {
    if (!(await verify(body, headers.get('x-shopify-hmac-sha256')))) {
      const missing = !headers.get('x-shopify-hmac-sha256');
      return refusal(
        401,
        'bad_signature',
        missing ? 'X-Shopify-Hmac-Sha256 is missing' : 'X-Shopify-Hmac-Sha256 does not match the body',
      );
    }
    const shop = headers.get('x-shopify-shop-domain');
    if (config.shopDomain && shop && shop.toLowerCase() !== config.shopDomain.toLowerCase()) {
      return refusal(401, 'wrong_shop', 'the delivery is for another shop than SHOPIFY_SHOP_DOMAIN');
    }
    const topic = headers.get('x-shopify-topic')?.trim();
    const deliveryId = headers.get('x-shopify-webhook-id')?.trim();
    if (!topic || topic.length > 200) return refusal(400, 'invalid_input', 'X-Shopify-Topic is missing');
    if (!deliveryId || deliveryId.length > 200)
      return refusal(400, 'invalid_input', 'X-Shopify-Webhook-Id is missing');
    const delivery: Delivery = { platform, deliveryId, topic, now: ports.now() };
    if (await alreadyApplied(ports.store, delivery)) return answer(topic, { outcome: 'duplicate' });
    const handler = shopifyTopics[topic];
    if (!handler) {
      return answer(topic, {
        outcome: await countUnknownTopic(ports.store, delivery),
        note: 'topic not handled; counted',
      });
    }
    let payload: Record<string, unknown> | null;
    try {
      payload = objectOf(
        parseJsonKeepingLongIntegers(new TextDecoder('utf-8', { fatal: true }).decode(body)),
      );
    } catch {
      return refusal(400, 'invalid_json', 'the body is not valid JSON');
    }
    if (!payload) return refusal(400, 'invalid_json', 'the body is not a JSON object');
    try {
      return answer(topic, await handler({ ports, config, delivery }, payload));
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      return refusal(400, 'invalid_input', `${topic}: ${error.message}`, error.details);
    }
  };
}

function answer(topic: string, result: TopicResult): WebhookAnswer {
  // 503 makes Shopify deliver again later: for work that cannot be done yet.
  const status = result.outcome === 'retry' ? 503 : 200;
  return {
    status,
    body: {
      ok: status === 200,
      topic,
      outcome: result.outcome,
      ...(result.note ? { note: result.note } : {}),
    },
  };
}
