// POST /webhooks/woocommerce, without HTTP: verify, then translate and apply
// through the ingest verb. Delivery per WooCommerce's REST API docs
// (wp-api-v3/_webhooks.md) and WC_Webhook::deliver: a JSON body signed in
// X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body with the
// webhook's secret), named by X-WC-Webhook-Topic (`order.updated`; also split
// into X-WC-Webhook-Resource and -Event). On creation WooCommerce posts an
// unsigned form body `webhook_id=N` and wants a 2xx: answered, nothing stored.
//
// Order of checks: the signature (shared/hmac-signature.ts, before anything
// is parsed: 401 and nothing written when bad or missing), the topic header,
// the JSON, then the topic's handler. A topic nothing handles is answered 200
// and counted (webhook_unknown_topics). A change is applied only when newer
// than the stored state (apply-change.ts): the same delivery again, or an
// older state arriving late, is answered 200 and not applied. Never logs
// bodies or addresses.
import { z } from 'zod';
import { describeIssues } from '../../../core/errors.ts';
import { countUnknownTopicStatement } from '../../../db/repositories/platform-webhooks.ts';
import { hmacSha256Base64Verifier } from '../shared/hmac-signature.ts';
import { type PlatformPorts, refusal, type WebhookAnswer, type WebhookReceiver } from '../shared/ports.ts';
import { applyIfNewer, sha256Hex, wooPlatform } from './apply-change.ts';
import type { WooCommerceConnector } from './config.ts';
import { topicHandlers } from './topics.ts';

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

export function wooCommerceWebhookReceiver(
  ports: PlatformPorts,
  config: WooCommerceConnector,
): WebhookReceiver {
  const verify = hmacSha256Base64Verifier(config.webhookSecret);
  return async ({ headers, body }) => {
    const signature = headers.get('x-wc-webhook-signature');
    if (!signature) {
      const webhookId = pingWebhookId(body);
      if (webhookId !== null)
        return { status: 200, body: { ok: true, outcome: 'ping', webhook_id: webhookId } };
    }
    if (!(await verify(body, signature))) {
      return refusal(
        401,
        'bad_signature',
        signature
          ? "X-WC-Webhook-Signature does not match the body: WOO_WEBHOOK_SECRET must be the webhook's secret"
          : 'X-WC-Webhook-Signature is missing: only signed WooCommerce deliveries are accepted',
      );
    }
    const topic = topicOf(headers);
    if (!topic || topic.length > 200) {
      return refusal(400, 'invalid_input', 'X-WC-Webhook-Topic is missing', [
        { field: 'X-WC-Webhook-Topic', message: 'expected a topic such as order.updated' },
      ]);
    }
    const now = ports.now();
    const handler = topicHandlers[topic];
    if (!handler) {
      await ports.store.batch([
        countUnknownTopicStatement(ports.store, { platform: wooPlatform, topic, now }),
      ]);
      return answer(topic, { outcome: 'ignored', note: 'topic not handled; counted' });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(body));
    } catch {
      return refusal(400, 'invalid_json', 'the body is not valid JSON');
    }
    try {
      const plan = handler(payload, { ports, config, now });
      if ('unavailable' in plan) return answer(topic, { outcome: 'retry', note: plan.unavailable });
      const change = { ...plan, digest: await sha256Hex(body) };
      const outcome = await applyIfNewer(ports.store, change, now, plan.build);
      return answer(topic, { outcome, resource_id: plan.resourceId });
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      const details = describeIssues(error.issues, false);
      const fields = details.map((d) => d.field ?? d.message).join(', ');
      return refusal(400, 'invalid_input', `${topic}: invalid payload: ${fields}`, details);
    }
  };
}

function answer(topic: string, result: { outcome: string } & Record<string, unknown>): WebhookAnswer {
  // 503 for work that cannot be done yet. WooCommerce does not deliver again: the resource's next save does.
  const ok = result.outcome !== 'retry';
  return { status: ok ? 200 : 503, body: { ok, topic, ...result } };
}
