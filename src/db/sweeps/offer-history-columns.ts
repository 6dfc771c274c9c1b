// The columns a sweep page adds for the shop-wide offer rule (settings
// `offers`) and a campaign's exclude_if_messaged_by: the latest coupon-carrying
// live message in the rule's days (its coupon issued at its send, or its
// offer noted by the sweep and still to be issued), a coupon the customer can
// still use or is still to get, the latest live message of an excluding
// campaign. Each is added only when a rule
// asks for it (a plain sweep pays nothing), and each is a single indexed
// lookup per row, plain SQLite that D1 runs too. Gathers facts; the rules in
// src/core/selection (offer-rule.ts, messaged-by.ts) decide, and their
// offerFacts / messagedByFact say what these must find (tested against them).
import { type SQL, sql } from 'drizzle-orm';
import type { MessagedByNeeds } from '../../core/selection/messaged-by.ts';
import type { OfferFactNeeds } from '../../core/selection/offer-rule.ts';
import type { HeldCouponFact, MessageFact } from '../../core/selection/types.ts';
import { sqlJson } from '../sql-json.ts';
import {
  asColumns,
  type Column,
  column,
  type HistoryOptions,
  liveStatuses,
  perRecipient,
  type Who,
} from './customer-fact-columns.ts';

/** In held_coupon's text, for a coupon still to come with a message not sent yet. */
const unsentMark = sql.raw(`'unsent'`);

export interface OfferHistoryNeeds {
  offers: OfferFactNeeds;
  messagedBy: MessagedByNeeds | null;
}

export function offerHistoryColumns(
  customerId: SQL,
  campaignId: string,
  needs: OfferHistoryNeeds,
  options: HistoryOptions = {},
): SQL {
  return asColumns(offerHistoryColumnList(customerId, campaignId, needs, options));
}

export function offerHistoryColumnList(
  customerId: SQL,
  campaignId: string,
  needs: OfferHistoryNeeds,
  options: HistoryOptions = {},
): Column[] {
  // The hit's own series (an abandoned cart's steps) never counts against it.
  const otherSeries = options.seriesRef
    ? sql` AND NOT (m.campaign_id = ${campaignId} AND m.trigger_ref = ${options.seriesRef})`
    : sql``;
  const lookup = (pick: (who: Who) => SQL) => perRecipient(customerId, options.email, pick);
  const columns: Column[] = [];
  const { couponsSince, heldCouponsAt } = needs.offers;
  if (couponsSince !== null) {
    columns.push(
      column(
        'last_coupon_message',
        lookup(
          (who) => sql`(SELECT ${messageFactText} FROM ${who.from}
      WHERE ${who.where} AND m.status IN ${liveStatuses}
        AND (m.coupon_code IS NOT NULL OR m.offer_currency IS NOT NULL)
        AND m.due_at > ${couponsSince}${otherSeries}
      ORDER BY m.due_at DESC, m.campaign_id DESC LIMIT 1)`,
        ),
      ),
    );
  }
  if (heldCouponsAt !== null) {
    columns.push(
      column(
        'held_coupon',
        lookup(
          (who) => sql`(SELECT CASE WHEN c.code IS NULL THEN ${unsentMark}
          ELSE coalesce(CAST(c.expires_at AS INTEGER), '') END || ' ' || m.campaign_id
      FROM ${who.from} LEFT JOIN coupons c ON c.code = m.coupon_code
      WHERE ${who.where} AND m.status IN ${liveStatuses}${otherSeries}
        AND ((c.uses < c.uses_allowed AND (c.expires_at IS NULL OR c.expires_at > ${heldCouponsAt}))
          OR (m.coupon_code IS NULL AND m.offer_currency IS NOT NULL))
      ORDER BY c.code IS NULL, c.expires_at IS NULL DESC, c.expires_at DESC, m.campaign_id DESC LIMIT 1)`,
        ),
      ),
    );
  }
  const by = needs.messagedBy;
  if (by && by.campaigns.length > 0) {
    // One bound JSON list, not a placeholder per name: D1 allows 100 per statement.
    const names = sql`SELECT value FROM json_each(${sqlJson(by.campaigns)})`;
    columns.push(
      column(
        'messaged_by',
        lookup(
          (who) => sql`(SELECT ${messageFactText} FROM ${who.from}
      WHERE ${who.where} AND m.campaign_id IN (${names}) AND m.status IN ${liveStatuses}
        AND m.due_at > ${by.since}
      ORDER BY m.due_at DESC, m.campaign_id DESC LIMIT 1)`,
        ),
      ),
    );
  }
  return columns;
}

/** `<due ms> <campaign id>`: campaign ids hold no space (campaignIdPattern). */
const messageFactText = sql.raw(`CAST(m.due_at AS INTEGER) || ' ' || m.campaign_id`);

/** A message fact column's text -> the fact; null for none (undefined when the column was not asked for). */
export function parseMessageFact(value: unknown): MessageFact | null | undefined {
  const parts = splitFact(value);
  if (parts === undefined || parts === null) return parts;
  return { campaignId: parts.campaignId, dueAt: Number(parts.time) };
}

/** The held_coupon column's text -> the fact, as parseMessageFact. */
export function parseHeldCoupon(value: unknown): HeldCouponFact | null | undefined {
  const parts = splitFact(value);
  if (parts === undefined || parts === null) return parts;
  if (parts.time === 'unsent') return { campaignId: parts.campaignId, expiresAt: null, unsent: true };
  return { campaignId: parts.campaignId, expiresAt: parts.time === '' ? null : Number(parts.time) };
}

function splitFact(value: unknown): { time: string; campaignId: string } | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  const space = value.indexOf(' ');
  return { time: value.slice(0, space), campaignId: value.slice(space + 1) };
}
