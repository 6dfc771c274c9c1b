// The customer-fact columns of every sweep page: SQL that gathers, per
// candidate customer, the facts the selection rules need: audience facts
// (only those a campaign's audience asks for, so a plain sweep stays close to
// its bare aggregate), the customer's recent marketing messages for the
// frequency cap, and this campaign's last message for the cooldown.
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { liveMessageStatuses } from '../../core/selection/types.ts';

/** Statuses of messages that went out or will: they count for the frequency cap and the offer rules. */
export const liveStatuses = sql.raw(`(${liveMessageStatuses.map((status) => `'${status}'`).join(', ')})`);

/** One output column of a page query: its name in the row and the SQL that computes it. */
export interface Column {
  name: string;
  expr: SQL;
}

export const column = (name: string, expr: SQL): Column => ({ name, expr });

/** Columns as a select list continuation: `, expr AS name, ...` (empty for none). */
export function asColumns(columns: readonly Column[]): SQL {
  if (columns.length === 0) return sql``;
  return sql`, ${sql.join(
    columns.map((c) => sql`${c.expr} AS ${sql.raw(c.name)}`),
    sql`, `,
  )}`;
}

/**
 * A page row as one JSON array: the driver builds one value per row instead
 * of a property per column (libSQL's row objects cost about a microsecond a
 * column), which is most of a big page's cost. unpackRows turns it back into
 * the named row the columns describe.
 */
export function packedRow(columns: readonly Column[]): SQL {
  return sql`json_array(${sql.join(
    columns.map((c) => c.expr),
    sql`, `,
  )}) AS packed`;
}

export function unpackRows<T>(rows: readonly { packed: string }[], columns: readonly Column[]): T[] {
  return rows.map(({ packed }) => {
    const values = JSON.parse(packed) as unknown[];
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!.name] = values[i];
    return row as T;
  });
}

/**
 * Where a trigger's rows find the customer's currency before the fallbacks
 * (src/core/money-by-currency.ts): a cart's own column, a product's.
 */
export interface CurrencySource {
  /** The shop currency, the last fallback. */
  shop: string;
  /** The trigger's own currency (a cart's), tried before the last paid order. */
  first?: SQL | undefined;
  /** Tried after the last paid order (a restocked product's). */
  last?: SQL | undefined;
}

/** The customer's currency as SQL: the trigger's own, else their last paid order's, else the fallbacks. */
export function customerCurrencySql(customerId: SQL, source: CurrencySource): SQL {
  const lastOrder = sql`(SELECT lo.currency FROM orders lo WHERE lo.customer_id = ${customerId} AND lo.status = 'paid' ORDER BY lo.placed_at DESC LIMIT 1)`;
  const chain = [source.first, lastOrder, source.last].filter((part): part is SQL => part !== undefined);
  return sql`upper(coalesce(${sql.join(chain, sql`, `)}, ${source.shop}))`;
}

export function audienceColumns(customerId: SQL, needs: AudienceNeeds, currency: CurrencySource): SQL {
  return asColumns(audienceColumnList(customerId, needs, currency));
}

export function audienceColumnList(customerId: SQL, needs: AudienceNeeds, source: CurrencySource): Column[] {
  const columns: Column[] = [];
  // Money facts count the orders in the customer's currency only: amounts in
  // two currencies never add up.
  const currency = customerCurrencySql(customerId, source);
  if (needs.currency) columns.push(column('currency', currency));
  if (needs.purchases) {
    columns.push(
      column(
        'purchases',
        sql`(SELECT count(*) FROM orders o WHERE o.customer_id = ${customerId} AND o.status = 'paid')`,
      ),
    );
  }
  if (needs.totalSpent) {
    columns.push(
      column(
        'total_spent',
        // total(), not sum(): a float never overflows, and no integer past 2^53
        // (the driver refuses to read one) can come back, however many orders.
        sql`(SELECT total(o.total_minor) FROM orders o WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND o.currency = ${currency})`,
      ),
    );
  }
  if (needs.lastOrderValue) {
    columns.push(
      column(
        'last_order_value',
        sql`(SELECT o.total_minor FROM orders o WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND o.currency = ${currency} ORDER BY o.placed_at DESC LIMIT 1)`,
      ),
    );
  }
  if (needs.categories && needs.categories.length > 0) {
    const list = sql.join(
      needs.categories.map((category) => sql`${category}`),
      sql`, `,
    );
    columns.push(
      column(
        'bought_category',
        sql`EXISTS (
      SELECT 1 FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
      WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND i.quantity > 0 AND p.category IN (${list})
    )`,
      ),
    );
  }
  return columns;
}

export interface HistoryOptions {
  /** Messages of this campaign with this trigger_ref are the hit's own series: the cap leaves them out. */
  seriesRef?: SQL | undefined;
  /**
   * The recipient's address, for rows that may have no customer id (guest
   * carts, email-only sign-ups): their history is the messages sent to the
   * address without a customer id, read through messages_guest_email_idx.
   */
  email?: SQL | undefined;
}

/** Where one recipient's messages are read from (`m`): by customer id, or by address for guests. */
export interface Who {
  from: SQL;
  where: SQL;
}

/**
 * One lookup in the recipient's messages: by customer id, or, for rows that
 * may have no customer id (`email` given), by address among the messages
 * without one. CASE evaluates only the branch it takes, so each row runs one
 * lookup. The index is named: without statistics the planner prefers walking
 * every guest message through messages_customer_idx (customer_id IS NULL).
 */
export function perRecipient(customerId: SQL, email: SQL | undefined, pick: (who: Who) => SQL): SQL {
  const byCustomer: Who = { from: sql`messages m`, where: sql`m.customer_id = ${customerId}` };
  if (!email) return pick(byCustomer);
  const byEmail: Who = {
    from: sql`messages m INDEXED BY messages_guest_email_idx`,
    where: sql`m.customer_id IS NULL AND m.email = ${email}`,
  };
  return sql`CASE WHEN ${customerId} IS NULL THEN ${pick(byEmail)} ELSE ${pick(byCustomer)} END`;
}

export function messageHistoryColumns(
  customerId: SQL,
  campaignId: string,
  capSince: number,
  options: HistoryOptions = {},
): SQL {
  return asColumns(historyColumnList(customerId, campaignId, capSince, options));
}

export function historyColumnList(
  customerId: SQL,
  campaignId: string,
  capSince: number,
  options: HistoryOptions = {},
): Column[] {
  const ownSeries = options.seriesRef
    ? sql` AND NOT (m.campaign_id = ${campaignId} AND m.trigger_ref = ${options.seriesRef})`
    : sql``;
  const recent = (who: Who) => sql`(SELECT group_concat(m.due_at) FROM ${who.from}
      WHERE ${who.where} AND m.status IN ${liveStatuses} AND m.due_at > ${capSince}${ownSeries})`;
  const last = (who: Who) => sql`(SELECT max(m.created_at) FROM ${who.from}
      WHERE ${who.where} AND m.campaign_id = ${campaignId} AND m.status <> 'cancelled')`;
  return [
    column('recent_messages', perRecipient(customerId, options.email, recent)),
    column('last_campaign_message', perRecipient(customerId, options.email, last)),
  ];
}

/** The customer columns every trigger's page returns, as audienceColumns and messageHistoryColumns name them. */
export interface CustomerFactsRow {
  timezone: string | null;
  country: string | null;
  tags: string | null;
  marketing_consent: number | null;
  purchases?: number;
  /** The customer's currency, when the campaign needs it (AudienceNeeds.currency). */
  currency?: string;
  total_spent?: number;
  last_order_value?: number | null;
  bought_category?: number;
  recent_messages: string | null;
  last_campaign_message: number | null;
  /** Offer-rule and exclusion facts (offer-history-columns.ts), only when a rule asks for them. */
  last_coupon_message?: string | null;
  held_coupon?: string | null;
  messaged_by?: string | null;
}

export function parseTimes(list: unknown): number[] {
  if (typeof list !== 'string' || list === '') return [];
  return list.split(',').map(Number);
}

/**
 * A page row's (`k`: customer_id, email, suppressed_at) `suppressed` column:
 * the customer is suppressed, or any customer with the same address is.
 */
export const suppressedColumn = sql`(k.suppressed_at IS NOT NULL OR EXISTS (
        SELECT 1 FROM customers s WHERE s.email = k.email AND s.suppressed_at IS NOT NULL
      )) AS suppressed`;
