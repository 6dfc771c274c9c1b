// The audience-send trigger in SQL: keyset pages of every customer with an
// address, with their last paid purchase before the send time and the facts
// the selection rules need; matchAudienceSend
// (src/core/triggers/audience-send.ts) decides on idle_days, the campaign's
// audience block and the usual rules on the rest. Reads only.
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';
import { audienceSendRef } from '../../core/triggers/trigger-ref.ts';
import type { Store } from '../store.ts';
import {
  audienceColumns,
  type CustomerFactsRow,
  messageHistoryColumns,
  suppressedColumn,
} from './customer-fact-columns.ts';
import { customerKeySql, dedupeKeySql } from './dedupe-key-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumns } from './offer-history-columns.ts';

export interface AudienceSendQuery {
  campaignId: string;
  sendTime: number;
  audience: AudienceNeeds;
  shopCurrency: string;
  capSince: number;
  offerHistory: OfferHistoryNeeds;
  /** Restricts the query to one customer, for --explain. */
  customerId?: string | undefined;
}

export interface AudienceSendRow extends CustomerFactsRow {
  customer_id: string;
  email: string | null;
  /** The last paid purchase at or before the send time; null for none. */
  last_at: number | null;
  already_messaged: number;
  /** The customer is suppressed, or any customer with the same address is. */
  suppressed: number;
}

/** Customers after `afterCustomerId`, by id, each with the facts of one send. */
export async function audienceSendPage(
  store: Store,
  query: AudienceSendQuery,
  afterCustomerId: string,
  limit: number,
): Promise<AudienceSendRow[]> {
  const onlyCustomer = query.customerId === undefined ? sql`` : sql`AND c.id = ${query.customerId}`;
  const customerId = sql.raw('k.customer_id');
  return store.db.all<AudienceSendRow>(sql`
    WITH k AS (
      SELECT c.id AS customer_id, c.email, c.timezone, c.country, c.tags, c.marketing_consent, c.suppressed_at
      FROM customers c
      WHERE c.id > ${afterCustomerId} ${onlyCustomer}
      ORDER BY c.id
      LIMIT ${limit}
    )
    SELECT k.customer_id, k.email, k.timezone, k.country, k.tags, k.marketing_consent,
      (SELECT max(o.placed_at) FROM orders o
        WHERE o.customer_id = k.customer_id AND o.status = 'paid' AND o.placed_at <= ${query.sendTime}) AS last_at,
      ${suppressedColumn},
      EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = ${audienceSendKey(query.campaignId, query.sendTime)}) AS already_messaged
      ${audienceColumns(customerId, query.audience, { shop: query.shopCurrency })}
      ${messageHistoryColumns(customerId, query.campaignId, query.capSince)}
      ${offerHistoryColumns(customerId, query.campaignId, query.offerHistory)}
    FROM k
    ORDER BY k.customer_id`);
}

/** Messages the campaign already wrote for this send: the spread goes on after them. */
export async function audienceSendWritten(
  store: Store,
  campaignId: string,
  sendTime: number,
): Promise<number> {
  const [row] = await store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM messages m
    WHERE m.campaign_id = ${campaignId} AND m.trigger_ref = ${audienceSendRef(sendTime)}`);
  return row?.n ?? 0;
}

/** The dedupe key of a page row (`k`) for one send: one step, the send time as the instance. */
export function audienceSendKey(campaignId: string, sendTime: number): SQL {
  return dedupeKeySql(
    campaignId,
    0,
    customerKeySql(sql.raw('k.customer_id'), sql.raw('k.email')),
    sql`${audienceSendRef(sendTime)}`,
  );
}
