// The cart recovery link with the coupon applied. Rule (documented in the
// README): the code is added as the query parameter `discount`, which Shopify
// checkout and cart-recovery URLs and BigCommerce apply on arrival, and which
// other platforms ignore. A URL that already names a discount or coupon
// parameter is left alone: the platform put it there on purpose. Pure.

const existingParameters = ['discount', 'coupon', 'coupon_code', 'discount_code', 'promo'];

export function recoveryUrlWithCoupon(url: string, code: string | null): string {
  if (!code) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (existingParameters.some((name) => parsed.searchParams.has(name))) return url;
  parsed.searchParams.set('discount', code);
  return parsed.href;
}
