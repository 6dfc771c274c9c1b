// Coupons and redemptions. Issuing writes a coupon only for a message row that
// really exists (a sweep that lost the dedupe race leaves no orphan code), and
// redeeming is one conditional INSERT plus a recount in one atomic batch, so
// single use holds under any concurrency without an interactive transaction
// (D1 has none). Never read-then-write a coupon's use count.
import { eq, type SQL, sql } from 'drizzle-orm';
import type { Campaign } from '../../core/campaigns/types.ts';
import { amountProblem } from '../../core/money-bounds.ts';
import type { RandomSource } from '../../core/offers/code.ts';
import { termsOf } from '../../core/offers/discount.ts';
import type { StoredCoupon } from '../../core/offers/evaluate.ts';
import { planCoupons, validForMs } from '../../core/offers/issue.ts';
import { coupons, messages, redemptions } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import type { NewMessage } from './messages.ts';
import { preparedPerStore } from './prepared.ts';
import { jsonRowChunks } from './upsert-helpers.ts';

export interface IssueContext {
  campaign: Campaign;
  /** The shop currency: amount_off and minimum subtotal are in it. */
  currency: string;
  now: number;
  random?: RandomSource | undefined;
}

/**
 * Gives each scheduled message of an offer-carrying step a code (set on the
 * returned rows) and returns the statements that write the coupons. Run them
 * in the same batch as the message inserts, after them: each coupon is
 * inserted by selecting its message by id, so a message lost to another sweep
 * (ON CONFLICT DO NOTHING) takes its coupon with it. Expiry counts from the
 * message's due time, not the sweep's, so a deferred message keeps its days.
 */
export function issueCoupons<Row extends NewMessage>(
  store: Store,
  context: IssueContext,
  rows: readonly Row[],
): { rows: (Row & { couponCode?: string | null })[]; statements: Statement[] } {
  const plans = planCoupons(
    context.campaign,
    rows.map((row) => ({ id: row.id, step: row.step, status: row.status })),
    context.random,
  );
  const codes = new Map<string, string>();
  const statements: Statement[] = [];
  for (const { offer, coupons: planned } of plans) {
    for (const coupon of planned) codes.set(coupon.messageId, coupon.code);
    const terms = termsOf(offer);
    // Each chunk's [code, message id] pairs go in as one bound JSON value:
    // no placeholder per coupon to build, and D1's 100 parameters are no limit.
    for (const chunk of jsonRowChunks(planned)) {
      const pairs = sqlJson(chunk.map((c) => [c.code, c.messageId]));
      // A query builder, not db.run(sql): drizzle's D1 batch can only bind
      // parameters of prepared builder queries. Columns in table order.
      statements.push(
        store.db.insert(coupons).select(sql`
          select json_extract(p.value, '$[0]'), m.campaign_id, m.id,
            ${offer.bindToCustomer ? sql`m.customer_id` : sql`null`},
            ${terms.kind}, ${terms.value}, ${context.currency.toUpperCase()},
            ${offer.minSubtotalMinor === null ? sql`null` : int(offer.minSubtotalMinor)},
            m.due_at + ${int(validForMs(offer))}, ${int(offer.uses)}, 0, ${int(context.now)}
          from json_each(${pairs}) p
          join messages m on m.id = json_extract(p.value, '$[1]')`),
      );
    }
  }
  return {
    rows: rows.map((row) => (codes.has(row.id) ? { ...row, couponCode: codes.get(row.id)! } : row)),
    statements,
  };
}

const couponByCode = preparedPerStore((store) =>
  store.db
    .select({
      code: coupons.code,
      campaignId: coupons.campaignId,
      customerId: coupons.customerId,
      kind: coupons.kind,
      value: coupons.value,
      currency: coupons.currency,
      minSubtotalMinor: coupons.minSubtotalMinor,
      expiresAt: coupons.expiresAt,
      usesAllowed: coupons.usesAllowed,
      uses: coupons.uses,
      messageStatus: messages.status,
    })
    .from(coupons)
    .leftJoin(messages, eq(messages.id, coupons.messageId))
    .where(eq(coupons.code, sql.placeholder('code')))
    .prepare(),
);

export async function findCoupon(store: Store, code: string): Promise<StoredCoupon | undefined> {
  const [row] = await couponByCode(store).all({ code });
  if (!row) return undefined;
  const { kind, value, ...rest } = row;
  const terms = kind === 'free_shipping' ? { kind, value: 0 as const } : { kind, value: Number(value) };
  return { ...rest, terms };
}

export type Redemption = typeof redemptions.$inferSelect;

export interface RedeemInput {
  code: string;
  orderId: string;
  customerId: string | null;
  currency: string;
  orderTotalMinor: number;
  discountMinor: number;
  now: number;
}

/**
 * Redeems in one atomic batch: the INSERT happens only while the coupon still
 * has a use left (and is sent, unexpired and the customer's), checked inside
 * the statement itself; then the use count is recomputed from redemptions, so
 * it can never drift from them. Returns undefined when nothing was written:
 * the order was already redeemed or the coupon is not redeemable now.
 */
export async function redeemCoupon(store: Store, input: RedeemInput): Promise<Redemption | undefined> {
  // The API's input schema holds both to the bounds; past them a sum over
  // redemptions (reports, the privacy export) would stop being exact.
  for (const [field, minor] of [
    ['orderTotalMinor', input.orderTotalMinor],
    ['discountMinor', input.discountMinor],
  ] as const) {
    const problem = amountProblem(minor, input.currency);
    if (problem) throw new Error(`redeemCoupon: ${field} ${problem}, got ${minor}`);
  }
  const insert = store.db
    .insert(redemptions)
    .select(sql`
      select null, c.code, ${input.orderId}, ${input.currency.toUpperCase()}, ${int(input.orderTotalMinor)},
        ${int(input.discountMinor)}, ${int(input.now)}
      from coupons c
      where c.code = ${input.code}
        and c.uses < c.uses_allowed
        and (c.expires_at is null or c.expires_at > ${int(input.now)})
        and (c.customer_id is null or c.customer_id = ${input.customerId})
        and exists (select 1 from messages m where m.id = c.message_id and m.status = 'sent')`)
    .onConflictDoNothing({ target: redemptions.orderId })
    .returning();
  const recount = store.db
    .update(coupons)
    .set({ uses: sql`(select count(*) from redemptions r where r.coupon_code = coupons.code)` })
    .where(eq(coupons.code, input.code));
  const [inserted] = (await store.batch([insert, recount])) as [Redemption[], unknown];
  return inserted[0];
}

export async function findRedemptionByOrder(store: Store, orderId: string): Promise<Redemption | undefined> {
  const [row] = await store.db.select().from(redemptions).where(eq(redemptions.orderId, orderId)).limit(1);
  return row;
}

export interface ExportedCoupon {
  code: string;
  campaignId: string;
  customerId: string | null;
  kind: string;
  value: number;
  currency: string | null;
  minSubtotalMinor: number | null;
  expiresAt: number | null;
  usesAllowed: number;
  uses: number;
}

/** One page of a campaign's coupons in code order; pass the last code to get the next page. */
export async function listCampaignCoupons(
  store: Store,
  campaignId: string,
  options: { after?: string | undefined; limit: number },
): Promise<ExportedCoupon[]> {
  const after = options.after === undefined ? sql`` : sql`and code > ${options.after}`;
  return store.db.all<ExportedCoupon>(sql`
    select code, campaign_id as "campaignId", customer_id as "customerId", kind, value, currency,
      min_subtotal_minor as "minSubtotalMinor", expires_at as "expiresAt",
      uses_allowed as "usesAllowed", uses
    from coupons where campaign_id = ${campaignId} ${after}
    order by code limit ${int(options.limit)}`);
}

// libSQL binds JS numbers as floats; integers are inlined after a check so they
// stay integers in arithmetic and comparisons.
function int(value: number): SQL {
  if (!Number.isSafeInteger(value)) throw new Error(`expected an integer, got ${value}`);
  return sql.raw(String(value));
}
