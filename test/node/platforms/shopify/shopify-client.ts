// A Rekindle app with the Shopify connector on a real libSQL file, and a
// client that sends fixture payloads the way Shopify does: the raw JSON text
// (ids past 2^53 as JSON numbers), signed with the app's secret, with the
// topic, delivery id and shop headers.
import { readFileSync } from 'node:fs';
import { signHmacSha256Base64 } from '../../../../src/adapters/platforms/shared/hmac-signature.ts';
import type { CampaignSet } from '../../../../src/core/campaigns/types.ts';
import type { Store } from '../../../../src/db/store.ts';
import { createApp } from '../../../../src/http/create-app.ts';
import { shopSettings } from '../../support/campaign-fixtures.ts';

export const secret = 'shpss_test_secret_for_rekindle';
export const shopDomain = 'example-shop.myshopify.com';

const fixtures = new URL('../../../fixtures/shopify/', import.meta.url);

/** A fixture's text exactly as stored: its big ids stay JSON numbers. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtures), 'utf8');
}

/**
 * A fixture with some fields changed, still as Shopify's JSON text: `edit`
 * gets the text and returns new text, so big ids are never parsed into doubles.
 */
export function withFields(text: string, fields: Record<string, unknown>): string {
  let out = text;
  for (const [key, value] of Object.entries(fields)) {
    const pattern = new RegExp(`^(  "${key}": )(.*?)(,?)$`, 'm');
    if (!pattern.test(out)) throw new Error(`fixture has no top-level field ${key}`);
    out = out.replace(
      pattern,
      (_all, head: string, _old: string, comma: string) => `${head}${JSON.stringify(value)}${comma}`,
    );
  }
  return out;
}

export interface ShopifyClient {
  app: ReturnType<typeof createApp>;
  logs: string[];
  /** Sends `body` signed, as `topic`; `deliveryId` defaults to a new one each call. */
  send(
    topic: string,
    body: string,
    options?: { deliveryId?: string; signature?: string | null; headers?: Record<string, string> },
  ): Promise<Response>;
}

let deliveries = 0;

export function shopifyClient(
  store: Store,
  options: { now?: () => number; campaigns?: CampaignSet | null; configured?: boolean } = {},
): ShopifyClient {
  const logs: string[] = [];
  // null: no campaign set loaded yet (a Worker isolate before its bundle parses).
  const campaigns =
    options.campaigns === null
      ? undefined
      : (options.campaigns ?? { settings: shopSettings({ currency: 'USD' }), campaigns: [] });
  const app = createApp({
    store,
    now: options.now ?? Date.now,
    campaigns,
    shopify: options.configured === false ? undefined : { webhookSecret: secret, shopDomain },
    log: (line) => logs.push(line),
  });
  return {
    app,
    logs,
    async send(topic, body, sendOptions = {}) {
      const signature =
        sendOptions.signature === undefined
          ? await signHmacSha256Base64(secret, body)
          : sendOptions.signature;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-shop-domain': shopDomain,
        'x-shopify-api-version': '2026-04',
        'x-shopify-webhook-id': sendOptions.deliveryId ?? `delivery-${++deliveries}`,
        ...sendOptions.headers,
      };
      if (signature !== null) headers['x-shopify-hmac-sha256'] = signature;
      return app.request('/webhooks/shopify', { method: 'POST', headers, body });
    },
  };
}
