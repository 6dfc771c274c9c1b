// The WooCommerce connector's settings, from the env (WOO_* in
// src/config/env.ts and worker-env.ts). Without a webhook secret the connector
// is off and POST /webhooks/woocommerce answers 503.

export interface WooCommerceConnector {
  /** The webhooks' secret: a delivery signed with anything else is a 401. */
  webhookSecret: string;
  /** The customer meta_data key holding marketing consent; unset, webhooks leave consent as stored. */
  consentMetaKey?: string | undefined;
}
