// SQL fragments that gather, per candidate customer, the facts the selection
// rules need: audience facts (only those a campaign's audience asks for, so a
// plain sweep stays close to its bare aggregate), the customer's recent
// marketing messages for the frequency cap, and this campaign's last message
// for the cooldown.
import { type SQL, sql } from 'drizzle-orm';
import type { AudienceNeeds } from '../../core/selection/audience.ts';

/** Statuses of messages that went out or will: they count for the frequency cap. */
export const liveStatuses = sql.raw(`('scheduled', 'sending', 'sent', 'ambiguous')`);

export function audienceColumns(customerId: SQL, needs: AudienceNeeds): SQL {
  const columns: SQL[] = [];
  if (needs.purchases) {
    columns.push(
      sql`(SELECT count(*) FROM orders o WHERE o.customer_id = ${customerId} AND o.status = 'paid') AS purchases`,
    );
  }
  if (needs.totalSpent) {
    columns.push(
      sql`(SELECT coalesce(sum(o.total_minor), 0) FROM orders o WHERE o.customer_id = ${customerId} AND o.status = 'paid') AS total_spent`,
    );
  }
  if (needs.lastOrderValue) {
    columns.push(
      sql`(SELECT o.total_minor FROM orders o WHERE o.customer_id = ${customerId} AND o.status = 'paid' ORDER BY o.placed_at DESC LIMIT 1) AS last_order_value`,
    );
  }
  if (needs.categories && needs.categories.length > 0) {
    const list = sql.join(
      needs.categories.map((category) => sql`${category}`),
      sql`, `,
    );
    columns.push(sql`EXISTS (
      SELECT 1 FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
      WHERE o.customer_id = ${customerId} AND o.status = 'paid' AND i.quantity > 0 AND p.category IN (${list})
    ) AS bought_category`);
  }
  return columns.length === 0 ? sql`` : sql`, ${sql.join(columns, sql`, `)}`;
}

export function messageHistoryColumns(customerId: SQL, campaignId: string, capSince: number): SQL {
  return sql`,
    (SELECT group_concat(m.due_at) FROM messages m
      WHERE m.customer_id = ${customerId} AND m.status IN ${liveStatuses} AND m.due_at > ${capSince}) AS recent_messages,
    (SELECT max(m.created_at) FROM messages m
      WHERE m.customer_id = ${customerId} AND m.campaign_id = ${campaignId} AND m.status <> 'cancelled') AS last_campaign_message`;
}

/** The customer columns every trigger's page returns, as audienceColumns and messageHistoryColumns name them. */
export interface CustomerFactsRow {
  timezone: string | null;
  country: string | null;
  tags: string | null;
  marketing_consent: number | null;
  purchases?: number;
  total_spent?: number;
  last_order_value?: number | null;
  bought_category?: number;
  recent_messages: string | null;
  last_campaign_message: number | null;
}

export function parseTimes(list: unknown): number[] {
  if (typeof list !== 'string' || list === '') return [];
  return list.split(',').map(Number);
}
