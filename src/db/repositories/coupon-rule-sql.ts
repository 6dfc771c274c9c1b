// The redemption rule and the redemption's value as SQL expressions, so a
// conditional INSERT decides inside the statement itself (D1 has no
// interactive transactions: a read-then-write would let two writers past one
// use). Written from src/core/offers: one SQL condition per check of
// `couponChecks`, under the same keys and applied in the same order, and the
// valuation of `redemptionDiscountMinor` in the same integer steps.
// test/node/coupons/coupon-rule-sql.test.ts holds each pair equal on a real libSQL file.
//
// The expressions read the coupon as `c` (a coupons row, null columns when no
// coupon has the code) and its message as `m` (left joined on c.message_id).
import { type SQL, sql } from 'drizzle-orm';
import { maxAmountMinor } from '../../core/money-bounds.ts';
import { checkedReasons, type couponChecks } from '../../core/offers/evaluate.ts';

/** The basket side of the rule, as SQL values. */
export interface BasketSql {
  customerId: SQL;
  currency: SQL;
  /** The instant the rule is judged at. */
  now: SQL;
  /** Only needed when the minimum is enforced. */
  subtotalMinor?: SQL;
  /** False at redemption: the minimum was the checkout's to enforce. */
  enforceMinimum: boolean;
  /**
   * Uses the same statement takes before this one (orders of one batch that
   * redeem the same code); the stored `uses` does not count them yet.
   */
  earlierUses?: SQL;
}

const checkSql: { readonly [R in keyof typeof couponChecks]: (basket: BasketSql) => SQL } = {
  not_sent: () => sql`coalesce(m.status, '') <> 'sent'`,
  wrong_customer: (b) => sql`c.customer_id is not null and c.customer_id is not ${b.customerId}`,
  expired: (b) => sql`c.expires_at is not null and ${b.now} >= c.expires_at`,
  used: (b) => sql`c.uses + ${b.earlierUses ?? sql`0`} >= c.uses_allowed`,
  wrong_currency: (b) =>
    sql`(c.kind = 'amount_off' or c.min_subtotal_minor is not null) and c.currency is not null
      and c.currency <> upper(${b.currency})`,
  below_minimum: (b) =>
    b.enforceMinimum
      ? sql`c.min_subtotal_minor is not null and ${b.subtotalMinor ?? sql`null`} < c.min_subtotal_minor`
      : sql`0`,
};

/** One check of the rule as a SQL condition: true when the coupon fails it. */
export function couponCheckSql(reason: keyof typeof couponChecks, basket: BasketSql): SQL {
  return checkSql[reason](basket);
}

/** The first reason the coupon `c` fails for the basket (text), or null when it applies. */
export function couponProblemSql(basket: BasketSql): SQL {
  const whens = checkedReasons.map(
    (reason) => sql`when ${checkSql[reason](basket)} then ${sql.raw(`'${reason}'`)}`,
  );
  return sql`(case when c.code is null then 'unknown' ${sql.join(whens, sql` `)} else null end)`;
}

/**
 * What the redemption of coupon terms (kind, value columns) is worth for an
 * order: `items` is the lines' subtotal (null without lines), `total` the
 * order total after the discount. Integer arithmetic only, as the core does:
 * the percentage in hundredths, half a minor unit rounding up.
 */
export function redemptionDiscountSql(terms: { kind: SQL; value: SQL }, items: SQL, total: SQL): SQL {
  const hundredths = sql`cast(round(${terms.value} * 100) as integer)`;
  const ofItems = sql`(case ${terms.kind}
      when 'amount_off' then min(${terms.value}, max(0, ${items}))
      when 'percent_off' then min((max(0, ${items}) * ${hundredths} + 5000) / 10000, max(0, ${items}))
      else 0 end)`;
  const workedBack = sql`(case ${terms.kind}
      when 'amount_off' then ${terms.value}
      when 'percent_off' then case when ${hundredths} >= 10000 or ${total} <= 0 then 0
        else (2 * ${total} * ${hundredths} + (10000 - ${hundredths})) / (2 * (10000 - ${hundredths})) end
      else 0 end)`;
  return sql`min(case when ${items} is null then ${workedBack} else ${ofItems} end, ${sql.raw(String(maxAmountMinor))})`;
}
