// Coupons and redemptions. Issuing (at a message's first send attempt) writes
// one coupon per message, only for a message still on its way, and
// redeeming is one conditional INSERT plus a recount in one atomic batch, so
// single use holds under any concurrency without an interactive transaction
// (D1 has none). Never read-then-write a coupon's use count.
import { eq, type SQL, sql } from 'drizzle-orm';
import { amountProblem } from '../../core/money-bounds.ts';
import type { StoredCoupon } from '../../core/offers/evaluate.ts';
import type { IssuedCoupon } from '../../core/offers/issue.ts';
import { couponRejections, coupons, messages, redemptions } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { couponCheckSql, couponProblemSql, redemptionDiscountSql } from './coupon-rule-sql.ts';
import { couponRedeemedEvents } from './outgoing-events.ts';
import { boundWrites, preparedPerStore } from './prepared.ts';
import { jsonRowChunks } from './upsert-helpers.ts';

/** Statuses of a message that may still be given its coupon: not settled, not sent. */
const issuable = sql.raw(`('scheduled', 'sending', 'ambiguous')`);

/**
 * Writes each message's coupon, keyed by the message, and returns the code
 * each message now carries: a coupon is inserted only for a message that has
 * none yet and is still on its way (coupons_message_uq holds one per
 * message), and the message takes the code of the coupon that is its own. So
 * an attempt that comes second (a sender that took over a lapsed lease) is
 * left out of the answer and writes nothing; its caller puts the message back
 * and the next claim reads the code. Messages missing from the answer got no
 * coupon. One atomic batch of two statements per chunk, whatever the count.
 */
export async function writeIssuedCoupons(
  store: Store,
  issued: readonly IssuedCoupon[],
): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  if (issued.length === 0) return codes;
  const statements: Statement[] = [];
  for (const chunk of jsonRowChunks(issued)) {
    // Each chunk's coupons go in as one bound JSON value: no placeholder per
    // coupon to build, and D1's 100 parameters are no limit.
    const values = sqlJson(
      chunk.map((c) => [
        c.code,
        c.messageId,
        c.customerId,
        c.terms.kind,
        c.terms.value,
        c.currency,
        c.minSubtotalMinor,
        c.expiresAt,
        c.usesAllowed,
        c.issuedAt,
      ]),
    );
    const ids = sql`select json_extract(value, '$[1]') from json_each(${values})`;
    // Query builders, not db.run(sql): drizzle's D1 batch can only bind
    // parameters of prepared builder queries. Columns in table order.
    statements.push(
      store.db
        .insert(coupons)
        .select(sql`
          select json_extract(p.value, '$[0]'), m.campaign_id, m.id, json_extract(p.value, '$[2]'),
            json_extract(p.value, '$[3]'), json_extract(p.value, '$[4]'), json_extract(p.value, '$[5]'),
            json_extract(p.value, '$[6]'), json_extract(p.value, '$[7]'), json_extract(p.value, '$[8]'), 0,
            json_extract(p.value, '$[9]')
          from json_each(${values}) p
          join messages m on m.id = json_extract(p.value, '$[1]')
          where m.coupon_code is null and m.status in ${issuable}`)
        .onConflictDoNothing(),
      store.db
        .update(messages)
        .set({ couponCode: sql`(select c.code from coupons c where c.message_id = messages.id)` })
        .where(
          sql`messages.id in (${ids}) and messages.coupon_code is null and messages.status in ${issuable}`,
        )
        .returning({ id: messages.id, code: messages.couponCode }),
    );
  }
  const results = (await store.batch(statements)) as unknown[];
  for (const result of results) {
    if (!Array.isArray(result)) continue;
    for (const row of result as { id?: string; code?: string | null }[]) {
      if (row.id && row.code) codes.set(row.id, row.code);
    }
  }
  return codes;
}

/**
 * Takes back coupons issued for messages that then failed or were cancelled
 * before any checkout saw their codes: the coupon row and the message's code.
 * Run after the statements that settle those messages; a message that is not
 * failed or cancelled (another sender took it over and may send it) keeps its
 * coupon.
 */
export function withdrawCouponStatements(
  store: Store,
  pairs: readonly { messageId: string; code: string }[],
): Statement[] {
  if (pairs.length === 0) return [];
  const json = sqlJson(pairs.map((p) => [p.messageId, p.code]));
  const settled = sql`select json_extract(p.value, '$[0]') from json_each(${json}) p
    join messages m on m.id = json_extract(p.value, '$[0]') and m.coupon_code = json_extract(p.value, '$[1]')
    where m.status in ('failed', 'cancelled')`;
  return [
    store.db.delete(coupons).where(sql`coupons.message_id in (${settled})`),
    store.db.update(messages).set({ couponCode: null }).where(sql`messages.id in (${settled})`),
  ];
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

/** A coupon as the redemption rule reads it: its row and the status of the message that carried it. */
export async function findCouponWithMessageStatus(
  store: Store,
  code: string,
): Promise<StoredCoupon | undefined> {
  const [row] = await couponByCode(store).all({ code });
  if (!row) return undefined;
  const { kind, value, ...rest } = row;
  const terms = kind === 'free_shipping' ? { kind, value: 0 as const } : { kind, value: Number(value) };
  return { ...rest, terms };
}

export type Redemption = typeof redemptions.$inferSelect;

export interface RedemptionWrite {
  code: string;
  orderId: string;
  customerId: string | null;
  currency: string;
  orderTotalMinor: number;
  discountMinor: number;
  now: number;
}

/**
 * Writes a redemption in one atomic batch: the INSERT happens only while the
 * redemption rule holds (couponProblemSql: sent, the customer's, unexpired,
 * a use left, the currency), checked inside the statement itself; then the
 * use count is recomputed from redemptions, so it can never drift from them,
 * and the shop's coupon.redeemed event is written (outgoing-events.ts).
 * Returns undefined when nothing was written: the order was already redeemed
 * or the coupon is not redeemable now.
 */
export async function writeRedemption(store: Store, input: RedemptionWrite): Promise<Redemption | undefined> {
  // The API's input schema holds both to the bounds; past them a sum over
  // redemptions (reports, the privacy export) would stop being exact.
  for (const [field, minor] of [
    ['orderTotalMinor', input.orderTotalMinor],
    ['discountMinor', input.discountMinor],
  ] as const) {
    const problem = amountProblem(minor, input.currency);
    if (problem) throw new Error(`writeRedemption: ${field} ${problem}, got ${minor}`);
  }
  const problem = couponProblemSql({
    customerId: sql`${input.customerId}`,
    currency: sql`${input.currency}`,
    now: int(input.now),
    enforceMinimum: false,
  });
  const insert = store.db
    .insert(redemptions)
    .select(sql`
      select null, c.code, ${input.orderId}, ${input.currency.toUpperCase()}, ${int(input.orderTotalMinor)},
        ${int(input.discountMinor)}, ${int(input.now)}
      from coupons c left join messages m on m.id = c.message_id
      where c.code = ${input.code} and ${problem} is null`)
    .onConflictDoNothing({ target: redemptions.orderId })
    .returning();
  const [inserted] = (await store.batch([
    insert,
    recountUses(store, sql`${input.code}`),
    couponRedeemedEvents(store, [input.orderId], input.now),
  ])) as [Redemption[], unknown, unknown];
  return inserted[0];
}

/** Sets `uses` of the coupons whose code is in `codes` (a SQL list or subquery) to their redemptions. */
function recountUses(store: Store, codes: SQL) {
  return store.db
    .update(coupons)
    .set({ uses: sql`(select count(*) from redemptions r where r.coupon_code = coupons.code)` })
    .where(sql`coupons.code in (${codes})`);
}

/** A coupon code as one order listed it, in its stored form (normalizeCode). */
export interface OrderCode {
  orderId: string;
  code: string;
}

/**
 * The statements that apply the redemption rule to the codes of ingested paid
 * orders, to run after the order rows in the same atomic batch. Each order is
 * judged as it was placed: its customer, its currency, its placed_at; the
 * minimum is not enforced (the order is a fact). An order redeems the first
 * listed code that passes; uses are handed out in the order the pairs come,
 * so a batch never takes a coupon past uses_allowed either. Every code that
 * fails is written to coupon_rejections with its reason. An order that
 * already has a redemption (re-sent, or redeemed through POST /v1/redemptions)
 * is left as it is. Rejections are written before the redemptions, so both
 * judge the same state.
 */
export function orderRedemptionStatements(store: Store, pairs: readonly OrderCode[]): Statement[] {
  if (pairs.length === 0) return [];
  // One bound JSON value per statement, whatever the batch size (D1 allows 100 parameters).
  const values = { pairs: sqlJson(pairs.map((p) => [p.orderId, p.code])) };
  return [rejectCodes(store, values), redeemCodes(store, values), recountPairs(store, values)];
}

/** The rule's CTEs over the pairs bound as `pairs` (orderRedemptionStatements), built once. */
function judgedPairs() {
  const json = sql.placeholder('pairs');
  const problem = couponProblemSql({
    customerId: sql`o.customer_id`,
    currency: sql`o.currency`,
    now: sql`o.placed_at`,
    enforceMinimum: false,
  });
  const usedInBatch = couponCheckSql('used', {
    customerId: sql`customer_id`,
    currency: sql`currency`,
    now: sql`placed_at`,
    enforceMinimum: false,
    earlierUses: sql`ordinal - 1`,
  });
  const judged = sql`
    with judged as (
      select p.key as pos, o.id as order_id, json_extract(p.value, '$[1]') as code, c.campaign_id,
        o.customer_id, o.currency, o.total_minor, o.placed_at, c.kind, c.value, c.uses, c.uses_allowed,
        (select sum(i.quantity * i.unit_price_minor) from order_items i where i.order_id = o.id)
          as items_subtotal,
        ${problem} as reason
      from json_each(${json}) p
      join orders o on o.id = json_extract(p.value, '$[0]')
      left join coupons c on c.code = json_extract(p.value, '$[1]')
      left join messages m on m.id = c.message_id
      where o.status = 'paid' and not exists (select 1 from redemptions r where r.order_id = o.id)
    ),
    firsts as (
      select *, row_number() over (partition by order_id order by pos) as nth
      from judged where reason is null
    ),
    chosen as (
      select *, row_number() over (partition by code order by pos) as ordinal from firsts where nth = 1
    ),
    outcome as (
      select pos, order_id, code, campaign_id, placed_at, reason from judged where reason is not null
      union all
      select pos, order_id, code, campaign_id, placed_at, case when ${usedInBatch} then 'used' end
      from chosen c
    )`;
  const discount = redemptionDiscountSql(
    { kind: sql`c.kind`, value: sql`c.value` },
    sql`c.items_subtotal`,
    sql`c.total_minor`,
  );
  return { judged, usedInBatch, discount };
}

// Query builders, not db.run(sql): drizzle's D1 batch cannot bind raw SQL statements.
const rejectCodes = boundWrites((store) =>
  store.db
    .insert(couponRejections)
    .select(sql`${judgedPairs().judged}
      select null, order_id, code, reason, campaign_id, placed_at from outcome
      where reason is not null order by pos`)
    .onConflictDoNothing({ target: [couponRejections.orderId, couponRejections.code] }),
);

const redeemCodes = boundWrites((store) => {
  const { judged, usedInBatch, discount } = judgedPairs();
  return store.db
    .insert(redemptions)
    .select(sql`${judged}
      select null, c.code, c.order_id, c.currency, c.total_minor, ${discount}, c.placed_at
      from chosen c where not (${usedInBatch}) order by c.pos`)
    .onConflictDoNothing({ target: redemptions.orderId });
});

const recountPairs = boundWrites((store) =>
  recountUses(store, sql`select json_extract(value, '$[1]') from json_each(${sql.placeholder('pairs')})`),
);

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
