// The cart recovery link with the coupon applied. Rule (documented in the
// README): the code is added as the query parameter `discount`, which Shopify
// checkout and cart-recovery URLs and BigCommerce apply on arrival, and which
// other platforms ignore. A URL that already names a discount or coupon
// parameter is left alone: the platform put it there on purpose. A stored
// URL that is not a safe link (core/safe-link.ts) gives no link at all. Pure.
import { safeLink } from '../safe-link.ts';

const existingParameters = ['discount', 'coupon', 'coupon_code', 'discount_code', 'promo'];

export function recoveryUrlWithCoupon(stored: string | null | undefined, code: string | null): string | null {
  const url = safeLink(stored);
  if (!url || !code) return url;
  const parsed = new URL(url);
  if (existingParameters.some((name) => parsed.searchParams.has(name))) return url;
  parsed.searchParams.set('discount', code);
  return parsed.href;
}
