// The cart recovery link with the coupon applied. Rule (documented in the
// README): the code is added as the query parameter `discount`, which Shopify
// checkout and cart-recovery URLs and BigCommerce apply on arrival, and which
// other platforms ignore. On a Shopify shop's own host (SHOPIFY_SHOP_DOMAIN)
// the link is Shopify's shareable discount link instead,
// https://<shop>/discount/<CODE>?redirect=<path>: the storefront applies the
// code to the session and then opens the recovery page, which must be on the
// same shop (Shopify Admin GraphQL, DiscountShareableUrl; the shop admin's
// "share discount" links have this form). A URL that already names a
// discount or coupon parameter, or already is such a link, is left alone:
// the platform put it there on purpose. A stored URL that is not a safe link
// (core/safe-link.ts) gives no link at all. Pure.
import { safeLink } from '../safe-link.ts';

const existingParameters = ['discount', 'coupon', 'coupon_code', 'discount_code', 'promo'];

export interface RecoveryLinkOptions {
  /** Hosts that are a Shopify storefront (lower case), where the shareable discount link works. */
  shopifyHosts?: readonly string[] | undefined;
}

export function recoveryUrlWithCoupon(
  stored: string | null | undefined,
  code: string | null,
  options: RecoveryLinkOptions = {},
): string | null {
  const url = safeLink(stored);
  if (!url || !code) return url;
  const parsed = new URL(url);
  if (existingParameters.some((name) => parsed.searchParams.has(name))) return url;
  if (parsed.pathname.startsWith('/discount/')) return url;
  if (options.shopifyHosts?.includes(parsed.hostname.toLowerCase())) {
    const link = new URL(`/discount/${encodeURIComponent(code)}`, parsed.origin);
    link.searchParams.set('redirect', `${parsed.pathname}${parsed.search}${parsed.hash}`);
    return link.href;
  }
  parsed.searchParams.set('discount', code);
  return parsed.href;
}
