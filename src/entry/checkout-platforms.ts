// Wiring for coupons at checkout, shared by both homes' delivery: which
// platform adapters serve the CheckoutCodes port (Shopify when
// SHOPIFY_ADMIN_TOKEN is set, WooCommerce when WOO_URL is; none otherwise,
// and then delivery makes no call), over the home's fetch, and how recovery
// links carry the code (Shopify's /discount/ link on the shop's own host,
// only once codes are really made there).

import type { FetchPort } from '../adapters/platforms/shared/platform-fetch.ts';
import { createShopifyAdminApi } from '../adapters/platforms/shopify/admin-api.ts';
import { createShopifyCheckoutCodes } from '../adapters/platforms/shopify/discount-codes.ts';
import { createWooCheckoutCodes } from '../adapters/platforms/woocommerce/checkout-coupons.ts';
import type { CheckoutPlatformsConfig } from '../config/env.ts';
import { type CheckoutCodes, noCheckouts } from '../core/delivery/checkout-codes.ts';
import type { RecoveryLinkOptions } from '../core/rendering/recovery-url.ts';
import type { Store } from '../db/store.ts';

export interface CheckoutWiring {
  checkout: readonly CheckoutCodes[];
  links: RecoveryLinkOptions;
}

export function wireCheckouts(input: {
  platforms: CheckoutPlatformsConfig;
  store: Store;
  /** The settings file's currency. */
  shopCurrency: string;
  now: () => number;
  fetch?: FetchPort | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Overrides https://{SHOPIFY_SHOP_DOMAIN} for the Admin API (tests' stand-in). */
  shopifyBaseUrl?: string | undefined;
}): CheckoutWiring {
  const { platforms, store, shopCurrency, now } = input;
  const fetchPort: FetchPort = input.fetch ?? ((url, init) => fetch(url, init));
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const checkout: CheckoutCodes[] = [...noCheckouts];
  if (platforms.shopify) {
    const api = createShopifyAdminApi(
      { ...platforms.shopify, baseUrl: input.shopifyBaseUrl },
      // The bucket refills on the delivery's clock, so a wait is the documented one.
      { fetch: fetchPort, sleep, clock: now },
    );
    checkout.push(createShopifyCheckoutCodes({ api, store, now, sleep, shopCurrency }));
  }
  if (platforms.woocommerce) {
    checkout.push(createWooCheckoutCodes(platforms.woocommerce, { fetch: fetchPort, shopCurrency }));
  }
  const links = { shopifyHosts: platforms.shopify ? [platforms.shopify.shopDomain] : [] };
  return { checkout, links };
}
