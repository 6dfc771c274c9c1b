// Which shop platforms' webhooks a home serves, from its parsed config: the
// same rule for Node and the Worker (both configs carry the WOO_* names).
import type { WooCommerceDeps } from '../http/app-env.ts';

/** WooCommerce's webhooks, when their secret is set; otherwise their route answers 404. */
export function wooCommerceDeps(config: {
  WOO_WEBHOOK_SECRET?: string | undefined;
  WOO_CONSENT_META_KEY?: string | undefined;
}): WooCommerceDeps | undefined {
  if (!config.WOO_WEBHOOK_SECRET) return undefined;
  return { webhookSecret: config.WOO_WEBHOOK_SECRET, consentMetaKey: config.WOO_CONSENT_META_KEY };
}
