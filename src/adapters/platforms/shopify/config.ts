// The Shopify connector's settings, from the env (SHOPIFY_* in
// src/config/env.ts and worker-env.ts). Without a webhook secret the connector
// is off and POST /webhooks/shopify answers 503.

export interface ShopifyConnector {
  /** The app's client secret (webhooks are signed with it). */
  webhookSecret: string;
  /** The shop's myshopify.com domain: product links are made on it, and deliveries from another shop are refused. */
  shopDomain?: string | undefined;
}

/**
 * The port the Admin API calls go through (coupons at checkout, and
 * `rekindle shopify sync` when it comes): one GraphQL call, made with fetch
 * on Node and on the Worker. Defined with its client in admin-api.ts.
 */
export type { ShopifyAdminApi } from './admin-api.ts';
