// POST /v1/coupons/validate and POST /v1/redemptions, for shop platforms at
// checkout (scope `coupons`). Both are rate-limited per API key and per code.
//
// An invalid code is an answer, not a failed request: validate returns 200
// with { valid: false, reason }, so a checkout can show the reason without
// treating it as an error. "unknown" is the same answer for a code that never
// existed and for text that cannot be a code, and never hints at similar ones.
// Redemption records a fact, so there a code that cannot be redeemed is an
// error: 404 unknown, 409 for every other reason (used up, expired, not sent...).
// Redemption does not re-check the minimum subtotal: the checkout validated it,
// and an order total (after discounts, with shipping) is not the subtotal.
import { Hono } from 'hono';
import { AppError } from '../../core/errors.ts';
import { fromMinorUnits } from '../../core/money.ts';
import { redeemCouponInput, validateCouponInput } from '../../core/offers/api-input.ts';
import { normalizeCode } from '../../core/offers/code.ts';
import type { StoredCoupon } from '../../core/offers/evaluate.ts';
import { formatInstant } from '../../core/time.ts';
import type { Redemption } from '../../db/repositories/coupons.ts';
import { redeemCoupon } from '../../services/coupons/redeem-coupon.ts';
import { validateCoupon } from '../../services/coupons/validate-coupon.ts';
import type { AppEnv } from '../app-env.ts';
import { requireScope } from '../auth.ts';
import { readJson } from '../json-body.ts';
import { couponRateLimit } from '../rate-limit.ts';

export function couponRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limit = couponRateLimit();

  app.post('/coupons/validate', requireScope('coupons'), async (c) => {
    const input = validateCouponInput.parse(await readJson(c.req.raw));
    await limit(c, normalizeCode(input.code) ?? input.code.toUpperCase());
    const { store, now } = c.get('deps');
    const verdict = await validateCoupon({ store }, { ...input, now: now() });
    if (!verdict.valid) return c.json({ valid: false, reason: verdict.reason });
    return c.json({
      valid: true,
      ...describeCoupon(verdict.coupon),
      currency: input.currency,
      discount: fromMinorUnits(verdict.discountMinor, input.currency),
    });
  });

  app.post('/redemptions', requireScope('coupons'), async (c) => {
    const input = redeemCouponInput.parse(await readJson(c.req.raw));
    await limit(c, normalizeCode(input.code) ?? input.code.toUpperCase());
    const { store, now } = c.get('deps');
    const result = await redeemCoupon({ store }, { ...input, now: now() });
    switch (result.outcome) {
      case 'redeemed':
        return c.json(redemptionBody(result.redemption), 201);
      case 'already_redeemed':
        return c.json(redemptionBody(result.redemption), 200);
      case 'order_redeemed_other_code':
        throw new AppError(409, 'order_already_redeemed', 'this order already redeemed a different code', [
          { field: 'order_id', message: 'one redemption per order' },
        ]);
      case 'refused':
        throw notRedeemable(result.reason);
    }
  });

  return app;
}

function notRedeemable(reason: string): AppError {
  if (reason === 'unknown') {
    return new AppError(404, 'coupon_unknown', 'no such coupon code', [{ field: 'code', message: reason }]);
  }
  return new AppError(409, `coupon_${reason}`, `the coupon cannot be redeemed: ${reason.replace('_', ' ')}`, [
    { field: 'code', message: reason },
  ]);
}

function describeCoupon(coupon: StoredCoupon) {
  const { terms } = coupon;
  const money = (minor: number | null) =>
    minor === null || coupon.currency === null ? null : fromMinorUnits(minor, coupon.currency);
  return {
    code: coupon.code,
    kind: terms.kind,
    percent_off: terms.kind === 'percent_off' ? terms.value : null,
    amount_off: terms.kind === 'amount_off' ? money(terms.value) : null,
    free_shipping: terms.kind === 'free_shipping',
    min_subtotal: money(coupon.minSubtotalMinor),
    expires_at: coupon.expiresAt === null ? null : formatInstant(coupon.expiresAt),
    uses_left: coupon.usesAllowed - coupon.uses,
  };
}

function redemptionBody(r: Redemption) {
  return {
    id: r.id,
    code: r.couponCode,
    order_id: r.orderId,
    currency: r.currency,
    order_total: fromMinorUnits(r.orderTotalMinor, r.currency),
    discount: fromMinorUnits(r.discountMinor, r.currency),
    redeemed_at: formatInstant(r.at),
  };
}
