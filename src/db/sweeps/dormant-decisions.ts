// The dormant trigger decided in SQL (src/services/sweep/decide-in-sql.ts):
// one keyset page of hits goes into the run's scratch table with the facts
// each rule reads, is decided there in the contract's order (the same order as
// src/core/selection/select.ts, which stays the reference: a test runs both
// over the same shops), and its messages are written by INSERT ... SELECT.
// Only two small lists cross into JS per page: the distinct zones and
// currencies, whose send times and offer gaps the pure rules work out.
//
// The scratch table is the run's own (sweep_run_<wall ms>_<random>): one row
// per hit with its verdict, so the messages are written by INSERT ... SELECT
// and the per-rule counts by one GROUP BY. Customers chosen in the run, by
// any campaign, stay in it until the run ends: that is how a lower-priority
// campaign sees them taken. It is dropped when the run ends (dropping a table
// costs a tenth of deleting its rows: 8 against 121 ms for a 300k-customer
// sweep's 106k rows); a table a crashed run left is dropped by the next run
// after an hour, its name saying when it was made. D1 and libSQL alike.
import { type SQL, sql } from 'drizzle-orm';
import type { Audience } from '../../core/campaigns/types.ts';
import type { FrequencyCap } from '../../core/selection/frequency-cap.ts';
import { holdoutBuckets, holdoutMultiplier } from '../../core/selection/holdout.ts';
import { dayMs, hourMs } from '../../core/time.ts';
import type { DormantTrigger } from '../../core/triggers/dormant.ts';
import { affectedRows } from '../affected-rows.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';
import {
  audienceColumnList,
  customerCurrencySql,
  historyColumnList,
  liveStatuses,
} from './customer-fact-columns.ts';
import { dedupeKeySql } from './dedupe-key-sql.ts';
import { alreadyMessaged, purchasesCte } from './dormant-hits.ts';
import { messageIdInSequenceSql } from './message-id-sql.ts';
import { type OfferHistoryNeeds, offerHistoryColumnList } from './offer-history-columns.ts';
import { dormantRefSql, literal } from './trigger-ref-sql.ts';

export interface DormantDecisionQuery {
  /** The run's scratch table (startRun). */
  run: RunTable;
  campaignId: string;
  trigger: DormantTrigger;
  now: number;
  shopCurrency: string;
  shopTimezone: string;
  needsConsent: boolean;
  /** Without money conditions: those are decided in JS (see setDecidable). */
  audience: Audience;
  /** The customer's currency is needed (an offer with amounts or a minimum). */
  currencyNeeded: boolean;
  /** The currencies the step's offer has a figure in (null: all); others fail the audience. */
  offerCurrencies: readonly string[] | null;
  anySuppressions: boolean;
  cap: FrequencyCap | null;
  capSince: number;
  cooldownDays: number;
  offerHistory: OfferHistoryNeeds;
  campaignHash: number;
  /** isHeldOut's threshold: buckets below it are held out. */
  holdoutBelow: number;
  hasOffer: boolean;
  /** The campaigns that ran before this one in the run: a customer they chose is taken (priority). */
  earlierCampaigns: readonly string[];
}

/** Verdicts that are not counted here: the rules in JS decide those hits again. */
export const verdictsForJs = ['capped', 'unhashed'] as const;

/**
 * Verdicts that take the customer for the run: chosen here or in JS, or
 * already messaged by the campaign for this instance (a rerun leaves them
 * to no lower campaign, as runSweep does for the campaigns decided in JS).
 */
const chosen = sql.raw(`('scheduled', 'held_out', 'taken', 'messaged')`);

/**
 * Decides one page (the campaign's rows with customer_id > after) into
 * the run's table: each hit's verdict is the first rule it fails, in the
 * order of select.ts's decide(), else held_out or scheduled.
 */
export async function insertDormantVerdicts(
  store: Store,
  q: DormantDecisionQuery,
  after: string,
  limit: number,
): Promise<void> {
  const id = sql.raw('p.customer_id');
  const currency = q.currencyNeeded
    ? customerCurrencySql(id, { shop: q.shopCurrency })
    : sql`${q.shopCurrency.toUpperCase()}`;
  const rules: SQL[] = [
    sql`WHEN coalesce(c.email, '') = '' THEN 'no_email'`,
    sql`WHEN ${alreadyMessaged(q.campaignId)} THEN 'messaged'`,
    sql`WHEN c.suppressed_at IS NOT NULL THEN 'suppressed'`,
  ];
  if (q.anySuppressions) {
    rules.push(sql`WHEN c.email_hash IS NULL THEN 'unhashed'`);
    rules.push(
      sql`WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = c.email_hash) THEN 'suppressed'`,
    );
  }
  if (q.needsConsent) rules.push(sql`WHEN NOT coalesce(c.marketing_consent, 0) THEN 'no_consent'`);
  const audience = audienceFails(q.audience, id);
  if (audience) rules.push(sql`WHEN ${audience} THEN 'audience'`);
  if (q.offerCurrencies !== null) {
    rules.push(
      sql`WHEN coalesce(p.currency NOT IN (SELECT j.value FROM json_each(${sqlJson(q.offerCurrencies)}) j), 1) THEN 'audience'`,
    );
  }
  const by = q.offerHistory.messagedBy;
  if (by && by.campaigns.length > 0) {
    const fact = columnExpr(offerHistoryColumnList(id, q.campaignId, { offers: noOffers, messagedBy: by }));
    rules.push(sql`WHEN ${fact} IS NOT NULL THEN 'messaged_by'`);
  }
  rules.push(sql`WHEN c.key_hash IS NULL THEN 'unhashed'`);
  if (q.earlierCampaigns.length > 0) {
    rules.push(sql`WHEN EXISTS (SELECT 1 FROM ${tableOf(q.run)} t
      WHERE t.campaign_id IN (SELECT j.value FROM json_each(${sqlJson(q.earlierCampaigns)}) j)
        AND t.customer_id = p.customer_id AND t.verdict IN ${chosen}) THEN 'priority'`);
  }
  // The cap's next free slot depends on every other message's time: past the cap, JS decides.
  if (q.cap) {
    rules.push(sql`WHEN (SELECT count(*) FROM messages m WHERE m.customer_id = p.customer_id
        AND m.status IN ${liveStatuses} AND m.due_at > ${q.capSince}) >= ${q.cap.maxMessages} THEN 'capped'`);
  }
  if (q.cooldownDays > 0) {
    const history = historyColumnList(id, q.campaignId, q.capSince);
    const last = columnExpr(history.filter((c) => c.name === 'last_campaign_message'));
    rules.push(sql`WHEN ${last} > ${q.now - q.cooldownDays * dayMs} THEN 'cooldown'`);
  }
  if (q.hasOffer) {
    for (const fact of offerHistoryColumnList(id, q.campaignId, {
      offers: q.offerHistory.offers,
      messagedBy: null,
    }))
      rules.push(sql`WHEN ${fact.expr} IS NOT NULL THEN 'offer_rule'`);
  }
  if (q.holdoutBelow > 0)
    rules.push(
      sql`WHEN ${holdoutBucketSql(sql`c.key_hash`, q.campaignHash)} < ${q.holdoutBelow} THEN 'held_out'`,
    );

  await store.db.run(sql`
    WITH ${purchasesCte({ trigger: q.trigger, now: q.now }, after, limit)},
    -- Materialized: the currency is read by a rule and written, and is worked out once.
    priced AS MATERIALIZED (SELECT p.*, ${currency} AS currency FROM purchases p)
    INSERT INTO ${tableOf(q.run)} (campaign_id, customer_id, email, instance, verdict, currency, zone)
    SELECT ${q.campaignId}, p.customer_id, c.email, ${dormantRefSql(sql`p.last_at`)},
      CASE ${sql.join(rules, sql` `)} ELSE 'scheduled' END,
      p.currency, coalesce(c.timezone, ${q.shopTimezone})
    FROM priced p LEFT JOIN customers c ON c.id = p.customer_id
    ORDER BY p.customer_id`);
}

const noOffers = { couponsSince: null, heldCouponsAt: null };

/** The one expression of a single fact column. */
function columnExpr(columns: readonly { expr: SQL }[]): SQL {
  const [only] = columns;
  if (!only || columns.length !== 1) throw new Error('expected one fact column');
  return only.expr;
}

export interface PageSummary {
  rows: number;
  last: string | null;
  /** The page's hits by verdict, and by zone for the scheduled ones (whose send times JS works out). */
  groups: { verdict: string; zone: string | null; n: number }[];
  /** Customers whose hits the rules in JS decide again. */
  forJs: string[];
}

const page = (q: Pick<DormantDecisionQuery, 'campaignId'>, after: string) =>
  sql`campaign_id = ${q.campaignId} AND customer_id > ${after}`;

/** Everything the page's report needs, in one query. */
export async function pageSummary(
  store: Store,
  q: Pick<DormantDecisionQuery, 'run' | 'campaignId'>,
  after: string,
): Promise<PageSummary> {
  const where = page(q, after);
  const [row] = await store.db.all<{ n: number; last: string | null; groups: string; for_js: string }>(sql`
    SELECT count(*) AS n, max(customer_id) AS last,
      (SELECT json_group_array(json_array(verdict, zone, n)) FROM (
        SELECT verdict, CASE WHEN verdict = 'scheduled' THEN zone END AS zone, count(*) AS n
        FROM ${tableOf(q.run)} WHERE ${where} GROUP BY 1, 2)) AS groups,
      json_group_array(customer_id) FILTER (WHERE verdict IN ('capped', 'unhashed')) AS for_js
    FROM ${tableOf(q.run)} WHERE ${where}`);
  return {
    rows: row?.n ?? 0,
    last: row?.last ?? null,
    groups: (JSON.parse(row?.groups ?? '[]') as [string, string | null, number][]).map(
      ([verdict, zone, n]) => ({
        verdict,
        zone,
        n,
      }),
    ),
    forJs: JSON.parse(row?.for_js ?? '[]') as string[],
  };
}

/** Hands out sequence numbers for messageIdInSequenceSql, in order. */
export interface IdSequence {
  next(): number;
}

/** How many of a page's chosen hits became messages, by verdict. */
export interface PageWritten {
  scheduled: number;
  held_out: number;
}

/**
 * Writes the page's chosen hits as messages, one statement per verdict (each
 * atomic alone), and says how many of each were written: another sweep may
 * have written some first. Counted by the rows each statement changed, not
 * returned: a big page's RETURNING rows cost more than the insert's indexes.
 */
export async function writePage(
  store: Store,
  q: DormantDecisionQuery,
  after: string,
  write: {
    zoneDues: readonly (readonly [string, number])[];
    messageIdPrefix: string;
    /** The run's id sequence numbers: the ids each statement writes come after the earlier ones'. */
    idSequence: IdSequence;
  },
): Promise<PageWritten> {
  const due = write.zoneDues.length
    ? sql`CASE zone ${sql.join(
        write.zoneDues.map(
          ([zone, at]) => sql`WHEN ${literal(zone)} THEN ${sql.raw(String(Math.trunc(at)))}`,
        ),
        sql` `,
      )} END`
    : sql`NULL`;
  const now = sql.raw(String(q.now));
  // Ids in customer order (messageIdInSequenceSql), the row number made once per row in the subquery.
  const insert = (verdict: keyof PageWritten, sequence: number, offerCurrency: SQL, dueAt: SQL) =>
    store.db.run(sql`INSERT INTO messages (id, dedupe_key, campaign_id, step,
      customer_id, email, trigger_kind, trigger_ref, status, offer_currency, due_at, created_at, updated_at)
    SELECT ${messageIdInSequenceSql(write.messageIdPrefix, sequence, sql`n`)},
      ${dedupeKeySql(q.campaignId, 0, sql`customer_id`, sql`instance`)}, campaign_id, 0,
      customer_id, email, ${literal('dormant')}, instance, verdict, ${offerCurrency}, ${dueAt}, ${now}, ${now}
    FROM (SELECT d.*, row_number() OVER (ORDER BY d.customer_id) AS n
      FROM ${tableOf(q.run)} d WHERE ${page(q, after)} AND verdict = ${literal(verdict)})
    ORDER BY customer_id
    ON CONFLICT (dedupe_key) DO NOTHING`);
  return {
    held_out: affectedRows(await insert('held_out', write.idSequence.next(), sql`NULL`, now)),
    scheduled: affectedRows(
      await insert('scheduled', write.idSequence.next(), q.hasOffer ? sql`currency` : sql`NULL`, due),
    ),
  };
}

/** Customers the rules in JS chose in this run, so later campaigns decided here see them taken. */
export async function recordTaken(
  store: Store,
  run: RunTable,
  campaignId: string,
  customerKeys: readonly string[],
): Promise<void> {
  // A campaign decided here hands JS its capped hits: the row it wrote for one is now its choice.
  await store.db.run(sql`INSERT INTO ${tableOf(run)} (campaign_id, customer_id, verdict)
    SELECT ${campaignId}, j.value, 'taken' FROM json_each(${sqlJson(customerKeys)}) j WHERE true
    ON CONFLICT (campaign_id, customer_id) DO UPDATE SET verdict = 'taken'`);
}

/** The customers a campaign decided here took in this run (for campaigns decided in JS after it). */
export async function chosenInRun(store: Store, run: RunTable, campaignId: string): Promise<string[]> {
  const rows = await store.db.all<{ customer_id: string }>(sql`SELECT customer_id FROM ${tableOf(run)}
    WHERE campaign_id = ${campaignId} AND verdict IN ${chosen}`);
  return rows.map((row) => row.customer_id);
}

/** A run's scratch table, by name: `sweep_run_<wall ms>_<8 hex>`. */
export type RunTable = string & { readonly runTable: unique symbol };

const runTablePattern = /^sweep_run_(\d{1,15})_[0-9a-f]{8}$/;

function tableOf(run: RunTable): SQL {
  // The name is made here and checked again before it is spliced into SQL.
  if (!runTablePattern.test(run)) throw new Error(`not a sweep run table: ${run}`);
  return sql.raw(`"${run}"`);
}

/**
 * Makes the run's scratch table, after dropping any a crashed run left more
 * than an hour ago. One b-tree, keyed by campaign and customer (a table
 * without rowid): it serves a page (one campaign's customers after the last
 * page's) and "taken in this run" (one customer, in each earlier campaign),
 * and each row costs one insert instead of a row and an index entry.
 */
export async function startRun(store: Store, wallNow: number): Promise<RunTable> {
  const tables = await store.db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sweep_run_%'`,
  );
  for (const { name } of tables) {
    const madeAt = runTablePattern.exec(name)?.[1];
    if (madeAt !== undefined && Number(madeAt) < wallNow - hourMs) await dropRun(store, name as RunTable);
  }
  const random = crypto.getRandomValues(new Uint8Array(4));
  const run =
    `sweep_run_${Math.trunc(wallNow)}_${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}` as RunTable;
  const table = tableOf(run);
  await store.db.run(sql`CREATE TABLE ${table} (campaign_id TEXT NOT NULL, customer_id TEXT NOT NULL,
    email TEXT, instance TEXT, verdict TEXT NOT NULL, currency TEXT, zone TEXT,
    PRIMARY KEY (campaign_id, customer_id)) WITHOUT ROWID`);
  return run;
}

/** Drops the run's scratch table (a run dropped before is no error). */
export async function dropRun(store: Store, run: RunTable): Promise<void> {
  await store.db.run(sql`DROP TABLE IF EXISTS ${tableOf(run)}`);
}

/** holdoutBucketOf (src/core/selection/holdout.ts) over a stored key hash, in SQLite's integers. */
export function holdoutBucketSql(keyHash: SQL, campaignHash: number): SQL {
  const c = sql.raw(String(campaignHash));
  const x = sql`((${keyHash} | ${c}) - (${keyHash} & ${c}))`;
  return sql`((((${x} * ${sql.raw(String(holdoutMultiplier))}) >> 16) & 4294967295) % ${sql.raw(String(holdoutBuckets))})`;
}

/** The first audience condition (without money ones) the customer fails, as SQL; undefined for none. */
function audienceFails(audience: Audience, customerId: SQL): SQL | undefined {
  const fails: SQL[] = [];
  if (audience.minOrders !== null) fails.push(sql`p.purchases < ${audience.minOrders}`);
  if (audience.maxOrders !== null) fails.push(sql`p.purchases > ${audience.maxOrders}`);
  if (audience.countries && audience.countries.length > 0) {
    fails.push(
      sql`coalesce(c.country NOT IN (SELECT j.value FROM json_each(${sqlJson(audience.countries)}) j), 1)`,
    );
  }
  const hasTag = (
    tags: readonly string[],
  ) => sql`(CASE WHEN json_valid(c.tags) AND json_type(c.tags) = 'array'
      THEN EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.type = 'text'
        AND t.value IN (SELECT j.value FROM json_each(${sqlJson(tags)}) j)) ELSE 0 END)`;
  if (audience.tagsAny && audience.tagsAny.length > 0) fails.push(sql`NOT ${hasTag(audience.tagsAny)}`);
  if (audience.tagsNone.length > 0) fails.push(hasTag(audience.tagsNone));
  if (audience.categoriesBought && audience.categoriesBought.length > 0) {
    const needs = {
      purchases: false,
      totalSpent: false,
      lastOrderValue: false,
      currency: false,
      categories: audience.categoriesBought,
    };
    const bought = columnExpr(audienceColumnList(customerId, needs, { shop: '' }));
    fails.push(sql`NOT ${bought}`);
  }
  return fails.length === 0 ? undefined : sql`(${sql.join(fails, sql` OR `)})`;
}
