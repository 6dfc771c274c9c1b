// Reads and writes for coupons at the checkout (schema/checkout.ts): the
// issued coupons of a claimed batch with what each platform last said about
// them, the statements that record what the platforms say now, and the one
// platform discount per campaign offer. Set-based (one bound JSON value per
// statement, whatever the batch size) and deciding nothing.
import { and, eq, sql } from 'drizzle-orm';
import type { CheckoutCoupon, CheckoutCouponKind } from '../../core/delivery/checkout-codes.ts';
import { checkoutCodes, checkoutDiscounts } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';

export type CheckoutCodeState = (typeof checkoutCodes.$inferSelect)['state'];

export interface StoredCheckoutCoupon {
  coupon: CheckoutCoupon;
  /** Per platform: the state last recorded and the tries behind it. */
  states: Map<string, { state: CheckoutCodeState; tries: number }>;
}

interface CouponRow {
  code: string;
  campaign_id: string;
  step: number | null;
  customer_id: string | null;
  email: string | null;
  kind: CheckoutCouponKind;
  value: number;
  currency: string | null;
  min_subtotal_minor: number | null;
  expires_at: number | null;
  uses_allowed: number;
  platform: string | null;
  state: CheckoutCodeState | null;
  tries: number | null;
}

/**
 * The coupons with these codes, as a checkout must know them, each with its
 * recorded platform states. `currency` stands in for a coupon that names
 * none (the shop currency). The bound address is the one the message goes to.
 */
export async function readCheckoutCoupons(
  store: Store,
  codes: readonly string[],
  currency: string,
): Promise<Map<string, StoredCheckoutCoupon>> {
  const found = new Map<string, StoredCheckoutCoupon>();
  if (codes.length === 0) return found;
  const rows = await store.db.all<CouponRow>(sql`
    select c.code, c.campaign_id, m.step, c.customer_id, m.email, c.kind, c.value, c.currency,
      c.min_subtotal_minor, c.expires_at, c.uses_allowed, s.platform, s.state, s.tries
    from coupons c
    left join messages m on m.id = c.message_id
    left join checkout_codes s on s.code = c.code
    where c.code in (select value from json_each(${sqlJson(codes)}))`);
  for (const row of rows) {
    let entry = found.get(row.code);
    if (!entry) {
      entry = {
        coupon: {
          code: row.code,
          kind: row.kind,
          value: Number(row.value),
          currency: (row.currency ?? currency).toUpperCase(),
          minSubtotalMinor: row.min_subtotal_minor === null ? null : Number(row.min_subtotal_minor),
          expiresAt: row.expires_at === null ? null : Number(row.expires_at),
          usesAllowed: Number(row.uses_allowed),
          customer: row.customer_id ? { id: row.customer_id, email: row.email } : null,
          campaignId: row.campaign_id,
          step: Number(row.step ?? 0),
        },
        states: new Map(),
      };
      found.set(row.code, entry);
    }
    if (row.platform && row.state) {
      entry.states.set(row.platform, { state: row.state, tries: Number(row.tries ?? 0) });
    }
  }
  return found;
}

export interface CheckoutStateWrite {
  code: string;
  platform: string;
  state: CheckoutCodeState;
  /** Tries after this call: 0 once the code exists. */
  tries: number;
  error: string | null;
}

/** One statement recording what the platforms said about these codes (insert or replace per code and platform). */
export function checkoutStateStatements(
  store: Store,
  writes: readonly CheckoutStateWrite[],
  now: number,
): Statement[] {
  if (writes.length === 0) return [];
  const rows = sqlJson(writes.map((w) => [w.code, w.platform, w.state, w.tries, w.error]));
  const at = Math.trunc(now);
  return [
    store.db
      .insert(checkoutCodes)
      .select(sql`
        select json_extract(p.value, '$[0]'), json_extract(p.value, '$[1]'), json_extract(p.value, '$[2]'),
          json_extract(p.value, '$[3]'),
          case when json_extract(p.value, '$[2]') in ('created', 'existed') then ${sql.raw(String(at))} end,
          json_extract(p.value, '$[4]'), ${sql.raw(String(at))}
        from json_each(${rows}) p where true`)
      .onConflictDoUpdate({
        target: [checkoutCodes.code, checkoutCodes.platform],
        set: {
          state: sql`excluded.state`,
          tries: sql`excluded.tries`,
          syncedAt: sql`coalesce(excluded.synced_at, ${checkoutCodes.syncedAt})`,
          error: sql`excluded.error`,
          updatedAt: sql`excluded.updated_at`,
        },
      }),
  ];
}

export interface DiscountKey {
  campaignId: string;
  step: number;
  currency: string;
  terms: string;
}

export interface StoredDiscount {
  discountId: string;
  endsAt: number | null;
}

function keyIs(platform: string, key: DiscountKey) {
  return and(
    eq(checkoutDiscounts.platform, platform),
    eq(checkoutDiscounts.campaignId, key.campaignId),
    eq(checkoutDiscounts.step, key.step),
    eq(checkoutDiscounts.currency, key.currency),
    eq(checkoutDiscounts.terms, key.terms),
  );
}

export async function findDiscount(
  store: Store,
  platform: string,
  key: DiscountKey,
): Promise<StoredDiscount | undefined> {
  const [row] = await store.db
    .select({ discountId: checkoutDiscounts.discountId, endsAt: checkoutDiscounts.endsAt })
    .from(checkoutDiscounts)
    .where(keyIs(platform, key))
    .limit(1);
  return row;
}

export async function rememberDiscount(
  store: Store,
  platform: string,
  key: DiscountKey,
  discount: StoredDiscount,
  now: number,
): Promise<void> {
  await store.db
    .insert(checkoutDiscounts)
    .values({ platform, ...key, ...discount, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [
        checkoutDiscounts.platform,
        checkoutDiscounts.campaignId,
        checkoutDiscounts.step,
        checkoutDiscounts.currency,
        checkoutDiscounts.terms,
      ],
      set: { discountId: discount.discountId, endsAt: discount.endsAt, updatedAt: now },
    });
}

/** The platform no longer has it (deleted in the shop's admin): the next call creates a new one. */
export async function forgetDiscount(store: Store, platform: string, key: DiscountKey): Promise<void> {
  await store.db.delete(checkoutDiscounts).where(keyIs(platform, key));
}
